#include "models/agents/contributor.hpp"

#include <cmath>

#include "models/emission/schedule.hpp"

namespace dais::models {

double ContributorBehaviour::expected_contribution() const noexcept { return std::exp(mu + 0.5 * sigma * sigma); }

std::vector<scenario::ParamSpec> contributor_param_specs() {
  using scenario::real_param;
  using scenario::tokens_param;
  return {real_param("mu", 0.0, "log units", "mean of log contribution"),
          real_param("sigma", 0.5, "log units", "standard deviation of log contribution", 0.0),
          real_param("cost_factor", 0.8, "tokens/unit", "cost per epoch as a multiple of the expected contribution", 0.0),
          tokens_param("fixed_cost", "0", "tokens/epoch", "cost per epoch added to the proportional part"),
          real_param("profit_smoothing", 0.1, "", "weight of the newest epoch in the profit moving average", 0.0, 1.0),
          real_param("exit_probability", 0.05, "per epoch", "chance of leaving in an epoch while the average profit is negative", 0.0, 1.0),
          tokens_param("initial_stake", "0", "tokens", "endowment minted and staked when the agent appears")};
}

ContributorBehaviour contributor_behaviour(const scenario::Params& p, unsigned decimals) {
  ContributorBehaviour b;
  b.mu = p.real("mu");
  b.sigma = p.real("sigma");
  b.smoothing = p.real("profit_smoothing");
  b.exit_probability = p.real("exit_probability");
  b.initial_stake = p.tokens("initial_stake");
  const ledger::TokenAmount one_token = ledger::TokenAmount::whole_tokens(1, decimals);
  b.cost = scale_amount(one_token, p.real("cost_factor") * b.expected_contribution()) + p.tokens("fixed_cost");
  b.cost_tokens = b.cost.to_tokens(decimals);
  return b;
}

void register_contributor(scenario::Registry<AgentFactory>& agents) {
  agents.add(
      {"contributor",
       "contributes LogNormal(mu, sigma) each epoch, pays a cost, leaves while its smoothed profit is negative",
       contributor_param_specs(),
       {"data_provider", "developer", "compute_provider"}},
      contributor_behaviour);
}

}  // namespace dais::models
