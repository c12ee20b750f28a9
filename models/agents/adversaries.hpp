#pragma once
// Adversarial variants of the contributor (issue 4), each the contributor's behaviour plus parameters of its own:
//   sybil             splits its work over `identities` ledger identities (the reward rule sees each one), pays
//                     `identity_cost` per extra identity and epoch, and may back its first identity with a donation
//                     from each (a quadratic-funding Sybil's fake donors); it stays or leaves as one agent, on the
//                     sum of what its identities earn (models/agents/sybil_identities.hpp);
//   low_quality_data  a data provider whose reported contribution is only `data_quality` real data: volume rules pay
//                     the report, data_shapley values its data with the junk share's labels drawn at random, and the
//                     developers' models learn from the real share only;
//   whale             a large endowment staked at entry, and `restake_share` of every reward staked as it is paid.

#include <string_view>

#include "models/agents/contributor.hpp"

namespace dais::models {

// The same agent with a single identity: the Sybil's counterfactual for the Sybil gain g(k).
[[nodiscard]] ContributorBehaviour unsplit(ContributorBehaviour b, unsigned decimals);

// Whether an agent model is one of the variants above.
[[nodiscard]] bool is_adversary_model(std::string_view model) noexcept;

void register_adversaries(scenario::Registry<AgentFactory>& agents);

}  // namespace dais::models
