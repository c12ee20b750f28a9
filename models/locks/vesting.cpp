#include "models/locks/vesting.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace dais::models::locks {

using ledger::TokenAmount;

TokenAmount vested_amount(const VestingGrant& grant, std::int64_t epoch) {
  if (epoch < grant.start + grant.cliff) return {};
  if (epoch >= grant.start + grant.duration) return grant.amount;
  // floor(A k / d) with k = t - s < d, without the 128-bit overflow of A k: A = q d + r gives q k + floor(r k / d),
  // and r k < d^2 < 2^126.
  const auto elapsed = static_cast<u128>(epoch - grant.start);
  const auto duration = static_cast<u128>(grant.duration);
  const u128 a = grant.amount.base_units();
  return TokenAmount::from_base_units(a / duration * elapsed + a % duration * elapsed / duration);
}

std::size_t VestingBook::grant(const VestingGrant& terms) {
  std::int64_t end = 0;
  if (terms.cliff < 0 || terms.cliff > terms.duration || __builtin_add_overflow(terms.start, terms.duration, &end))
    throw std::invalid_argument(
        "vesting: a grant needs 0 <= cliff <= duration and an end epoch that fits, found cliff " +
        std::to_string(terms.cliff) + ", duration " + std::to_string(terms.duration));
  ledger_.lock(terms.beneficiary, terms.amount, "vesting grant");
  still_locked_ += terms.amount;
  grants_.push_back({terms, {}});
  if (!terms.amount.is_zero()) unfinished_.push_back(grants_.size() - 1);
  return grants_.size() - 1;
}

std::vector<VestingRelease> VestingBook::release_due(std::int64_t epoch) {
  if (epoch < last_release_epoch_)
    throw std::invalid_argument("vesting: release at epoch " + std::to_string(epoch) + " after a release at epoch " +
                                std::to_string(last_release_epoch_));
  last_release_epoch_ = epoch;
  std::vector<VestingRelease> due;
  std::erase_if(unfinished_, [&](std::size_t id) {
    Entry& g = grants_[id];
    const TokenAmount vested = vested_amount(g.terms, epoch);
    if (vested > g.released) {
      due.push_back({g.terms.beneficiary, vested - g.released});
      g.released = vested;
    }
    return g.released == g.terms.amount;
  });
  // One unlock per account, however many grants it holds.
  std::sort(due.begin(), due.end(),
            [](const VestingRelease& a, const VestingRelease& b) { return a.account < b.account; });
  std::vector<VestingRelease> by_account;
  for (const VestingRelease& r : due) {
    if (!by_account.empty() && by_account.back().account == r.account)
      by_account.back().amount += r.amount;
    else
      by_account.push_back(r);
  }
  for (const VestingRelease& r : by_account) {
    ledger_.unlock(r.account, r.amount, "vesting release");
    still_locked_ -= r.amount;
  }
  return by_account;
}

}  // namespace dais::models::locks
