#pragma once
// A run fingerprint: a rolling 64-bit hash of what a run did (events, totals). Two runs with the same
// fingerprint took the same path; a golden test on it makes any behavioural drift visible.

#include <cstdint>
#include <string>

#include "sim/core/int128.hpp"

namespace dais::core {

// SplitMix64's finalizer: a fast bijective mixer with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

class Fingerprint {
 public:
  constexpr void add(std::uint64_t word) noexcept { state_ = mix64(state_ ^ word) + 0x9e3779b97f4a7c15ULL; }
  constexpr void add(u128 word) noexcept {
    add(static_cast<std::uint64_t>(word));
    add(static_cast<std::uint64_t>(word >> 64));
  }
  [[nodiscard]] constexpr std::uint64_t value() const noexcept { return state_; }
  // Sixteen lower-case hex digits.
  [[nodiscard]] std::string hex() const;

 private:
  std::uint64_t state_ = 0x6a09e667f3bcc908ULL;
};

}  // namespace dais::core
