#pragma once
// The scenario's "locks" section, read and validated (the integrator wires it into the scenario and the economy):
//   "locks": {
//     "vesting": [{"population": "team", "amount": "1000", "start_epoch": 0, "cliff_epochs": 90,
//                  "duration_epochs": 365}],
//     "vote_escrow": {"max_lock_epochs": 1460, "lock_share": 0.5, "lock_epochs": 365}
//   }
// vesting: each agent of `population` is granted `amount` tokens (per agent) vesting as in vesting.hpp;
// start_epoch defaults to 0, cliff_epochs to 0. vote_escrow: the escrow's max lock (vote_escrow.hpp) and the
// holders' behaviour: each locks `lock_share` of its balance for `lock_epochs` (1 <= lock_epochs <= max_lock_epochs).
// Population names are not checked against the scenario here.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/ledger/token_amount.hpp"

namespace dais::models::locks {

struct VestingSpec {
  std::string population;
  ledger::TokenAmount amount;  // per agent
  std::int64_t start_epoch = 0;
  std::int64_t cliff_epochs = 0;
  std::int64_t duration_epochs = 0;
};

struct VoteEscrowSpec {
  std::int64_t max_lock_epochs = 1460;  // Curve's four years, at one-day epochs
  double lock_share = 0.0;              // of each holder's balance
  std::int64_t lock_epochs = 365;
};

struct LocksConfig {
  std::vector<VestingSpec> vesting;
  std::optional<VoteEscrowSpec> vote_escrow;
};

// Reads `section`, the value at JSON pointer `pointer` of `file`; `decimals` are the token's. Throws
// scenario::ScenarioErrors listing every problem (file, pointer, what was expected, what was found).
LocksConfig read_locks(const nlohmann::json& section, const std::string& file, const std::string& pointer,
                       unsigned decimals);

}  // namespace dais::models::locks
