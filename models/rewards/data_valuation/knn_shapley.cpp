// KNN-Shapley in closed form (Jia et al., VLDB 2019, Theorem 1; ../shared/MECHANISMS.md section 4.4).
// For one validation point (x, y), sort the training points nearest first, alpha_1 ... alpha_N, and let
// c_r = 1[label of alpha_r = y]. The Shapley values of the soft_label utility with U(empty set) = 0 are
//   s_N = c_N * min(K, N) / (K N)
//   s_r = s_{r+1} + (c_r - c_{r+1}) * min(K, r) / (K r),   r = N - 1 ... 1,
// where min(K, r) / (K r) is 1/K for r <= K and 1/r beyond. (The paper writes s_N = c_N / N, which assumes
// N >= K: the farthest point changes the prediction only when fewer than K points precede it, which happens
// with probability min(K, N) / N, and then adds c_N / K.) Values average over validation points.

#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/rewards/data_valuation/neighbours.hpp"
#include "models/rewards/data_valuation/players.hpp"
#include "models/rewards/data_valuation/valuation.hpp"

namespace dais::models::data_valuation {

Valuation knn_shapley(const Dataset& train, const Dataset& validation, const UtilityConfig& config) {
  if (config.score != Score::soft_label)
    throw std::invalid_argument("knn_shapley's closed form holds for the soft_label utility only");
  check_dataset(train, "training set");
  check_dataset(validation, "validation set");
  if (train.dims != validation.dims || train.classes != validation.classes)
    throw std::invalid_argument("training and validation sets disagree on dimensions or classes");
  if (validation.size() == 0) throw std::invalid_argument("knn_shapley needs at least 1 validation point, found 0");
  if (config.k == 0) throw std::invalid_argument("knn_shapley needs K >= 1, found 0");

  const std::size_t n = train.size();
  const std::size_t k = config.k;
  const std::size_t v_count = validation.size();
  Valuation out;
  out.empty_utility = empty_utility_value(config, validation);
  if (n == 0) {
    out.full_utility = out.empty_utility;
    out.provider_values.assign(train.provider_count, 0.0);
    return out;
  }

  // step[r - 1] = min(K, r) / (K r)
  std::vector<double> step(n);
  for (std::size_t r = 1; r <= n; ++r) step[r - 1] = r <= k ? 1.0 / static_cast<double>(k) : 1.0 / static_cast<double>(r);

  const FeatureColumns columns(train);
  NeighbourSorter sorter;
  std::vector<double> distances(n);
  std::vector<std::uint32_t> order(n);
  std::vector<double> sum(n, 0.0);
  std::uint64_t matches = 0;  // of the K nearest, over all validation points: U(D) = matches / (V K)
  const std::uint32_t* labels = train.labels.data();
  for (std::size_t v = 0; v < v_count; ++v) {
    columns.squared_distances(validation.point(v), distances);
    sorter.sort(distances, order);
    const std::uint32_t y = validation.labels[v];
    // c_r - c_{r+1} as an integer, converted: the same -1, 0 or 1 as the difference of doubles, but without
    // the branch GCC makes of `match ? 1.0 : 0.0`, which mispredicts on about every other point.
    int c_next = labels[order[n - 1]] == y;
    double s = static_cast<double>(c_next) * step[n - 1];
    sum[order[n - 1]] += s;
    for (std::size_t r = n - 1; r-- > 0;) {
      const int c = labels[order[r]] == y;
      s += static_cast<double>(c - c_next) * step[r];
      sum[order[r]] += s;
      c_next = c;
    }
    for (std::size_t r = 0; r < std::min(k, n); ++r) matches += labels[order[r]] == y ? 1U : 0U;
  }

  // U(empty set) = u0 instead of 0 adds u0 times the game 1[S empty], whose Shapley values are all -1/N.
  const double shift = out.empty_utility / static_cast<double>(n);
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = sum[i] / static_cast<double>(v_count) - shift;
  out.full_utility = static_cast<double>(matches) / (static_cast<double>(v_count) * static_cast<double>(k));
  detail::assign_values(out, Players::points, std::move(values), train.providers, train.provider_count);
  return out;
}

}  // namespace dais::models::data_valuation
