#include "models/rewards/data_valuation/knn_utility.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/rewards/data_valuation/neighbours.hpp"

namespace dais::models::data_valuation {

double empty_utility_value(const UtilityConfig& config, const Dataset& validation) {
  switch (config.empty) {
    case EmptyUtility::zero:
      return 0.0;
    case EmptyUtility::chance:
      return 1.0 / static_cast<double>(validation.classes);
    case EmptyUtility::majority: {
      if (validation.size() == 0) return 0.0;
      std::vector<std::size_t> counts(validation.classes, 0);
      for (std::uint32_t y : validation.labels) ++counts[y];
      return static_cast<double>(*std::max_element(counts.begin(), counts.end())) /
             static_cast<double>(validation.size());
    }
  }
  return 0.0;
}

KnnUtility::KnnUtility(const Dataset& train, const Dataset& validation, const UtilityConfig& config)
    : n_(train.size()),
      v_(validation.size()),
      provider_count_(train.provider_count),
      config_(config),
      train_labels_(train.labels),
      train_providers_(train.providers),
      validation_labels_(validation.labels) {
  check_dataset(train, "training set");
  check_dataset(validation, "validation set");
  if (train.dims != validation.dims)
    throw std::invalid_argument("training set has " + std::to_string(train.dims) + " dimensions, validation set " +
                                std::to_string(validation.dims));
  if (train.classes != validation.classes)
    throw std::invalid_argument("training set has " + std::to_string(train.classes) + " classes, validation set " +
                                std::to_string(validation.classes));
  if (v_ == 0) throw std::invalid_argument("the KNN utility needs at least 1 validation point, found 0");
  if (config.k == 0) throw std::invalid_argument("the KNN utility needs K >= 1, found 0");
  if (n_ >= std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("the KNN utility holds fewer than 2^32 - 1 training points, found " + std::to_string(n_));

  denominator_ = static_cast<double>(v_) * (config.score == Score::soft_label ? static_cast<double>(config.k) : 1.0);
  empty_ = empty_utility_value(config, validation);

  order_.resize(v_ * n_);
  const FeatureColumns columns(train);
  NeighbourSorter sorter;
  std::vector<double> distances(n_);
  for (std::size_t v = 0; v < v_; ++v) {
    columns.squared_distances(validation.point(v), distances);
    sorter.sort(distances, std::span<std::uint32_t>(order_.data() + v * n_, n_));
  }
  const std::vector<std::uint8_t> everyone(n_, 1);
  full_ = (*this)(everyone);
}

double KnnUtility::operator()(std::span<const std::uint8_t> member) const {
  if (std::none_of(member.begin(), member.end(), [](std::uint8_t m) { return m != 0; })) return empty_;
  std::vector<std::uint32_t> labels(config_.k);
  double total = 0.0;
  for (std::size_t v = 0; v < v_; ++v) {
    std::size_t found = 0;
    for (std::uint32_t i : order(v)) {
      if (member[i] == 0) continue;
      labels[found++] = train_labels_[i];
      if (found == config_.k) break;
    }
    total += raw_score(v, std::span<const std::uint32_t>(labels.data(), found));
  }
  return total / denominator_;
}

double KnnUtility::raw_score(std::size_t v, std::span<const std::uint32_t> labels) const noexcept {
  const std::uint32_t y = validation_labels_[v];
  if (config_.score == Score::soft_label) {
    std::uint32_t matches = 0;
    for (std::uint32_t l : labels) matches += l == y ? 1U : 0U;
    return static_cast<double>(matches);
  }
  if (labels.empty()) return 0.0;
  // Votes per label; only the entries of labels present are touched (classes <= 256, check_dataset).
  std::array<std::uint32_t, 256> votes;  // NOLINT: initialized below, entry by entry
  for (std::uint32_t l : labels) votes[l] = 0;
  votes[y] = 0;
  std::uint32_t most = 0;
  for (std::uint32_t l : labels) most = std::max(most, ++votes[l]);
  if (config_.ties == VoteTies::nearest) {
    for (std::uint32_t l : labels)
      if (votes[l] == most) return l == y ? 1.0 : 0.0;
    return 0.0;
  }
  if (votes[y] != most) return 0.0;
  unsigned tied = 0;
  for (std::uint32_t l : labels)
    if (votes[l] == most) {
      ++tied;
      votes[l] = 0;  // count each tied label once
    }
  return 1.0 / static_cast<double>(tied);
}

}  // namespace dais::models::data_valuation
