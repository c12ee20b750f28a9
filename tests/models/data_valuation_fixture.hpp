#pragma once
// Shared by the data-valuation tests: small random datasets whose integer coordinates make equal distances
// common, and a naive KNN utility (sort the members by (distance, number), vote) written independently of the
// library's, to check it and the methods built on it.

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "models/rewards/data_valuation/data_model.hpp"
#include "models/rewards/data_valuation/knn_utility.hpp"
#include "sim/core/distributions.hpp"
#include "sim/core/random.hpp"

namespace dais::models::data_valuation::testing {

inline std::size_t draw_count(core::RandomStream& rng, std::size_t lo, std::size_t hi) {
  return static_cast<std::size_t>(core::draw_uniform_int(rng, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
}

// n points with coordinates in {0, 1, 2, 3}, random labels and providers.
inline Dataset random_dataset(core::RandomStream& rng, std::size_t n, std::size_t dims, std::size_t classes,
                              std::size_t providers) {
  Dataset d;
  d.dims = dims;
  d.classes = classes;
  std::vector<double> x(dims);
  for (std::size_t i = 0; i < n; ++i) {
    for (double& c : x) c = static_cast<double>(draw_count(rng, 0, 3));
    d.add(x, static_cast<std::uint32_t>(draw_count(rng, 0, classes - 1)),
          static_cast<std::uint32_t>(draw_count(rng, 0, providers - 1)));
  }
  d.provider_count = std::max(d.provider_count, providers);
  return d;
}

// A small random game for round `round` of a property test: up to `max_points` training points of up to
// `max_owners` providers in 2 dimensions and 3 classes, up to `max_validation` validation points, k up to
// `max_k`, and the round's score, tie rule and empty utility (every combination in turn).
struct RandomGame {
  Dataset train;
  Dataset validation;
  UtilityConfig config;
};
inline RandomGame random_game(core::RandomStream& rng, int round, std::size_t max_points, std::size_t max_owners,
                              std::size_t max_validation, std::size_t max_k) {
  RandomGame g;
  const std::size_t n = draw_count(rng, 1, max_points);
  const std::size_t owners = draw_count(rng, 1, max_owners);
  g.train = random_dataset(rng, n, 2, 3, owners);
  g.validation = random_dataset(rng, draw_count(rng, 1, max_validation), 2, 3, 1);
  g.config.k = draw_count(rng, 1, max_k);
  g.config.score = round % 2 == 0 ? Score::soft_label : Score::majority_vote;
  g.config.ties = round % 4 == 1 ? VoteTies::split : VoteTies::nearest;
  g.config.empty = static_cast<EmptyUtility>(round % 3);
  return g;
}

inline Dataset one_dimensional(const std::vector<std::pair<double, std::uint32_t>>& points,
                               const std::vector<std::uint32_t>& providers = {}) {
  Dataset d;
  d.dims = 1;
  d.classes = 2;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double x = points[i].first;
    d.add(std::span<const double>(&x, 1), points[i].second, providers.empty() ? 0 : providers[i]);
  }
  return d;
}

// U(S) the slow, obvious way.
inline double naive_utility(const Dataset& train, const Dataset& validation, const UtilityConfig& config,
                            const std::vector<std::uint8_t>& member) {
  if (std::find(member.begin(), member.end(), 1) == member.end()) return empty_utility_value(config, validation);
  double total = 0.0;
  for (std::size_t v = 0; v < validation.size(); ++v) {
    std::vector<std::pair<double, std::size_t>> near;
    for (std::size_t i = 0; i < train.size(); ++i) {
      if (member[i] == 0) continue;
      double d = 0.0;
      for (std::size_t j = 0; j < train.dims; ++j) {
        const double t = train.point(i)[j] - validation.point(v)[j];
        d += t * t;
      }
      near.emplace_back(d, i);
    }
    std::sort(near.begin(), near.end());
    near.resize(std::min(near.size(), config.k));
    const std::uint32_t y = validation.labels[v];
    if (config.score == Score::soft_label) {
      double matches = 0.0;
      for (const auto& [d, i] : near) matches += train.labels[i] == y ? 1.0 : 0.0;
      total += matches / static_cast<double>(config.k);
      continue;
    }
    std::map<std::uint32_t, int> votes;
    for (const auto& [d, i] : near) ++votes[train.labels[i]];
    int most = 0;
    for (const auto& [label, n] : votes) most = std::max(most, n);
    if (config.ties == VoteTies::nearest) {
      for (const auto& [d, i] : near)
        if (votes[train.labels[i]] == most) {
          total += train.labels[i] == y ? 1.0 : 0.0;
          break;
        }
    } else {
      int tied = 0;
      for (const auto& [label, n] : votes) tied += n == most ? 1 : 0;
      if (votes.count(y) != 0 && votes[y] == most) total += 1.0 / tied;
    }
  }
  return total / static_cast<double>(validation.size());
}

}  // namespace dais::models::data_valuation::testing
