#pragma once
// Staking in the contributor economy: delegators backing the operators of one role, and slashing with an optional
// correlation penalty (scenario sections "delegation" and "slashing", staking_config.hpp). The economy calls it
// at fixed points of an epoch; the tokens move in the ledger through the DelegationBook (delegation.hpp).
//   - genesis: each delegator d is endowed Uniform[stake.min, stake.max] (its own stream), then bonds to an operator;
//   - stake_of(): an operator's own stake plus what is bonded to it, the stake every stake-based rule, the Yuma
//     epoch and the compute market's dispatch see;
//   - split_rewards(): after the role's rule has paid the operators, each passes its delegators their part;
//   - slash(): an operator and its delegations lose min(1, base + correlation term) (correlation.hpp);
//   - end_epoch(): downtime slashes (each operator of the downtime role with probability p, its own stream), the
//     delegators of operators that left unbond, at each `redelegate_every`-th epoch the delegators whose operator
//     is no longer their choice unbond, and the delegators released by the ledger bond to their choice.
// A delegator's choice, drawn from its own stream at the epoch: "stake_weighted" an operator with probability
// proportional to its stake (own + delegated) when the round starts; "lowest_commission" the lowest commission;
// "highest_yield" the highest (1 − c)·r/s an operator paid per token staked in the last epoch (ties at random).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/staking/correlation.hpp"
#include "models/staking/delegation.hpp"
#include "models/staking/staking_config.hpp"
#include "sim/core/random.hpp"
#include "sim/io/csv.hpp"
#include "sim/io/run_output.hpp"

namespace dais::models::staking {

// The active operators of a role, aligned, and each agent's population (indexed by agent id).
struct Operators {
  std::span<const ledger::AccountId> accounts;
  std::span<const std::uint32_t> agents;
  std::span<const std::uint16_t> population_of;
};

// This epoch's counters (epochs.csv).
struct StakingPeriod {
  ledger::TokenAmount commission;
  ledger::TokenAmount to_delegators;
  ledger::TokenAmount delegators_slashed;
  ledger::TokenAmount downtime_slashed;
  std::uint64_t downtime_slashes = 0;
  std::uint64_t redelegations = 0;  // delegators that started unbonding
  double correlation_penalty = 0.0;  // the largest correlation term applied
};

class Staking {
 public:
  // `commission_millionths`: by population index (0 for populations of other roles).
  Staking(std::optional<DelegationConfig> delegation, std::optional<SlashingConfig> slashing,
          std::vector<std::uint64_t> commission_millionths, ledger::Ledger& ledger, std::uint64_t seed,
          std::uint64_t replicate, core::SimTime epoch_length, core::SimTime horizon);

  [[nodiscard]] bool delegates() const noexcept { return delegation_.has_value(); }
  [[nodiscard]] const std::string& delegation_role() const noexcept { return delegation_->role; }
  [[nodiscard]] const std::optional<DowntimeSpec>& downtime() const noexcept { return downtime_; }
  [[nodiscard]] bool correlated() const noexcept { return correlation_.has_value(); }
  // The most delegated stake any operator can hold: every delegator's largest endowment.
  [[nodiscard]] ledger::TokenAmount most_delegated() const;

  // Opens and endows the delegators' accounts: before the agents', whose accounts the owner keeps contiguous.
  void endow_delegators();
  // Bonds every delegator to its choice among the initial operators.
  void bond_initial(const Operators& operators) { bond_free(-1, operators); }
  [[nodiscard]] ledger::TokenAmount stake_of(std::uint32_t agent, ledger::AccountId account) const;
  [[nodiscard]] ledger::TokenAmount delegated_to(std::uint32_t agent) const { return book_.delegated_to(agent); }
  // What the operator passed on to its delegators over the run.
  [[nodiscard]] ledger::TokenAmount passed_on(std::uint32_t agent) const {
    return agent < passed_on_total_.size() ? passed_on_total_[agent] : ledger::TokenAmount{};
  }
  [[nodiscard]] const DelegationBook& book() const noexcept { return book_; }
  // `shares` (aligned with the operators) are what the rule paid; they become what each operator keeps, and
  // `passed_on` what it passed to its delegators.
  void split_rewards(const Operators& operators, std::span<ledger::TokenAmount> shares,
                     std::span<ledger::TokenAmount> passed_on);
  // Slashes the operator and its delegations; `correlated` slashes add to the window and pay its term.
  ledger::TokenAmount slash(std::uint32_t agent, ledger::AccountId account, double base, core::SimTime now, bool correlated,
                            const char* reason);
  // `downtime_operators`: the downtime role's active operators (empty without downtime); `delegation_operators`
  // the delegation role's.
  void end_epoch(std::int64_t epoch, core::SimTime now, const Operators& downtime_operators,
                 const Operators& delegation_operators);
  StakingPeriod take_period() noexcept;

  // The columns it adds to runs.csv, epochs.csv and agents.csv, with the sections present.
  enum class Table { runs, epochs, agents };
  static std::vector<std::string> columns(Table table, bool delegation, bool slashing);
  void write_epoch(io::CsvBuffer& row, unsigned decimals, const StakingPeriod& period) const;
  void write_run(io::CsvBuffer& row, unsigned decimals) const;
  void write_agent(io::CsvBuffer& row, unsigned decimals, std::uint32_t agent) const;

 private:
  [[nodiscard]] std::uint64_t commission_of(const Operators& operators, std::uint32_t agent) const {
    return commission_millionths_[operators.population_of[agent]];
  }
  void grow_to(std::uint32_t agent);
  void bond_free(std::int64_t epoch, const Operators& operators);
  // Fixes the round's candidates (weights or the best operators) before delegators choose among them.
  void prepare_choice(const Operators& operators);
  [[nodiscard]] std::uint32_t choose(std::uint32_t delegator, std::int64_t epoch) const;
  // Whether a bonded delegator's operator is worse, by its choice rule, than the best this round.
  [[nodiscard]] bool wants_to_move(std::uint32_t delegator, const Operators& operators) const;

  std::optional<DelegationConfig> delegation_;
  bool slashing_ = false;
  std::optional<DowntimeSpec> downtime_;
  std::optional<CorrelationWindow> correlation_;
  std::vector<std::uint64_t> commission_millionths_;
  ledger::Ledger& ledger_;
  DelegationBook book_;
  std::uint64_t seed_;
  std::uint64_t replicate_;
  core::SimTime epoch_length_;
  core::SimTime horizon_;
  StakingPeriod period_;
  ledger::TokenAmount downtime_slashed_total_;
  double correlation_penalty_max_ = 0.0;
  // By agent id.
  std::vector<double> yield_;  // (1 − c)·r/s of its last payment
  std::vector<ledger::TokenAmount> commission_total_;
  std::vector<ledger::TokenAmount> passed_on_total_;
  std::vector<std::uint8_t> active_;
  // The round's candidates: cumulative stake weights, or the operators tied best.
  std::vector<std::uint32_t> candidates_;
  std::vector<double> cumulative_;
  double best_ = 0.0;  // the best commission or yield this round
};

}  // namespace dais::models::staking
