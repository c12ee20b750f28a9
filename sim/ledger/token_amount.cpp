#include "sim/ledger/token_amount.hpp"

#include <algorithm>

namespace dais::ledger {

u128 pow10_u128(unsigned decimals) {
  if (decimals > 38) throw AmountError("at most 38 decimals fit 128 bits");
  u128 p = 1;
  for (unsigned i = 0; i < decimals; ++i) p *= 10;
  return p;
}

std::string u128_to_string(u128 value) {
  char digits[40];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  std::reverse(digits, digits + n);
  return std::string(digits, n);
}

TokenAmount TokenAmount::whole_tokens(std::uint64_t n, unsigned decimals) {
  u128 units = 0;
  if (__builtin_mul_overflow(static_cast<u128>(n), pow10_u128(decimals), &units))
    throw AmountError("token amount overflow");
  return TokenAmount{units};
}

std::optional<TokenAmount> TokenAmount::parse_decimal(std::string_view text, unsigned decimals, std::string* error) {
  const auto fail = [&](const char* reason) -> std::optional<TokenAmount> {
    if (error != nullptr) *error = reason;
    return std::nullopt;
  };
  if (text.empty()) return fail("empty");
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty()) return fail("no digit before the decimal point");
  if (dot != std::string_view::npos && fraction.empty()) return fail("no digit after the decimal point");
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(whole) || !all_digits(fraction)) return fail("only digits and one decimal point are allowed");
  if (fraction.size() > decimals) return fail("more decimal places than the token has");

  u128 units = 0;
  const auto push_digit = [&](char c) {
    return !__builtin_mul_overflow(units, u128{10}, &units) &&
           !__builtin_add_overflow(units, static_cast<u128>(c - '0'), &units);
  };
  for (char c : whole)
    if (!push_digit(c)) return fail("too large for 128 bits");
  for (char c : fraction)
    if (!push_digit(c)) return fail("too large for 128 bits");
  for (std::size_t i = fraction.size(); i < decimals; ++i)
    if (!push_digit('0')) return fail("too large for 128 bits");
  return TokenAmount{units};
}

std::string TokenAmount::to_decimal(unsigned decimals) const {
  std::string digits = u128_to_string(units_);
  if (decimals == 0) return digits;
  if (digits.size() <= decimals) digits.insert(0, decimals + 1 - digits.size(), '0');
  const std::size_t point = digits.size() - decimals;
  std::size_t end = digits.size();
  while (end > point && digits[end - 1] == '0') --end;
  if (end == point) return digits.substr(0, point);
  return digits.substr(0, point) + "." + digits.substr(point, end - point);
}

double TokenAmount::to_tokens(unsigned decimals) const noexcept {
  // Whole and fractional parts apart, so 18-decimal amounts keep their full double precision.
  const u128 scale = decimals <= 38 ? pow10_u128(decimals) : 1;
  return to_double(units_ / scale) + to_double(units_ % scale) / to_double(scale);
}

}  // namespace dais::ledger
