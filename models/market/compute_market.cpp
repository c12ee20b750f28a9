#include "models/market/compute_market.hpp"

#include <fmt/format.h>

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

// Among events at one time: completions free slots before arrivals look for one; verifications follow.
constexpr std::int32_t completion_priority = 0;
constexpr std::int32_t arrival_priority = 1;
constexpr std::int32_t verification_priority = 2;

enum Purpose : std::uint64_t { arrivals_purpose = 101, dispatch_purpose = 102, service_purpose = 103,
                               verify_purpose = 104, setup_purpose = 105, bid_purpose = 106, lazy_purpose = 107,
                               skip_purpose = 108, replication_purpose = 109, forced_error_purpose = 110 };
constexpr std::uint64_t world_entity = std::uint64_t{1} << 40;

const ComputeMarketConfig& validated(const ComputeMarketConfig& c) {
  if (c.slots < 1 || c.slots > 1'000'000) throw std::invalid_argument("compute market: slots must be in [1, 10^6]");
  if (!(c.arrival_rate >= 0.0) || !(c.service_rate > 0.0) || !std::isfinite(c.arrival_rate) || !std::isfinite(c.service_rate))
    throw std::invalid_argument("compute market: arrival_rate must be >= 0 and service_rate positive");
  if (!(c.verify_probability >= 0.0 && c.verify_probability <= 1.0) ||
      !(c.slash_fraction >= 0.0 && c.slash_fraction <= 1.0) ||
      !(c.dishonest_fraction >= 0.0 && c.dishonest_fraction <= 1.0))
    throw std::invalid_argument("compute market: verify_probability, slash_fraction and dishonest_fraction must be in [0, 1]");
  if (c.time_unit.ticks() <= 0) throw std::invalid_argument("compute market: the time unit must be positive");
  if (!(c.burn_share >= 0.0 && c.treasury_share >= 0.0 && c.burn_share + c.treasury_share <= 1.0))
    throw std::invalid_argument("compute market: burn_share and treasury_share must be >= 0 and sum to at most 1");
  if (!(c.target_utilization >= 0.0 && c.target_utilization <= 1.0))
    throw std::invalid_argument("compute market: target_utilization must be in [0, 1]");
  if (!(c.bid_spread >= 0.0 && c.bid_spread <= 1000.0))
    throw std::invalid_argument("compute market: bid_spread must be in [0, 1000]");
  if (!(c.lazy_fraction >= 0.0 && c.lazy_fraction <= 1.0) || !(c.lazy_skip >= 0.0 && c.lazy_skip <= 1.0) ||
      !(c.replication_probability >= 0.0 && c.replication_probability <= 1.0) ||
      !(c.referee_reward_share >= 0.0 && c.referee_reward_share <= 1.0) ||
      !(c.forced_error_rate >= 0.0 && c.forced_error_rate <= 1.0))
    throw std::invalid_argument(
        "compute market: lazy_fraction, lazy_skip, replication_probability, referee_reward_share and "
        "forced_error_rate must be in [0, 1]");
  if (c.target_utilization > 0.0 && !(c.burn_share > 0.0))
    throw std::invalid_argument("compute market: a target_utilization needs a burn_share above 0 to adjust");
  return c;
}

}  // namespace

// ---- the stake-weighted choice among providers with a free slot ----
// A tree of fan-out 4 over integer weights, each node holding its four children's sums: an update adds to one
// entry per level, a draw reads three per level; no floating point, so the choice is the same on every
// platform. Fan-out 4 halves a binary tree's levels, and a draw's steps are a chain of dependent loads.

void ComputeMarket::WeightedSampler::resize(std::size_t n) {
  if (n <= leaves_) return;
  const std::vector<std::uint64_t> weights(sums_.begin(), sums_.begin() + static_cast<std::ptrdiff_t>(leaves_));
  leaves_ = 4;
  while (leaves_ < n) leaves_ *= 4;
  levels_ = 0;
  std::size_t start = 0;
  for (std::size_t width = leaves_; width >= 4; width /= 4) {
    level_start_[levels_++] = start;
    start += width;
  }
  sums_.assign(start, 0);
  for (std::size_t i = 0; i < weights.size(); ++i) add_to_levels(i, weights[i]);
}

void ComputeMarket::WeightedSampler::add(std::size_t i, std::uint64_t delta) noexcept {
  total_ += delta;
  add_to_levels(i, delta);
}

void ComputeMarket::WeightedSampler::add_to_levels(std::size_t i, std::uint64_t delta) noexcept {
  for (std::size_t k = 0; k < levels_; ++k, i >>= 2) sums_[level_start_[k] + i] += delta;
}

std::size_t ComputeMarket::WeightedSampler::find(std::uint64_t target) const noexcept {
  // The index i with prefix(i) <= target < prefix(i + 1). At each node: the child whose range of prefixes
  // holds the target, from the three partial sums before the last child. Which child is a coin toss to a
  // branch predictor: masks instead of branches.
  std::size_t node = 0;
  for (std::size_t k = levels_; k-- > 0;) {
    const std::uint64_t* s = sums_.data() + level_start_[k] + 4 * node;
    const std::uint64_t p1 = s[0];
    const std::uint64_t p2 = p1 + s[1];
    const std::uint64_t p3 = p2 + s[2];
    const std::uint64_t r1 = std::uint64_t{0} - static_cast<std::uint64_t>(p1 <= target);
    const std::uint64_t r2 = std::uint64_t{0} - static_cast<std::uint64_t>(p2 <= target);
    const std::uint64_t r3 = std::uint64_t{0} - static_cast<std::uint64_t>(p3 <= target);
    // The prefixes grow, so r1 >= r2 >= r3: the passed prefix is the last one whose mask is set.
    std::uint64_t passed = p1 & r1;
    passed ^= (passed ^ p2) & r2;
    passed ^= (passed ^ p3) & r3;
    target -= passed;
    node = 4 * node + static_cast<std::size_t>((r1 & 1) + (r2 & 1) + (r3 & 1));
  }
  return node;
}

// ---- the market ----

ComputeMarket::ComputeMarket(const ComputeMarketConfig& config, ledger::Ledger& ledger, AccountId consumers,
                             AccountId treasury, AccountId verifiers, AccountId first_provider_account,
                             TokenAmount max_stake, core::SimTime horizon, std::uint64_t seed, std::uint64_t replicate)
    : config_(validated(config)),
      ledger_(ledger),
      consumers_(consumers),
      treasury_(treasury),
      first_provider_(first_provider_account),
      burn_millionths_(static_cast<std::uint64_t>(std::llround(config.burn_share * 1e6))),
      treasury_millionths_(static_cast<std::uint64_t>(std::llround(config.treasury_share * 1e6))),
      unit_ticks_(static_cast<double>(config.time_unit.ticks())),
      horizon_(horizon),
      seed_(seed),
      replicate_(replicate),
      slash_millionths_(static_cast<std::uint64_t>(std::llround(config.slash_fraction * 1e6))),
      lazy_skip_millionths_(static_cast<std::uint64_t>(std::llround(config.lazy_skip * 1e6))),
      referee_millionths_(static_cast<std::uint64_t>(std::llround(config.referee_reward_share * 1e6))),
      verifiers_(verifiers),
      arrival_rng_({seed, replicate, world_entity, arrivals_purpose}),
      dispatch_rng_({seed, replicate, world_entity, dispatch_purpose}),
      replication_rng_({seed, replicate, world_entity, replication_purpose}),
      forced_error_rng_({seed, replicate, world_entity, forced_error_purpose}) {
  if (config.forced_error_rate > 0.0 && verifiers == ledger::no_account)
    throw std::invalid_argument("compute market: forced errors need a verifiers' account to pay bounties to");
  // Weights are stakes shifted so that 2^24 providers of the largest stake still sum below 2^62.
  while ((max_stake.base_units() >> weight_shift_) >= (ledger::u128{1} << 38)) ++weight_shift_;
}

TokenAmount ComputeMarket::highest_price(const ComputeMarketConfig& config) {
  return config.fee + millionths_of(config.fee, static_cast<std::uint64_t>(std::llround(config.bid_spread * 1e6)));
}

void ComputeMarket::adjust_burn(core::SimTime length, std::uint64_t slots, std::uint64_t completed) {
  if (!(config_.target_utilization > 0.0) || slots == 0 || length.ticks() <= 0) return;
  const double capacity =
      static_cast<double>(slots) * static_cast<double>(length.ticks()) / unit_ticks_ * config_.service_rate;
  const double utilization = std::min(1.0, static_cast<double>(completed) / capacity);
  const double factor = 1.0 + (utilization - config_.target_utilization) / (8.0 * config_.target_utilization);
  const double most = 1e6 - static_cast<double>(treasury_millionths_);
  // Never quite 0, so that it can grow back (as the base fee's floor keeps it alive).
  burn_millionths_ =
      static_cast<std::uint64_t>(std::llround(std::clamp(static_cast<double>(burn_millionths_) * factor, 1.0, most)));
}

std::uint64_t ComputeMarket::jobs_to_fund(const ComputeMarketConfig& config, core::SimTime horizon) {
  const double peak_rate = config.arrival_rate * (config.demand.varies() ? config.demand.max_demand_multiplier : 1.0);
  const double expected = peak_rate * static_cast<double>(horizon.ticks()) / static_cast<double>(config.time_unit.ticks());
  if (!(expected < 1e15)) throw std::invalid_argument("compute market: more than 10^15 jobs expected over the horizon");
  // Services are A + R, A ~ Poisson(expected) arrivals and R ~ Binomial(A, r) replicas at most: mean A (1 + r),
  // variance A (1 + 3 r).
  const double r = config.replication_probability;
  return static_cast<std::uint64_t>(expected * (1.0 + r) + 10.0 * std::sqrt(expected * (1.0 + 3.0 * r)) + 100.0);
}

void ComputeMarket::set_arrival_rate(double rate) {
  if (!(config_.arrival_rate > 0.0) || !(rate > 0.0) || !std::isfinite(rate))
    throw std::invalid_argument(fmt::format("compute market: cannot move the arrival rate from {} to {}", config_.arrival_rate, rate));
  config_.arrival_rate = rate;
}

core::SimTime ComputeMarket::after(core::SimTime now, double time_units) const noexcept {
  const double ticks = time_units * unit_ticks_;
  // Past the horizon is as good as never: clamped so the sum cannot overflow.
  if (!(ticks < static_cast<double>(horizon_.ticks() - now.ticks()) + 1.0)) return core::SimTime::max();
  // std::llround's result, without its library call: ticks is in [0, 2^63) here, and ticks - whole is exact.
  auto whole = static_cast<core::SimTime::rep>(ticks);
  if (ticks - static_cast<double>(whole) >= 0.5) ++whole;
  return now + core::SimTime::from_ticks(whole);
}

void ComputeMarket::grow_to(std::size_t providers) {
  if (providers <= providers_.size()) return;
  const std::size_t n = std::max(providers, providers_.size() + providers_.size() / 8 + 16);
  providers_.reserve(n);
  for (std::size_t p = providers_.size(); p < n; ++p)
    providers_.emplace_back(core::StreamKey{seed_, replicate_, p, service_purpose},
                            core::StreamKey{seed_, replicate_, p, verify_purpose});
  caught_.resize(n, 0);
  caught_at_.resize(n, -1);
  slashed_.resize(n);
  earned_before_recent_.resize(n);
  idle_.resize(n);
  if (uses_best_free()) {
    // Rebuilt: a node's best depends on the tree's shape.
    best_free_leaves_ = 1;
    while (best_free_leaves_ < n) best_free_leaves_ <<= 1;
    best_free_.assign(2 * best_free_leaves_, none);
    for (std::size_t p = 0; p < n; ++p)
      set_best_free(static_cast<std::uint32_t>(p), providers_[p].joined && providers_[p].free_slots > 0);
  }
}

// For a below b in number: whether a comes first in dispatch order, so ties go to the lower number.
bool ComputeMarket::goes_before(std::uint32_t a, std::uint32_t b) const noexcept {
  const Provider& pa = providers_[a];
  const Provider& pb = providers_[b];
  if (config_.dispatch == Dispatch::least_loaded) return !(pb.free_slots > pa.free_slots);
  return !(pb.bid < pa.bid);
}

void ComputeMarket::set_best_free(std::uint32_t provider, bool free) noexcept {
  std::size_t node = best_free_leaves_ + provider;
  best_free_[node] = free ? provider : none;
  for (node /= 2; node > 0; node /= 2) {
    const std::uint32_t a = best_free_[2 * node];
    const std::uint32_t b = best_free_[2 * node + 1];
    // The left child holds lower numbers.
    best_free_[node] = b == none || (a != none && goes_before(a, b)) ? a : b;
  }
}

void ComputeMarket::join(std::uint32_t provider, TokenAmount stake, bool honest) {
  grow_to(std::size_t{provider} + 1);
  Provider& p = providers_[provider];
  if (p.joined || caught_[provider] != 0) throw std::logic_error("compute market: provider joined twice");
  p.weight = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(stake.base_units() >> weight_shift_));
  if (p.weight >= (std::uint64_t{1} << 38)) throw std::logic_error("compute market: a stake above max_stake");
  p.free_slots = static_cast<std::uint32_t>(config_.slots);
  p.conduct = honest ? Conduct::honest : Conduct::cheater;
  if (config_.lazy_fraction > 0.0) {
    // Drawn for every provider, so that whether one is lazy does not depend on the dishonest fraction.
    core::RandomStream rng({seed_, replicate_, provider, lazy_purpose});
    if (rng.uniform01() < config_.lazy_fraction && honest) p.conduct = Conduct::lazy;
  }
  p.bid = ask(provider);
  p.joined = true;
  update_weight(provider);
}

TokenAmount ComputeMarket::ask(std::uint32_t provider) const {
  if (config_.dispatch != Dispatch::lowest_bid) return config_.fee;
  core::RandomStream rng({seed_, replicate_, provider, bid_purpose});
  return config_.fee +
         millionths_of(config_.fee, static_cast<std::uint64_t>(std::llround(rng.uniform01() * config_.bid_spread * 1e6)));
}

// ---- governance ----

void set_market_term(ComputeMarketConfig& config, const std::string& name, const scenario::ParamValue& value) {
  if (name == "fee") config.fee = std::get<TokenAmount>(value);
  else if (name == "model_fee") config.demand.model_fee = std::get<TokenAmount>(value);
  else if (name == "burn_share") config.burn_share = std::get<double>(value);
  else if (name == "treasury_share") config.treasury_share = std::get<double>(value);
  else if (name == "verify_probability") config.verify_probability = std::get<double>(value);
  else if (name == "slash_fraction") config.slash_fraction = std::get<double>(value);
  else throw std::invalid_argument("compute market: \"" + name + "\" is not a term governance may change");
}

void ComputeMarket::retune(const ComputeMarketConfig& terms) {
  ComputeMarketConfig next = config_;
  next.fee = terms.fee;
  next.verify_probability = terms.verify_probability;
  next.slash_fraction = terms.slash_fraction;
  next.burn_share = terms.burn_share;
  next.treasury_share = terms.treasury_share;
  validated(next);
  // A burn share steered toward a target utilization keeps its steered value unless governance sets it.
  if (next.burn_share != config_.burn_share) burn_millionths_ = static_cast<std::uint64_t>(std::llround(next.burn_share * 1e6));
  treasury_millionths_ = static_cast<std::uint64_t>(std::llround(next.treasury_share * 1e6));
  slash_millionths_ = static_cast<std::uint64_t>(std::llround(next.slash_fraction * 1e6));
  const bool new_fee = next.fee != config_.fee;
  config_ = next;
  if (!new_fee) return;
  // Bids scale with the fee; the cheapest-free order is rebuilt with them (a rare event: no need to be clever).
  for (std::uint32_t p = 0; p < providers_.size(); ++p) {
    providers_[p].bid = ask(p);
    update_weight(p);
  }
}

void ComputeMarket::leave(std::uint32_t provider) {
  if (!known(provider)) return;
  providers_[provider].joined = false;
  update_weight(provider);
}

void ComputeMarket::update_weight(std::uint32_t provider) noexcept {
  const Provider& p = providers_[provider];
  const bool free = p.joined && p.free_slots > 0;
  set_idle(provider, free);
  if (uses_best_free()) set_best_free(provider, free);
}

void ComputeMarket::set_idle(std::uint32_t provider, bool idle) noexcept {
  Provider& p = providers_[provider];
  // Its weight changes only while it is out (at join), so it goes in or out whole; modular, for the way out.
  if (idle != p.idle) idle_.add(provider, idle ? p.weight : std::uint64_t{0} - p.weight);
  p.idle = idle;
}

void ComputeMarket::start(core::EventQueue& queue, core::SimTime now) {
  if (config_.arrival_rate == 0.0) return;  // no demand
  const core::SimTime first = after(now, core::draw_exponential(arrival_rng_, config_.arrival_rate));
  if (first <= horizon_) queue.push(first, arrival_priority, {arrival, 0, 0});
}

void ComputeMarket::handle(const core::Event& event, core::EventQueue& queue) {
  switch (event.data.kind) {
    case arrival: on_arrival(event.time, queue); break;
    case completion: on_completion(event.data.target, event.data.payload, event.time, queue); break;
    case verification: on_verification(event.data.target, event.data.payload, event.time); break;
    default: throw std::logic_error("compute market: not its event");
  }
}

std::uint32_t ComputeMarket::pick_free(core::RandomStream& rng) noexcept {
  if (uses_best_free()) return best_free_[1];
  // Uniform on [0, total) by a 64x64-bit multiply (Lemire): no division; the bias is below total / 2^64.
  const auto target = static_cast<std::uint64_t>((ledger::u128{rng()} * idle_.total()) >> 64);
  return static_cast<std::uint32_t>(idle_.find(target));
}

std::uint32_t ComputeMarket::pick_free_other(std::uint32_t provider) noexcept {
  // Hidden from the dispatch while the other is picked, then restored.
  set_idle(provider, false);
  if (uses_best_free()) set_best_free(provider, false);
  const std::uint32_t other = idle_.total() == 0 ? none : pick_free(replication_rng_);
  update_weight(provider);
  return other;
}

void ComputeMarket::take_slot(std::uint32_t provider) noexcept {
  --providers_[provider].free_slots;
  update_weight(provider);
}

void ComputeMarket::begin_job(std::uint32_t provider, core::SimTime now, core::EventQueue& queue) {
  ++period_.started;
  std::uint64_t replica_tag = 0;
  if (config_.replication_probability > 0.0 && replication_rng_.uniform01() < config_.replication_probability) {
    const std::uint32_t twin = pick_free_other(provider);
    if (twin != none) {
      take_slot(twin);
      std::uint32_t pair = 0;
      if (free_replicas_.empty()) {
        pair = static_cast<std::uint32_t>(replicas_.size());
        replicas_.emplace_back();
      } else {
        pair = free_replicas_.back();
        free_replicas_.pop_back();
      }
      replica_tag = std::uint64_t{pair} + 1;
      ++period_.replicated;
      schedule_completion(twin, replica_tag, now, queue);
    }
  }
  schedule_completion(provider, replica_tag, now, queue);
}

void ComputeMarket::schedule_completion(std::uint32_t provider, std::uint64_t replica_tag, core::SimTime now,
                                        core::EventQueue& queue) {
  const core::SimTime done = after(now, core::draw_exponential(providers_[provider].service_rng, config_.service_rate));
  if (done <= horizon_) queue.push(done, completion_priority, {completion, provider, replica_tag});
}

void ComputeMarket::push_waiting(std::int64_t arrival_ticks) {
  if (queue_size_ == waiting_.size()) {
    std::vector<std::int64_t> bigger(std::max<std::size_t>(16, waiting_.size() * 2));
    for (std::size_t k = 0; k < queue_size_; ++k) bigger[k] = waiting_[(queue_head_ + k) & (waiting_.size() - 1)];
    waiting_ = std::move(bigger);
    queue_head_ = 0;
  }
  waiting_[(queue_head_ + queue_size_) & (waiting_.size() - 1)] = arrival_ticks;
  ++queue_size_;
  max_queue_ = std::max<std::uint64_t>(max_queue_, queue_size_);
}

std::int64_t ComputeMarket::pop_waiting() noexcept {
  const std::int64_t t = waiting_[queue_head_];
  queue_head_ = (queue_head_ + 1) & (waiting_.size() - 1);
  --queue_size_;
  return t;
}

void ComputeMarket::on_arrival(core::SimTime now, core::EventQueue& queue) {
  ++period_.arrivals;
  const core::SimTime next = after(now, core::draw_exponential(arrival_rng_, config_.arrival_rate));
  if (next <= horizon_) queue.push(next, arrival_priority, {arrival, 0, 0});
  if (idle_.total() == 0) {
    if (queue_size_ >= config_.queue_capacity)
      ++period_.dropped;
    else
      push_waiting(now.ticks());
    return;
  }
  const std::uint32_t provider = pick_free(dispatch_rng_);
  take_slot(provider);
  begin_job(provider, now, queue);
}

bool ComputeMarket::skips_job(std::uint32_t provider) const noexcept {
  switch (providers_[provider].conduct) {
    case Conduct::honest: return false;
    case Conduct::cheater: return true;
    case Conduct::lazy: {
      const std::uint64_t done = providers_[provider].jobs;  // before this one
      if (config_.lazy_skips_at_random) {
        // The n-th job's coin is the n-th substream of the provider's own stream.
        core::RandomStream rng({seed_, replicate_, provider, skip_purpose}, done);
        return rng.uniform01() < config_.lazy_skip;
      }
      // floor(n f) skipped among the first n: in millionths, exact.
      return (done + 1) * lazy_skip_millionths_ / 1'000'000 > done * lazy_skip_millionths_ / 1'000'000;
    }
  }
  return false;
}

void ComputeMarket::on_completion(std::uint32_t provider, std::uint64_t replica_tag, core::SimTime now,
                                  core::EventQueue& queue) {
  ++period_.completions;
  Provider& p = providers_[provider];
  ++p.jobs;
  pay(provider);
  const bool skipped = skips_job(provider);
  std::uint64_t result = skipped ? std::uint64_t{skipped_flag} : 0;
  if (config_.forced_error_rate > 0.0 && forced_error_rng_.uniform01() < config_.forced_error_rate) {
    ++period_.forced_errors;
    result |= forced_error_flag;
  }
  if (replica_tag != 0) settle_replica(static_cast<std::uint32_t>(replica_tag - 1), provider, skipped, now);
  if (p.verify_rng.uniform01() < config_.verify_probability)
    queue.push(now, verification_priority, {verification, provider, result});
  if (p.joined && queue_size_ > 0) {
    period_.wait_ticks += static_cast<ledger::u128>(now.ticks() - pop_waiting());
    begin_job(provider, now, queue);
    return;
  }
  ++p.free_slots;
  update_weight(provider);
}

// The consumers pay the provider's price: the burn's and the treasury's shares (rounded down), the rest to it.
void ComputeMarket::pay(std::uint32_t provider) {
  Provider& p = providers_[provider];
  const TokenAmount price = p.bid;
  const TokenAmount burned = millionths_of(price, burn_millionths_);
  const TokenAmount to_treasury = millionths_of(price, treasury_millionths_);
  const TokenAmount earned = price - burned - to_treasury;
  ledger_.transfer(consumers_, first_provider_ + provider, earned, "job fee");
  period_.fees += earned;
  ++p.recent_jobs;
  p.recent_earned += earned;
  if (!burned.is_zero()) {
    ledger_.burn(consumers_, burned, "job fee burn");
    period_.burned += burned;
  }
  if (!to_treasury.is_zero()) {
    ledger_.transfer(consumers_, treasury_, to_treasury, "job fee treasury");
    period_.treasury += to_treasury;
  }
}

void ComputeMarket::on_verification(std::uint32_t provider, std::uint64_t result, core::SimTime now) {
  ++period_.verifications;
  if ((result & forced_error_flag) != 0) {
    ++period_.forced_errors_found;
    ledger_.mint(verifiers_, config_.forced_error_bounty, "forced error bounty");
    period_.bounties += config_.forced_error_bounty;
  }
  if ((result & skipped_flag) != 0) catch_skipper(provider, now);
}

void ComputeMarket::settle_replica(std::uint32_t pair, std::uint32_t provider, bool skipped, core::SimTime now) {
  FirstReplica& first = replicas_[pair];
  if (first.provider == none) {
    first = {provider, skipped};
    return;
  }
  const FirstReplica other = first;
  first = {};
  free_replicas_.push_back(pair);
  if (other.skipped == skipped) return;  // agreeing results, right or wrong, call no referee
  ++period_.disputes;
  const std::uint32_t skipper = skipped ? provider : other.provider;
  const std::uint32_t right = skipped ? other.provider : provider;
  const TokenAmount reward = millionths_of(catch_skipper(skipper, now), referee_millionths_);
  if (!reward.is_zero()) {
    ledger_.mint(first_provider_ + right, reward, "referee reward");
    period_.referee_rewards += reward;
  }
}

TokenAmount ComputeMarket::catch_skipper(std::uint32_t provider, core::SimTime now) {
  if (caught_[provider] != 0) return {};
  const AccountId account = first_provider_ + provider;
  const TokenAmount slashed =
      slash_handler_ ? slash_handler_(provider, static_cast<double>(slash_millionths_) / 1e6, now)
                     : ledger_.slash(account, millionths_of(ledger_.staked(account), slash_millionths_), "caught cheating");
  period_.slashed += slashed;
  slashed_[provider] = slashed;
  ++period_.caught;
  caught_[provider] = 1;
  caught_at_[provider] = now.ticks();
  providers_[provider].joined = false;
  update_weight(provider);
  return slashed;
}

void ComputeMarket::set_stake(std::uint32_t provider, TokenAmount stake) noexcept {
  if (!known(provider) || !providers_[provider].joined) return;
  constexpr std::uint64_t heaviest = (std::uint64_t{1} << 38) - 1;  // join()'s bound: weights sum below 2^62
  set_idle(provider, false);  // the sampler holds the old weight while the provider is idle
  const auto weight = static_cast<std::uint64_t>(std::min<ledger::u128>(stake.base_units() >> weight_shift_, heaviest));
  providers_[provider].weight = std::max<std::uint64_t>(1, weight);
  update_weight(provider);
}

double ComputeMarket::caught_at(std::uint32_t provider) const noexcept {
  return caught(provider) ? static_cast<double>(caught_at_[provider]) / unit_ticks_ : -1.0;
}

ComputeMarket::Recent ComputeMarket::take_recent(std::uint32_t provider) noexcept {
  if (!known(provider)) return {};
  Provider& p = providers_[provider];
  const Recent r{p.recent_jobs, p.recent_earned};
  p.recent_jobs = 0;
  p.recent_earned = {};
  earned_before_recent_[provider] += r.earned;
  return r;
}

ComputeMarketPeriod ComputeMarket::take_period() noexcept {
  const ComputeMarketPeriod p = period_;
  totals_.arrivals += p.arrivals;
  totals_.completions += p.completions;
  totals_.verifications += p.verifications;
  totals_.caught += p.caught;
  totals_.started += p.started;
  totals_.wait_ticks += p.wait_ticks;
  totals_.fees += p.fees;
  totals_.burned += p.burned;
  totals_.treasury += p.treasury;
  totals_.slashed += p.slashed;
  totals_.dropped += p.dropped;
  totals_.replicated += p.replicated;
  totals_.disputes += p.disputes;
  totals_.forced_errors += p.forced_errors;
  totals_.forced_errors_found += p.forced_errors_found;
  totals_.bounties += p.bounties;
  totals_.referee_rewards += p.referee_rewards;
  period_ = {};
  return p;
}

// ---- workload B2 on its own ----

namespace {

// The run's model: every event is the market's. It notes the peak of live events (the one running included).
struct MarketOnly {
  ComputeMarket& market;
  std::uint64_t max_live = 0;
  void on_event(const core::Event& event, core::Simulation<MarketOnly>& sim) {
    max_live = std::max<std::uint64_t>(max_live, sim.queue().live() + 1);
    market.handle(event, sim.queue());
  }
};

}  // namespace

B2Result run_b2(const ComputeMarketConfig& config, const B2Options& options, std::uint64_t seed, std::uint64_t replicate) {
  if (options.providers < 1 || options.providers > 10'000'000)
    throw std::invalid_argument("B2: providers must be in [1, 10^7]");
  if (options.stake_max < options.stake_min) throw std::invalid_argument("B2: stake_max must not be below stake_min");
  const double horizon_ticks = options.horizon * static_cast<double>(config.time_unit.ticks());
  if (!(horizon_ticks > 0.0 && horizon_ticks < 9e18)) throw std::invalid_argument("B2: the horizon must be positive");
  const core::SimTime horizon = core::SimTime::from_ticks(static_cast<core::SimTime::rep>(std::llround(horizon_ticks)));
  const auto n = static_cast<std::size_t>(options.providers);

  ledger::Ledger ledger;
  const AccountId consumers = ledger.open_account();
  const AccountId treasury = ledger.open_account();
  const AccountId first = ledger.open_accounts(static_cast<std::uint32_t>(n));
  const AccountId verifiers = config.forced_error_rate > 0.0 ? ledger.open_account() : ledger::no_account;
  ComputeMarket market(config, ledger, consumers, treasury, verifiers, first, options.stake_max, horizon, seed,
                       replicate);
  ledger::u128 funds = 0;
  if (__builtin_mul_overflow(ComputeMarket::highest_price(config).base_units(),
                             static_cast<ledger::u128>(ComputeMarket::jobs_to_fund(config, horizon)),
                             &funds))
    throw std::invalid_argument("B2: the consumers' funds overflow: lower the fee or the horizon");
  ledger.mint(consumers, TokenAmount::from_base_units(funds), "consumer funds");

  core::RandomStream setup({seed, replicate, world_entity, setup_purpose});
  std::vector<B2Provider> providers(n);
  const TokenAmount range = options.stake_max - options.stake_min;
  for (std::size_t j = 0; j < n; ++j) {
    providers[j].initial_stake = options.stake_min + scale_amount(range, setup.uniform01());
    ledger.mint(first + static_cast<AccountId>(j), providers[j].initial_stake, "stake endowment");
    ledger.stake(first + static_cast<AccountId>(j), providers[j].initial_stake, "stake endowment");
  }
  // The dishonest: the first ⌊fraction · P⌉ of a random permutation (Fisher–Yates on the setup stream).
  std::vector<std::uint32_t> order(n);
  for (std::size_t j = 0; j < n; ++j) order[j] = static_cast<std::uint32_t>(j);
  for (std::size_t j = n - 1; j > 0; --j)
    std::swap(order[j], order[static_cast<std::size_t>(core::draw_uniform_int(setup, 0, static_cast<std::int64_t>(j)))]);
  const auto dishonest = static_cast<std::size_t>(std::llround(config.dishonest_fraction * static_cast<double>(n)));
  for (std::size_t k = 0; k < dishonest; ++k) providers[order[k]].honest = false;
  for (std::size_t j = 0; j < n; ++j)
    market.join(static_cast<std::uint32_t>(j), providers[j].initial_stake, providers[j].honest);

  MarketOnly model{market};
  core::Simulation<MarketOnly> sim(model);
  sim.queue().reserve(2 * n * static_cast<std::size_t>(config.slots) + 2);
  market.start(sim.queue(), core::SimTime::zero());
  sim.run_until(horizon);
  ledger.check_conservation();

  B2Result r;
  r.totals = market.take_period();
  r.events = sim.events_processed();
  r.max_live_events = model.max_live;
  r.queued_at_end = market.queued();
  r.max_queue = market.max_queue();
  if (verifiers != ledger::no_account) r.verifiers_balance = ledger.balance(verifiers);
  r.mean_wait = r.totals.started > 0
                    ? to_double(r.totals.wait_ticks) / static_cast<double>(r.totals.started) / market.time_unit_ticks()
                    : 0.0;
  r.fingerprint = sim.fingerprint().hex();
  for (std::size_t j = 0; j < n; ++j) {
    B2Provider& p = providers[j];
    const AccountId account = first + static_cast<AccountId>(j);
    p.stake = ledger.staked(account);
    p.balance = ledger.balance(account);
    p.caught = market.caught(static_cast<std::uint32_t>(j));
    p.caught_at = market.caught_at(static_cast<std::uint32_t>(j));
    p.jobs = market.jobs(static_cast<std::uint32_t>(j));
    p.lazy = market.lazy(static_cast<std::uint32_t>(j));
  }
  r.providers = std::move(providers);
  return r;
}

// ---- the scenario's "market" section ----

void register_compute_market(scenario::Registry<MarketFactory>& markets) {
  using scenario::real_param;
  markets.add(
      {"compute",
       "inference jobs for the compute providers: Poisson arrivals, dispatch by stake, bid or load, a FIFO queue, "
       "verification, refereed replication and forced errors, slashing of cheaters and lazy providers",
       {real_param("arrival_rate", 800.0, "jobs/time unit", "rate of the Poisson arrival of jobs (0: none)", 0.0),
        scenario::duration_param("time_unit", core::SimTime::seconds(1), "the unit of the rates and of the queue's waits",
                                 1e-6),
        real_param("service_rate", 1.0, "jobs/time unit", "rate of a slot's Exp service time", 1e-6),
        scenario::integer_param("slots", 1, "", "jobs a provider serves at once", 1, 1'000'000),
        scenario::tokens_param("fee", "1", "tokens/job", "what the consumers pay the provider for each job served"),
        real_param("verify_probability", 0.1, "", "chance that a served job is verified", 0.0, 1.0),
        real_param("slash_fraction", 0.5, "", "share of a caught provider's stake slashed (burned, less any referee reward)",
                   0.0, 1.0),
        real_param("dishonest_fraction", 0.1, "", "chance that a compute provider cheats on every job", 0.0, 1.0),
        real_param("burn_share", 0.0, "", "share of each fee burned (1 with work-paid emission: burn-and-mint)", 0.0, 1.0),
        real_param("treasury_share", 0.0, "", "share of each fee to the treasury", 0.0, 1.0),
        real_param("target_utilization", 0.0, "",
                   "busy share of the slots the burn share steers toward, EIP-1559-like, each epoch (0: fixed)", 0.0, 1.0),
        scenario::text_param("dispatch", "stake_weighted", {"stake_weighted", "lowest_bid", "least_loaded"},
                             "who gets a job: a free provider by stake, the cheapest free bid (a reverse auction), "
                             "or the one with the most free slots"),
        real_param("bid_spread", 0.0, "x fee", "lowest_bid: bids are the fee marked up by Uniform[0, this]", 0.0, 1000.0),
        scenario::integer_param("queue_capacity", -1, "jobs",
                                "jobs that may wait for a slot; an arrival that finds them all taken is dropped "
                                "(-1: unlimited)",
                                -1, 1e12),
        real_param("lazy_fraction", 0.0, "", "chance that a compute provider who is not a cheater is lazy", 0.0, 1.0),
        real_param("lazy_skip", 0.5, "", "fraction of its jobs a lazy provider skips (a skipped job verified is caught)",
                   0.0, 1.0),
        scenario::text_param("lazy_pattern", "even", {"even", "random"},
                             "a lazy provider skips floor(n lazy_skip) of its first n jobs, or each with that chance"),
        real_param("replication_probability", 0.0, "",
                   "chance that a job also goes to a second free provider; a referee settles replicas that disagree",
                   0.0, 1.0),
        real_param("referee_reward_share", 0.0, "",
                   "share of the slash of a replica that skipped paid to the other (the rest burned)", 0.0, 1.0),
        real_param("forced_error_rate", 0.0, "", "chance that the protocol makes a job's result wrong on purpose (Truebit)",
                   0.0, 1.0),
        scenario::tokens_param("forced_error_bounty", "1", "tokens",
                               "minted to the verifiers for each forced error a verification finds"),
        real_param("price_elasticity", 0.0, "",
                   "demand: the arrival rate goes as (a job's fiat price / the first epoch's)^-this", 0.0, 100.0),
        real_param("quality_elasticity", 0.0, "",
                   "demand: the arrival rate goes as (developers' mean model quality / the first epoch's)^this", 0.0, 100.0),
        real_param("max_demand_multiplier", 10.0, "", "how far price and quality may move the arrival rate, either way",
                   1.0, 1e6),
        real_param("data_weight", 0.0, "",
                   "a developer's model quality is its work^(1 - this) * (data contributed per developer)^this", 0.0, 1.0),
        real_param("quality_sensitivity", 1.0, "", "a model's share of the jobs goes as its quality^this", 0.0, 100.0),
        scenario::tokens_param("model_fee", "0", "tokens/job",
                               "what the consumers pay the developers for each job served, shared by their models' demand")},
       {},
       [](const scenario::Params& p) -> std::string {
         if (p.real("burn_share") + p.real("treasury_share") > 1.0)
           return fmt::format("expected burn_share + treasury_share <= 1 (the rest is the provider's), found {} + {}",
                              p.real("burn_share"), p.real("treasury_share"));
         if (p.real("target_utilization") > 0.0 && !(p.real("burn_share") > 0.0))
           return "expected a burn_share above 0 with a target_utilization (the burn share is what moves), found 0";
         if ((p.real("price_elasticity") > 0.0 || p.real("quality_elasticity") > 0.0) && !(p.real("arrival_rate") > 0.0))
           return "expected an arrival_rate above 0 with a price or quality elasticity (the rate is what moves), found 0";
         return {};
       }},
      [](const scenario::Params& p) {
        ComputeMarketConfig c;
        c.arrival_rate = p.real("arrival_rate");
        c.time_unit = p.duration("time_unit");
        c.service_rate = p.real("service_rate");
        c.slots = p.integer("slots");
        c.fee = p.tokens("fee");
        c.verify_probability = p.real("verify_probability");
        c.slash_fraction = p.real("slash_fraction");
        c.dishonest_fraction = p.real("dishonest_fraction");
        c.burn_share = p.real("burn_share");
        c.treasury_share = p.real("treasury_share");
        c.target_utilization = p.real("target_utilization");
        const std::string& dispatch = p.text("dispatch");
        c.dispatch = dispatch == "lowest_bid"     ? Dispatch::lowest_bid
                     : dispatch == "least_loaded" ? Dispatch::least_loaded
                                                  : Dispatch::stake_weighted;
        c.bid_spread = p.real("bid_spread");
        const std::int64_t capacity = p.integer("queue_capacity");
        c.queue_capacity = capacity < 0 ? unlimited_queue : static_cast<std::uint64_t>(capacity);
        c.lazy_fraction = p.real("lazy_fraction");
        c.lazy_skip = p.real("lazy_skip");
        c.lazy_skips_at_random = p.text("lazy_pattern") == "random";
        c.replication_probability = p.real("replication_probability");
        c.referee_reward_share = p.real("referee_reward_share");
        c.forced_error_rate = p.real("forced_error_rate");
        c.forced_error_bounty = p.tokens("forced_error_bounty");
        c.demand.price_elasticity = p.real("price_elasticity");
        c.demand.quality_elasticity = p.real("quality_elasticity");
        c.demand.max_demand_multiplier = p.real("max_demand_multiplier");
        c.demand.data_weight = p.real("data_weight");
        c.demand.quality_sensitivity = p.real("quality_sensitivity");
        c.demand.model_fee = p.tokens("model_fee");
        return c;
      });
}

}  // namespace dais::models
