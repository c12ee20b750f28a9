#include "models/locks/vote_escrow.hpp"

#include <stdexcept>
#include <string>

namespace dais::models::locks {

using ledger::AccountId;
using ledger::TokenAmount;

namespace {

[[noreturn]] void refuse(const char* operation, AccountId account, const std::string& why) {
  throw std::invalid_argument(std::string("vote escrow: ") + operation + " by account " + std::to_string(account) +
                              ": " + why);
}

u128 epochs(std::int64_t from, std::int64_t to) { return static_cast<u128>(to - from); }

}  // namespace

VoteEscrow::VoteEscrow(ledger::Ledger& ledger, std::int64_t max_lock_epochs)
    : ledger_(ledger), max_lock_(max_lock_epochs) {
  if (max_lock_epochs < 1) throw std::invalid_argument("vote escrow: max_lock_epochs must be at least 1");
}

const EscrowLock& VoteEscrow::lock_of(AccountId account) const noexcept {
  static const EscrowLock none{};
  return account < locks_.size() ? locks_[account] : none;
}

void VoteEscrow::checkpoint(std::int64_t epoch) {
  require_ahead(epoch);
  for (auto end = slope_ends_.begin(); end != slope_ends_.end() && end->first <= epoch; end = slope_ends_.erase(end))
    advance(line_, *end);
  if (line_.slope != 0) line_.bias -= line_.slope * epochs(line_.at, epoch);
  line_.at = epoch;
}

u128 VoteEscrow::total_power(std::int64_t epoch) const {
  require_ahead(epoch);
  Line line = line_;
  for (auto end = slope_ends_.begin(); end != slope_ends_.end() && end->first <= epoch; ++end) advance(line, *end);
  return line.slope == 0 ? 0 : line.bias - line.slope * epochs(line.at, epoch);
}

void VoteEscrow::require_ahead(std::int64_t epoch) const {
  if (epoch < line_.at)
    throw std::invalid_argument("vote escrow: epoch " + std::to_string(epoch) + " is before epoch " +
                                std::to_string(line_.at) + ", already passed (the escrow keeps no history)");
}

void VoteEscrow::advance(Line& line, const std::pair<const std::int64_t, u128>& end) {
  line.bias -= line.slope * epochs(line.at, end.first);
  line.slope -= end.second;
  line.at = end.first;
}

u128 VoteEscrow::power(AccountId account, std::int64_t epoch) const {
  const EscrowLock& lock = lock_of(account);
  if (lock.amount.is_zero()) return 0;
  if (epoch < lock.changed)
    throw std::invalid_argument("vote escrow: power of account " + std::to_string(account) + " at epoch " +
                                std::to_string(epoch) + " is history; its lock changed at epoch " +
                                std::to_string(lock.changed));
  return epoch < lock.end ? lock.slope * epochs(epoch, lock.end) : 0;
}

const EscrowLock& VoteEscrow::running_lock(AccountId account, std::int64_t now, const char* operation) const {
  const EscrowLock& lock = lock_of(account);
  if (lock.amount.is_zero()) refuse(operation, account, "it holds no lock");
  if (lock.end <= now)
    refuse(operation, account, "its lock expired at epoch " + std::to_string(lock.end) + "; withdraw it");
  return lock;
}

void VoteEscrow::require_end(std::int64_t end, std::int64_t now, const char* operation) const {
  if (end <= now || end - now > max_lock_)
    throw std::invalid_argument(std::string("vote escrow: ") + operation + ": the end epoch must be in (" +
                                std::to_string(now) + ", " + std::to_string(now) + " + " + std::to_string(max_lock_) +
                                "], found " + std::to_string(end));
}

void VoteEscrow::replace(AccountId account, const EscrowLock& next, std::int64_t now) {
  if (account >= locks_.size()) locks_.resize(std::size_t{account} + 1);
  const EscrowLock& old = locks_[account];
  if (old.slope != 0 && old.end > now) {
    line_.bias -= old.slope * epochs(now, old.end);
    line_.slope -= old.slope;
    const auto end = slope_ends_.find(old.end);
    if ((end->second -= old.slope) == 0) slope_ends_.erase(end);
  }
  if (next.slope != 0) {
    line_.bias += next.slope * epochs(now, next.end);
    line_.slope += next.slope;
    slope_ends_[next.end] += next.slope;
  }
  locks_[account] = next;
}

void VoteEscrow::create_lock(AccountId account, TokenAmount amount, std::int64_t end, std::int64_t now) {
  checkpoint(now);
  if (amount.is_zero()) refuse("create_lock", account, "the amount must be positive");
  if (!lock_of(account).amount.is_zero()) refuse("create_lock", account, "it already holds a lock; withdraw it first");
  require_end(end, now, "create_lock");
  ledger_.lock(account, amount, "vote-escrow lock");
  total_locked_ += amount;
  const auto max_lock = static_cast<u128>(max_lock_);
  replace(account, {amount, end, amount.base_units() / max_lock, now}, now);
}

void VoteEscrow::increase_amount(AccountId account, TokenAmount added, std::int64_t now) {
  checkpoint(now);
  if (added.is_zero()) refuse("increase_amount", account, "the amount must be positive");
  const EscrowLock& lock = running_lock(account, now, "increase_amount");
  ledger_.lock(account, added, "vote-escrow lock");
  total_locked_ += added;
  const TokenAmount amount = lock.amount + added;
  // The slope is recomputed from the new amount, as Curve does, not summed: one rounding per lock.
  replace(account, {amount, lock.end, amount.base_units() / static_cast<u128>(max_lock_), now}, now);
}

void VoteEscrow::extend_lock(AccountId account, std::int64_t new_end, std::int64_t now) {
  checkpoint(now);
  const EscrowLock& lock = running_lock(account, now, "extend_lock");
  if (new_end <= lock.end)
    refuse("extend_lock", account, "the new end must be after " + std::to_string(lock.end) + ", found " +
                                       std::to_string(new_end));
  require_end(new_end, now, "extend_lock");
  replace(account, {lock.amount, new_end, lock.slope, now}, now);
}

TokenAmount VoteEscrow::withdraw(AccountId account, std::int64_t now) {
  checkpoint(now);
  const EscrowLock lock = lock_of(account);
  if (lock.amount.is_zero()) refuse("withdraw", account, "it holds no lock");
  if (now < lock.end)
    refuse("withdraw", account,
           "its lock runs until epoch " + std::to_string(lock.end) + ", now is " + std::to_string(now));
  ledger_.unlock(account, lock.amount, "vote-escrow withdraw");
  total_locked_ -= lock.amount;
  locks_[account] = {};  // its slope left the line at its end
  return lock.amount;
}

}  // namespace dais::models::locks
