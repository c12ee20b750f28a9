#include "models/market/compute_market.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/emission/schedule.hpp"
#include "sim/core/distributions.hpp"
#include "sim/core/int128.hpp"
#include "sim/core/simulation.hpp"

namespace dais::models {

namespace {

using ledger::AccountId;
using ledger::TokenAmount;

enum EventKind : std::uint32_t { arrival = 1, completion = 2, verification = 3 };
// Among events at one time: completions free slots before arrivals look for one; verifications follow.
constexpr std::int32_t completion_priority = 0;
constexpr std::int32_t arrival_priority = 1;
constexpr std::int32_t verification_priority = 2;

// Purposes of the random streams.
enum Purpose : std::uint64_t { arrivals_purpose = 1, dispatch_purpose = 2, service_purpose = 3, verify_purpose = 4,
                               setup_purpose = 5 };
constexpr std::uint64_t world_entity = std::uint64_t{1} << 40;

// floor(amount * m / 10^6), exactly.
TokenAmount millionths_of(TokenAmount amount, std::uint64_t m) {
  const ledger::u128 a = amount.base_units();
  return TokenAmount::from_base_units(a / 1'000'000 * m + a % 1'000'000 * m / 1'000'000);
}

// Sampling in proportion to integer weights that change one at a time: a Fenwick tree, O(log P) per update
// and per draw, no floating point, so the choice is the same on every platform.
class WeightedSampler {
 public:
  explicit WeightedSampler(std::size_t n) : tree_(n + 1, 0), weights_(n, 0) {
    while ((std::size_t{1} << (top_bit_ + 1)) <= n) ++top_bit_;
  }
  void set(std::size_t i, std::uint64_t w) {
    const std::uint64_t old = weights_[i];
    weights_[i] = w;
    total_ += w - old;  // modular arithmetic: exact once every update is applied
    for (std::size_t k = i + 1; k < tree_.size(); k += k & (~k + 1)) tree_[k] += w - old;
  }
  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
  // The index i with prefix(i) <= target < prefix(i + 1), for target < total().
  [[nodiscard]] std::size_t find(std::uint64_t target) const noexcept {
    std::size_t pos = 0;
    // Branch-free descent: each step goes right or not with probability near 1/2, which no predictor guesses.
    for (std::size_t step = std::size_t{1} << top_bit_; step > 0; step >>= 1) {
      const std::size_t next = pos + step;
      const std::uint64_t below = next < tree_.size() ? tree_[next] : ~std::uint64_t{0};
      const bool right = below <= target;
      pos = right ? next : pos;
      target -= right ? below : 0;
    }
    return pos;
  }

 private:
  std::vector<std::uint64_t> tree_;
  std::vector<std::uint64_t> weights_;
  std::uint64_t total_ = 0;
  int top_bit_ = 0;
};

// A FIFO of waiting jobs' arrival ticks in a ring that grows by doubling: no allocation per job once warm.
class JobQueue {
 public:
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  void push(std::int64_t arrival_ticks) {
    if (size_ == ring_.size()) grow();
    ring_[(head_ + size_) & (ring_.size() - 1)] = arrival_ticks;
    ++size_;
  }
  std::int64_t pop() noexcept {
    const std::int64_t t = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    --size_;
    return t;
  }

 private:
  void grow() {
    std::vector<std::int64_t> bigger(std::max<std::size_t>(16, ring_.size() * 2));
    for (std::size_t k = 0; k < size_; ++k) bigger[k] = ring_[(head_ + k) & (ring_.size() - 1)];
    ring_ = std::move(bigger);
    head_ = 0;
  }
  std::vector<std::int64_t> ring_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

class ComputeMarket {
 public:
  ComputeMarket(const ComputeMarketConfig& config, std::uint64_t seed, std::uint64_t replicate);
  void on_event(const core::Event& event, core::Simulation<ComputeMarket>& sim);
  ComputeMarketResult run();

 private:
  [[nodiscard]] core::SimTime duration(double time_units) const noexcept {
    return core::SimTime::from_ticks(static_cast<std::int64_t>(std::llround(time_units * unit_ticks_)));
  }
  void on_arrival(core::Simulation<ComputeMarket>& sim);
  void on_completion(std::uint32_t provider, core::Simulation<ComputeMarket>& sim);
  void on_verification(std::uint32_t provider, core::SimTime now);
  void start_job(std::uint32_t provider, core::Simulation<ComputeMarket>& sim);
  // Makes the provider's stake weight count (or not) in the dispatch, from its free slots and standing.
  void update_weight(std::uint32_t provider);

  const ComputeMarketConfig& config_;
  std::uint64_t seed_;
  std::uint64_t replicate_;
  double unit_ticks_;
  core::SimTime horizon_;
  ledger::Ledger ledger_;
  AccountId consumers_ = 0;
  AccountId first_provider_ = 0;

  // Providers, structure of arrays.
  std::vector<std::uint64_t> weight_;  // stake, shifted so the sum fits 62 bits
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint8_t> honest_;
  std::vector<std::uint8_t> removed_;
  std::vector<std::int64_t> removed_at_;
  std::vector<std::uint64_t> jobs_;
  std::vector<TokenAmount> initial_stake_;
  std::vector<core::RandomStream> service_rng_;
  std::vector<core::RandomStream> verify_rng_;
  WeightedSampler idle_;
  JobQueue queue_;
  core::RandomStream arrival_rng_;
  core::RandomStream dispatch_rng_;
  double arrival_rate_;
  std::uint64_t slash_millionths_;
  ComputeMarketTotals totals_;
  ledger::u128 wait_ticks_ = 0;  // waits summed exactly, in ticks
  std::uint64_t started_ = 0;
};

const ComputeMarketConfig& validated(const ComputeMarketConfig& config) {
  if (config.providers < 1 || config.providers > 10'000'000) throw std::invalid_argument("providers must be in [1, 10^7]");
  if (config.slots < 1 || config.slots > 1'000'000) throw std::invalid_argument("slots must be in [1, 10^6]");
  if (!(config.arrival_rate_per_provider > 0.0) || !(config.service_rate > 0.0))
    throw std::invalid_argument("arrival and service rates must be positive");
  if (!(config.horizon > 0.0) || !(config.horizon * static_cast<double>(config.time_unit.ticks()) < 9e18))
    throw std::invalid_argument("the horizon must be positive and within 2^63 ticks");
  if (config.stake_max < config.stake_min) throw std::invalid_argument("stake_max must not be below stake_min");
  if (!(config.dishonest_fraction >= 0.0 && config.dishonest_fraction <= 1.0) ||
      !(config.verify_probability >= 0.0 && config.verify_probability <= 1.0) ||
      !(config.slash_fraction >= 0.0 && config.slash_fraction <= 1.0))
    throw std::invalid_argument("dishonest_fraction, verify_probability and slash_fraction must be in [0, 1]");
  return config;
}

ComputeMarket::ComputeMarket(const ComputeMarketConfig& config, std::uint64_t seed, std::uint64_t replicate)
    : config_(validated(config)),
      seed_(seed),
      replicate_(replicate),
      unit_ticks_(static_cast<double>(config.time_unit.ticks())),
      horizon_(core::SimTime::from_ticks(static_cast<std::int64_t>(std::llround(config.horizon * unit_ticks_)))),
      idle_(static_cast<std::size_t>(config.providers)),
      arrival_rng_({seed, replicate, world_entity, arrivals_purpose}),
      dispatch_rng_({seed, replicate, world_entity, dispatch_purpose}),
      arrival_rate_(config.arrival_rate_per_provider * static_cast<double>(config.providers)),
      slash_millionths_(static_cast<std::uint64_t>(std::llround(config.slash_fraction * 1e6))) {
  const auto n = static_cast<std::size_t>(config.providers);
  consumers_ = ledger_.open_account();
  first_provider_ = ledger_.open_accounts(static_cast<std::uint32_t>(n));
  weight_.resize(n);
  free_slots_.assign(n, static_cast<std::uint32_t>(config.slots));
  honest_.assign(n, 1);
  removed_.assign(n, 0);
  removed_at_.assign(n, -1);
  jobs_.assign(n, 0);
  initial_stake_.resize(n);
  service_rng_.reserve(n);
  verify_rng_.reserve(n);

  core::RandomStream setup({seed, replicate, world_entity, setup_purpose});
  const TokenAmount range = config.stake_max - config.stake_min;
  ledger::u128 stake_sum = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const TokenAmount stake = config.stake_min + scale_amount(range, setup.uniform01());
    initial_stake_[j] = stake;
    stake_sum += stake.base_units();
    ledger_.mint(first_provider_ + static_cast<AccountId>(j), stake, "stake endowment");
    ledger_.stake(first_provider_ + static_cast<AccountId>(j), stake, "stake endowment");
    service_rng_.emplace_back(core::StreamKey{seed, replicate, j, service_purpose});
    verify_rng_.emplace_back(core::StreamKey{seed, replicate, j, verify_purpose});
  }
  // The dishonest: the first ⌊fraction · P⌉ of a random permutation (Fisher–Yates on the setup stream).
  std::vector<std::uint32_t> order(n);
  for (std::size_t j = 0; j < n; ++j) order[j] = static_cast<std::uint32_t>(j);
  for (std::size_t j = n - 1; j > 0; --j)
    std::swap(order[j], order[static_cast<std::size_t>(core::draw_uniform_int(setup, 0, static_cast<std::int64_t>(j)))]);
  const auto dishonest = static_cast<std::size_t>(std::llround(config.dishonest_fraction * static_cast<double>(n)));
  for (std::size_t k = 0; k < dishonest; ++k) honest_[order[k]] = 0;

  int shift = 0;
  while ((stake_sum >> shift) >= (ledger::u128{1} << 62)) ++shift;
  for (std::size_t j = 0; j < n; ++j) {
    // Every provider with stake weighs at least 1, so none is left out by the shift.
    weight_[j] = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(initial_stake_[j].base_units() >> shift));
    update_weight(static_cast<std::uint32_t>(j));
  }
  // Consumers hold what the expected arrivals pay, with ten standard deviations and a hundred fees to spare.
  const double expected = arrival_rate_ * config.horizon;
  const auto jobs_funded = static_cast<std::uint64_t>(expected + 10.0 * std::sqrt(expected) + 100.0);
  ledger::u128 funds = 0;
  if (__builtin_mul_overflow(config.fee.base_units(), static_cast<ledger::u128>(jobs_funded), &funds))
    throw std::invalid_argument("the consumers' funds overflow: lower the fee or the horizon");
  ledger_.mint(consumers_, TokenAmount::from_base_units(funds), "consumer funds");
}

void ComputeMarket::update_weight(std::uint32_t provider) {
  idle_.set(provider, removed_[provider] == 0 && free_slots_[provider] > 0 ? weight_[provider] : 0);
}

void ComputeMarket::start_job(std::uint32_t provider, core::Simulation<ComputeMarket>& sim) {
  ++started_;
  const double service = core::draw_exponential(service_rng_[provider], config_.service_rate);
  const core::SimTime done = sim.now() + duration(service);
  if (done <= horizon_) sim.schedule_at(done, {completion, provider, 0}, completion_priority);
  else ++totals_.in_service_at_end;  // finishes after the horizon: never scheduled
}

void ComputeMarket::on_arrival(core::Simulation<ComputeMarket>& sim) {
  ++totals_.arrivals;
  const core::SimTime next = sim.now() + duration(core::draw_exponential(arrival_rng_, arrival_rate_));
  if (next <= horizon_) sim.schedule_at(next, {arrival, 0, 0}, arrival_priority);
  if (idle_.total() == 0) {
    queue_.push(sim.now().ticks());
    totals_.max_queue = std::max<std::uint64_t>(totals_.max_queue, queue_.size());
    return;
  }
  const auto target = static_cast<std::uint64_t>(
      core::draw_uniform_int(dispatch_rng_, 0, static_cast<std::int64_t>(idle_.total() - 1)));
  const auto provider = static_cast<std::uint32_t>(idle_.find(target));
  --free_slots_[provider];
  update_weight(provider);
  start_job(provider, sim);
}

void ComputeMarket::on_completion(std::uint32_t provider, core::Simulation<ComputeMarket>& sim) {
  ++totals_.completions;
  ++jobs_[provider];
  ledger_.transfer(consumers_, first_provider_ + provider, config_.fee, "job fee");
  totals_.fees_paid += config_.fee;
  if (verify_rng_[provider].uniform01() < config_.verify_probability)
    sim.schedule_at(sim.now(), {verification, provider, 0}, verification_priority);
  if (removed_[provider] == 0 && !queue_.empty()) {
    const std::int64_t waited = sim.now().ticks() - queue_.pop();
    wait_ticks_ += static_cast<ledger::u128>(waited);
    ++totals_.waited;
    start_job(provider, sim);
    return;
  }
  ++free_slots_[provider];
  update_weight(provider);
}

void ComputeMarket::on_verification(std::uint32_t provider, core::SimTime now) {
  ++totals_.verifications;
  if (honest_[provider] != 0 || removed_[provider] != 0) return;
  const AccountId account = first_provider_ + provider;
  const TokenAmount stake = ledger_.staked(account);
  totals_.slashed += ledger_.slash(account, millionths_of(stake, slash_millionths_), "caught cheating");
  ++totals_.caught;
  removed_[provider] = 1;
  removed_at_[provider] = now.ticks();
  update_weight(provider);
}

void ComputeMarket::on_event(const core::Event& event, core::Simulation<ComputeMarket>& sim) {
  ++totals_.events;
  totals_.max_live_events = std::max<std::uint64_t>(totals_.max_live_events, sim.queue().live() + 1);
  switch (event.data.kind) {
    case arrival: on_arrival(sim); break;
    case completion: on_completion(event.data.target, sim); break;
    case verification: on_verification(event.data.target, sim.now()); break;
    default: throw std::logic_error("compute market: unknown event kind");
  }
}

ComputeMarketResult ComputeMarket::run() {
  core::Simulation<ComputeMarket> sim(*this);
  sim.queue().reserve(static_cast<std::size_t>(2 * config_.providers * config_.slots + 2));
  const core::SimTime first = duration(core::draw_exponential(arrival_rng_, arrival_rate_));
  if (first <= horizon_) sim.schedule_at(first, {arrival, 0, 0}, arrival_priority);
  sim.run_until(horizon_);
  ledger_.check_conservation();

  ComputeMarketResult result;
  totals_.queued_at_end = queue_.size();
  totals_.mean_wait = started_ > 0 ? to_double(wait_ticks_) / static_cast<double>(started_) / unit_ticks_ : 0.0;
  totals_.fingerprint = sim.fingerprint().hex();
  result.totals = totals_;
  result.providers.resize(weight_.size());
  for (std::size_t j = 0; j < weight_.size(); ++j) {
    ComputeProviderState& p = result.providers[j];
    const AccountId account = first_provider_ + static_cast<AccountId>(j);
    p.initial_stake = initial_stake_[j];
    p.stake = ledger_.staked(account);
    p.balance = ledger_.balance(account);
    p.honest = honest_[j] != 0;
    p.removed = removed_[j] != 0;
    p.removed_at = p.removed ? static_cast<double>(removed_at_[j]) / unit_ticks_ : -1.0;
    p.jobs = jobs_[j];
  }
  return result;
}

}  // namespace

ComputeMarketResult run_compute_market(const ComputeMarketConfig& config, std::uint64_t seed, std::uint64_t replicate) {
  ComputeMarket market(config, seed, replicate);
  return market.run();
}

}  // namespace dais::models
