#pragma once
// The agent models of validation: `validator` (the validator role: stake, a cost per epoch, how it sets
// weights, an optional cabal) and `cabal_developer` (a contributor developing for a cabal). Their behaviour is
// models/agents/validator_behaviour.hpp; Yuma pays them (models/economy/validation.hpp).

#include "models/agents/contributor.hpp"

namespace dais::models {

void register_validator_models(scenario::Registry<AgentFactory>& agents);

}  // namespace dais::models
