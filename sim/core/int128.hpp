#pragma once
// 128-bit unsigned integers (GCC/Clang): token amounts and exact products need them. __extension__ keeps
// -Wpedantic quiet about the non-standard type in this one place.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace dais {

__extension__ typedef unsigned __int128 u128;

// The number of bits needed to represent x (std::bit_width does not take __int128).
constexpr int bit_width(u128 x) noexcept {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  return high != 0 ? 64 + static_cast<int>(std::bit_width(high)) : static_cast<int>(std::bit_width(static_cast<std::uint64_t>(x)));
}

// The double nearest to x (ties to even), without a branch: both 32-bit halves convert exactly, and so does
// the scaling of the high one, so the one rounding is the addition's. The compiler's unsigned conversion
// branches on the top bit instead, which amounts near 2^63 base units (9.2 tokens at 18 decimals) make
// unpredictable.
inline double to_double(std::uint64_t x) noexcept {
  return static_cast<double>(static_cast<std::int64_t>(x >> 32)) * 0x1p32 +
         static_cast<double>(static_cast<std::int64_t>(x & 0xFFFF'FFFFU));
}

namespace detail {
// to_double of x >= 2^64: the bits that do not fit 64 are folded into a sticky bit, so the one rounding, in the
// 64-bit conversion, is right. Out of line, so the common case inlines into loops.
[[gnu::noinline]] inline double to_double_wide(u128 x) noexcept {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  const int shift = 64 - std::countl_zero(high);  // 1..64 bits to drop
  const u128 dropped = x & ((u128{1} << shift) - 1);
  const std::uint64_t kept = static_cast<std::uint64_t>(x >> shift) | static_cast<std::uint64_t>(dropped != 0);
  const double scale = std::bit_cast<double>(static_cast<std::uint64_t>(1023 + shift) << 52);  // 2^shift
  return to_double(kept) * scale;
}
}  // namespace detail

// The double nearest to x (ties to even), as the generic library routine gives, without its call.
inline double to_double(u128 x) noexcept {
  if ((x >> 64) == 0) [[likely]] return to_double(static_cast<std::uint64_t>(x));
  return detail::to_double_wide(x);
}

// floor(√x), exactly.
inline std::uint64_t integer_sqrt(u128 x) noexcept {
  constexpr u128 largest_root = std::numeric_limits<std::uint64_t>::max();
  // The double's root is within one of the answer below 2^106; above, within a few thousand, and one Newton step
  // (which never lands below the floor of the root) brings it within one.
  u128 r = static_cast<u128>(std::sqrt(to_double(x)));
  if ((x >> 106) != 0) {
    r = (r + x / r) / 2;
    if (r > largest_root) r = largest_root;
  }
  while (r > 0 && r * r > x) --r;
  while (r < largest_root && (r + 1) * (r + 1) <= x) ++r;
  return static_cast<std::uint64_t>(r);
}

}  // namespace dais
