#include "models/rewards/data_valuation/valuation.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "models/rewards/data_valuation/players.hpp"

namespace dais::models::data_valuation {

Valuation leave_one_out(const KnnUtility& utility, Players players) {
  const detail::PlayerMap map = detail::player_map(utility, players);
  const std::size_t n = utility.train_size();
  const std::size_t k = utility.config().k;
  const auto labels_of = utility.train_labels();

  // A player that owns every point leaves the empty set behind: its value is U(D) - U(empty set).
  std::vector<std::size_t> owned(map.count, 0);
  for (std::uint32_t p : map.player_of) ++owned[p];

  // Removing a player changes validation point v's prediction only if the player has one of v's K nearest;
  // then v's neighbours become the K nearest of the others. Sums of raw scores, divided once at the end.
  std::vector<double> delta(map.count, 0.0);
  std::vector<std::uint32_t> labels(k);
  std::vector<std::uint32_t> present;
  present.reserve(k);
  const std::size_t top = std::min(k, n);
  for (std::size_t v = 0; v < utility.validation_size() && n > 0; ++v) {
    const auto order = utility.order(v);
    present.clear();
    for (std::size_t r = 0; r < top; ++r) {
      labels[r] = labels_of[order[r]];
      const std::uint32_t p = map.player_of[order[r]];
      if (std::find(present.begin(), present.end(), p) == present.end()) present.push_back(p);
    }
    const double full_raw = utility.raw_score(v, std::span<const std::uint32_t>(labels.data(), top));
    for (std::uint32_t p : present) {
      if (owned[p] == n) continue;
      std::size_t found = 0;
      for (std::uint32_t i : order) {
        if (map.player_of[i] == p) continue;
        labels[found++] = labels_of[i];
        if (found == k) break;
      }
      delta[p] += full_raw - utility.raw_score(v, std::span<const std::uint32_t>(labels.data(), found));
    }
  }
  std::vector<double> values(map.count);
  for (std::size_t p = 0; p < map.count; ++p)
    values[p] = owned[p] == n && n > 0 ? utility.full() - utility.empty() : delta[p] / utility.denominator();

  Valuation out;
  out.full_utility = utility.full();
  out.empty_utility = utility.empty();
  detail::assign_values(out, players, std::move(values), utility.train_providers(), utility.provider_count());
  return out;
}

Valuation exact_shapley(const KnnUtility& utility, Players players) {
  const detail::PlayerMap map = detail::player_map(utility, players);
  const std::size_t p_count = map.count;
  if (p_count > exact_shapley_max_players)
    throw std::invalid_argument("exact_shapley enumerates 2^players coalitions: at most " +
                                std::to_string(exact_shapley_max_players) + " players, found " + std::to_string(p_count));
  const std::size_t n = utility.train_size();
  const std::size_t masks = std::size_t{1} << p_count;

  std::vector<double> u(masks);
  std::vector<std::uint8_t> member(n);
  for (std::size_t mask = 0; mask < masks; ++mask) {
    for (std::size_t i = 0; i < n; ++i) member[i] = static_cast<std::uint8_t>((mask >> map.player_of[i]) & 1U);
    u[mask] = utility(member);
  }
  // weight[s] = s! (P - 1 - s)! / P! = 1 / (P * C(P - 1, s)); binomials of at most 19 are exact in a double.
  std::vector<double> weight(p_count);
  double binomial = 1.0;
  for (std::size_t s = 0; s < p_count; ++s) {
    weight[s] = 1.0 / (static_cast<double>(p_count) * binomial);
    binomial = binomial * static_cast<double>(p_count - 1 - s) / static_cast<double>(s + 1);
  }
  std::vector<double> values(p_count, 0.0);
  for (std::size_t p = 0; p < p_count; ++p) {
    const std::size_t bit = std::size_t{1} << p;
    for (std::size_t mask = 0; mask < masks; ++mask) {
      if ((mask & bit) != 0) continue;
      values[p] += weight[static_cast<std::size_t>(std::popcount(mask))] * (u[mask | bit] - u[mask]);
    }
  }
  Valuation out;
  out.full_utility = utility.full();
  out.empty_utility = utility.empty();
  detail::assign_values(out, players, std::move(values), utility.train_providers(), utility.provider_count());
  return out;
}

Valuation value_data(const Dataset& train, const Dataset& validation, const ValuationConfig& config,
                     const StreamBase& streams) {
  if (config.method == Method::knn_shapley) {
    if (config.players != Players::points)
      throw std::invalid_argument(
          "knn_shapley values points (a provider's value is the sum of its points'); use players = points");
    return knn_shapley(train, validation, config.utility);
  }
  const KnnUtility utility(train, validation, config.utility);
  switch (config.method) {
    case Method::leave_one_out:
      return leave_one_out(utility, config.players);
    case Method::exact_shapley:
      return exact_shapley(utility, config.players);
    case Method::tmc_shapley:
      return tmc_shapley(utility, config.players, config.tmc, streams);
    case Method::knn_shapley:
      break;
  }
  throw std::logic_error("value_data: unknown method");
}

}  // namespace dais::models::data_valuation
