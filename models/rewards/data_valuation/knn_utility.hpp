#pragma once
// The utility of a set S of training points: how well a K-nearest-neighbour classifier built on S predicts the
// labels of the validation set, averaged over validation points,
//   U(S) = (1/V) sum_v score_v(the min(K, |S|) points of S nearest to validation point v),   U(empty) set apart.
// Neighbours are ordered by squared Euclidean distance, equal distances by point number (lower is nearer).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "models/rewards/data_valuation/data_model.hpp"

namespace dais::models::data_valuation {

enum class Score {
  // (1/K) * (how many of the min(K, |S|) nearest carry the validation label): the classifier's likelihood of
  // the right label, the utility KNN-Shapley's closed form is exact for (Jia et al., VLDB 2019). Note the
  // 1/K even when |S| < K.
  soft_label,
  // 1 when the majority label of the min(K, |S|) nearest is the validation label, else 0: accuracy.
  majority_vote,
};

// How majority_vote settles a tie between labels with the most votes.
enum class VoteTies {
  nearest,  // the tied label held by the nearest neighbour wins
  split,    // 1/m when the validation label is one of m tied labels (accuracy under a uniform random pick)
};

// U(empty set): the score of a classifier that saw no data.
enum class EmptyUtility {
  zero,      // 0 (KNN-Shapley's convention)
  chance,    // 1 / classes
  majority,  // the share of the validation set's most common label (predicting it always; DShap's random score)
};

struct UtilityConfig {
  std::size_t k = 5;
  Score score = Score::soft_label;
  VoteTies ties = VoteTies::nearest;
  EmptyUtility empty = EmptyUtility::zero;
};

// The number U(empty set) stands for.
double empty_utility_value(const UtilityConfig& config, const Dataset& validation);

class KnnUtility {
 public:
  // Orders the training points by distance to every validation point: O(V N log N) time, 4 V N bytes.
  // Throws std::invalid_argument on inconsistent data (see check_dataset), no validation point, K = 0, or
  // train and validation disagreeing on dimensions or classes.
  KnnUtility(const Dataset& train, const Dataset& validation, const UtilityConfig& config);

  [[nodiscard]] std::size_t train_size() const noexcept { return n_; }
  [[nodiscard]] std::size_t validation_size() const noexcept { return v_; }
  [[nodiscard]] std::size_t provider_count() const noexcept { return provider_count_; }
  [[nodiscard]] const UtilityConfig& config() const noexcept { return config_; }
  [[nodiscard]] std::span<const std::uint32_t> train_labels() const noexcept { return train_labels_; }
  [[nodiscard]] std::span<const std::uint32_t> train_providers() const noexcept { return train_providers_; }
  [[nodiscard]] std::uint32_t validation_label(std::size_t v) const noexcept { return validation_labels_[v]; }

  [[nodiscard]] double empty() const noexcept { return empty_; }  // U(empty set)
  [[nodiscard]] double full() const noexcept { return full_; }    // U(all training points)
  // U(S) for S = {i : member[i] != 0}; member.size() == train_size().
  [[nodiscard]] double operator()(std::span<const std::uint8_t> member) const;

  // The training points by distance to validation point v, nearest first.
  [[nodiscard]] std::span<const std::uint32_t> order(std::size_t v) const noexcept {
    return {order_.data() + v * n_, n_};
  }

  // The utility is (sum over validation points of a raw score) / denominator(), with raw scores that are
  // whole numbers for soft_label (matches) and for majority_vote with nearest ties (0 or 1): sums of them are
  // exact whatever the order they are added in, so incremental and from-scratch utilities agree to the bit.
  // `labels`: the labels of the nearest neighbours of v in S, nearest first, 1 to K of them.
  [[nodiscard]] double raw_score(std::size_t v, std::span<const std::uint32_t> labels) const noexcept;
  [[nodiscard]] double denominator() const noexcept { return denominator_; }

 private:
  std::size_t n_ = 0;
  std::size_t v_ = 0;
  std::size_t provider_count_ = 0;
  UtilityConfig config_;
  std::vector<std::uint32_t> train_labels_;
  std::vector<std::uint32_t> train_providers_;
  std::vector<std::uint32_t> validation_labels_;
  std::vector<std::uint32_t> order_;  // v_ rows of n_
  double denominator_ = 1.0;
  double empty_ = 0.0;
  double full_ = 0.0;
};

}  // namespace dais::models::data_valuation
