#pragma once
// Validators in the economy. Each epoch every active validator sets its weights over the active developers
// (models/agents/validator_behaviour.hpp), and one Yuma epoch (models/rewards/yuma/yuma.hpp) over the
// validators' stakes and those weights gives each developer's incentive I and each validator's dividend share D:
// the economy shares the developers' budget by I and the validators' by D (rules `yuma` and `yuma_dividends`,
// models/rewards/yuma_rule.hpp).
//
// Bonds carry over by agent, not by position: the rows of validators and the columns of developers who have left
// are dropped, and those who joined start with zero bonds (and zero previous consensus and weights, which liquid
// alpha and yuma2b read). An epoch without validators or without developers runs no Yuma and pays neither role;
// the bonds of those still active wait for the next.
//
// Validator v's observation of developer d in epoch t draws from the stream (seed, replicate, v, 2^63 + d), at
// substream t: it depends on nothing else, so designs and Yuma versions compare on the same observations.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "models/agents/contributor.hpp"
#include "models/rewards/yuma/yuma.hpp"
#include "sim/ledger/token_amount.hpp"

namespace dais::models {

// The classes validators' relative dividends are reported by: copiers and cabal members apart from the rest.
enum class ValidatorClass : std::uint8_t { honest, weight_copier, cabal };
inline constexpr ValidatorClass all_validator_classes[] = {ValidatorClass::honest, ValidatorClass::weight_copier,
                                                           ValidatorClass::cabal};
std::string_view to_string(ValidatorClass c) noexcept;

// One epoch's world, as the economy sees it. Agents are listed in ascending id; `population_of` maps every agent
// id to its population, whose behaviour was given to the constructor.
struct ValidationInput {
  std::int64_t epoch = 0;
  std::span<const std::uint32_t> validators;
  std::span<const ledger::TokenAmount> stakes;  // same order as validators
  std::span<const std::uint32_t> developers;
  std::span<const double> work;                 // same order as developers: their true work this epoch
  std::span<const std::uint16_t> population_of;
};

class Validation {
 public:
  Validation(const YumaParams& params, std::uint64_t seed, std::uint64_t replicate,
             std::vector<ContributorBehaviour> populations);

  void run_epoch(const ValidationInput& in);

  // This epoch's: incentives in the developers' order, dividend shares and validator trust in the validators'.
  [[nodiscard]] std::span<const double> incentives() const noexcept { return incentives_; }
  [[nodiscard]] std::span<const double> dividends() const noexcept { return dividends_; }
  [[nodiscard]] std::span<const double> validator_trust() const noexcept { return trust_; }
  [[nodiscard]] const Eigen::MatrixXd& weights() const noexcept { return weights_; }
  // The state carried to the next epoch: bonds with rows and columns in the order of the last epoch's agents.
  [[nodiscard]] const YumaState& state() const noexcept { return state_; }

  // Stake share of the validators in no cabal (cabal retention); 0 without stake.
  [[nodiscard]] double honest_stake_share() const noexcept { return honest_stake_share_; }
  // Share of the developers' incentive that went to cabal developers.
  [[nodiscard]] double cabal_incentive_share() const noexcept { return cabal_incentive_share_; }
  // A class's dividend share over its stake share this epoch (1 = paid in proportion to stake); none when the
  // class has no stake.
  [[nodiscard]] std::optional<double> relative_dividends(ValidatorClass c) const noexcept;
  // The same for one validator over the run: its dividend shares summed over the epochs over its stake shares
  // summed; none for an agent that never validated with stake.
  [[nodiscard]] std::optional<double> relative_dividends_of(std::uint32_t agent) const noexcept;

 private:
  struct PopulationTraits {
    std::int32_t cabal = -1;  // index into the cabal names; -1: none
    ValidatorBehaviour validator;
    [[nodiscard]] ValidatorClass validator_class() const noexcept;
  };
  void set_weights(const ValidationInput& in);
  // Moves the carried state from last epoch's agents to this epoch's.
  void carry_state(std::span<const std::uint32_t> validators, std::span<const std::uint32_t> developers);
  void record(const ValidationInput& in);

  YumaParams params_;
  std::uint64_t seed_;
  std::uint64_t replicate_;
  std::vector<PopulationTraits> populations_;
  YumaState state_;
  YumaEpoch epoch_;
  std::vector<std::uint32_t> state_validators_;  // the rows and columns of state_
  std::vector<std::uint32_t> state_developers_;
  std::vector<Eigen::Index> row_from_, column_from_;  // this epoch's agents' positions in state_, -1 for new
  Eigen::VectorXd stakes_;
  Eigen::MatrixXd weights_;
  std::vector<double> incentives_, dividends_, trust_;
  double honest_stake_share_ = 0.0;
  double cabal_incentive_share_ = 0.0;
  std::array<double, 3> class_dividends_{}, class_stake_{};
  std::vector<double> dividends_run_, stake_share_run_;  // by agent id
};

}  // namespace dais::models
