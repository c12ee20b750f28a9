#include "models/rewards/stake_weighted.hpp"

namespace dais::models {

void StakeWeightedRule::allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) {
  ledger::apportion_amounts(ctx.budget, ctx.stakes, out, *scratch_);
}

void register_stake_weighted(scenario::Registry<RuleFactory>& rules) {
  rules.add({"stake_weighted", "pro rata to the stake of this epoch's contributors: budget * s_i / sum s", {}, {}},
            [](const scenario::Params&, const RuleEnvironment& env) -> std::unique_ptr<RewardRule> {
              return std::make_unique<StakeWeightedRule>(env.scratch);
            });
}

}  // namespace dais::models
