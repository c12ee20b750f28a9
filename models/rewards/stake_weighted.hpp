#pragma once
// `stake_weighted`: a role's budget split pro rata to the stake of the agents that contributed this epoch,
//   reward_i = budget * s_i / sum_j s_j   over contributors with s_i > 0
// (../shared/MECHANISMS.md §5.2, pro-rata staking reward). Contribution only gates eligibility, so it shows
// what paying for capital instead of work does to the small contributor.

#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

class StakeWeightedRule final : public RewardRule {
 public:
  explicit StakeWeightedRule(std::shared_ptr<ledger::ApportionScratch> scratch = std::make_shared<ledger::ApportionScratch>())
      : scratch_(std::move(scratch)) {}
  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) override;
  [[nodiscard]] bool needs_stakes() const noexcept override { return true; }

 private:
  std::shared_ptr<ledger::ApportionScratch> scratch_;  // shared with the run's other rules
};

void register_stake_weighted(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
