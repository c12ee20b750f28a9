#pragma once
// The one place rewards reach the ledger. For most rules: ask the rule, check its allocation against the
// budget, then mint every share in one all-or-nothing ledger operation. For a rule that pays through a
// contract: check that its contract minted no more than the budget, then apply the token movements its
// transactions made (mints, transfers, burns) inside one ledger checkpoint. Either way a rule that overpays
// is a bug reported with its name and the epoch, and the ledger is left untouched.

#include <span>
#include <stdexcept>
#include <string>

#include "models/rewards/reward_rule.hpp"

namespace dais::models {

class RewardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Pays one role's budget; `shares` (sized like ctx.accounts) receives each contributor's reward.
// Returns the amount the contributors received (== budget for rules that pay everything, 0 when nobody can be
// paid).
ledger::TokenAmount pay_rewards(const std::string& rule_name, RewardRule& rule, const EpochContext& ctx,
                                std::span<ledger::TokenAmount> shares, ledger::Ledger& ledger);

}  // namespace dais::models
