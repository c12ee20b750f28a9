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

  // The adversarial variants' traits (models/agents/adversaries.hpp); a plain contributor keeps these defaults.
  std::int64_t identities = 1;           // sybil: ledger identities its work is split over
  bool random_split = false;             // sybil: random shares of the work instead of equal ones
  std::uint64_t self_donation = 0;       // sybil: units each identity donates to its first one (0: none)
  ledger::TokenAmount identity_cost;     // sybil: per extra identity and epoch, included in `cost`
  double data_quality = 1.0;             // low_quality_data: share of the reported contribution that is real data
  std::uint64_t restake_millionths = 0;  // whale, validator: share of each reward staked at once, in millionths

  [[nodiscard]] double expected_contribution() const noexcept;
};

using AgentFactory = ContributorBehaviour (*)(const scenario::Params& params, unsigned decimals);

// The contributor's parameters and its behaviour from them: the models that extend it (the adversarial
// variants, cabal_developer) reuse both.
std::vector<scenario::ParamSpec> contributor_params();
ContributorBehaviour contributor_behaviour(const scenario::Params& params, unsigned decimals);

void register_contributor(scenario::Registry<AgentFactory>& agents);

}  // namespace dais::models
