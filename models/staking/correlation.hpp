#pragma once
// Ethereum's correlation penalty (consensus-specs, process_slashings; ../shared/MECHANISMS.md §5.2), in the form
// dais applies at the moment of a slash: an operator slashed at time t loses the fraction
//     min(1, base + min(1, multiplier · S / T))
// of its stake, S the stake at fault of every correlated slash in (t − window, t], this one included, T the
// total staked just before it. One operator slashed alone loses about base + multiplier · (its share of the
// stake); many slashed together (a common fault) lose everything. Ethereum's multiplier is 3
// (PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX) over 8192 epochs (about 36 days).

#include <deque>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"

namespace dais::models::staking {

class CorrelationWindow {
 public:
  CorrelationWindow(double multiplier, core::SimTime window) : multiplier_(multiplier), window_(window) {}

  // Records a slash of `stake_at_fault` at `now` (never earlier than the last) and returns its correlation term
  // min(1, multiplier · S / T); 0 when nothing is staked.
  double add(core::SimTime now, ledger::TokenAmount stake_at_fault, ledger::TokenAmount total_staked);

  // The fraction a slash takes: min(1, base + term).
  [[nodiscard]] static double fraction(double base, double term) noexcept { return base + term < 1.0 ? base + term : 1.0; }

 private:
  struct Slash {
    core::SimTime at;
    ledger::TokenAmount stake;
  };
  double multiplier_;
  core::SimTime window_;
  std::deque<Slash> recent_;
  ledger::TokenAmount in_window_;
};

}  // namespace dais::models::staking
