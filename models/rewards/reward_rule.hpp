#pragma once
// The reward-rule interface: given one role's contributors this epoch and its budget, say who is owed what.
// Rules are pure — they read the context and fill the allocation; only the RewardPipeline writes the ledger.

#include <cstdint>
#include <memory>
#include <span>

#include "sim/ledger/apportion.hpp"
#include "sim/ledger/ledger.hpp"
#include "sim/scenario/params.hpp"

namespace dais::models {

struct EpochContext {
  std::int64_t epoch = 0;
  ledger::TokenAmount budget;
  std::span<const ledger::AccountId> accounts;    // this role's active contributors
  std::span<const double> contributions;          // same order: what each contributed this epoch
  std::span<const ledger::TokenAmount> stakes;    // same order; filled only when the rule needs_stakes()
};

class RewardRule {
 public:
  virtual ~RewardRule() = default;
  // Writes each contributor's reward into `out` (same order as ctx.accounts). The sum must not exceed
  // ctx.budget; rules that pay everything must pay it to the base unit.
  virtual void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) const = 0;
  [[nodiscard]] virtual bool needs_stakes() const noexcept { return false; }
};

using RuleFactory = std::unique_ptr<RewardRule> (*)(const scenario::Params& params);

}  // namespace dais::models
