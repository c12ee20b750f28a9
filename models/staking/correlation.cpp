#include "models/staking/correlation.hpp"

#include <algorithm>

namespace dais::models::staking {

double CorrelationWindow::add(core::SimTime now, ledger::TokenAmount stake_at_fault, ledger::TokenAmount total_staked) {
  while (!recent_.empty() && !(now - recent_.front().at < window_)) {
    in_window_ -= recent_.front().stake;
    recent_.pop_front();
  }
  recent_.push_back({now, stake_at_fault});
  in_window_ += stake_at_fault;
  if (total_staked.is_zero()) return 0.0;
  const double ratio = to_double(in_window_.base_units()) / to_double(total_staked.base_units());
  return std::min(1.0, multiplier_ * ratio);
}

}  // namespace dais::models::staking
