#pragma once
// `proportional`: a role's budget split pro rata to this epoch's contributions,
//   reward_i = budget * q_i / sum_j q_j
// exact to the base unit (sim/ledger/apportion.hpp). With rounding "largest_remainder" (the default) every base
// unit of the budget is paid; with "down" each share is rounded down and the rest is not paid, as a contract
// computing the same division in integers does (models/contracts/ProRataRewards.sol).
// The baseline mechanism of workload B1 (../shared/BENCH.md) and of most emission-funded networks.

#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

class ProportionalRule final : public RewardRule {
 public:
  explicit ProportionalRule(ledger::Rounding rounding = ledger::Rounding::largest_remainder,
                            std::shared_ptr<ledger::ApportionScratch> scratch = std::make_shared<ledger::ApportionScratch>())
      : rounding_(rounding), scratch_(std::move(scratch)) {}
  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) override;

 private:
  ledger::Rounding rounding_;
  std::shared_ptr<ledger::ApportionScratch> scratch_;  // reused buffers, shared with the run's other rules
};

void register_proportional(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
