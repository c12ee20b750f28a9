#include "models/rewards/yuma_rule.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/rewards/proportional.hpp"

namespace dais::models {

namespace {

constexpr const char* emission_ratio = "validator_emission_ratio";

std::vector<scenario::ParamSpec> rule_param_specs() {
  std::vector<scenario::ParamSpec> specs = yuma_param_specs();
  std::erase_if(specs, [](const scenario::ParamSpec& spec) { return spec.name == emission_ratio; });
  return specs;
}

// Each side is shared pro rata to what the Yuma epoch gave it, which the economy passes as the contributions.
std::unique_ptr<RewardRule> share_by_yuma(const scenario::Params&, const RuleEnvironment& env) {
  return std::make_unique<ProportionalRule>(ledger::Rounding::largest_remainder, env.scratch);
}

}  // namespace

YumaParams yuma_rule_params(const scenario::Params& params) {
  scenario::Params full = params;
  full.set(emission_ratio, YumaParams{}.validator_emission_ratio);  // unused: the role shares split the budgets
  return yuma_params_from(full);
}

void register_yuma_rules(scenario::Registry<RuleFactory>& rules) {
  rules.add({yuma_rule_name,
             "Yuma consensus over the validators' weights: developer j gets budget * I_j (pays with yuma_dividends)",
             rule_param_specs(),
             {"developer"},
             [](const scenario::Params& p) -> std::string {
               try {
                 yuma_rule_params(p);
                 return "";
               } catch (const std::invalid_argument& e) {
                 return std::string(e.what()).substr(std::string_view("yuma: ").size());
               }
             },
             false,
             std::pair<std::string, std::string>{"validator", yuma_dividends_rule_name}},
            share_by_yuma);
  rules.add({yuma_dividends_rule_name,
             "validators paid by their Yuma dividends: validator i gets budget * D_i / sum D (pays with yuma)",
             {},
             {"validator"},
             {},
             false,
             std::pair<std::string, std::string>{"developer", yuma_rule_name}},
            share_by_yuma);
}

}  // namespace dais::models
