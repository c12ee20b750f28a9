#include "models/emission/schedule.hpp"

#include <cmath>
#include <stdexcept>

namespace dais::models {

ledger::TokenAmount scale_amount(ledger::TokenAmount amount, double factor) {
  if (!(factor >= 0.0) || !std::isfinite(factor)) throw std::invalid_argument("emission factor must be finite and >= 0");
  const double scaled = std::floor(static_cast<double>(amount.base_units()) * factor);
  if (scaled >= 0x1.0p128) throw ledger::AmountError("emission overflows 128 bits");
  return ledger::TokenAmount::from_base_units(static_cast<ledger::u128>(scaled));
}

}  // namespace dais::models
