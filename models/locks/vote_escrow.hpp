#pragma once
// Vote-escrow locks in the manner of Curve's VotingEscrow.vy (../shared/MECHANISMS.md §5.4), in whole epochs.
// An account locks an amount a until an end epoch e with now < e <= now + max_lock; its voting power decays
// linearly to zero at e:
//     slope = floor(a / max_lock)          power(t) = slope * (e - t) for t < e, else 0
// Rounding, as Curve's: the slope is rounded down once, then power is exact in it. Powers are then lines with
// integer slopes, so the total power kept from one global (bias, slope) and the slope changes at each end epoch
// equals the sum of the individual powers exactly, at every epoch. The cost is at most max_lock - 1 base units of
// slope per lock: a lock of fewer than max_lock base units has no power (as in Curve).
// Rules as Curve's: one lock per account; the amount may grow and the end move later while the lock runs; the
// tokens come back by withdraw() at or after the end. Locked tokens sit in the account's ledger `locked` bucket.
//
// Epochs given to the operations and to total_power() must not decrease (the global line only moves forward); the
// per-epoch cost of keeping it is O(1) plus O(log n) per lock end passed.

#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "sim/core/int128.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models::locks {

struct EscrowLock {
  ledger::TokenAmount amount;  // zero: no lock
  std::int64_t end = 0;        // the first epoch with no power; withdrawable from then on
  u128 slope = 0;              // floor(amount / max_lock)
  std::int64_t changed = 0;    // the epoch of the last create, increase or extend
};

class VoteEscrow {
 public:
  // Throws std::invalid_argument unless max_lock_epochs >= 1.
  VoteEscrow(ledger::Ledger& ledger, std::int64_t max_lock_epochs);

  // Each throws std::invalid_argument when Curve's contract would revert (the message says which rule), and
  // ledger::LedgerError when the balance lacks the amount.
  // A new lock: amount > 0, no lock held (withdraw an expired one first), now < end <= now + max_lock.
  void create_lock(ledger::AccountId account, ledger::TokenAmount amount, std::int64_t end, std::int64_t now);
  // Adds to a running lock (now < end), same end.
  void increase_amount(ledger::AccountId account, ledger::TokenAmount added, std::int64_t now);
  // Moves a running lock's end later: end < new_end <= now + max_lock.
  void extend_lock(ledger::AccountId account, std::int64_t new_end, std::int64_t now);
  // Unlocks everything once now >= end; returns the amount.
  ledger::TokenAmount withdraw(ledger::AccountId account, std::int64_t now);

  // The account's power at `epoch` (0 without a lock). The escrow keeps no history: `epoch` must be at or after
  // the lock's last change (std::invalid_argument otherwise).
  [[nodiscard]] u128 power(ledger::AccountId account, std::int64_t epoch) const;
  // The sum of every account's power at `epoch` >= the last operation's epoch, from the global line: O(k log n)
  // for the k lock ends between the last checkpoint and `epoch`.
  [[nodiscard]] u128 total_power(std::int64_t epoch) const;
  // Moves the global line to `epoch`, consuming the slope changes passed; call it each epoch to keep
  // total_power() O(1). The operations call it themselves.
  void checkpoint(std::int64_t epoch);

  [[nodiscard]] const EscrowLock& lock_of(ledger::AccountId account) const noexcept;
  [[nodiscard]] ledger::TokenAmount total_locked() const noexcept { return total_locked_; }
  [[nodiscard]] std::int64_t max_lock() const noexcept { return max_lock_; }

 private:
  // The global line: total power at `epoch` is bias - slope * (epoch - at), less what ends before it.
  struct Line {
    std::int64_t at = std::numeric_limits<std::int64_t>::min();  // before the first operation every epoch is ahead
    u128 bias = 0;
    u128 slope = 0;
  };
  // Moves `line` to the lock end `end` (epoch, slope ending there), dropping that slope.
  static void advance(Line& line, const std::pair<const std::int64_t, u128>& end);
  void require_ahead(std::int64_t epoch) const;
  [[nodiscard]] const EscrowLock& running_lock(ledger::AccountId account, std::int64_t now,
                                               const char* operation) const;
  void require_end(std::int64_t end, std::int64_t now, const char* operation) const;
  // Puts `next` in the account's place, in the global line too; the line must be at `now`, where both run.
  void replace(ledger::AccountId account, const EscrowLock& next, std::int64_t now);

  ledger::Ledger& ledger_;
  std::int64_t max_lock_;
  std::vector<EscrowLock> locks_;  // by account id, grown on demand
  Line line_;
  std::map<std::int64_t, u128> slope_ends_;  // epoch -> the slope of the locks that end there
  ledger::TokenAmount total_locked_;
};

}  // namespace dais::models::locks
