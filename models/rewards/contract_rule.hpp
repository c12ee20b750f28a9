#pragma once
// `contract`: a role's rewards paid by a Solidity contract on the run's chain (scenario section "chain").
//
// At genesis the network (an owner account) deploys the contract: a constructor (string name, string symbol,
// uint256 epochBudget), or one without arguments. Each epoch:
//   1. setEpochBudget(budget) when the role's budget differs from the last one set;
//   2. <function>(address[] contributors, uint256[] weights), sent by the owner, with the contributors'
//      weights as integers: their contributions quantized exactly as the native rules quantize them
//      (ledger::quantize_weights), or their stakes; or, with "weights": "donations", one entry per donation of
//      the quadratic_funding rule's donor model (a contributor once per donation, grouped, ascending);
//   3. unless `claim` is "", each contributor with something to claim (the contract's claimable(address) view,
//      when it has one) sends <claim>() from its own address and pays for the gas.
// Token movements are the contract's ERC-20 Transfer events, which the pipeline applies to the ledger: a
// mint into the contract, transfers to the contributors, and what rounding leaves stays with the contract.
// Agents have addresses of their own (address_of_account), so a user sees what each transaction cost whom.
// Optionally (slash_below > 0, contracts with slash(address,uint256)), after distribute the network slashes
// contributors whose work fell below slash_below times the mean: slash_fraction of their unclaimed reward burns.
// ProRataRewards (models/contracts, workload B3) is the contract twin of `proportional` with rounding "down";
// QuadraticFunding, with donations, the twin of `quadratic_funding` with rounding "down".

#include <vector>

#include "models/rewards/reward_rule.hpp"
#include "sim/chain/contract.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

// The chain address of a ledger account: 2^40 + id, clear of precompiles and of contract addresses.
chain::Address address_of_account(ledger::AccountId account) noexcept;

void register_contract_rule(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
