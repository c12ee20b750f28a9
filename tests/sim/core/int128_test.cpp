// int128: the exact integer square root over the whole 128-bit range.

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "sim/core/int128.hpp"

using dais::integer_sqrt;
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
