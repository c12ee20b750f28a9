#pragma once
// Vesting schedules with a cliff (OpenZeppelin VestingWallet + VestingWalletCliff, ../shared/MECHANISMS.md §5.4),
// in whole epochs and exact integers. A grant of A tokens starting at epoch s, with a cliff of c epochs and a
// duration of d epochs (0 <= c <= d), has vested at epoch t:
//     0                    t < s + c
//     floor(A (t - s) / d) s + c <= t < s + d
//     A                    t >= s + d            (so d = 0 vests everything at s)
// The book holds the unvested tokens in the beneficiary's ledger `locked` bucket: grant() locks them from its
// balance (fund it first: mint to it, or transfer from the treasury; which is the economy's policy, not the
// book's), release_due() unlocks what has vested since the last release. The ledger's conservation check thereby
// covers every vesting token.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/ledger/ledger.hpp"

namespace dais::models::locks {

struct VestingGrant {
  ledger::AccountId beneficiary = 0;
  ledger::TokenAmount amount;
  std::int64_t start = 0;     // epoch
  std::int64_t cliff = 0;     // epochs after start before anything vests
  std::int64_t duration = 0;  // epochs after start when everything has vested; >= cliff
};

// What the grant has vested by epoch `epoch` (the formula above); exact for every 128-bit amount.
ledger::TokenAmount vested_amount(const VestingGrant& grant, std::int64_t epoch);

// Tokens one account receives at a release: the sum over its grants.
struct VestingRelease {
  ledger::AccountId account = 0;
  ledger::TokenAmount amount;
};

class VestingBook {
 public:
  explicit VestingBook(ledger::Ledger& ledger) : ledger_(ledger) {}

  // Locks the grant's amount from the beneficiary's balance and returns the grant's id (ids count from 0).
  // Throws std::invalid_argument for a cliff outside [0, duration], and ledger::LedgerError when the balance
  // lacks the amount.
  std::size_t grant(const VestingGrant& grant);

  // Unlocks, for every grant, what it has vested by `epoch` and not yet released; returns the amounts by account
  // (ascending, zeros left out). Epochs must not decrease from call to call (std::invalid_argument otherwise).
  // Costs O(g log g) in the g grants not yet fully released.
  std::vector<VestingRelease> release_due(std::int64_t epoch);

  [[nodiscard]] std::size_t grant_count() const noexcept { return grants_.size(); }
  [[nodiscard]] const VestingGrant& grant_terms(std::size_t id) const { return grants_.at(id).terms; }
  [[nodiscard]] ledger::TokenAmount released(std::size_t id) const { return grants_.at(id).released; }
  // Granted and not yet released, over every grant.
  [[nodiscard]] ledger::TokenAmount still_locked() const noexcept { return still_locked_; }

 private:
  struct Entry {
    VestingGrant terms;
    ledger::TokenAmount released;
  };

  ledger::Ledger& ledger_;
  std::vector<Entry> grants_;
  std::vector<std::size_t> unfinished_;  // ids of grants with something left to release, ascending
  ledger::TokenAmount still_locked_;
  std::int64_t last_release_epoch_ = INT64_MIN;
};

}  // namespace dais::models::locks
