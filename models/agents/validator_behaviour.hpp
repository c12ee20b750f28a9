#pragma once
// How a validator sets its weights (the models are in models/agents/validator.hpp). A validator stakes tokens and, each epoch, sets weights over the active developers,
// which Yuma consensus turns into the developers' incentives and the validators' dividends
// (models/economy/validation.hpp). Its variants:
//   honest         observes each developer's true work with noise from its own stream, weights what it sees;
//   weight_copier  copies the consensus the last epoch published, evaluating nothing (so it may cost less);
//   in a cabal     evaluates nothing: it puts equal weight on its own cabal's developers and none elsewhere.
// A cabal is a name shared by validators (model `validator`, param `cabal`) and developers (model
// `cabal_developer`), whose lower work is set by their mu.

#include <cstdint>

namespace dais::models {

enum class WeightStrategy : std::uint8_t { honest, weight_copier };
// How a validator's observation of a developer's work q errs, with z ~ N(0, 1) and n the evaluation noise:
// multiplicative q e^(n z) (the same relative error for every developer), additive max(0, q + n z).
enum class EvaluationNoise : std::uint8_t { multiplicative, additive };

struct ValidatorBehaviour {
  WeightStrategy strategy = WeightStrategy::honest;
  EvaluationNoise noise_kind = EvaluationNoise::multiplicative;
  double noise = 0.0;
};

}  // namespace dais::models
