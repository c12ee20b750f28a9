#pragma once
// `contributor`: the agent of workload B1 (../shared/BENCH.md) for any of the three roles. Each epoch an
// active agent contributes q ~ LogNormal(mu, sigma) and pays a cost; it keeps an exponentially weighted
// profit p <- (1 - a) p + a (reward - cost) and, while p < 0, leaves for good with a fixed probability.

#include <cstdint>
#include <string>
#include <vector>

#include "models/agents/validator_behaviour.hpp"
#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/params.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

struct ContributorBehaviour {
  double mu = 0.0;
  double sigma = 0.5;
  ledger::TokenAmount cost;      // per epoch, exact: cost_factor * E[q] tokens + fixed_cost
  double cost_tokens = 0.0;      // the same as a double, for behaviour
  double smoothing = 0.1;        // weight of the newest profit in the moving average
  double exit_probability = 0.05;
  ledger::TokenAmount initial_stake;  // endowment minted and staked when the agent appears
  std::string cabal;                  // the cabal it belongs to, "" for none (models/agents/validator_behaviour.hpp)
  ValidatorBehaviour validator;       // how it sets weights, when it plays the validator role

  [[nodiscard]] double expected_contribution() const noexcept;
};

using AgentFactory = ContributorBehaviour (*)(const scenario::Params& params, unsigned decimals);

// The contributor's parameters and its behaviour from them: models that extend it (cabal_developer) reuse both.
std::vector<scenario::ParamSpec> contributor_param_specs();
ContributorBehaviour contributor_behaviour(const scenario::Params& params, unsigned decimals);

void register_contributor(scenario::Registry<AgentFactory>& agents);

}  // namespace dais::models
