// int128: the exact integer square root over the whole 128-bit range, and the correctly rounded conversions to double.

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/core/int128.hpp"

using dais::integer_sqrt;
using dais::to_double;
using dais::u128;

TEST_CASE("integer_sqrt is the exact floor of the square root", "[core][int128]") {
  CHECK(integer_sqrt(0) == 0);
  CHECK(integer_sqrt(1) == 1);
  CHECK(integer_sqrt(3) == 1);
  CHECK(integer_sqrt(4) == 2);
  CHECK(integer_sqrt(u128{1} << 52) == std::uint64_t{1} << 26);
  const std::uint64_t big = (std::uint64_t{1} << 32) - 1;  // (2^32 - 1)^2 and its neighbours
  CHECK(integer_sqrt(u128{big} * big) == big);
  CHECK(integer_sqrt(u128{big} * big - 1) == big - 1);
  CHECK(integer_sqrt(std::numeric_limits<std::uint64_t>::max()) == big);
  const std::uint64_t odd = 94906267;  // x^2 + 2x is just below (x+1)^2, and rounds up to it as a double
  CHECK(integer_sqrt(u128{odd} * odd + 2 * odd) == odd);
}

TEST_CASE("integer_sqrt is exact where the double's root is thousands off", "[core][int128]") {
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  CHECK(integer_sqrt(~u128{0}) == top);
  CHECK(integer_sqrt(u128{top} * top) == top);
  CHECK(integer_sqrt(u128{top} * top - 1) == top - 1);
  for (const std::uint64_t root : {std::uint64_t{1} << 53, (std::uint64_t{1} << 60) + 12345, top / 3, top - 7}) {
    const u128 square = u128{root} * root;
    CHECK(integer_sqrt(square) == root);
    CHECK(integer_sqrt(square - 1) == root - 1);
    CHECK(integer_sqrt(square + 2 * u128{root}) == root);  // (root + 1)^2 - 1
  }
}

// The compiler's conversions (and libgcc's for 128 bits) round to nearest, ties to even: the reference.
TEST_CASE("to_double rounds as the compiler's conversion does, ties and the top bit included", "[core][int128]") {
  std::vector<std::uint64_t> cases{0, 1, (std::uint64_t{1} << 53) + 1, (std::uint64_t{1} << 53) + 3,
                                   (std::uint64_t{1} << 63) - 1, std::uint64_t{1} << 63, (std::uint64_t{1} << 63) + 1,
                                   (std::uint64_t{1} << 63) + 1024, (std::uint64_t{1} << 63) + 1025,
                                   (std::uint64_t{1} << 63) + 3072, std::numeric_limits<std::uint64_t>::max()};
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100'000; ++i) {
    const std::uint64_t x = rng() >> (rng() % 64);
    cases.push_back(x);
    cases.push_back(x | (std::uint64_t{1} << 63));
    cases.push_back((x & ~std::uint64_t{0x7FF}) | 0x400);  // halfway between two doubles when x >= 2^63
  }
  std::size_t wrong = 0;
  for (const std::uint64_t x : cases) {
    wrong += to_double(x) != static_cast<double>(x);
    const u128 wide = (u128{x} << (x % 65)) | (x >> 7);
    wrong += to_double(wide) != static_cast<double>(wide);
  }
  CHECK(wrong == 0);
}
