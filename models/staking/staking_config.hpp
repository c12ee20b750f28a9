#pragma once
// The scenario's "delegation" and "slashing" sections, read and validated (models/staking/staking.hpp runs them):
//   "delegation": {"role": "validator", "delegators": 200, "stake": "500" | {"min": "100", "max": "1000"},
//                  "choice": "stake_weighted" | "lowest_commission" | "highest_yield",
//                  "redelegate_every": 30, "unbonding": 21,
//                  "commission": 0.18 | {"<population>": 0.05, ...}}
//   "slashing": {"correlation": {"multiplier": 3, "window": 36},
//                "downtime": {"role": "validator", "probability": 0.01, "fraction": 0.0001, "correlated": false}}
// The role is the operators' (compute_provider or validator); commission is one number for every operator or one
// per population of that role, every such population named. redelegate_every 0 (the default): delegators move
// only when their operator leaves. unbonding: epochs a moving delegator's stake earns nothing and can still be
// slashed. correlation.window is in epochs.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models::staking {

enum class DelegatorChoice { stake_weighted, lowest_commission, highest_yield };

struct DelegationConfig {
  std::string role;
  std::int64_t delegators = 0;
  ledger::TokenAmount stake_min;  // each delegator's stake, Uniform[min, max] (equal for a fixed stake)
  ledger::TokenAmount stake_max;
  DelegatorChoice choice = DelegatorChoice::stake_weighted;
  std::int64_t redelegate_every = 0;
  std::int64_t unbonding_epochs = 0;
  std::optional<double> commission;                  // every operator's
  std::map<std::string, double> commission_by_population;  // or each population's
};

struct CorrelationSpec {
  double multiplier = 3.0;  // Ethereum's PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX
  std::int64_t window_epochs = 1;
};

struct DowntimeSpec {
  std::string role;
  double probability = 0.0;  // per operator and epoch
  double fraction = 0.0001;  // Cosmos Hub's downtime slash
  bool correlated = false;   // Cosmos' downtime slash is not; Ethereum's correlation is for faults
};

struct SlashingConfig {
  std::optional<CorrelationSpec> correlation;
  std::optional<DowntimeSpec> downtime;
};

// Read `section`, the value at JSON pointer `pointer` of `file`; `decimals` are the token's. Throw
// scenario::ScenarioErrors listing every problem (file, pointer, what was expected, what was found).
DelegationConfig read_delegation(const nlohmann::json& section, const std::string& file, const std::string& pointer,
                                 unsigned decimals);
SlashingConfig read_slashing(const nlohmann::json& section, const std::string& file, const std::string& pointer);

// The "delegation" and "slashing" sections, for the scenario catalog: read as above, then checked against the
// whole scenario (the role is paid in "rewards", commissions name its populations, none splits into Sybils).
std::vector<scenario::ScenarioSection> staking_sections();

}  // namespace dais::models::staking
