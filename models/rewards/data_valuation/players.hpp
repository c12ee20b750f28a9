#pragma once
// Internal to the valuation methods: which player each training point belongs to, and how player values
// become point and provider values.

#include <cstdint>
#include <span>
#include <vector>

#include "models/rewards/data_valuation/knn_utility.hpp"
#include "models/rewards/data_valuation/valuation.hpp"

namespace dais::models::data_valuation::detail {

struct PlayerMap {
  std::vector<std::uint32_t> player_of;  // one per training point
  std::size_t count = 0;
};

inline PlayerMap player_map(const KnnUtility& utility, Players players) {
  PlayerMap m;
  const std::size_t n = utility.train_size();
  if (players == Players::points) {
    m.player_of.resize(n);
    for (std::size_t i = 0; i < n; ++i) m.player_of[i] = static_cast<std::uint32_t>(i);
    m.count = n;
  } else {
    const auto providers = utility.train_providers();
    m.player_of.assign(providers.begin(), providers.end());
    m.count = utility.provider_count();
  }
  return m;
}

inline std::vector<double> sum_by_provider(std::span<const double> point_values, std::span<const std::uint32_t> providers,
                                           std::size_t provider_count) {
  std::vector<double> out(provider_count, 0.0);
  for (std::size_t i = 0; i < point_values.size(); ++i) out[providers[i]] += point_values[i];
  return out;
}

// Stores the players' values where they belong: points and their providers' sums, or the providers.
inline void assign_values(Valuation& out, Players players, std::vector<double> values, std::span<const std::uint32_t> providers,
                          std::size_t provider_count) {
  out.players = players;
  if (players == Players::points) {
    out.provider_values = sum_by_provider(values, providers, provider_count);
    out.point_values = std::move(values);
  } else {
    out.provider_values = std::move(values);
  }
}

}  // namespace dais::models::data_valuation::detail
