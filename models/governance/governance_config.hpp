#pragma once
// The scenario's "governance" section, read and validated (the integrator wires it into the scenario and the
// economy):
//   "governance": {
//     "voting": "token" | "quadratic" | "vote_escrow",   (default "token")
//     "quorum": 0.2, "threshold": 0.5,                    (shares, [0, 1] and (0, 1]; read to 10^-9)
//     "voting_period_epochs": 7, "delay_epochs": 2,       (>= 1, >= 0)
//     "turnout": 0.6,                                     ([0, 1], default 1)
//     "vote_rule": "always_for" | "always_against" | "expected_gain", "gain_epsilon": 0,
//     "proposals": [{"epoch": 30, "parameter": "market.params.burn_share", "value": 0.5}, ...]
//   }
// A proposal's value is a number, or a token amount as a decimal string ("1000.5"). Defaults are VotingRules'.
// The parameter paths are parsed (governance.hpp) but not checked against the scenario, nor is "vote_escrow"
// voting checked to come with a "locks.vote_escrow" section: those checks need the whole scenario.

#include <nlohmann/json.hpp>
#include <string>

#include "models/governance/governance.hpp"

namespace dais::models::governance {

// Reads `section`, the value at JSON pointer `pointer` of `file`; `decimals` are the token's. Throws
// scenario::ScenarioErrors listing every problem (file, pointer, what was expected, what was found).
GovernanceConfig read_governance(const nlohmann::json& section, const std::string& file, const std::string& pointer,
                                 unsigned decimals);

// Names as the scenario spells them.
const char* to_string(Weighting weighting) noexcept;
const char* to_string(VoteRule rule) noexcept;

}  // namespace dais::models::governance
