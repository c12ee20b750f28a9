#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/core/four_lanes.hpp"
#include "sim/core/lane_sum.hpp"

#pragma GCC diagnostic ignored "-Wpsabi"  // see four_lanes.hpp

namespace {

using dais::core::for_four_lanes;
using dais::core::LaneSums;

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Sums: the same bits, or both NaN. Which NaN an add passes on depends on its operands' order, and the compiler
// may swap them (addition commutes); every other result is fixed by the order of the lanes.
bool same_sum(double a, double b) { return same_bits(a, b) || (std::isnan(a) && std::isnan(b)); }

// Values where min and max are easy to get wrong (signed zeros, NaN, infinities, subnormals) among ones of wide
// magnitudes; only the finite ones with `finite`, so that sums depend on their order.
std::vector<double> awkward_values(std::size_t n, std::uint64_t seed, bool finite = false) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-20, 20);
  const double specials[] = {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min(), 1.0};
  std::vector<double> v(n);
  for (auto& x : v) x = !finite && rng() % 5 == 0 ? specials[rng() % 7] : std::ldexp(unit(rng), exponent(rng));
  return v;
}

// The body of a loop with two sums and a store, run at the given width.
template <bool Wide>
std::pair<double, double> run(const std::vector<double>& x, const std::vector<double>& y, std::vector<double>& out) {
  LaneSums<Wide> first, second;
  for_four_lanes<Wide>(static_cast<std::ptrdiff_t>(x.size()), [&](auto at) {
    const auto a = at.load(x.data());
    const auto b = at.load(y.data());
    const auto m = dais::core::smaller(dais::core::larger(a, 0.25), b);
    at.store(out.data(), m);
    at.add(first, a * b);
    at.add(second, m);
  });
  return {first.total(), second.total()};
}

}  // namespace

TEST_CASE("for_four_lanes sums as lane_sum does and works element-wise as scalar code does, at both widths",
          "[core][lanes]") {
  for (std::size_t n = 0; n <= 74; ++n) {
    CAPTURE(n);
    const bool finite = n > 37;
    const auto x = awkward_values(n % 38, 100 + n, finite);
    const auto y = awkward_values(n % 38, 200 + n, finite);
    const auto ns = static_cast<std::ptrdiff_t>(x.size());
    std::vector<double> expected(x.size());
    const double expected_first = dais::core::lane_sum(ns, [&](std::ptrdiff_t i) { return x[i] * y[i]; });
    const double expected_second = dais::core::lane_sum(ns, [&](std::ptrdiff_t i) {
      const double low = 0.25;
      const double a = x[i] < low ? low : x[i];  // larger(x, 0.25)
      expected[i] = y[i] < a ? y[i] : a;         // smaller(a, y)
      return expected[i];
    });
    std::vector<double> wide(x.size()), narrow(x.size());
    const auto [wide_first, wide_second] = run<true>(x, y, wide);
    const auto [narrow_first, narrow_second] = run<false>(x, y, narrow);
    CHECK(same_sum(wide_first, expected_first));
    CHECK(same_sum(narrow_first, expected_first));
    CHECK(same_sum(wide_second, expected_second));
    CHECK(same_sum(narrow_second, expected_second));
    for (std::size_t i = 0; i < x.size(); ++i) {
      CAPTURE(i, x[i], y[i]);
      CHECK(same_bits(wide[i], expected[i]));
      CHECK(same_bits(narrow[i], expected[i]));
    }
  }
}

TEST_CASE("as broadcasts a double to every lane with its sign and payload", "[core][lanes]") {
  using dais::core::as;
  const auto minus_zero = as<dais::core::Double4>(-0.0);
  const auto nan = as<dais::core::Double2>(std::numeric_limits<double>::quiet_NaN());
  for (int l = 0; l < 4; ++l) CHECK(std::signbit(minus_zero[l]));
  for (int l = 0; l < 2; ++l) CHECK(std::isnan(nan[l]));
  CHECK(same_bits(as<double>(-0.0), -0.0));
}

namespace {

template <bool Wide>
std::pair<double, double> lane_range(const std::vector<double>& v) {
  dais::core::LaneRange<Wide> range;
  for_four_lanes<Wide>(static_cast<std::ptrdiff_t>(v.size()), [&](auto at) { at.widen(range, at.load(v.data())); });
  return {range.lowest(), range.highest()};
}

}  // namespace

TEST_CASE("LaneRange keeps the smallest and the largest value, NaN passed over, at both widths", "[core][lanes]") {
  for (const std::size_t n : {0u, 1u, 3u, 4u, 7u, 64u, 130u}) {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      const std::vector<double> v = awkward_values(n, seed);
      double lo = std::numeric_limits<double>::infinity();
      double hi = -lo;
      for (double x : v)
        if (!std::isnan(x)) lo = std::min(lo, x), hi = std::max(hi, x);
      INFO("n " << n << " seed " << seed);
      for (const auto& [got_lo, got_hi] : {lane_range<false>(v), lane_range<true>(v)}) {
        CHECK(got_lo == lo);  // == : a zero's sign is not part of the range
        CHECK(got_hi == hi);
      }
    }
  }
}
