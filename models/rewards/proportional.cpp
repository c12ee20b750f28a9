#include "models/rewards/proportional.hpp"

namespace dais::models {

void ProportionalRule::allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) const {
  ledger::apportion_real(ctx.budget, ctx.contributions, out, scratch_);
}

void register_proportional(scenario::Registry<RuleFactory>& rules) {
  rules.add({"proportional", "pro rata to this epoch's contributions: budget * q_i / sum q", {}, {}},
            [](const scenario::Params&) -> std::unique_ptr<RewardRule> { return std::make_unique<ProportionalRule>(); });
}

}  // namespace dais::models
