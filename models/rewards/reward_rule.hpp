#pragma once
// The reward-rule interface: given one role's contributors this epoch and its budget, say who is owed what.
// Rules never write the ledger: the reward pipeline does (models/rewards/pipeline.hpp). Most rules fill an
// allocation that the pipeline mints; a rule that pays through a contract reports the token movements of its
// transactions (ERC-20 Transfer events), which the pipeline checks against the budget and applies.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "sim/core/random.hpp"
#include "sim/ledger/apportion.hpp"
#include "sim/ledger/ledger.hpp"
#include "sim/scenario/params.hpp"

namespace dais::chain {
class Chain;
class BlockClock;
}  // namespace dais::chain

namespace dais::models {

// A donation one contributor makes to another (a Sybil's identity backing its first one), in quadratic
// funding's units.
struct Pledge {
  std::uint32_t project = 0;  // index of the contributor backed
  std::uint64_t units = 0;    // in [1, 2^20]
};

struct EpochContext {
  std::int64_t epoch = 0;
  ledger::TokenAmount budget;
  std::span<const ledger::AccountId> accounts;    // this role's active contributors
  std::span<const double> contributions;          // same order: what each contributed this epoch
  std::span<const ledger::TokenAmount> stakes;    // same order; filled only when the rule needs_stakes()
  // Same order: each contributor's agent id, the entity of its own random streams. A rule that draws something
  // per contributor keys it by this, not by the account: agent ids do not move when a rule opens an account of
  // its own (a contract rule does), so two designs run on the same seed and replicate still draw alike.
  std::span<const std::uint32_t> agents = {};
  // Donations among the contributors; rules that take donations count them with the community's.
  std::span<const Pledge> pledges = {};
  // Same order, or empty when all of it is: the share of each contribution that is real data (data rules).
  std::span<const double> data_quality = {};
};

// What a run gives the rules it builds.
struct RuleEnvironment {
  unsigned decimals = 18;
  // Seed, replicate and entity of the rule's own random draws (one entity per role); the rule picks purposes.
  core::StreamKey random;
  chain::Chain* chain = nullptr;            // the run's chain; null when the scenario has none
  chain::BlockClock* clock = nullptr;
  std::filesystem::path scenario_folder;    // where relative artifact paths start
  std::filesystem::path builtin_contracts;  // the compiled models/contracts bundle, for "builtin:Name"
  // Opens a ledger account for something the rule brings into the world (a contract holding tokens).
  std::function<ledger::AccountId()> open_account;
  // Buffers the rules built from one environment share: a run's rules allocate one after another, never at
  // once, so one set sized to the largest role serves them all (rather than one per role).
  std::shared_ptr<ledger::ApportionScratch> scratch = std::make_shared<ledger::ApportionScratch>();
};

// A token movement a contract made, as its Transfer event reports it: no `from` is a mint, no `to` a burn.
struct TokenMovement {
  std::optional<ledger::AccountId> from;
  std::optional<ledger::AccountId> to;
  ledger::TokenAmount amount;
};

class RewardRule {
 public:
  virtual ~RewardRule() = default;
  // Writes each contributor's reward into `out` (same order as ctx.accounts). The sum must not exceed
  // ctx.budget; rules that pay everything must pay it to the base unit. A rule object belongs to one run.
  virtual void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) = 0;
  [[nodiscard]] virtual bool needs_stakes() const noexcept { return false; }

  // A rule that pays through a contract: `out` then holds what each contributor received, and movements()
  // the token movements of the epoch's transactions, for the pipeline to apply instead of minting `out`.
  [[nodiscard]] virtual bool pays_on_chain() const noexcept { return false; }
  [[nodiscard]] virtual std::span<const TokenMovement> movements() const { return {}; }
  // Gas of this epoch's transactions: each contributor's own (same order as ctx.accounts; empty when they
  // send none), and the network's (the contract owner's).
  [[nodiscard]] virtual std::span<const std::int64_t> contributor_gas() const { return {}; }
  [[nodiscard]] virtual std::int64_t owner_gas() const { return 0; }
};

using RuleFactory = std::unique_ptr<RewardRule> (*)(const scenario::Params& params, const RuleEnvironment& environment);

}  // namespace dais::models
