#pragma once
// Every model dais knows, by name: roles, agent models, reward rules, emission schedules, market and token-market
// models, and the scenario sections models read (governance, locks, delegation, slashing). sim/app fills one
// ModelCatalog with register_builtin_models() and hands its view() to the scenario loader.

#include <filesystem>
#include <string>
#include <vector>

#include "models/agents/contributor.hpp"
#include "models/emission/schedule.hpp"
#include "models/market/compute_market.hpp"
#include "models/market/token_market.hpp"
#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

struct ModelCatalog {
  std::vector<std::string> roles;
  // Where the contracts of models/contracts are once compiled ("builtin:NAME" artifacts), and the anvil
  // executable of the anvil chain backend: set by the executable that knows its build.
  std::filesystem::path builtin_contracts;
  std::filesystem::path anvil;
  scenario::Registry<AgentFactory> agents{"agent model"};
  scenario::Registry<RuleFactory> rules{"reward rule"};
  scenario::Registry<ScheduleFactory> schedules{"emission schedule"};
  scenario::Registry<MarketFactory> markets{"market model"};
  scenario::Registry<TokenMarketFactory> token_markets{"token-market model"};
  std::vector<scenario::ScenarioSection> sections;  // "governance", "locks", "delegation", "slashing"

  [[nodiscard]] scenario::Catalog view() const {
    scenario::Catalog catalog{roles, &agents, &rules, &schedules, &markets, &token_markets};
    catalog.sections = &sections;
    return catalog;
  }
};

void register_builtin_models(ModelCatalog& catalog);

}  // namespace dais::models
