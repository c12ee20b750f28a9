#pragma once
// Simulated time: a strong integer count of microseconds. No floating-point clock, so event order and
// durations are exact and identical on every machine.

#include <compare>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace dais::core {

class SimTime {
 public:
  using rep = std::int64_t;
  static constexpr rep ticks_per_second = 1'000'000;
  static constexpr rep ticks_per_day = 86'400 * ticks_per_second;

  constexpr SimTime() noexcept = default;
  static constexpr SimTime from_ticks(rep ticks) noexcept { return SimTime{ticks}; }
  static constexpr SimTime seconds(rep s) noexcept { return SimTime{s * ticks_per_second}; }
  static constexpr SimTime days(rep d) noexcept { return SimTime{d * ticks_per_day}; }
  static constexpr SimTime zero() noexcept { return SimTime{0}; }
  static constexpr SimTime max() noexcept { return SimTime{std::numeric_limits<rep>::max()}; }

  [[nodiscard]] constexpr rep ticks() const noexcept { return ticks_; }
  [[nodiscard]] constexpr double to_seconds() const noexcept {
    return static_cast<double>(ticks_) / static_cast<double>(ticks_per_second);
  }

  constexpr auto operator<=>(const SimTime&) const noexcept = default;

  // Overflow is a modelling error (a horizon beyond 292,000 years), never a silent wrap.
  constexpr SimTime& operator+=(SimTime d) {
    if (__builtin_add_overflow(ticks_, d.ticks_, &ticks_)) throw std::overflow_error("SimTime overflow");
    return *this;
  }
  constexpr SimTime& operator-=(SimTime d) {
    if (__builtin_sub_overflow(ticks_, d.ticks_, &ticks_)) throw std::overflow_error("SimTime overflow");
    return *this;
  }
  friend constexpr SimTime operator+(SimTime a, SimTime b) { return a += b; }
  friend constexpr SimTime operator-(SimTime a, SimTime b) { return a -= b; }
  friend constexpr SimTime operator*(SimTime a, rep k) {
    rep out{};
    if (__builtin_mul_overflow(a.ticks_, k, &out)) throw std::overflow_error("SimTime overflow");
    return SimTime{out};
  }

 private:
  constexpr explicit SimTime(rep ticks) noexcept : ticks_(ticks) {}
  rep ticks_ = 0;
};

}  // namespace dais::core
