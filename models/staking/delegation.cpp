#include "models/staking/delegation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace dais::models::staking {

using ledger::TokenAmount;

std::uint32_t DelegationBook::add_delegator(TokenAmount stake) {
  const ledger::AccountId account = ledger_.open_account();
  if (!stake.is_zero()) ledger_.mint(account, stake, "delegator endowment");
  Delegator d;
  d.account = account;
  d.amount = stake;
  d.endowment = stake;
  state_.push_back(d);
  return static_cast<std::uint32_t>(state_.size() - 1);
}

void DelegationBook::grow_to(std::uint32_t op) {
  if (op < members_.size()) return;
  members_.resize(std::size_t{op} + 1);
  delegated_.resize(std::size_t{op} + 1);
  slashable_.resize(std::size_t{op} + 1);
}

void DelegationBook::bond(std::uint32_t delegator, std::uint32_t op) {
  Delegator& d = state_[delegator];
  if (d.op != no_operator) throw std::logic_error("delegation: bonding a delegator that is not free");
  grow_to(op);
  if (!d.amount.is_zero()) ledger_.stake(d.account, d.amount, "delegation");
  d.op = op;
  d.bonded = true;
  std::vector<std::uint32_t>& m = members_[op];
  m.insert(std::lower_bound(m.begin(), m.end(), delegator), delegator);
  delegated_[op] += d.amount;
  slashable_[op] += d.amount;
  total_delegated_ += d.amount;
}

void DelegationBook::unbond(std::uint32_t delegator, core::SimTime now, core::SimTime delay) {
  Delegator& d = state_[delegator];
  if (!bonded(delegator)) throw std::logic_error("delegation: unbonding a delegator that is not bonded");
  if (!d.amount.is_zero()) ledger_.unstake(d.account, d.amount, now, delay, "undelegation");
  d.bonded = false;
  d.release_at = now + delay;
  delegated_[d.op] -= d.amount;
  total_delegated_ -= d.amount;
  unbonding_.push_back(delegator);
}

void DelegationBook::leave_operator(std::uint32_t delegator) {
  Delegator& d = state_[delegator];
  std::vector<std::uint32_t>& m = members_[d.op];
  m.erase(std::lower_bound(m.begin(), m.end(), delegator));
  slashable_[d.op] -= d.amount;
  d.op = no_operator;
}

const std::vector<std::uint32_t>& DelegationBook::collect_released(core::SimTime now) {
  released_.clear();
  std::size_t kept = 0;
  for (std::uint32_t delegator : unbonding_) {
    if (state_[delegator].release_at <= now) {
      leave_operator(delegator);
      released_.push_back(delegator);
    } else {
      unbonding_[kept++] = delegator;
    }
  }
  unbonding_.resize(kept);
  std::sort(released_.begin(), released_.end());
  return released_;
}

DelegationBook::Split DelegationBook::split_reward(std::uint32_t op, ledger::AccountId op_account, TokenAmount own,
                                                   TokenAmount reward, std::uint64_t commission_millionths) {
  const TokenAmount delegated = delegated_to(op);
  if (delegated.is_zero() || reward.is_zero()) return {};
  const std::array<TokenAmount, 2> stakes{own, delegated};
  std::array<TokenAmount, 2> parts{};
  ledger::apportion_amounts(reward, stakes, parts, scratch_);
  Split split;
  split.commission = ledger::millionths_of(parts[1], commission_millionths);
  split.to_delegators = parts[1] - split.commission;
  if (split.to_delegators.is_zero()) return split;
  weights_.clear();
  for (std::uint32_t d : members_[op]) weights_.push_back(state_[d].bonded ? state_[d].amount : TokenAmount{});
  parts_.assign(weights_.size(), TokenAmount{});
  ledger::apportion_amounts(split.to_delegators, weights_, parts_, scratch_);
  for (std::size_t k = 0; k < parts_.size(); ++k) {
    if (parts_[k].is_zero()) continue;
    Delegator& d = state_[members_[op][k]];
    ledger_.transfer(op_account, d.account, parts_[k], "delegation reward");
    d.rewards += parts_[k];
  }
  return split;
}

TokenAmount DelegationBook::slash(std::uint32_t op, std::uint64_t fraction_millionths) {
  if (op >= members_.size()) return {};
  TokenAmount total;
  for (std::uint32_t delegator : members_[op]) {
    Delegator& d = state_[delegator];
    const TokenAmount taken = ledger_.slash(d.account, ledger::millionths_of(d.amount, fraction_millionths), "delegation slash");
    d.amount -= taken;
    d.slashed += taken;
    slashable_[op] -= taken;
    if (d.bonded) {
      delegated_[op] -= taken;
      total_delegated_ -= taken;
    }
    total += taken;
  }
  return total;
}

void DelegationBook::check() const {
  std::vector<TokenAmount> delegated(delegated_.size());
  std::vector<TokenAmount> slashable(slashable_.size());
  for (std::uint32_t k = 0; k < state_.size(); ++k) {
    const Delegator& d = state_[k];
    const TokenAmount held = d.bonded ? ledger_.staked(d.account) : ledger_.unbonding(d.account);
    const bool in_ledger = d.op == no_operator || held == d.amount;
    if (!in_ledger)
      throw ledger::ConservationError(fmt::format("delegation: delegator {} holds {} base units {} but the book says {}",
                                                  k, ledger::u128_to_string(held.base_units()),
                                                  d.bonded ? "staked" : "unbonding",
                                                  ledger::u128_to_string(d.amount.base_units())));
    if (d.op == no_operator) continue;
    slashable[d.op] += d.amount;
    if (d.bonded) delegated[d.op] += d.amount;
  }
  TokenAmount total;
  for (std::size_t op = 0; op < delegated_.size(); ++op) {
    total += delegated[op];
    if (delegated[op] != delegated_[op] || slashable[op] != slashable_[op])
      throw ledger::ConservationError(fmt::format("delegation: operator {}'s delegated sums disagree with its delegators", op));
  }
  if (total != total_delegated_) throw ledger::ConservationError("delegation: the total delegated disagrees with the operators'");
}

}  // namespace dais::models::staking
