#include "models/agents/validator.hpp"

namespace dais::models {

namespace {

ContributorBehaviour validator_behaviour(const scenario::Params& p, unsigned decimals) {
  ContributorBehaviour b;
  b.sigma = 0.0;  // no work of its own to draw: its contribution is 1, or its validator trust under Yuma
  b.cost = p.tokens("cost");
  b.cost_tokens = b.cost.to_tokens(decimals);
  b.smoothing = p.real("profit_smoothing");
  b.exit_probability = p.real("exit_probability");
  b.initial_stake = p.tokens("initial_stake");
  b.cabal = p.text("cabal");
  b.validator.strategy = p.text("strategy") == "weight_copier" ? WeightStrategy::weight_copier : WeightStrategy::honest;
  b.validator.noise_kind = p.text("noise") == "additive" ? EvaluationNoise::additive : EvaluationNoise::multiplicative;
  b.validator.noise = p.real("evaluation_noise");
  // Dividends staked as they are paid, as Bittensor does: the whale's restaking, all of it or none.
  b.restake_millionths = p.boolean("restake") ? 1'000'000 : 0;
  return b;
}

ContributorBehaviour cabal_developer_behaviour(const scenario::Params& p, unsigned decimals) {
  ContributorBehaviour b = contributor_behaviour(p, decimals);
  b.cabal = p.text("cabal");
  return b;
}

}  // namespace

void register_validator_models(scenario::Registry<AgentFactory>& agents) {
  using scenario::boolean_param;
  using scenario::real_param;
  using scenario::text_param;
  using scenario::tokens_param;
  agents.add(
      {"validator",
       "stakes, sets weights over the developers each epoch (honest with noise, copying consensus, or for its cabal), "
       "is paid Yuma dividends, leaves while its smoothed profit is negative",
       {tokens_param("initial_stake", "1000", "tokens", "stake minted and staked when the validator appears"),
        tokens_param("cost", "0", "tokens/epoch", "cost of validating per epoch (a copier's is usually lower)"),
        text_param("strategy", "honest", {"honest", "weight_copier"},
                   "honest: weights what it observes of each developer's work; weight_copier: weights the consensus "
                   "the last epoch published (none in the first epoch)"),
        real_param("evaluation_noise", 0.1, "", "standard deviation of the observation error (see noise)", 0.0),
        text_param("noise", "multiplicative", {"multiplicative", "additive"},
                   "observed work: q e^(n z) (multiplicative) or max(0, q + n z) (additive), z ~ N(0, 1)"),
        text_param("cabal", "", {},
                   "cabal name: equal weight on that cabal's developers (cabal_developer agents), none on others; \"\" for none"),
        boolean_param("restake", true, "dividends are staked as they are paid, so stake compounds"),
        real_param("profit_smoothing", 0.1, "", "weight of the newest epoch in the profit moving average", 0.0, 1.0),
        real_param("exit_probability", 0.05, "per epoch",
                   "chance of leaving in an epoch while the average profit is negative", 0.0, 1.0)},
       {"validator"},
       [](const scenario::Params& p) -> std::string {
         if (!p.text("cabal").empty() && p.text("strategy") != "honest")
           return "expected strategy \"honest\" for a cabal validator (a cabal sets its own weights), found \"" +
                  p.text("strategy") + "\"";
         return "";
       }},
      validator_behaviour);
  std::vector<scenario::ParamSpec> params = contributor_params();
  params.push_back(text_param("cabal", std::nullopt, {}, "the cabal it develops for: its validators weight only its members"));
  agents.add({"cabal_developer",
              "a contributor whose cabal's validators put their weight on it; lower work than honest developers is "
              "set by its mu",
              std::move(params),
              {"developer"},
              [](const scenario::Params& p) -> std::string {
                return p.text("cabal").empty() ? "expected a cabal name for a cabal_developer, found \"\"" : "";
              }},
             cabal_developer_behaviour);
}

}  // namespace dais::models
