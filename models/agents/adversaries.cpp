#include "models/agents/adversaries.hpp"

#include <algorithm>
#include <cmath>

namespace dais::models {

namespace {

const std::vector<std::string> all_roles = {"data_provider", "developer", "compute_provider"};

// Quadratic funding's donations are at most 2^20 units (models/rewards/quadratic_funding.hpp).
constexpr std::int64_t max_donation_units = std::int64_t{1} << 20;

// What the identities beyond the first cost per epoch; an overflow is an error, never a wrap.
ledger::TokenAmount identity_costs(const ContributorBehaviour& b) {
  ledger::u128 out = 0;
  if (__builtin_mul_overflow(b.identity_cost.base_units(), static_cast<ledger::u128>(b.identities - 1), &out))
    throw ledger::AmountError("token amount overflow: identity_cost times identities");
  return ledger::TokenAmount::from_base_units(out);
}

void set_cost(ContributorBehaviour& b, ledger::TokenAmount cost, unsigned decimals) {
  b.cost = cost;
  b.cost_tokens = cost.to_tokens(decimals);
}

std::vector<scenario::ParamSpec> contributor_params_plus(std::vector<scenario::ParamSpec> more) {
  std::vector<scenario::ParamSpec> params = contributor_params();
  for (scenario::ParamSpec& spec : more) {
    // A variant may declare one of the contributor's parameters again, with a default of its own.
    const auto same = std::find_if(params.begin(), params.end(), [&](const scenario::ParamSpec& p) { return p.name == spec.name; });
    if (same != params.end())
      *same = std::move(spec);
    else
      params.push_back(std::move(spec));
  }
  return params;
}

}  // namespace

ContributorBehaviour unsplit(ContributorBehaviour b, unsigned decimals) {
  set_cost(b, b.cost - identity_costs(b), decimals);
  b.identities = 1;
  return b;
}

bool is_adversary_model(std::string_view model) noexcept {
  return model == "sybil" || model == "low_quality_data" || model == "whale";
}

void register_adversaries(scenario::Registry<AgentFactory>& agents) {
  using scenario::integer_param;
  using scenario::real_param;
  using scenario::text_param;
  using scenario::tokens_param;
  agents.add(
      {"sybil",
       "a contributor that splits each epoch's work over `identities` ledger identities and decides to stay as one",
       contributor_params_plus({integer_param("identities", 2, "", "identities the work is split over (k; 1 is a plain contributor)", 1, 4096),
             tokens_param("identity_cost", "0", "tokens/epoch", "cost of keeping each identity beyond the first"),
             text_param("split", "equal", {"equal", "random"},
                        "how the work is shared: equally, or by shares drawn from the agent's own stream each epoch"),
             integer_param("self_donation", 0, "units",
                           "donation each identity makes to the first identity every epoch, for quadratic_funding (0: none)",
                           0, static_cast<double>(max_donation_units))}),
       all_roles},
      [](const scenario::Params& p, unsigned decimals) {
        ContributorBehaviour b = contributor_behaviour(p, decimals);
        b.identities = p.integer("identities");
        b.random_split = p.text("split") == "random";
        b.self_donation = static_cast<std::uint64_t>(p.integer("self_donation"));
        b.identity_cost = p.tokens("identity_cost");
        set_cost(b, b.cost + identity_costs(b), decimals);
        return b;
      });
  agents.add({"low_quality_data",
              "a data provider whose reported contribution is only data_quality real data (0: a free rider)",
              contributor_params_plus({real_param("data_quality", 0.0, "", "share of the reported contribution that is real data", 0.0, 1.0)}),
              {"data_provider"}},
             [](const scenario::Params& p, unsigned decimals) {
               ContributorBehaviour b = contributor_behaviour(p, decimals);
               b.data_quality = p.real("data_quality");
               return b;
             });
  agents.add({"whale",
              "a contributor with a large stake at entry that stakes restake_share of every reward (compounding)",
              contributor_params_plus({tokens_param("initial_stake", "100000", "tokens", "endowment minted and staked when the agent appears"),
                    real_param("restake_share", 1.0, "", "share of each reward staked as it is paid", 0.0, 1.0)}),
              all_roles},
             [](const scenario::Params& p, unsigned decimals) {
               ContributorBehaviour b = contributor_behaviour(p, decimals);
               b.restake_millionths = static_cast<std::uint64_t>(std::llround(p.real("restake_share") * 1e6));
               return b;
             });
}

}  // namespace dais::models
