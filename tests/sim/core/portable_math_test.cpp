#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/core/portable_math.hpp"

using dais::core::portable_exp;

namespace {

// Distance in units in the last place between two finite positive doubles.
std::int64_t ulps(double a, double b) {
  const auto ia = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(a));
  const auto ib = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(b));
  return ia > ib ? ia - ib : ib - ia;
}

}  // namespace

TEST_CASE("portable_exp is within one unit in the last place of the C library's exp", "[core][math]") {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> wide(-745.0, 709.7);
  std::uniform_real_distribution<double> narrow(-3.0, 3.0);
  std::int64_t worst = 0;
  for (int i = 0; i < 2'000'000; ++i) {
    const double x = i % 2 == 0 ? wide(rng) : narrow(rng);
    const double expected = std::exp(x);
    if (expected < std::numeric_limits<double>::min()) continue;  // subnormal results: checked below
    worst = std::max(worst, ulps(portable_exp(x), expected));
  }
  CHECK(worst <= 1);
}

TEST_CASE("portable_exp is exact at 0 and handles the ends of the range", "[core][math]") {
  CHECK(portable_exp(0.0) == 1.0);
  CHECK(portable_exp(-0.0) == 1.0);
  CHECK(ulps(portable_exp(1.0), std::exp(1.0)) <= 1);
  CHECK(portable_exp(709.78) == std::exp(709.78));
  CHECK(portable_exp(710.0) == std::numeric_limits<double>::infinity());
  CHECK(portable_exp(std::numeric_limits<double>::infinity()) == std::numeric_limits<double>::infinity());
  CHECK(portable_exp(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(portable_exp(-746.0) == 0.0);
  CHECK(std::isnan(portable_exp(std::nan(""))));
  // Subnormal results round once: close to the library's.
  const double tiny = portable_exp(-740.0);
  CHECK(tiny > 0.0);
  CHECK(std::fabs(tiny - std::exp(-740.0)) <= std::numeric_limits<double>::denorm_min());
}

TEST_CASE("portable_exp's table is computed exactly at compile time", "[core][math]") {
  static_assert(dais::core::detail::exp2_table[0] == 1.0);
  static_assert(dais::core::detail::exp2_table[128] == 0x1.6a09e667f3bcdp+0);  // sqrt(2), correctly rounded
  static_assert(portable_exp(0.0) == 1.0);
  SUCCEED();
}

TEST_CASE("exp_in_place gives portable_exp's bits for every element, in range, at its ends and beyond", "[core][math]") {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> wide(-800.0, 800.0);
  std::uniform_real_distribution<double> narrow(-5.0, 5.0);
  std::vector<double> x;
  for (int i = 0; i < 20000; ++i) x.push_back(i % 3 == 0 ? wide(rng) : narrow(rng));
  // The vector path's bounds and the scalar path's special values, at every position of a block of four.
  for (const double special : {-690.0, 690.0, -689.999, 689.999, -745.3, 709.8, 0.0, -0.0,
                               std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN(), 1e-300, -1e-300})
    for (int at = 0; at < 4; ++at) {
      x.insert(x.end(), {narrow(rng), narrow(rng), narrow(rng), narrow(rng)});
      x[x.size() - 4 + static_cast<std::size_t>(at)] = special;
    }
  for (std::size_t length : {x.size(), std::size_t{7}, std::size_t{1}, std::size_t{0}}) {
    std::vector<double> widest(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(length));
    std::vector<double> baseline = widest;
    dais::core::exp_in_place(widest);                   // AVX2 where the processor has it
    dais::core::detail::exp_in_place_baseline(baseline);  // two SSE2 lanes
    for (std::size_t i = 0; i < length; ++i) {
      INFO("x = " << x[i]);
      const auto want = std::bit_cast<std::uint64_t>(portable_exp(x[i]));
      REQUIRE(std::bit_cast<std::uint64_t>(widest[i]) == want);
      REQUIRE(std::bit_cast<std::uint64_t>(baseline[i]) == want);
    }
  }
}
