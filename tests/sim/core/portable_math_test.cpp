#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

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
