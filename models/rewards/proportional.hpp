#pragma once
// `proportional`: a role's budget split pro rata to this epoch's contributions,
//   reward_i = budget * q_i / sum_j q_j   (exact to the base unit, largest remainder; sim/ledger/apportion.hpp).
// The baseline mechanism of workload B1 (../shared/BENCH.md) and of most emission-funded networks.

#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

class ProportionalRule final : public RewardRule {
 public:
  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) const override;

 private:
  mutable ledger::ApportionScratch scratch_;  // reused buffers; a rule object belongs to one run
};

void register_proportional(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
