#pragma once
// `yuma` and `yuma_dividends`: the developers' and the validators' budgets paid by one Yuma consensus epoch
// (models/rewards/yuma/yuma.hpp) over the validators' stakes and the weights they set on the developers
// (models/economy/validation.hpp). A scenario picks both or neither:
//   "rewards": {"developer": {"rule": "yuma", "params": {"version": "yuma3", "kappa": 0.5}},
//               "validator": {"rule": "yuma_dividends"}}
//   developer j: budget_dev * I_j,   validator i: budget_val * D_i / sum(D)
// exact to the base unit by largest remainder (sim/ledger/apportion.hpp). The economy runs the Yuma epoch and
// hands each rule its side as the contributions it shares the budget by; the split between the two sides is the
// roles' shares, so Yuma's own validator_emission_ratio is not a parameter here.

#include "models/rewards/yuma/yuma.hpp"
#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

inline constexpr const char* yuma_rule_name = "yuma";
inline constexpr const char* yuma_dividends_rule_name = "yuma_dividends";

// The Yuma parameters of a `yuma` rule choice (validated by the loader).
YumaParams yuma_rule_params(const scenario::Params& params);

void register_yuma_rules(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
