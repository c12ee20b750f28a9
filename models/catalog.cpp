#include "models/catalog.hpp"

#include "models/agents/adversaries.hpp"
#include "models/agents/validator.hpp"
#include "models/governance/governable.hpp"
#include "models/rewards/contract_rule.hpp"
#include "models/rewards/ocean_df.hpp"
#include "models/rewards/data_shapley.hpp"
#include "models/rewards/proportional.hpp"
#include "models/rewards/quadratic_funding.hpp"
#include "models/rewards/stake_weighted.hpp"
#include "models/rewards/yuma_rule.hpp"
#include "models/staking/staking_config.hpp"

namespace dais::models {

void register_builtin_models(ModelCatalog& catalog) {
  catalog.roles = {"data_provider", "developer", "compute_provider", "validator"};

  register_contributor(catalog.agents);
  register_adversaries(catalog.agents);
  register_validator_models(catalog.agents);

  register_proportional(catalog.rules);
  register_stake_weighted(catalog.rules);
  register_quadratic_funding(catalog.rules);
  register_ocean_df(catalog.rules);
  register_data_shapley(catalog.rules);
  register_contract_rule(catalog.rules);
  register_yuma_rules(catalog.rules);

  register_fixed(catalog.schedules);
  register_exponential_decay(catalog.schedules);
  register_half_life(catalog.schedules);
  register_halving(catalog.schedules);
  register_halving_by_issuance(catalog.schedules);
  register_target_inflation(catalog.schedules);

  register_compute_market(catalog.markets);
  register_token_market(catalog.token_markets);

  catalog.sections = governance::governance_sections();
  for (scenario::ScenarioSection& section : staking::staking_sections()) catalog.sections.push_back(std::move(section));
}

}  // namespace dais::models
