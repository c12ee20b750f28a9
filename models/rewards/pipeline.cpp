#include "models/rewards/pipeline.hpp"

#include <fmt/format.h>

namespace dais::models {

ledger::TokenAmount pay_rewards(const std::string& rule_name, const RewardRule& rule, const EpochContext& ctx,
                                std::span<ledger::TokenAmount> shares, ledger::Ledger& ledger) {
  rule.allocate(ctx, shares);
  ledger::TokenAmount total;
  for (ledger::TokenAmount s : shares) total += s;
  if (total > ctx.budget) {
    throw RewardError(fmt::format("reward rule '{}' allocated {} base units in epoch {}, more than its budget of {}",
                                  rule_name, ledger::u128_to_string(total.base_units()), ctx.epoch,
                                  ledger::u128_to_string(ctx.budget.base_units())));
  }
  ledger.mint_many(ctx.accounts, shares, "reward");  // all or nothing
  return total;
}

}  // namespace dais::models
