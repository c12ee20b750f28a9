#pragma once
// The compute market, event-driven: inference jobs served by compute providers, verified, cheaters slashed.
//
// Providers (numbered from 0; each has `slots` parallel slots, a stake and an honesty) join and leave. Jobs
// arrive as a Poisson process of `arrival_rate` per time unit. A job goes to a provider with a free slot:
// with `stake_weighted` dispatch one chosen with probability proportional to its stake (providers without stake
// weigh as one base unit); with `lowest_bid` (a reverse auction, Akash's form, ../shared/MECHANISMS.md §3.1) the
// one asking the least, ties to the lower number, who is then paid its bid. A provider bids the fee marked up by
// Uniform[0, bid_spread], drawn once from its own stream (with stake_weighted every provider asks the fee).
// When no slot is free the job waits in one FIFO queue. Service takes Exp(service_rate) time units; on
// completion the consumers pay the provider's price (see the fee split), the slot takes the queue's head job if any, and with probability
// `verify_probability` the job is verified (an event of its own at the same time): a dishonest provider
// caught loses `slash_fraction` of its stake (to a millionth, rounded down; burned) and takes no new job.
// A job a provider was serving when it left or was caught still completes and is paid.
//
// Fee split (../shared/MECHANISMS.md §3.2, §5.3): of each job's price, `burn_share` is burned and `treasury_share`
// goes to the treasury (each rounded down to the base unit, shares to a millionth), the rest to the provider.
// burn_share 1 with the compute role paid from emission by jobs served is Render's burn-and-mint equilibrium.
// With a `target_utilization` u* > 0, the burn share moves each epoch like EIP-1559's base fee:
// b <- b * (1 + (u - u*) / (8 u*)), within [10^-6, 1 - treasury_share], u the busy share of the active slots'
// time (jobs completed / service_rate over slots * epoch).
//
// Random draws: arrivals and dispatch from world streams, each provider's service times and verification
// coins from its own streams (keyed by the provider number), so a provider's luck does not depend on the
// others. Nothing is scheduled past the horizon: live events are at most 1 + 2 · (busy slots), so memory is
// bounded by the live events, not the total. Events go straight into the run's core::EventQueue (no virtual
// call); the run routes the kinds this market owns to handle().
//
// Workload B2 of ../shared/BENCH.md is run_b2() (P providers, stakes Uniform(100, 1000), 10% dishonest,
// λ = 0.8 P); the contributor economy runs it with its compute providers (scenario section "market").

#include <cstdint>
#include <string>
#include <vector>

#include "models/market/demand.hpp"
#include "sim/core/event_queue.hpp"
#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/ledger/ledger.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

enum class Dispatch { stake_weighted, lowest_bid };

struct ComputeMarketConfig {
  double arrival_rate = 800.0;  // jobs per time unit
  double service_rate = 1.0;    // per time unit, per slot
  std::int64_t slots = 1;
  ledger::TokenAmount fee = ledger::TokenAmount::whole_tokens(1, 18);
  double verify_probability = 0.1;
  double slash_fraction = 0.5;
  double dishonest_fraction = 0.1;  // how the run that owns the market assigns honesty is its own
  double burn_share = 0.0;
  double treasury_share = 0.0;
  double target_utilization = 0.0;  // 0: the burn share stays as set
  Dispatch dispatch = Dispatch::stake_weighted;
  double bid_spread = 0.0;  // lowest_bid: the most a bid marks the fee up, as a fraction of it
  core::SimTime time_unit = core::SimTime::seconds(1);
  DemandConfig demand;  // how the arrival rate follows price and model quality (the economy applies it)
};

// Counters since the last take_period(): one epoch's row in the economy.
struct ComputeMarketPeriod {
  std::uint64_t arrivals = 0;
  std::uint64_t completions = 0;
  std::uint64_t verifications = 0;
  std::uint64_t caught = 0;
  std::uint64_t started = 0;
  ledger::u128 wait_ticks = 0;  // summed over the jobs started
  ledger::TokenAmount fees;      // to providers
  ledger::TokenAmount burned;    // of fees
  ledger::TokenAmount treasury;  // of fees
  ledger::TokenAmount slashed;
};

class ComputeMarket {
 public:
  enum EventKind : std::uint32_t { arrival = 0x100, completion, verification };
  [[nodiscard]] static bool owns(std::uint32_t kind) noexcept { return kind >= arrival && kind <= verification; }

  // `first_provider_account` + p is provider p's ledger account; consumers pay fees from `consumers`, the
  // treasury's share goes to `treasury`.
  // `max_stake` bounds every stake a provider will join with (it fixes the dispatch weights' scale).
  ComputeMarket(const ComputeMarketConfig& config, ledger::Ledger& ledger, ledger::AccountId consumers,
                ledger::AccountId treasury, ledger::AccountId first_provider_account, ledger::TokenAmount max_stake, core::SimTime horizon,
                std::uint64_t seed, std::uint64_t replicate);

  void join(std::uint32_t provider, ledger::TokenAmount stake, bool honest);
  void leave(std::uint32_t provider);
  // Schedules the first arrival after `now`.
  void start(core::EventQueue& queue, core::SimTime now);
  void handle(const core::Event& event, core::EventQueue& queue);
  // Arrivals after the next one come at this rate (the next one was drawn at the old rate: the process is
  // memoryless, so only the pending gap keeps the old rate). Must stay positive if it was.
  void set_arrival_rate(double rate);

  [[nodiscard]] bool caught(std::uint32_t provider) const noexcept { return caught_[provider] != 0; }
  [[nodiscard]] double caught_at(std::uint32_t provider) const noexcept;  // time units; -1 if never
  [[nodiscard]] std::uint64_t jobs(std::uint32_t provider) const noexcept { return jobs_[provider]; }
  // The fees' share the provider received, over the run; what it asks for a job.
  [[nodiscard]] ledger::TokenAmount earned(std::uint32_t provider) const noexcept { return earned_[provider]; }
  [[nodiscard]] ledger::TokenAmount bid(std::uint32_t provider) const noexcept { return bid_[provider]; }
  // Jobs the provider completed, and the fees it received for them, since the last call for it.
  struct Recent {
    std::uint32_t jobs = 0;
    ledger::TokenAmount earned;
  };
  Recent take_recent(std::uint32_t provider) noexcept;
  // The most a job can cost the consumers: the fee, marked up by the largest bid spread.
  [[nodiscard]] static ledger::TokenAmount highest_price(const ComputeMarketConfig& config);
  ComputeMarketPeriod take_period() noexcept;
  // The counters so far in this period.
  [[nodiscard]] const ComputeMarketPeriod& period() const noexcept { return period_; }
  // Moves the burn share toward the target utilization (when one is set) after a period of `length` in which
  // `slots` slots were active and `completed` jobs finished.
  void adjust_burn(core::SimTime length, std::uint64_t slots, std::uint64_t completed);
  [[nodiscard]] double burn_share() const noexcept { return static_cast<double>(burn_millionths_) / 1e6; }
  [[nodiscard]] const ComputeMarketPeriod& totals() const noexcept { return totals_; }
  [[nodiscard]] std::size_t queued() const noexcept { return queue_size_; }
  [[nodiscard]] std::uint64_t max_queue() const noexcept { return max_queue_; }
  [[nodiscard]] double time_unit_ticks() const noexcept { return unit_ticks_; }
  // Jobs the consumers are funded for over the horizon: the expected arrivals, ten standard deviations and a
  // hundred more.
  [[nodiscard]] static std::uint64_t jobs_to_fund(const ComputeMarketConfig& config, core::SimTime horizon);

 private:
  class WeightedSampler {
   public:
    void resize(std::size_t n);
    void set(std::size_t i, std::uint64_t w) noexcept;
    [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
    [[nodiscard]] std::size_t find(std::uint64_t target) const noexcept;

   private:
    std::vector<std::uint64_t> tree_{0, 0};
    std::vector<std::uint64_t> weights_;
    std::uint64_t total_ = 0;
    int top_bit_ = 0;
  };

  [[nodiscard]] core::SimTime after(core::SimTime now, double time_units) const noexcept;
  void grow_to(std::size_t providers);
  void update_weight(std::uint32_t provider) noexcept;
  void start_job(std::uint32_t provider, core::SimTime now, core::EventQueue& queue);
  void on_arrival(core::SimTime now, core::EventQueue& queue);
  void on_completion(std::uint32_t provider, core::SimTime now, core::EventQueue& queue);
  void on_verification(std::uint32_t provider, core::SimTime now);
  void pay(std::uint32_t provider);
  void push_waiting(std::int64_t arrival_ticks);
  std::int64_t pop_waiting() noexcept;

  ComputeMarketConfig config_;
  ledger::Ledger& ledger_;
  ledger::AccountId consumers_;
  ledger::AccountId treasury_;
  ledger::AccountId first_provider_;
  std::uint64_t burn_millionths_;
  std::uint64_t treasury_millionths_;
  int weight_shift_ = 0;
  double unit_ticks_;
  core::SimTime horizon_;
  std::uint64_t seed_;
  std::uint64_t replicate_;
  std::uint64_t slash_millionths_;

  // Providers, structure of arrays.
  std::vector<std::uint64_t> weight_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint8_t> joined_;
  std::vector<std::uint8_t> honest_;
  std::vector<std::uint8_t> caught_;
  std::vector<std::int64_t> caught_at_;
  std::vector<std::uint64_t> jobs_;
  std::vector<ledger::TokenAmount> earned_;
  std::vector<ledger::TokenAmount> bid_;
  std::vector<Recent> recent_;
  std::vector<core::RandomStream> service_rng_;
  std::vector<core::RandomStream> verify_rng_;
  WeightedSampler idle_;
  // lowest_bid: a min segment tree over (bid, provider) of the providers with a free slot; a node holds the
  // best provider below it, or `none`.
  static constexpr std::uint32_t none = 0xffffffffu;
  std::vector<std::uint32_t> cheapest_;
  std::size_t cheapest_leaves_ = 0;
  void set_cheapest(std::uint32_t provider, bool free) noexcept;
  // Waiting jobs' arrival ticks, a ring that doubles when full: no allocation per job once warm.
  std::vector<std::int64_t> waiting_;
  std::size_t queue_head_ = 0;
  std::size_t queue_size_ = 0;
  std::uint64_t max_queue_ = 0;
  core::RandomStream arrival_rng_;
  core::RandomStream dispatch_rng_;
  ComputeMarketPeriod period_;
  ComputeMarketPeriod totals_;
};

// Workload B2: P providers, stakes Uniform(stake_min, stake_max) minted and staked at time 0, the first
// ⌊fraction · P⌉ of a random permutation dishonest, run for `horizon` time units on a ledger of its own.
struct B2Options {
  std::int64_t providers = 1000;
  ledger::TokenAmount stake_min = ledger::TokenAmount::whole_tokens(100, 18);
  ledger::TokenAmount stake_max = ledger::TokenAmount::whole_tokens(1000, 18);
  double horizon = 10'000.0;  // time units
};

struct B2Provider {
  ledger::TokenAmount initial_stake;
  ledger::TokenAmount stake;
  ledger::TokenAmount balance;
  bool honest = true;
  bool caught = false;
  double caught_at = -1.0;
  std::uint64_t jobs = 0;
};

struct B2Result {
  ComputeMarketPeriod totals;
  std::uint64_t events = 0;
  std::uint64_t max_live_events = 0;
  std::uint64_t queued_at_end = 0;
  std::uint64_t max_queue = 0;
  double mean_wait = 0.0;  // time units, over the jobs started
  std::string fingerprint;
  std::vector<B2Provider> providers;
};

// Throws std::invalid_argument on an impossible configuration (as ComputeMarket's constructor does).
B2Result run_b2(const ComputeMarketConfig& config, const B2Options& options, std::uint64_t seed, std::uint64_t replicate);

// The market models a scenario may name in its "market" section; each turns its params into a config.
using MarketFactory = ComputeMarketConfig (*)(const scenario::Params& params);
void register_compute_market(scenario::Registry<MarketFactory>& markets);

}  // namespace dais::models
