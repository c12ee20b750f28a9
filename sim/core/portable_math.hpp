#pragma once
// Elementary functions that give the same bits on every platform. The C library's exp may round differently
// between versions and between its FMA and non-FMA code paths, which would break byte-identical results across
// the machines of an MPI batch; this one uses only IEEE-754 operations in a fixed order (the build compiles
// with -ffp-contract=off), so its output depends on nothing but its input. It is also faster than glibc's.

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <span>

namespace dais::core {

namespace detail {

inline constexpr int exp_table_bits = 8;
inline constexpr int exp_table_size = 1 << exp_table_bits;

// 2^(j/256), correctly rounded: GCC evaluates __builtin_exp2 at compile time with MPFR.
constexpr std::array<double, exp_table_size> make_exp2_table() {
  std::array<double, exp_table_size> table{};
  for (int j = 0; j < exp_table_size; ++j) table[j] = __builtin_exp2(static_cast<double>(j) / exp_table_size);
  return table;
}
inline constexpr std::array<double, exp_table_size> exp2_table = make_exp2_table();

// 2^e for e in [-1022, 1023].
constexpr double power_of_two(int e) noexcept {
  return std::bit_cast<double>(static_cast<std::uint64_t>(e + 1023) << 52);
}

// portable_exp's constants, shared with its vectorized form (portable_math.cpp).
namespace exp_constants {
inline constexpr double n_over_ln2 = 0x1.71547652b82fep+8;     // 256 / ln 2
inline constexpr double ln2_over_n_hi = 0x1.62e42fee00000p-9;  // ln 2 / 256, leading 32 bits (fdlibm's ln2_hi / 256)
inline constexpr double ln2_over_n_lo = 0x1.a39ef35793c76p-41; // the rest (fdlibm's ln2_lo / 256)
inline constexpr double round_shift = 0x1.8p52;                // adding it rounds to an integer in the low bits
inline constexpr double sixth = 1.0 / 6;
inline constexpr double twenty_fourth = 1.0 / 24;
inline constexpr double hundred_twentieth = 1.0 / 120;
}  // namespace exp_constants

}  // namespace detail

// e^x within about one unit in the last place, identical on every IEEE-754 platform.
// Method: x = k ln2/256 + r with |r| <= ln2/512 (Cody-Waite reduction with ln2 split so that k * hi is exact),
// e^x = 2^(k/256) e^r, 2^(j/256) from the table, e^r - 1 by its Taylor polynomial to r^5 (next term < 2^-70).
constexpr double portable_exp(double x) noexcept {
  using namespace detail::exp_constants;
  if (!(x > -745.2)) return x != x ? x : 0.0;  // NaN stays NaN; below the smallest subnormal's log: 0
  if (x > 709.79) return std::numeric_limits<double>::infinity();
  const double shifted = x * n_over_ln2 + round_shift;
  const double kd = shifted - round_shift;
  const auto k = static_cast<std::int64_t>(kd);
  const double r = (x - kd * ln2_over_n_hi) - kd * ln2_over_n_lo;
  // Estrin's scheme: the same polynomial with a dependency chain half as long as Horner's.
  const double r2 = r * r;
  const double tail = (r + r2 * (0.5 + r * sixth)) + (r2 * r2) * (twenty_fourth + r * hundred_twentieth);
  const double t = detail::exp2_table[static_cast<std::size_t>(k & (detail::exp_table_size - 1))];
  const double mantissa = t + t * tail;
  const auto e = static_cast<int>(k >> detail::exp_table_bits);  // floor(k / 256)
  // Two steps near the ends of the range, so neither factor overflows and underflow rounds once.
  if (e > 1000) return mantissa * detail::power_of_two(1000) * detail::power_of_two(e - 1000);
  if (e < -1000) return mantissa * detail::power_of_two(-1000) * detail::power_of_two(e + 1000);
  return mantissa * detail::power_of_two(e);
}

// x[i] = portable_exp(x[i]) for every i, to the bit, several at a time (AVX2 where the processor has it).
void exp_in_place(std::span<double> x) noexcept;

namespace detail {
void exp_in_place_baseline(std::span<double> x) noexcept;  // exp_in_place without AVX2, for the tests
}  // namespace detail

}  // namespace dais::core
