#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <ios>
#include <limits>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/int128.hpp"
#include "sim/metrics/inequality.hpp"

using dais::metrics::Concentration;
using dais::metrics::concentration;
using dais::metrics::concentration_of_sorted;
using dais::metrics::gini;
using dais::metrics::hhi;
using dais::metrics::nakamoto;
using dais::metrics::sort_nonnegative;
using Catch::Matchers::Contains;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxDouble = std::numeric_limits<double>::max();
constexpr double kMinSubnormal = std::numeric_limits<double>::denorm_min();

std::uint64_t bits_of(double x) { return std::bit_cast<std::uint64_t>(x); }
double from_bits(std::uint64_t b) { return std::bit_cast<double>(b); }

// The definition: G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), in long double, O(n^2).
double gini_by_definition(const std::vector<double>& v) {
  const auto n = static_cast<long double>(v.size());
  long double total = 0;
  for (const double x : v) total += x;
  if (v.empty() || total == 0) return 0.0;
  long double pairs = 0;
  for (const double a : v)
    for (const double b : v) pairs += std::fabs(static_cast<long double>(a) - static_cast<long double>(b));
  return static_cast<double>(pairs / (2 * n * n * (total / n)));
}

// HHI by definition: sum of squared percentage shares, in long double.
double hhi_by_definition(const std::vector<double>& v) {
  long double total = 0;
  for (const double x : v) total += x;
  if (total == 0) return 0.0;
  long double s = 0;
  for (const double x : v) {
    const long double share = 100 * static_cast<long double>(x) / total;
    s += share * share;
  }
  return static_cast<double>(s);
}

// Nakamoto on integers, exactly: the fewest largest holders with top * den > total * num (share > num/den).
std::int64_t nakamoto_exact(std::vector<std::uint64_t> v, std::uint64_t num, std::uint64_t den) {
  std::sort(v.rbegin(), v.rend());
  std::uint64_t total = 0;
  for (const auto x : v) total += x;
  if (total == 0) return 0;
  std::uint64_t top = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    top += v[k];
    if (top * den > total * num) return static_cast<std::int64_t>(k + 1);
  }
  return static_cast<std::int64_t>(v.size());
}

bool close_relative(double got, double want, double tolerance) {
  if (want == 0.0) return got == 0.0;
  return std::fabs(got - want) <= tolerance * std::fabs(want);
}

std::string hex(double x) {
  std::ostringstream s;
  s << std::hexfloat << x;
  return s.str();
}

// Inputs of every shape the sort must handle.
enum Kind : int {
  uniform,
  small_integers,        // many ties
  few_values,            // almost all ties
  huge_spread,           // every exponent, subnormals included
  subnormals,
  signed_zeros_mix,      // -0.0, +0.0, subnormals, normals
  all_equal,
  ulps_above_one,        // differ only in the lowest mantissa bits
  around_one,            // 0.9 .. 1.1: both sides of a power of two
  any_finite,            // any finite non-negative bit pattern
  cluster_and_outliers,  // a tight cluster the radix passes cannot split, plus a wide spread
  ascending,
  descending,
  zeros_and_ones,
  low_bits_three_exponents,
  big_integers,
  kind_count
};

const char* kind_name(int kind) {
  static const char* const names[] = {"uniform",     "small_integers", "few_values",        "huge_spread",
                                      "subnormals",  "signed_zeros_mix", "all_equal",       "ulps_above_one",
                                      "around_one",  "any_finite",     "cluster_and_outliers", "ascending",
                                      "descending",  "zeros_and_ones", "low_bits_three_exponents", "big_integers"};
  return names[kind];
}

std::vector<double> generate(int kind, std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto spread = [&] {
    const int exponent = -1074 + static_cast<int>(rng() % (1023 + 1074 + 1));
    return std::ldexp(1.0 + unit(rng), exponent);
  };
  const std::uint64_t one = bits_of(1.0);
  const double same = spread();
  static const double few[] = {0.0, 1e-300, 1.0, 2.5, 7.0, 1e300};
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    double& x = v[i];
    switch (kind) {
      case uniform: x = unit(rng); break;
      case small_integers: x = static_cast<double>(rng() % 1000); break;
      case few_values: x = few[rng() % 6]; break;
      case huge_spread: x = spread(); break;
      case subnormals: x = from_bits(rng() % (std::uint64_t{1} << 52)); break;
      case signed_zeros_mix:
        switch (rng() % 4) {
          case 0: x = -0.0; break;
          case 1: x = 0.0; break;
          case 2: x = from_bits(rng() % 1000); break;
          default: x = unit(rng); break;
        }
        break;
      case all_equal: x = same; break;
      case ulps_above_one: x = from_bits(one + rng() % 1000); break;
      case around_one: x = 0.9 + 0.2 * unit(rng); break;
      case any_finite: {
        std::uint64_t b = rng() & 0x7FFF'FFFF'FFFF'FFFFULL;
        if ((b >> 52) == 0x7FF) b &= ~(std::uint64_t{1} << 62);
        x = from_bits(b);
        break;
      }
      case cluster_and_outliers: x = rng() % 20 == 0 ? spread() : from_bits(one + rng() % (std::uint64_t{1} << 20)); break;
      case ascending: x = 0.5 * static_cast<double>(i); break;
      case descending: x = 0.25 * static_cast<double>(n - i); break;
      case zeros_and_ones: x = static_cast<double>(rng() % 2); break;
      case low_bits_three_exponents: x = from_bits(((1023 + rng() % 3) << 52) | (rng() & 0xFF)); break;
      case big_integers: x = static_cast<double>(rng() >> 11); break;
      default: x = 0.0; break;
    }
  }
  return v;
}

// Sorts a copy both ways; empty string if they agree, else where they first differ.
std::string sort_disagreement(const std::vector<double>& input, std::vector<double>& scratch) {
  std::vector<double> ours = input;
  std::vector<double> reference = input;
  sort_nonnegative(ours, scratch);
  std::sort(reference.begin(), reference.end());
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!(ours[i] == reference[i])) {
      return "index " + std::to_string(i) + ": sort_nonnegative gave " + hex(ours[i]) + ", std::sort " +
             hex(reference[i]);
    }
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Hand-computed cases

TEST_CASE("equal holdings have Gini 0 and HHI 10000/n", "[metrics][inequality]") {
  for (const double x : {1.0, 7.0, 0.25, 1e-300, kMinSubnormal, 1e300, kMaxDouble}) {
    for (std::size_t n = 1; n <= 60; ++n) {
      INFO("n = " << n << " copies of " << hex(x));
      const std::vector<double> v(n, x);
      const Concentration c = concentration(v);
      CHECK(c.gini == 0.0);
      CHECK(c.hhi == Approx(10'000.0 / static_cast<double>(n)).epsilon(1e-12));
    }
  }
}

TEST_CASE("n equal holders need more than half of them for a majority and more than a third for 1/3",
          "[metrics][inequality]") {
  // k/n > 1/2 first at k = floor(n/2) + 1; k/n > 1/3 first at k = floor(n/3) + 1.
  for (const double x : {1.0, 7.0, 0.25, 3.0, 1e300}) {
    for (std::int64_t n = 1; n <= 60; ++n) {
      INFO("n = " << n << " copies of " << hex(x));
      const std::vector<double> v(static_cast<std::size_t>(n), x);
      const Concentration c = concentration(v);
      CHECK(c.nakamoto_50 == n / 2 + 1);
      CHECK(c.nakamoto_33 == n / 3 + 1);
      CHECK(nakamoto(v, 0.5) == n / 2 + 1);
      CHECK(nakamoto(v, 1.0 / 3.0) == n / 3 + 1);
    }
  }
}

TEST_CASE("property: equal holders of any size need more than a third of them for 1/3", "[metrics][inequality]") {
  // Whatever the common amount, k of n equal holders hold exactly k/n: three holders of 0.1 each are three
  // equal holders, and one of them does not exceed 1/3.
  std::mt19937_64 rng(33);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int wrong = 0;
  std::string first_wrong;
  for (int trial = 0; trial < 3000; ++trial) {
    const double x = std::ldexp(0.5 + 0.5 * unit(rng), static_cast<int>(rng() % 200) - 100);
    const std::int64_t n = 1 + static_cast<std::int64_t>(rng() % 30);
    const std::vector<double> v(static_cast<std::size_t>(n), x);
    const Concentration c = concentration(v);
    if (c.nakamoto_33 != n / 3 + 1 || c.nakamoto_50 != n / 2 + 1) {
      if (wrong++ == 0)
        first_wrong = std::to_string(n) + " holders of " + hex(x) + ": nakamoto_33 " + std::to_string(c.nakamoto_33) +
                      " (expected " + std::to_string(n / 3 + 1) + "), nakamoto_50 " + std::to_string(c.nakamoto_50) +
                      " (expected " + std::to_string(n / 2 + 1) + ")";
    }
  }
  INFO(wrong << " of 3000 cases wrong; first: " << first_wrong);
  CHECK(wrong == 0);
}

TEST_CASE("one holder of everything among n gives Gini (n-1)/n, HHI 10000 and Nakamoto 1", "[metrics][inequality]") {
  for (std::size_t n = 1; n <= 100; ++n) {
    INFO("n = " << n);
    std::vector<double> v(n, 0.0);
    v[n / 2] = 9.5;
    const Concentration c = concentration(v);
    CHECK(c.gini == Approx(static_cast<double>(n - 1) / static_cast<double>(n)).epsilon(1e-14));
    CHECK(c.hhi == Approx(10'000.0).epsilon(1e-14));
    CHECK(c.nakamoto_50 == 1);
    CHECK(c.nakamoto_33 == 1);
  }
  CHECK(gini(std::vector<double>{0, 0, 0, 0, 9}) == Approx(0.8).epsilon(1e-15));
}

TEST_CASE("Gini, HHI and Nakamoto of small hand-computed distributions", "[metrics][inequality]") {
  SECTION("1, 2, 3, 4") {
    // sum |xi - xj| over ordered pairs = 20; 2 n^2 mean = 80.
    const std::vector<double> v{4, 1, 3, 2};
    const Concentration c = concentration(v);
    CHECK(c.gini == Approx(0.25).epsilon(1e-15));
    CHECK(c.hhi == Approx(3000.0).epsilon(1e-14));  // 10^2 + 20^2 + 30^2 + 40^2
    CHECK(c.nakamoto_50 == 2);                      // 40% then 70%
    CHECK(c.nakamoto_33 == 1);                      // 40% > 33.3%
    CHECK(nakamoto(v, 0.9) == 4);                   // 90% is not more than 90%
    CHECK(nakamoto(v, 0.0) == 1);
  }
  SECTION("50, 30, 20: exactly half is not a majority") {
    const std::vector<double> v{20, 50, 30};
    const Concentration c = concentration(v);
    CHECK(c.gini == Approx(0.2).epsilon(1e-15));    // (-2*20 + 2*50) / (3 * 100)
    CHECK(c.hhi == Approx(3800.0).epsilon(1e-14));
    CHECK(c.nakamoto_50 == 2);
    CHECK(c.nakamoto_33 == 1);
  }
  SECTION("two equal halves") {
    const std::vector<double> v{50, 50};
    const Concentration c = concentration(v);
    CHECK(c.gini == 0.0);
    CHECK(c.hhi == Approx(5000.0).epsilon(1e-14));
    CHECK(c.nakamoto_50 == 2);
    CHECK(c.nakamoto_33 == 1);
  }
  SECTION("1, 1, 1: one third is not more than a third") {
    const std::vector<double> v{1, 1, 1};
    CHECK(nakamoto(v, 1.0 / 3.0) == 2);
    CHECK(nakamoto(v, 0.5) == 2);
    CHECK(concentration(v).nakamoto_33 == 2);
  }
  SECTION("0.3, 0.3, 0.3: one of three equal holders is not more than a third, whatever they hold") {
    const std::vector<double> v{0.3, 0.3, 0.3};
    CHECK(nakamoto(v, 1.0 / 3.0) == 2);
    CHECK(concentration(v).nakamoto_33 == 2);
    CHECK(concentration(v).nakamoto_50 == 2);
  }
  SECTION("nine holders of 0.1: three of them are not more than a third") {
    const std::vector<double> v(9, 0.1);
    CHECK(concentration(v).nakamoto_33 == 4);
    CHECK(concentration(v).nakamoto_50 == 5);
  }
  SECTION("0, 0, 10, 10") {
    const std::vector<double> v{10, 0, 10, 0};
    const Concentration c = concentration(v);
    CHECK(c.gini == Approx(0.5).epsilon(1e-15));
    CHECK(c.hhi == Approx(5000.0).epsilon(1e-14));
    CHECK(c.nakamoto_50 == 2);
    CHECK(c.nakamoto_33 == 1);
  }
  SECTION("3, 1, 2") {
    const std::vector<double> v{3, 1, 2};
    const Concentration c = concentration(v);
    CHECK(c.gini == Approx(2.0 / 9.0).epsilon(1e-15));
    CHECK(c.hhi == Approx(10'000.0 * 14.0 / 36.0).epsilon(1e-14));
    CHECK(c.nakamoto_50 == 2);  // 3/6 is exactly half
    CHECK(c.nakamoto_33 == 1);
  }
  SECTION("the single-measure functions agree with concentration") {
    const std::vector<double> v{5, 1, 9, 0, 3, 3};
    const Concentration c = concentration(v);
    CHECK(gini(v) == c.gini);
    CHECK(hhi(v) == c.hhi);
    CHECK(nakamoto(v, 0.5) == c.nakamoto_50);
    CHECK(nakamoto(v, 1.0 / 3.0) == c.nakamoto_33);
    // Sorted 0 1 3 3 5 9, total 21: top 9 = 0.43, 14 = 0.67 -> 2; 9 > 7 -> 1.
    CHECK(c.nakamoto_50 == 2);
    CHECK(c.nakamoto_33 == 1);
  }
}

TEST_CASE("concentration neither overflows nor underflows at the ends of the double range", "[metrics][inequality]") {
  const Concentration big = concentration(std::vector<double>{kMaxDouble, kMaxDouble});
  CHECK(big.gini == 0.0);
  CHECK(big.hhi == Approx(5000.0).epsilon(1e-14));
  CHECK(big.nakamoto_50 == 2);
  CHECK(big.nakamoto_33 == 1);

  const Concentration lopsided = concentration(std::vector<double>{0.0, kMaxDouble});
  CHECK(lopsided.gini == Approx(0.5).epsilon(1e-15));
  CHECK(lopsided.hhi == Approx(10'000.0).epsilon(1e-14));

  const Concentration tiny = concentration(std::vector<double>{kMinSubnormal, kMinSubnormal, kMinSubnormal});
  CHECK(tiny.gini == 0.0);
  CHECK(tiny.hhi == Approx(10'000.0 / 3.0).epsilon(1e-14));
  CHECK(tiny.nakamoto_50 == 2);
  CHECK(tiny.nakamoto_33 == 2);

  const Concentration tiny_lopsided = concentration(std::vector<double>{0.0, 0.0, 0.0, kMinSubnormal});
  CHECK(tiny_lopsided.gini == Approx(0.75).epsilon(1e-15));
  CHECK(tiny_lopsided.nakamoto_50 == 1);

  CHECK(gini(std::vector<double>{kMaxDouble, kMinSubnormal}) == Approx(0.5).epsilon(1e-15));
  CHECK(gini(std::vector<double>{1e300, 1e300, 1e300, 0.0}) == Approx(0.25).epsilon(1e-15));
}

TEST_CASE("empty and all-zero inputs give Gini 0, Nakamoto 0 and HHI 0", "[metrics][inequality]") {
  const std::vector<double> none;
  const std::vector<double> zeros{0.0, 0.0, -0.0, 0.0};
  for (const auto* v : {&none, &zeros}) {
    const Concentration c = concentration(*v);
    CHECK(c.gini == 0.0);
    CHECK(c.nakamoto_50 == 0);
    CHECK(c.nakamoto_33 == 0);
    CHECK(c.hhi == 0.0);
    CHECK(gini(*v) == 0.0);
    CHECK(hhi(*v) == 0.0);
    CHECK(nakamoto(*v, 0.5) == 0);
    CHECK(nakamoto(*v, 0.0) == 0);
  }
  CHECK(concentration_of_sorted(none).hhi == 0.0);
}

TEST_CASE("one holder alone has Gini 0, HHI 10000 and Nakamoto 1", "[metrics][inequality]") {
  const Concentration c = concentration(std::vector<double>{42.0});
  CHECK(c.gini == 0.0);
  CHECK(c.hhi == Approx(10'000.0).epsilon(1e-15));
  CHECK(c.nakamoto_50 == 1);
  CHECK(c.nakamoto_33 == 1);
}

TEST_CASE("negative, NaN and infinite values are rejected with std::invalid_argument naming the index",
          "[metrics][inequality]") {
  for (const double bad : {-1.0, -kMinSubnormal, -kInf, kInf, kNaN, -kNaN}) {
    INFO("bad value " << hex(bad));
    for (const std::size_t size : {std::size_t{3}, std::size_t{100}}) {  // insertion-sort and radix paths
      std::vector<double> v(size, 1.0);
      v[2] = bad;
      CHECK_THROWS_AS(gini(v), std::invalid_argument);
      CHECK_THROWS_AS(hhi(v), std::invalid_argument);
      CHECK_THROWS_AS(nakamoto(v, 0.5), std::invalid_argument);
      CHECK_THROWS_AS(concentration(v), std::invalid_argument);
      CHECK_THROWS_WITH(concentration(v), Contains("index 2"));
      std::vector<double> scratch;
      CHECK_THROWS_AS(sort_nonnegative(v, scratch), std::invalid_argument);
    }
  }
}

TEST_CASE("concentration_of_sorted refuses input that is not ascending or not valid", "[metrics][inequality]") {
  CHECK_THROWS_AS(concentration_of_sorted(std::vector<double>{1.0, 3.0, 2.0}), std::invalid_argument);
  CHECK_THROWS_AS(concentration_of_sorted(std::vector<double>{0.0, kNaN}), std::invalid_argument);
  CHECK_THROWS_AS(concentration_of_sorted(std::vector<double>{kNaN, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(concentration_of_sorted(std::vector<double>{1.0, kInf}), std::invalid_argument);
  CHECK_THROWS_AS(concentration_of_sorted(std::vector<double>{-1.0, 1.0}), std::invalid_argument);
  const Concentration c = concentration_of_sorted(std::vector<double>{1.0, 2.0, 3.0, 4.0});
  CHECK(c.gini == Approx(0.25).epsilon(1e-15));
}

TEST_CASE("nakamoto refuses a threshold outside [0, 1)", "[metrics][inequality]") {
  const std::vector<double> v{1, 2, 3};
  CHECK_THROWS_AS(nakamoto(v, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(nakamoto(v, 1.5), std::invalid_argument);
  CHECK_THROWS_AS(nakamoto(v, -0.01), std::invalid_argument);
  CHECK_THROWS_AS(nakamoto(v, kNaN), std::invalid_argument);
  CHECK_NOTHROW(nakamoto(v, 0.0));
  CHECK(nakamoto(v, 0.999) == 3);
}

TEST_CASE("sort_nonnegative sorts small hand-made inputs, -0.0 among the zeros", "[metrics][inequality][sort]") {
  std::vector<double> scratch;
  std::vector<double> v{3.0, -0.0, 1.5, 0.0, kMinSubnormal, 1e300, 2.0};
  sort_nonnegative(v, scratch);
  const std::vector<double> expected{0.0, 0.0, kMinSubnormal, 1.5, 2.0, 3.0, 1e300};
  CHECK(v == expected);

  std::vector<double> empty;
  sort_nonnegative(empty, scratch);
  CHECK(empty.empty());

  std::vector<double> one{5.0};
  sort_nonnegative(one, scratch);
  CHECK(one == std::vector<double>{5.0});

  // Past the insertion-sort size: a descending run with -0.0 inside.
  std::vector<double> many;
  for (int i = 40; i >= 0; --i) many.push_back(i == 20 ? -0.0 : static_cast<double>(i));
  sort_nonnegative(many, scratch);
  CHECK(std::is_sorted(many.begin(), many.end()));
  CHECK(many[0] == 0.0);
  CHECK(many[1] == 0.0);
  CHECK(many[2] == 1.0);
  CHECK(many.back() == 40.0);
}

// ---------------------------------------------------------------------------------------------------------
// Properties

TEST_CASE("property: sort_nonnegative equals std::sort on inputs of every shape and size up to 20,001",
          "[metrics][inequality][sort]") {
  std::mt19937_64 rng(20240601);
  std::vector<double> scratch;  // one scratch reused across all calls, as the engine does
  const std::size_t sizes[] = {0,   1,   2,   3,    5,    16,   31,   32,    33,    34,   63,
                               64,  65,  100, 255,  256,  257,  1000, 1999,  2000,  2001, 4096,
                               5000, 19999, 20000, 20001};
  int cases = 0;
  for (int kind = 0; kind < kind_count; ++kind) {
    for (const std::size_t n : sizes) {
      const std::vector<double> input = generate(kind, n, rng);
      const std::string diff = sort_disagreement(input, scratch);
      if (!diff.empty()) FAIL_CHECK(kind_name(kind) << ", n = " << n << ": " << diff);
      ++cases;
    }
  }
  for (int trial = 0; trial < 600; ++trial) {
    const int kind = static_cast<int>(rng() % kind_count);
    const std::size_t n = rng() % 3000;
    const std::vector<double> input = generate(kind, n, rng);
    const std::string diff = sort_disagreement(input, scratch);
    if (!diff.empty()) FAIL_CHECK(kind_name(kind) << ", n = " << n << ": " << diff);
    ++cases;
  }
  CHECK(cases == kind_count * static_cast<int>(std::size(sizes)) + 600);
}

TEST_CASE("property: sort_nonnegative equals std::sort on large inputs up to 200,000", "[metrics][inequality][sort][long]") {
  std::mt19937_64 rng(77);
  std::vector<double> scratch;
  const std::size_t sizes[] = {59999, 60000, 60001, 100000, 131072, 200000};
  int agreed = 0;
  for (int kind = 0; kind < kind_count; ++kind) {
    for (const std::size_t n : sizes) {
      const std::vector<double> input = generate(kind, n, rng);
      const std::string diff = sort_disagreement(input, scratch);
      if (!diff.empty()) FAIL_CHECK(kind_name(kind) << ", n = " << n << ": " << diff);
      else ++agreed;
    }
  }
  // Mixtures: part of one shape, part of another, shuffled.
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 20'000 + rng() % 180'001;
    std::vector<double> input = generate(static_cast<int>(rng() % kind_count), n / 2, rng);
    const std::vector<double> other = generate(static_cast<int>(rng() % kind_count), n - n / 2, rng);
    input.insert(input.end(), other.begin(), other.end());
    std::shuffle(input.begin(), input.end(), rng);
    const std::string diff = sort_disagreement(input, scratch);
    if (!diff.empty()) FAIL_CHECK("mixture, n = " << n << ": " << diff);
    else ++agreed;
  }
  CHECK(agreed == kind_count * static_cast<int>(std::size(sizes)) + 40);
}

TEST_CASE("property: Gini equals its O(n^2) definition within 1e-12 relative", "[metrics][inequality]") {
  std::mt19937_64 rng(1234);
  int checked = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int kind = trial % kind_count;
    const std::size_t n = 1 + rng() % 400;
    const std::vector<double> v = generate(kind, n, rng);
    const double got = gini(v);
    const double want = gini_by_definition(v);
    if (!close_relative(got, want, 1e-12)) {
      FAIL_CHECK(kind_name(kind) << ", n = " << n << ": gini " << hex(got) << " (" << got << "), definition "
                                 << hex(want) << " (" << want << ")");
    }
    ++checked;
    CHECK(got >= 0.0);
    CHECK(got < 1.0);
  }
  CHECK(checked == 400);
}

TEST_CASE("property: HHI equals its definition and Nakamoto its exact count on random holdings",
          "[metrics][inequality]") {
  std::mt19937_64 rng(99);
  struct Threshold {
    std::uint64_t num, den;
  };
  const Threshold thresholds[] = {{1, 2}, {1, 3}, {2, 3}, {1, 10}, {9, 10}};
  for (int trial = 0; trial < 500; ++trial) {
    const std::size_t n = 1 + rng() % 500;
    const std::uint64_t range = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 100 : 1'000'000;  // many ties .. few
    std::vector<std::uint64_t> ints(n);
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      ints[i] = rng() % range;
      v[i] = static_cast<double>(ints[i]);
    }
    INFO("trial " << trial << ", n = " << n);
    const Concentration c = concentration(v);
    CHECK(c.nakamoto_50 == nakamoto_exact(ints, 1, 2));
    CHECK(c.nakamoto_33 == nakamoto_exact(ints, 1, 3));
    for (const Threshold t : thresholds) {
      const double threshold = static_cast<double>(t.num) / static_cast<double>(t.den);
      CHECK(nakamoto(v, threshold) == nakamoto_exact(ints, t.num, t.den));
    }
    const double want_hhi = hhi_by_definition(v);
    CHECK(close_relative(c.hhi, want_hhi, 1e-12));
    CHECK(close_relative(c.gini, gini_by_definition(v), 1e-12));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Integer amounts: the exact path the economy measures its reward totals with

namespace {

using dais::metrics::sort_amounts;

Concentration measure_amounts(std::vector<std::uint64_t> v) {
  std::vector<std::uint64_t> scratch;
  sort_amounts(v, scratch);
  return concentration_of_sorted(std::span<const std::uint64_t>(v));
}

// Gini's numerator Σ_i Σ_j |x_i − x_j| and the total, in exact 128-bit integers, for small inputs.
double gini_of_integers_by_definition(const std::vector<std::uint64_t>& v) {
  dais::u128 pairs = 0, total = 0;
  for (const auto a : v) {
    total += a;
    for (const auto b : v) pairs += a > b ? a - b : b - a;
  }
  if (total == 0) return 0.0;
  return static_cast<double>(static_cast<long double>(dais::to_double(pairs)) /
                             (2.0L * static_cast<long double>(v.size()) * static_cast<long double>(dais::to_double(total))));
}

}  // namespace

TEST_CASE("integer amounts: hand-computed Gini, HHI and Nakamoto", "[metrics][inequality]") {
  // {1, 2, 3, 4}: Σ|xi − xj| over ordered pairs = 20, 2·n²·mean = 80, so G = 0.25; shares 10..40%: HHI 3000.
  const Concentration c = measure_amounts({4, 1, 3, 2});
  CHECK(c.gini == 0.25);
  CHECK(c.hhi == Approx(3000.0).epsilon(1e-15));
  CHECK(c.nakamoto_50 == 2);  // 4 + 3 = 7 of 10
  CHECK(c.nakamoto_33 == 1);  // 4 of 10
  // One holder of everything among 5.
  const Concentration one = measure_amounts({0, 0, 7, 0, 0});
  CHECK(one.gini == 0.8);
  CHECK(one.hhi == 10'000.0);
  CHECK(one.nakamoto_50 == 1);
  CHECK(one.nakamoto_33 == 1);
}

TEST_CASE("integer amounts: exactly half or exactly a third is not more than the threshold", "[metrics][inequality]") {
  // Two holders of 50 each: one holds exactly half, so a majority needs both.
  const Concentration halves = measure_amounts({50, 50});
  CHECK(halves.nakamoto_50 == 2);
  CHECK(halves.nakamoto_33 == 1);
  CHECK(halves.gini == 0.0);
  // Three equal holders of large amounts: one holds exactly a third.
  const std::uint64_t big = (std::uint64_t{1} << 62) + 12345;
  const Concentration thirds = measure_amounts({big, big, big});
  CHECK(thirds.nakamoto_33 == 2);
  CHECK(thirds.nakamoto_50 == 2);
  CHECK(thirds.gini == 0.0);
  CHECK(thirds.hhi == Approx(10'000.0 / 3.0).epsilon(1e-15));
  // One unit more for one of them and it alone exceeds a third.
  CHECK(measure_amounts({big, big + 1, big}).nakamoto_33 == 1);
}

TEST_CASE("integer amounts: empty and all-zero give zeros, large amounts and many holders do not overflow",
          "[metrics][inequality]") {
  CHECK(measure_amounts({}).gini == 0.0);
  CHECK(measure_amounts({0, 0, 0}).nakamoto_50 == 0);
  CHECK(measure_amounts({0, 0, 0}).hhi == 0.0);
  // 100,000 holders near 2^63: the rank-weighted sum reaches ~2^96, past 64 bits.
  std::vector<std::uint64_t> v(100'000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = (std::uint64_t{1} << 63) - 1 - i;
  const Concentration c = measure_amounts(v);
  CHECK(c.gini >= 0.0);
  CHECK(c.gini < 1e-5);
  CHECK(c.nakamoto_50 == 50'000);  // the larger half holds a hair more than half
  CHECK(c.nakamoto_33 == 33'334);
  CHECK(c.hhi == Approx(0.1).epsilon(1e-9));
}

TEST_CASE("integer amounts: amounts of 2^63 or more and input out of order are rejected", "[metrics][inequality]") {
  std::vector<std::uint64_t> scratch;
  for (const std::size_t size : {std::size_t{3}, std::size_t{100}}) {
    std::vector<std::uint64_t> v(size, 5);
    v[size / 2] = std::uint64_t{1} << 63;
    CHECK_THROWS_WITH(sort_amounts(v, scratch), Contains("index " + std::to_string(size / 2)) && Contains("2^63"));
  }
  const std::vector<std::uint64_t> unsorted{1, 3, 2};
  CHECK_THROWS_WITH(concentration_of_sorted(std::span<const std::uint64_t>(unsorted)),
                    Contains("not ascending at index 2"));
  const std::vector<std::uint64_t> too_big{1, std::uint64_t{1} << 63};
  CHECK_THROWS_WITH(concentration_of_sorted(std::span<const std::uint64_t>(too_big)), Contains("index 1"));
}

TEST_CASE("property: integer amounts sort as std::sort does and measure as their definitions say",
          "[metrics][inequality][sort]") {
  std::mt19937_64 rng(2026);
  std::vector<std::uint64_t> scratch;
  for (int trial = 0; trial < 600; ++trial) {
    const std::size_t n = trial < 500 ? 1 + rng() % 400 : 1 + rng() % 60'000;
    const int shape = trial % 5;
    std::vector<std::uint64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      switch (shape) {
        case 0: v[i] = rng() >> 1; break;                            // all 63 bits
        case 1: v[i] = rng() % 4; break;                             // mostly ties
        case 2: v[i] = (std::uint64_t{1} << 40) + rng() % 1000; break;  // a cluster far from zero
        case 3: v[i] = static_cast<std::uint64_t>(std::exp(std::ldexp(static_cast<double>(rng() >> 11), -53) * 40.0)); break;
        default: v[i] = rng() % 20 == 0 ? rng() >> 1 : rng() % (std::uint64_t{1} << 20); break;  // outliers
      }
    }
    INFO("trial " << trial << ", shape " << shape << ", n = " << n);
    std::vector<std::uint64_t> ours = v, reference = v;
    sort_amounts(ours, scratch);
    std::sort(reference.begin(), reference.end());
    REQUIRE(ours == reference);
    const Concentration c = concentration_of_sorted(std::span<const std::uint64_t>(ours));
    // Nakamoto by exact 128-bit comparison (nakamoto_exact's 64-bit sums would overflow on these amounts).
    dais::u128 total = 0, top = 0;
    for (const auto x : v) total += x;
    std::int64_t k50 = 0, k33 = 0;
    for (std::size_t i = n; i-- > 0 && (k50 == 0 || k33 == 0);) {
      top += ours[i];
      const auto k = static_cast<std::int64_t>(n - i);
      if (k50 == 0 && 2 * top > total) k50 = k;
      if (k33 == 0 && 3 * top > total) k33 = k;
    }
    CHECK(c.nakamoto_50 == k50);
    CHECK(c.nakamoto_33 == k33);
    // Gini and HHI against the double path, which is checked against their definitions above, and on small
    // inputs against Gini's definition in exact integers.
    std::vector<double> as_doubles(v.begin(), v.end());
    const Concentration d = concentration(as_doubles);
    CHECK(close_relative(c.hhi, d.hhi, 1e-12));
    CHECK(close_relative(c.gini, d.gini, 1e-12));
    if (n <= 400) CHECK(close_relative(c.gini, gini_of_integers_by_definition(v), 1e-13));
  }
}
