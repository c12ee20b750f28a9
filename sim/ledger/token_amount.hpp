#pragma once
// Token amounts: unsigned 128-bit integers in base units (10^-decimals of a token). 2^128 base units is
// 3.4e20 whole tokens at 18 decimals. Arithmetic is checked: overflow and underflow throw, never wrap.

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/core/int128.hpp"

namespace dais::ledger {

using dais::u128;

class AmountError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TokenAmount {
 public:
  constexpr TokenAmount() noexcept = default;
  static constexpr TokenAmount from_base_units(u128 units) noexcept { return TokenAmount{units}; }
  // n whole tokens; throws AmountError if that does not fit.
  static TokenAmount whole_tokens(std::uint64_t n, unsigned decimals);
  // Exact parse of "123", "0.5", "1000000.000000000000000001": digits, at most one '.', at most `decimals`
  // digits after it. Returns nullopt and sets *error (if given) to a short reason on failure.
  static std::optional<TokenAmount> parse_decimal(std::string_view text, unsigned decimals,
                                                  std::string* error = nullptr);

  [[nodiscard]] constexpr u128 base_units() const noexcept { return units_; }
  [[nodiscard]] constexpr bool is_zero() const noexcept { return units_ == 0; }
  // Exact decimal form in whole tokens, trailing zeros trimmed: "12.5", "0", "0.000000000000000001".
  [[nodiscard]] std::string to_decimal(unsigned decimals) const;
  // Nearest double in whole tokens (for metrics and behaviour, never for accounting).
  [[nodiscard]] double to_tokens(unsigned decimals) const noexcept;

  constexpr auto operator<=>(const TokenAmount&) const noexcept = default;

  TokenAmount& operator+=(TokenAmount other) {
    u128 sum = 0;  // a local, so a failed addition leaves this amount as it was
    if (__builtin_add_overflow(units_, other.units_, &sum)) throw AmountError("token amount overflow");
    units_ = sum;
    return *this;
  }
  TokenAmount& operator-=(TokenAmount other) {
    if (other.units_ > units_) throw AmountError("token amount underflow");
    units_ -= other.units_;
    return *this;
  }
  friend TokenAmount operator+(TokenAmount a, TokenAmount b) { return a += b; }
  friend TokenAmount operator-(TokenAmount a, TokenAmount b) { return a -= b; }

 private:
  constexpr explicit TokenAmount(u128 units) noexcept : units_(units) {}
  u128 units_ = 0;
};

// 10^decimals as a u128; decimals must be at most 38.
u128 pow10_u128(unsigned decimals);

// Decimal digits of a u128 (no sign, no separators).
std::string u128_to_string(u128 value);

// floor(amount * m / 10^6), exactly: a share held in millionths (m <= 10^6) of an amount.
inline TokenAmount millionths_of(TokenAmount amount, std::uint64_t m) noexcept {
  if (m == 0) return {};  // the common case, without two 128-bit divisions
  const u128 a = amount.base_units();
  return TokenAmount::from_base_units(a / 1'000'000 * m + a % 1'000'000 * m / 1'000'000);
}

}  // namespace dais::ledger
