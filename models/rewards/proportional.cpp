#include "models/rewards/proportional.hpp"

namespace dais::models {

void ProportionalRule::allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) {
  ledger::apportion_real(ctx.budget, ctx.contributions, out, *scratch_, rounding_);
}

void register_proportional(scenario::Registry<RuleFactory>& rules) {
  rules.add({"proportional",
             "pro rata to this epoch's contributions: budget * q_i / sum q",
             {scenario::text_param("rounding", "largest_remainder", {"largest_remainder", "down"},
                                   "what rounding leaves: paid by largest remainder, or not paid (as a contract would)")}},
            [](const scenario::Params& p, const RuleEnvironment& env) -> std::unique_ptr<RewardRule> {
              return std::make_unique<ProportionalRule>(
                  p.text("rounding") == "down" ? ledger::Rounding::down : ledger::Rounding::largest_remainder, env.scratch);
            });
}

}  // namespace dais::models
