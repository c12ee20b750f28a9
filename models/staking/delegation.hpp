#pragma once
// Delegated stake, exactly: each delegator is a ledger account whose staked bucket is its delegation to one
// operator, so the ledger's conservation covers every delegated token; the book adds up what each operator is
// delegated and moves the tokens (../shared/MECHANISMS.md §5.2):
//   - rewards: an operator paid r on its stake s = own + d (d delegated) keeps r·own/s + c·r·d/s and passes
//     (1 − c)·r·d/s to its delegators pro rata to their delegations; r·d/s, c's part (c to a millionth, rounded
//     down) and the delegators' shares are exact to the base unit (largest remainder, sim/ledger/apportion.hpp);
//   - unbonding: a delegator leaving an operator unstakes its whole delegation; it earns nothing, and is still
//     slashed with that operator, until the ledger releases it `delay` later; then it is free to bond again;
//   - slashing: a slash of an operator takes the same fraction of each delegation bonded to it or unbonding
//     from it (each rounded down to the base unit).
// Operators are numbered by the owner (its agent ids).

#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/apportion.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models::staking {

class DelegationBook {
 public:
  static constexpr std::uint32_t no_operator = 0xffffffffu;

  explicit DelegationBook(ledger::Ledger& ledger) : ledger_(ledger) {}

  // Opens a delegator's account and mints it `stake` (its "delegator endowment"); returns the delegator's number.
  std::uint32_t add_delegator(ledger::TokenAmount stake);
  // Stakes the free delegator's bonded amount (its endowment, less what slashes took) with `op`.
  void bond(std::uint32_t delegator, std::uint32_t op);
  // Starts the bonded delegator's unbonding; released by the ledger at now + delay, then collect_released().
  void unbond(std::uint32_t delegator, core::SimTime now, core::SimTime delay);
  // Frees the delegators whose unbonding the ledger has released by `now`; returns them, ascending.
  const std::vector<std::uint32_t>& collect_released(core::SimTime now);

  struct Split {
    ledger::TokenAmount commission;     // kept by the operator out of the delegated part
    ledger::TokenAmount to_delegators;  // transferred from the operator to its delegators
  };
  // The operator `op`, whose account `op_account` holds `own` staked, was paid `reward` (already in its balance):
  // transfers the delegators' part to them. `commission_millionths` <= 10^6.
  Split split_reward(std::uint32_t op, ledger::AccountId op_account, ledger::TokenAmount own, ledger::TokenAmount reward,
                     std::uint64_t commission_millionths);
  // Slashes every delegation bonded to or unbonding from `op` by the fraction (millionths); what was taken.
  ledger::TokenAmount slash(std::uint32_t op, std::uint64_t fraction_millionths);

  [[nodiscard]] std::uint32_t delegators() const noexcept { return static_cast<std::uint32_t>(state_.size()); }
  [[nodiscard]] ledger::AccountId account(std::uint32_t d) const noexcept { return state_[d].account; }
  [[nodiscard]] std::uint32_t operator_of(std::uint32_t d) const noexcept { return state_[d].op; }
  [[nodiscard]] bool bonded(std::uint32_t d) const noexcept { return state_[d].op != no_operator && state_[d].bonded; }
  [[nodiscard]] bool free(std::uint32_t d) const noexcept { return state_[d].op == no_operator; }
  [[nodiscard]] ledger::TokenAmount endowment(std::uint32_t d) const noexcept { return state_[d].endowment; }
  // What the delegator received as rewards and lost to slashes, over the run.
  [[nodiscard]] ledger::TokenAmount rewards(std::uint32_t d) const noexcept { return state_[d].rewards; }
  [[nodiscard]] ledger::TokenAmount slashed(std::uint32_t d) const noexcept { return state_[d].slashed; }
  // Bonded to `op` (what counts as its stake), and bonded or unbonding (what a slash of it reaches).
  [[nodiscard]] ledger::TokenAmount delegated_to(std::uint32_t op) const noexcept {
    return op < delegated_.size() ? delegated_[op] : ledger::TokenAmount{};
  }
  [[nodiscard]] ledger::TokenAmount slashable_with(std::uint32_t op) const noexcept {
    return op < slashable_.size() ? slashable_[op] : ledger::TokenAmount{};
  }
  [[nodiscard]] ledger::TokenAmount total_delegated() const noexcept { return total_delegated_; }

  // Recomputes every operator's sums from the delegators and compares them with the ledger's buckets; throws
  // ledger::ConservationError naming the first mismatch.
  void check() const;

 private:
  struct Delegator {
    ledger::AccountId account = 0;
    std::uint32_t op = no_operator;  // bonded to, or unbonding from
    bool bonded = false;
    core::SimTime release_at;
    ledger::TokenAmount amount;  // bonded or unbonding; what it bonds once free
    ledger::TokenAmount endowment;
    ledger::TokenAmount rewards;
    ledger::TokenAmount slashed;
  };
  void grow_to(std::uint32_t op);
  void leave_operator(std::uint32_t d);

  ledger::Ledger& ledger_;
  std::vector<Delegator> state_;
  std::vector<std::vector<std::uint32_t>> members_;  // by operator: its delegators, bonded or unbonding, ascending
  std::vector<ledger::TokenAmount> delegated_;
  std::vector<ledger::TokenAmount> slashable_;
  ledger::TokenAmount total_delegated_;
  std::vector<std::uint32_t> unbonding_;  // delegators unbonding
  std::vector<std::uint32_t> released_;
  // Scratch of split_reward and slash, reused every epoch.
  std::vector<ledger::TokenAmount> weights_;
  std::vector<ledger::TokenAmount> parts_;
  ledger::ApportionScratch scratch_;
};

}  // namespace dais::models::staking
