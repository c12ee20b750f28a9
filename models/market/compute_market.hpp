#pragma once
// The compute market, event-driven: inference jobs served by compute providers, verified, cheaters slashed.
//
// Providers (numbered from 0; each has `slots` parallel slots, a stake and a conduct) join and leave. Jobs
// arrive as a Poisson process of `arrival_rate` per time unit. A job goes to a provider with a free slot:
// with `stake_weighted` dispatch one chosen with probability proportional to its stake (providers without stake
// weigh as one base unit); with `lowest_bid` (a reverse auction, Akash's form, ../shared/MECHANISMS.md §3.1) the
// one asking the least, ties to the lower number, who is then paid its bid; with `least_loaded` the one with the
// most free slots, ties to the lower number. A provider bids the fee marked up by Uniform[0, bid_spread], drawn
// once from its own stream (otherwise every provider asks the fee).
// When no slot is free the job waits in one FIFO queue of at most `queue_capacity` jobs; an arrival that finds it
// full is dropped. Service takes Exp(service_rate) time units; on completion the consumers pay the provider's price
// (see the fee split), the slot takes the queue's head job if any, and with probability
// `verify_probability` the job is verified (an event of its own at the same time).
//
// Conduct (../shared/MECHANISMS.md §3.3, the inspection game): a cheater (the owner says who) skips every job; a
// lazy provider (chance `lazy_fraction` among the others, drawn once from its own stream) skips a fraction
// f = `lazy_skip` of its work; the others compute every job. With `lazy_pattern` "even" (the inspection game's
// lazy solver, ../shared/MECHANISMS.md §7.3) its n-th job is skipped when floor(n f) > floor((n - 1) f), so exactly
// floor(f n) of its first n jobs are; with "random" each job is skipped with probability f, drawn from its own
// stream. A verification of a skipped job catches its provider: it loses `slash_fraction` of its stake (to a
// millionth, rounded down; burned) and takes no new job. A lazy provider is so caught within its first n jobs
// with probability 1 - (1 - q)^floor(f n) (even) or 1 - (1 - f q)^n (random), q = verify_probability: the same
// share of skipped work is found more often when skips are spread evenly. A job a provider was serving when it
// left or was caught still completes and is paid.
//
// Refereed replication (Verde's refereed delegation, §3.3): with probability `replication_probability` a job
// that starts is also given to a second provider, another one with a free slot chosen by the same dispatch
// (a world stream of its own); with none free it runs once. The consumers pay both replicas, and each counts as
// a job served. When the second result is in and exactly one of the two skipped, the referee settles the
// dispute: the skipper is caught as above and `referee_reward_share` of its slash goes to the other provider
// (minted as the slash is burned, so the supply falls by the rest). Two replicas that both skipped agree and go
// unnoticed.
//
// Forced errors (Truebit, §3.4): with probability `forced_error_rate` the protocol makes a served job's result
// deliberately wrong. A verification of such a job finds it and earns `forced_error_bounty`, minted to the
// verifiers' account: verifying pays even when nobody cheats. The protocol knows its forced errors, so they
// never cause a dispute or a slash.
//
// Random draws: arrivals and dispatch from world streams, each provider's service times, verification
// coins, laziness and skips from its own streams (keyed by the provider number), so a provider's luck does not
// depend on the others; replication and forced errors from world streams of their own, drawn only when on, so
// a market without them draws and schedules exactly what it did before they existed. Nothing is scheduled past
// the horizon: live events are at most 1 + 2 · (busy slots), so memory is bounded by the live events, not the
// total. Events go straight into the run's core::EventQueue (no virtual call); the run routes the kinds this
// market owns to handle().
//
// Workload B2 of ../shared/BENCH.md is run_b2() (P providers, stakes Uniform(100, 1000), 10% dishonest,
// λ = 0.8 P); the contributor economy runs it with its compute providers (scenario section "market").

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/market/demand.hpp"
#include "sim/core/event_queue.hpp"
#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/ledger/ledger.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

enum class Dispatch { stake_weighted, lowest_bid, least_loaded };

inline constexpr std::uint64_t unlimited_queue = ~std::uint64_t{0};

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
  std::uint64_t queue_capacity = unlimited_queue;  // waiting jobs; an arrival that finds it full is dropped
  double lazy_fraction = 0.0;  // chance that a provider who is not a cheater is lazy
  double lazy_skip = 0.5;      // the fraction of a lazy provider's jobs it skips
  bool lazy_skips_at_random = false;  // each job with probability lazy_skip, rather than evenly spread
  double replication_probability = 0.0;
  double referee_reward_share = 0.0;  // of the slash of the replica that skipped, to the other
  double forced_error_rate = 0.0;
  ledger::TokenAmount forced_error_bounty = ledger::TokenAmount::whole_tokens(1, 18);
  core::SimTime time_unit = core::SimTime::seconds(1);
  DemandConfig demand;  // how the arrival rate follows price and model quality (the economy applies it)
};

// The terms of a market that governance may change mid-run (the "market.params" of a scenario), and how.
inline constexpr const char* governable_market_terms[] = {"burn_share", "treasury_share", "verify_probability",
                                                          "slash_fraction", "fee", "model_fee"};
// Sets one of those terms in `config` to `value` (a real number, or tokens for the fees). Throws
// std::invalid_argument for a name not among them.
void set_market_term(ComputeMarketConfig& config, const std::string& name, const scenario::ParamValue& value);

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
  std::uint64_t dropped = 0;     // arrivals that found the queue full
  std::uint64_t replicated = 0;  // jobs given to a second provider
  std::uint64_t disputes = 0;    // replicas that disagreed
  std::uint64_t forced_errors = 0;
  std::uint64_t forced_errors_found = 0;
  ledger::TokenAmount bounties;         // for forced errors found, minted to the verifiers
  ledger::TokenAmount referee_rewards;  // of slashes, to the provider whose replica was right
};

class ComputeMarket {
 public:
  enum EventKind : std::uint32_t { arrival = 0x100, completion, verification };
  [[nodiscard]] static bool owns(std::uint32_t kind) noexcept { return kind >= arrival && kind <= verification; }

  // `first_provider_account` + p is provider p's ledger account; consumers pay fees from `consumers`, the
  // treasury's share goes to `treasury`, forced-error bounties to `verifiers` (needed only with forced errors;
  // otherwise ledger::no_account).
  // `max_stake` bounds every stake a provider will join with (it fixes the dispatch weights' scale).
  ComputeMarket(const ComputeMarketConfig& config, ledger::Ledger& ledger, ledger::AccountId consumers,
                ledger::AccountId treasury, ledger::AccountId verifiers, ledger::AccountId first_provider_account,
                ledger::TokenAmount max_stake, core::SimTime horizon, std::uint64_t seed, std::uint64_t replicate);

  // A provider who is not `honest` cheats on every job; an honest one may still turn out lazy.
  void join(std::uint32_t provider, ledger::TokenAmount stake, bool honest);
  void leave(std::uint32_t provider);
  // Schedules the first arrival after `now`.
  void start(core::EventQueue& queue, core::SimTime now);
  void handle(const core::Event& event, core::EventQueue& queue);
  // Arrivals after the next one come at this rate (the next one was drawn at the old rate: the process is
  // memoryless, so only the pending gap keeps the old rate). Must stay positive if it was.
  void set_arrival_rate(double rate);
  // Takes the governable terms of `terms` (fee, verify_probability, slash_fraction, burn_share, treasury_share)
  // for the jobs paid and verified from now on; a new fee scales every provider's bid with it (its markup
  // stays). std::invalid_argument when they are out of range, as at construction.
  void retune(const ComputeMarketConfig& terms);

  // Staking (models/staking): who takes a caught provider's slash, given the market's slash_fraction as the base.
  // Without a handler the market burns that fraction of the provider's own stake. Returns what was slashed.
  using SlashHandler = std::function<ledger::TokenAmount(std::uint32_t provider, double base, core::SimTime now)>;
  void set_slash_handler(SlashHandler handler) { slash_handler_ = std::move(handler); }
  // The provider's stake for the dispatch from now on (delegations included); above max_stake it weighs as max_stake.
  void set_stake(std::uint32_t provider, ledger::TokenAmount stake) noexcept;

  // Per provider; a number that never joined (the owner may ask about any of its agents) has none of these.
  [[nodiscard]] bool caught(std::uint32_t provider) const noexcept { return known(provider) && caught_[provider] != 0; }
  [[nodiscard]] double caught_at(std::uint32_t provider) const noexcept;  // time units; -1 if never
  [[nodiscard]] std::uint64_t jobs(std::uint32_t provider) const noexcept {
    return known(provider) ? providers_[provider].jobs : 0;
  }
  [[nodiscard]] bool lazy(std::uint32_t provider) const noexcept {
    return known(provider) && providers_[provider].conduct == Conduct::lazy;
  }
  // What it lost when caught (a provider is slashed at most once: caught, it is out).
  [[nodiscard]] ledger::TokenAmount slashed(std::uint32_t provider) const noexcept {
    return known(provider) ? slashed_[provider] : ledger::TokenAmount{};
  }
  [[nodiscard]] std::uint32_t free_slots(std::uint32_t provider) const noexcept {
    return known(provider) ? providers_[provider].free_slots : 0;
  }
  // The fees' share the provider received, over the run; what it asks for a job.
  [[nodiscard]] ledger::TokenAmount earned(std::uint32_t provider) const noexcept {
    return known(provider) ? earned_before_recent_[provider] + providers_[provider].recent_earned : ledger::TokenAmount{};
  }
  [[nodiscard]] ledger::TokenAmount bid(std::uint32_t provider) const noexcept { return providers_[provider].bid; }
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
  // Jobs the consumers are funded for over the horizon: the expected services (arrivals and their replicas), ten
  // standard deviations and a hundred more.
  [[nodiscard]] static std::uint64_t jobs_to_fund(const ComputeMarketConfig& config, core::SimTime horizon);

 private:
  class WeightedSampler {
   public:
    // Room for n weights; the new ones are 0.
    void resize(std::size_t n);
    // Adds `delta` (modulo 2^64, so a decrease too) to the i-th weight.
    void add(std::size_t i, std::uint64_t delta) noexcept;
    [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
    [[nodiscard]] std::size_t find(std::uint64_t target) const noexcept;

   private:
    void add_to_levels(std::size_t i, std::uint64_t delta) noexcept;
    // sums_[level_start_[k] + j] is the weight of leaves [j 4^k, (j + 1) 4^k); level 0 holds the weights. The
    // top level, levels_ - 1, has four entries, the root's children; the root's own sum is total_.
    std::vector<std::uint64_t> sums_;
    std::array<std::size_t, 33> level_start_{};  // 4^32 leaves would outgrow any size_t index anyway
    std::size_t levels_ = 0;
    std::size_t leaves_ = 0;
    std::uint64_t total_ = 0;
  };

  [[nodiscard]] bool known(std::uint32_t provider) const noexcept { return provider < providers_.size(); }
  [[nodiscard]] core::SimTime after(core::SimTime now, double time_units) const noexcept;
  // A completed job's result as its verification event carries it.
  enum ResultFlag : std::uint64_t { skipped_flag = 1, forced_error_flag = 2 };
  enum class Conduct : std::uint8_t { honest, lazy, cheater };

  void grow_to(std::size_t providers);
  void update_weight(std::uint32_t provider) noexcept;
  // Puts the provider's weight in the stake-weighted dispatch (while it has a free slot) or takes it out.
  void set_idle(std::uint32_t provider, bool idle) noexcept;
  [[nodiscard]] bool uses_best_free() const noexcept { return config_.dispatch != Dispatch::stake_weighted; }
  // The provider with a free slot the dispatch picks (stake_weighted draws from `rng`); one must be free.
  std::uint32_t pick_free(core::RandomStream& rng) noexcept;
  // The same, among the others than `provider`; `none` if no other is free.
  std::uint32_t pick_free_other(std::uint32_t provider) noexcept;
  void take_slot(std::uint32_t provider) noexcept;
  // A job starts at `provider`, whose slot is taken, and perhaps at a replica too.
  void begin_job(std::uint32_t provider, core::SimTime now, core::EventQueue& queue);
  void schedule_completion(std::uint32_t provider, std::uint64_t replica_tag, core::SimTime now,
                           core::EventQueue& queue);
  [[nodiscard]] bool skips_job(std::uint32_t provider) const noexcept;
  void on_arrival(core::SimTime now, core::EventQueue& queue);
  void on_completion(std::uint32_t provider, std::uint64_t replica_tag, core::SimTime now, core::EventQueue& queue);
  void on_verification(std::uint32_t provider, std::uint64_t result, core::SimTime now);
  // The referee compares a replicated job's two results once both are in.
  void settle_replica(std::uint32_t pair, std::uint32_t provider, bool skipped, core::SimTime now);
  // Slashes and removes a provider found skipping; what was slashed (nothing if it was already caught).
  ledger::TokenAmount catch_skipper(std::uint32_t provider, core::SimTime now);
  void pay(std::uint32_t provider);
  // What the provider asks for a job: the fee, marked up by its own draw under lowest_bid.
  [[nodiscard]] ledger::TokenAmount ask(std::uint32_t provider) const;
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
  std::uint64_t lazy_skip_millionths_;
  std::uint64_t referee_millionths_;
  ledger::AccountId verifiers_;
  SlashHandler slash_handler_;

  // A provider's fields that jobs touch, together: an event touches a few cache lines of one struct rather
  // than a line in each of a dozen arrays. Cache-line aligned, and the fields before the streams fill the first
  // line: all a completion reads but its verification coin.
  struct alignas(64) Provider {
    Provider(const core::StreamKey& service, const core::StreamKey& verify) : service_rng(service), verify_rng(verify) {}
    ledger::TokenAmount bid;
    ledger::TokenAmount recent_earned;
    std::uint64_t weight = 0;
    std::uint64_t jobs = 0;
    std::uint32_t recent_jobs = 0;
    std::uint32_t free_slots = 0;
    bool joined = false;
    bool idle = false;  // its weight is in idle_
    Conduct conduct = Conduct::honest;
    core::RandomStream service_rng;
    core::RandomStream verify_rng;
  };
  std::vector<Provider> providers_;
  // What joining, catching and the owner's queries touch, apart.
  std::vector<std::uint8_t> caught_;
  std::vector<std::int64_t> caught_at_;
  std::vector<ledger::TokenAmount> slashed_;
  std::vector<ledger::TokenAmount> earned_before_recent_;  // earned() adds the recent earnings
  WeightedSampler idle_;
  // lowest_bid and least_loaded: a segment tree over the providers with a free slot in dispatch order ((bid,
  // provider) or (most free slots, provider)); a node holds the first provider below it, or `none`.
  static constexpr std::uint32_t none = 0xffffffffu;
  std::vector<std::uint32_t> best_free_;
  std::size_t best_free_leaves_ = 0;
  void set_best_free(std::uint32_t provider, bool free) noexcept;
  [[nodiscard]] bool goes_before(std::uint32_t a, std::uint32_t b) const noexcept;
  // Replicated jobs whose first result is in: a completion's tag is its pair's index + 1 (0: not replicated).
  struct FirstReplica {
    std::uint32_t provider = none;
    bool skipped = false;
  };
  std::vector<FirstReplica> replicas_;
  std::vector<std::uint32_t> free_replicas_;
  // Waiting jobs' arrival ticks, a ring that doubles when full: no allocation per job once warm.
  std::vector<std::int64_t> waiting_;
  std::size_t queue_head_ = 0;
  std::size_t queue_size_ = 0;
  std::uint64_t max_queue_ = 0;
  core::RandomStream arrival_rng_;
  core::RandomStream dispatch_rng_;
  core::RandomStream replication_rng_;
  core::RandomStream forced_error_rng_;
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
  bool lazy = false;
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
  ledger::TokenAmount verifiers_balance;
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
