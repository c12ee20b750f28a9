#pragma once
// What governance may change in the contributor economy, and the scenario sections "governance" and "locks"
// checked against the whole scenario (the checks governance_config.hpp and locks_config.hpp leave to the
// integrator): proposals name a governable parameter of this scenario, with a value of its type in its range,
// at an epoch within the horizon; "vote_escrow" voting comes with "locks.vote_escrow"; vesting names
// populations the scenario has.

#include <optional>
#include <string>
#include <vector>

#include "models/governance/governance.hpp"
#include "sim/scenario/registry.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::models::governance {

// A parameter a proposal may set in this scenario, with the declaration its values are checked against.
struct GovernableParameter {
  std::string path;  // dotted: "market.params.burn_share"
  scenario::ParamSpec spec;
};

// With a market: market.params.{burn_share, treasury_share, verify_probability, slash_fraction, fee, model_fee}.
// emission.params.<each number or token amount the schedule declares>, unless the schedule keeps state between
// epochs (target_inflation: a schedule rebuilt from new parameters would forget it). Always entry.rate.
std::vector<GovernableParameter> governable_parameters(const scenario::Scenario& scenario,
                                                       const scenario::Catalog& catalog);

// The governable parameter at `path`, or nullptr.
const GovernableParameter* find_governable(const std::vector<GovernableParameter>& parameters,
                                           const std::string& path) noexcept;

// A proposal's value as the parameter's type (an integer needs a whole number; token amounts are decimal strings
// or whole numbers), within its declared range; nullopt, with *problem set to the loader's
// "expected ..., found ..." message, otherwise.
std::optional<scenario::ParamValue> parameter_value(const ParameterValue& value, const scenario::ParamSpec& spec,
                                                    unsigned decimals, std::string* problem = nullptr);

// The "governance" and "locks" sections, for the scenario catalog.
std::vector<scenario::ScenarioSection> governance_sections();

}  // namespace dais::models::governance
