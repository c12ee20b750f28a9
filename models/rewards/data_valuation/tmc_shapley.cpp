// Data Shapley by truncated Monte Carlo (Ghorbani & Zou, ICML 2019; ../shared/MECHANISMS.md section 4.3).
// Each permutation adds the players one by one; a player's marginal is the change of U it causes. The KNN
// utility is kept incrementally: every validation point holds its K nearest among the points added so far,
// and a new point enters only where its rank beats the K-th's, so one step costs O(V) plus O(K) per entry.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "models/rewards/data_valuation/players.hpp"
#include "models/rewards/data_valuation/valuation.hpp"
#include "sim/core/distributions.hpp"
#include "sim/core/random.hpp"

namespace dais::models::data_valuation {

namespace {

constexpr std::uint32_t no_bound = std::numeric_limits<std::uint32_t>::max();

void check_config(const TmcConfig& c) {
  if (!(c.truncation_tolerance >= 0.0) || !std::isfinite(c.truncation_tolerance))
    throw std::invalid_argument("tmc_shapley: expected truncation_tolerance >= 0, found " +
                                std::to_string(c.truncation_tolerance));
  if (c.truncation_steps == 0) throw std::invalid_argument("tmc_shapley: expected truncation_steps >= 1, found 0");
  if (c.max_permutations == 0) throw std::invalid_argument("tmc_shapley: expected max_permutations >= 1, found 0");
  if (!(c.convergence_threshold >= 0.0) || !std::isfinite(c.convergence_threshold))
    throw std::invalid_argument("tmc_shapley: expected convergence_threshold >= 0, found " +
                                std::to_string(c.convergence_threshold));
  if (c.convergence_threshold > 0.0 && c.convergence_window < 2)
    throw std::invalid_argument("tmc_shapley: expected convergence_window >= 2, found " +
                                std::to_string(c.convergence_window));
}

}  // namespace

TmcSampler::TmcSampler(const KnnUtility& utility, Players players, const TmcConfig& config, const StreamBase& streams)
    : utility_(utility), config_(config), streams_(streams), k_(utility.config().k), v_(utility.validation_size()) {
  check_config(config);
  const detail::PlayerMap map = detail::player_map(utility, players);
  const std::size_t n = utility.train_size();
  // Players' members, player by player, points in ascending order.
  group_start_.assign(map.count + 1, 0);
  for (std::uint32_t p : map.player_of) ++group_start_[p + 1];
  std::partial_sum(group_start_.begin(), group_start_.end(), group_start_.begin());
  members_.resize(n);
  std::vector<std::uint32_t> next(group_start_.begin(), group_start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) members_[next[map.player_of[i]]++] = static_cast<std::uint32_t>(i);

  rank_.resize(n * v_);
  for (std::size_t v = 0; v < v_; ++v) {
    const auto order = utility.order(v);
    for (std::size_t r = 0; r < n; ++r) rank_[std::size_t{order[r]} * v_ + v] = static_cast<std::uint32_t>(r);
  }
  near_rank_.resize(v_ * k_);
  near_label_.resize(v_ * k_);
  near_count_.resize(v_);
  bound_.resize(v_);
  raw_.resize(v_);
  reset();
}

std::vector<std::uint32_t> TmcSampler::permutation(std::uint64_t t) const {
  std::vector<std::uint32_t> perm(player_count());
  std::iota(perm.begin(), perm.end(), 0U);
  core::RandomStream rng({streams_.seed, streams_.replicate, t, tmc_permutation}, streams_.epoch);
  for (std::size_t i = perm.size(); i-- > 1;) {
    const auto j = static_cast<std::size_t>(core::draw_uniform_int(rng, 0, static_cast<std::int64_t>(i)));
    std::swap(perm[i], perm[j]);
  }
  return perm;
}

void TmcSampler::reset() noexcept {
  std::fill(near_count_.begin(), near_count_.end(), 0U);
  std::fill(bound_.begin(), bound_.end(), no_bound);
  std::fill(raw_.begin(), raw_.end(), 0.0);
  total_ = 0.0;
  added_ = 0;
}

void TmcSampler::add(std::uint32_t point) noexcept {
  const std::uint32_t* rank = rank_.data() + std::size_t{point} * v_;
  const std::uint32_t* bound = bound_.data();
  const std::uint32_t label = utility_.train_labels()[point];
  ++added_;
  // Once a few hundred points are in, a new point enters few validation points' K nearest: test 16 at a time
  // without branches (the compiler vectorizes it) and look closer only where one enters.
  constexpr std::size_t block = 16;
  for (std::size_t base = 0; base < v_; base += block) {
    const std::size_t end = std::min(base + block, v_);
    unsigned enters = 0;
    for (std::size_t v = base; v < end; ++v) enters |= rank[v] < bound[v] ? 1U : 0U;
    if (enters == 0) continue;
    for (std::size_t v = base; v < end; ++v) {
      const std::uint32_t r = rank[v];
      if (r >= bound[v]) continue;
      std::uint32_t* near_rank = near_rank_.data() + v * k_;
      std::uint32_t* near_label = near_label_.data() + v * k_;
      std::size_t count = near_count_[v];
      // Insert in rank order; when the row is full the farthest falls off the end.
      std::size_t j = count < k_ ? count : k_ - 1;
      while (j > 0 && near_rank[j - 1] > r) {
        near_rank[j] = near_rank[j - 1];
        near_label[j] = near_label[j - 1];
        --j;
      }
      near_rank[j] = r;
      near_label[j] = label;
      if (count < k_) near_count_[v] = static_cast<std::uint32_t>(++count);
      if (count == k_) bound_[v] = near_rank[k_ - 1];
      const double raw = utility_.raw_score(v, std::span<const std::uint32_t>(near_label, count));
      total_ += raw - raw_[v];
      raw_[v] = raw;
    }
  }
}

std::size_t TmcSampler::walk(std::uint64_t t, std::span<double> marginals) {
  std::fill(marginals.begin(), marginals.end(), 0.0);
  const std::vector<std::uint32_t> perm = permutation(t);
  reset();
  const double full = utility_.full();
  const double tolerance = config_.truncation_tolerance * full;
  std::size_t within = 0;
  double previous = current();
  for (std::size_t s = 0; s < perm.size(); ++s) {
    const std::uint32_t p = perm[s];
    for (std::uint32_t m = group_start_[p]; m < group_start_[p + 1]; ++m) add(members_[m]);
    const double u = current();
    marginals[p] = u - previous;
    previous = u;
    if (config_.truncation_tolerance > 0.0) {
      if (std::abs(u - full) <= tolerance) {
        if (++within >= config_.truncation_steps) return s + 1;
      } else {
        within = 0;
      }
    }
  }
  return perm.size();
}

Valuation tmc_shapley(const KnnUtility& utility, Players players, const TmcConfig& config, const StreamBase& streams) {
  TmcSampler sampler(utility, players, config, streams);
  const std::size_t p_count = sampler.player_count();
  const bool watch = config.convergence_threshold > 0.0;
  const std::size_t window = config.convergence_window;

  std::vector<double> marginals(p_count);
  std::vector<double> sum(p_count, 0.0);
  std::vector<double> mean(p_count, 0.0);  // Welford's, for the variance only
  std::vector<double> m2(p_count, 0.0);
  std::vector<double> history(watch ? window * p_count : 0);  // the last `window` running estimates, a ring

  Valuation out;
  std::size_t t = 0;
  while (t < config.max_permutations) {
    out.marginals += sampler.walk(t, marginals);
    ++t;
    const double tt = static_cast<double>(t);
    for (std::size_t p = 0; p < p_count; ++p) {
      const double x = marginals[p];
      sum[p] += x;
      const double d = x - mean[p];
      mean[p] += d / tt;
      m2[p] += d * (x - mean[p]);
    }
    if (!watch) continue;
    double* latest = history.data() + ((t - 1) % window) * p_count;
    double scale = 0.0;
    for (std::size_t p = 0; p < p_count; ++p) {
      latest[p] = sum[p] / tt;
      scale += std::abs(latest[p]);
    }
    if (t < window) continue;
    // The largest relative change over the window decides; the oldest estimate is usually the farthest, so
    // going from oldest to newest, the check mostly stops at the first (then the error reported is that
    // estimate's change: a lower bound of the largest, and already at least the threshold).
    const double limit = config.convergence_threshold * scale;
    double error = 0.0;
    bool within = true;
    for (std::size_t age = 0; age < window && within; ++age) {
      const double* past = history.data() + ((t + age) % window) * p_count;
      double change = 0.0;
      for (std::size_t p = 0; p < p_count; ++p) change += std::abs(past[p] - latest[p]);
      error = std::max(error, scale > 0.0 ? change / scale : (change > 0.0 ? std::numeric_limits<double>::infinity() : 0.0));
      within = scale > 0.0 ? change < limit : change == 0.0;
    }
    out.convergence_error = error;
    if (within) {
      out.converged = true;
      break;
    }
  }

  out.permutations = t;
  const double tt = static_cast<double>(t);
  std::vector<double> values(p_count);
  out.standard_errors.resize(p_count);
  for (std::size_t p = 0; p < p_count; ++p) {
    values[p] = sum[p] / tt;
    out.standard_errors[p] = t > 1 ? std::sqrt(m2[p] / (tt - 1.0) / tt) : std::numeric_limits<double>::infinity();
  }
  out.full_utility = utility.full();
  out.empty_utility = utility.empty();
  detail::assign_values(out, players, std::move(values), utility.train_providers(), utility.provider_count());
  return out;
}

}  // namespace dais::models::data_valuation
