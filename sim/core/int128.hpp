#pragma once
// 128-bit unsigned integers (GCC/Clang): token amounts and exact products need them. __extension__ keeps
// -Wpedantic quiet about the non-standard type in this one place.

#include <bit>
#include <cstdint>

namespace dais {

__extension__ typedef unsigned __int128 u128;

// The number of bits needed to represent x (std::bit_width does not take __int128).
constexpr int bit_width(u128 x) noexcept {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  return high != 0 ? 64 + static_cast<int>(std::bit_width(high)) : static_cast<int>(std::bit_width(static_cast<std::uint64_t>(x)));
}

// The double nearest to x (ties to even), as the generic library routine gives, without its call: the bits
// that do not fit 64 are folded into a sticky bit, so the one rounding, in the 64-bit conversion, is right.
inline double to_double(u128 x) noexcept {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  if (high == 0) return static_cast<double>(static_cast<std::uint64_t>(x));
  const int shift = 64 - std::countl_zero(high);  // 1..64 bits to drop
  const u128 dropped = x & ((u128{1} << shift) - 1);
  const std::uint64_t kept = static_cast<std::uint64_t>(x >> shift) | static_cast<std::uint64_t>(dropped != 0);
  const double scale = std::bit_cast<double>(static_cast<std::uint64_t>(1023 + shift) << 52);  // 2^shift
  return static_cast<double>(kept) * scale;
}

}  // namespace dais
