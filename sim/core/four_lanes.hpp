#pragma once
// A loop body written once and run four elements at a time, then one at a time for the remainder. Its sums go
// into four lanes, element i into lane i mod 4, each lane adding in index order, and are added up at the end in a
// fixed order: the operations of core::lane_sum, so the same bits. Unlike lane_sum, a body may keep several sums,
// and the vectors are not left for the compiler to find: the wide build runs the body on a Double4 (GCC's and
// Clang's generic vector, one AVX register), the narrow one twice on a Double2 (one SSE2 register), and the
// element-wise operations round the same way at either width.
//
// Files that use it silence -Wpsabi: GCC warns that these vectors would be passed differently without AVX, but
// they never cross a call that is not inlined.

#include <cstddef>
#include <cstring>
#include <type_traits>

namespace dais::core {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

using Double2 = double __attribute__((vector_size(16)));
using Double4 = double __attribute__((vector_size(32)));

template <class T>
inline constexpr bool is_vector = std::is_same_v<T, Double2> || std::is_same_v<T, Double4>;

// x as a T: itself, or in every lane. By a shuffle, which GCC makes one broadcast: from T{x, x, x, x} it builds
// the vector lane by lane, and inside a large loop body it did so again at every step.
template <class T>
[[gnu::always_inline]] inline T as(double x) noexcept {
  if constexpr (std::is_same_v<T, double>) {
    return x;
  } else {
    const T first = {x};
    if constexpr (std::is_same_v<T, Double2>) return __builtin_shufflevector(first, first, 0, 0);
    else return __builtin_shufflevector(first, first, 0, 0, 0, 0);
  }
}
template <class T>
[[gnu::always_inline]] inline T as(T x) noexcept requires is_vector<T> { return x; }

template <class A, class B>
using Wider = std::conditional_t<is_vector<A>, A, B>;

// min and max by value, element-wise (std::min returns a reference, and keeps a branch); a double beside a vector
// stands for a copy of itself in every lane.
template <class A, class B>
[[gnu::always_inline]] inline auto smaller(A a, B b) noexcept {
  const auto x = as<Wider<A, B>>(a), y = as<Wider<A, B>>(b);
  return y < x ? y : x;
}
template <class A, class B>
[[gnu::always_inline]] inline auto larger(A a, B b) noexcept {
  const auto x = as<Wider<A, B>>(a), y = as<Wider<A, B>>(b);
  return x < y ? y : x;
}

// The four lanes of a loop's sum: one Double4 in the wide build, two Double2 (lanes 0-1, 2-3) in the narrow one.
template <bool Wide>
struct LaneSums {
  std::conditional_t<Wide, Double4, Double2[2]> lanes{};
  double lane(int l) const noexcept {
    if constexpr (Wide) return lanes[l];
    else return lanes[l >> 1][l & 1];
  }
  double total() const noexcept { return (lane(0) + lane(2)) + (lane(1) + lane(3)); }
};

// The smallest and the largest of a loop's values, kept per lane like LaneSums (so that no minimum waits on the
// last); NaN values are passed over. +inf and -inf when there were none.
template <bool Wide>
struct LaneRange {
  static constexpr double inf = __builtin_inf();
  using Lanes = std::conditional_t<Wide, Double4, Double2>;
  Lanes low[Wide ? 1 : 2], high[Wide ? 1 : 2];
  LaneRange() noexcept {
    for (auto& l : low) l = as<Lanes>(inf);
    for (auto& h : high) h = as<Lanes>(-inf);
  }
  double lowest() const noexcept { return fold(low, [](double a, double b) { return b < a ? b : a; }); }
  double highest() const noexcept { return fold(high, [](double a, double b) { return a < b ? b : a; }); }

 private:
  template <class Pick>
  static double fold(const Lanes (&lanes)[Wide ? 1 : 2], Pick pick) noexcept {
    double x = lanes[0][0];
    for (const auto& v : lanes)
      for (int l = 0; l < static_cast<int>(sizeof v / sizeof(double)); ++l) x = pick(x, v[l]);
    return x;
  }
};

// Where a body works: the elements [i, i + size of V), a vector V; Lane the first of the four lanes they add to.
template <class V, int Lane>
struct Block {
  std::ptrdiff_t i;
  [[gnu::always_inline]] V load(const double* p) const noexcept {
    V v;
    std::memcpy(&v, p + i, sizeof v);
    return v;
  }
  [[gnu::always_inline]] void store(double* p, V v) const noexcept { std::memcpy(p + i, &v, sizeof v); }
  template <bool Wide>
  [[gnu::always_inline]] void add(LaneSums<Wide>& sums, V v) const noexcept {
    if constexpr (Wide) sums.lanes += v;
    else sums.lanes[Lane / 2] += v;
  }
  template <bool Wide>
  [[gnu::always_inline]] void widen(LaneRange<Wide>& range, V v) const noexcept {
    auto& low = range.low[Wide ? 0 : Lane / 2];
    auto& high = range.high[Wide ? 0 : Lane / 2];
    low = smaller(low, v);
    high = larger(high, v);
  }
};

// Element i alone, past the last whole four.
struct One {
  std::ptrdiff_t i;
  [[gnu::always_inline]] double load(const double* p) const noexcept { return p[i]; }
  [[gnu::always_inline]] void store(double* p, double v) const noexcept { p[i] = v; }
  template <bool Wide>
  [[gnu::always_inline]] void add(LaneSums<Wide>& sums, double v) const noexcept {
    const int l = static_cast<int>(i & 3);
    if constexpr (Wide) sums.lanes[l] += v;
    else sums.lanes[l >> 1][l & 1] += v;
  }
  template <bool Wide>
  [[gnu::always_inline]] void widen(LaneRange<Wide>& range, double v) const noexcept {
    const int l = static_cast<int>(i & 3);
    auto& low = range.low[Wide ? 0 : l >> 1][Wide ? l : l & 1];
    auto& high = range.high[Wide ? 0 : l >> 1][Wide ? l : l & 1];
    low = smaller(low, v);
    high = larger(high, v);
  }
};

// body(at) over [0, n): at a Block while four elements remain (one Double4, or two Double2 in turn), then a One.
template <bool Wide, class Body>
[[gnu::always_inline]] inline void for_four_lanes(std::ptrdiff_t n, Body body) {
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) {
    if constexpr (Wide) {
      body(Block<Double4, 0>{i});
    } else {
      body(Block<Double2, 0>{i});
      body(Block<Double2, 2>{i + 2});
    }
  }
  for (; i < n; ++i) body(One{i});
}

#pragma GCC diagnostic pop

}  // namespace dais::core
