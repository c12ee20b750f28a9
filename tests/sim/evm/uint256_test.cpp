// uint256 against Boost.Multiprecision on random values: every operation the EVM uses.

#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <random>

#include "sim/evm/uint256.hpp"

using dais::evm::uint256;
namespace mp = boost::multiprecision;
using big = mp::cpp_int;

namespace {

const big two256 = big(1) << 256;

big to_big(const uint256& v) {
  big r = 0;
  for (int i = 3; i >= 0; --i) r = (r << 64) | big(v.w[i]);
  return r;
}

uint256 from_big(big v) {
  v %= two256;
  if (v < 0) v += two256;
  uint256 r;
  for (int i = 0; i < 4; ++i) {
    r.w[i] = static_cast<std::uint64_t>(v & big(~0ULL));
    v >>= 64;
  }
  return r;
}

big to_signed(const uint256& v) {
  big b = to_big(v);
  return dais::evm::is_negative(v) ? b - two256 : b;
}

// Random values with a mix of widths and special patterns, so carries, zero limbs and signs all occur.
uint256 random_value(std::mt19937_64& rng) {
  uint256 v{rng(), rng(), rng(), rng()};
  switch (rng() % 8) {
    case 0: return uint256(rng() % 4);
    case 1: return uint256(rng());
    case 2: return dais::evm::shr(v, static_cast<unsigned>(rng() % 256));
    case 3: return uint256::max() - uint256(rng() % 4);
    case 4: return dais::evm::shl(uint256(1), static_cast<unsigned>(rng() % 256));
    case 5: return v | dais::evm::shl(uint256(1), 255);
    default: return v;
  }
}

}  // namespace

TEST_CASE("uint256 arithmetic matches Boost.Multiprecision on random values", "[evm][uint256]") {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 20000; ++i) {
    const uint256 a = random_value(rng), b = random_value(rng), m = random_value(rng);
    const big A = to_big(a), B = to_big(b), M = to_big(m);
    INFO("a=" << a.to_hex() << " b=" << b.to_hex() << " m=" << m.to_hex());
    REQUIRE(a + b == from_big(A + B));
    REQUIRE(a - b == from_big(A - B));
    REQUIRE(a * b == from_big(A * B));
    REQUIRE((a < b) == (A < B));
    REQUIRE((a == b) == (A == B));
    REQUIRE(a / b == (B == 0 ? uint256{} : from_big(A / B)));
    REQUIRE(a % b == (B == 0 ? uint256{} : from_big(A % B)));
    REQUIRE(dais::evm::addmod(a, b, m) == (M == 0 ? uint256{} : from_big((A + B) % M)));
    REQUIRE(dais::evm::mulmod(a, b, m) == (M == 0 ? uint256{} : from_big((A * B) % M)));
    const big SA = to_signed(a), SB = to_signed(b);
    // Boost's division and modulo truncate toward zero, as the EVM's SDIV and SMOD do.
    REQUIRE(dais::evm::sdiv(a, b) == (SB == 0 ? uint256{} : from_big(SA / SB)));
    REQUIRE(dais::evm::smod(a, b) == (SB == 0 ? uint256{} : from_big(SA % SB)));
    REQUIRE(dais::evm::slt(a, b) == (SA < SB));
    const unsigned shift = static_cast<unsigned>(rng() % 300);
    REQUIRE(dais::evm::shl(a, shift) == from_big(shift >= 256 ? big(0) : (A << shift)));
    REQUIRE(dais::evm::shr(a, shift) == from_big(shift >= 256 ? big(0) : (A >> shift)));
    big sar_expected;
    if (shift >= 256) sar_expected = SA < 0 ? big(-1) : big(0);
    else if (SA >= 0) sar_expected = big(SA >> shift);
    else sar_expected = big(-big((-SA - 1) >> shift) - 1);  // floor division for negatives
    REQUIRE(dais::evm::sar(a, shift) == from_big(sar_expected));
    REQUIRE(dais::evm::bit_width(a) == (A == 0 ? 0U : static_cast<unsigned>(mp::msb(A)) + 1));
  }
}

TEST_CASE("EXP matches repeated multiplication modulo 2^256", "[evm][uint256]") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 500; ++i) {
    const uint256 base = random_value(rng);
    const uint256 e = uint256(rng() % 4 == 0 ? rng() : rng() % 300);
    REQUIRE(dais::evm::exp(base, e) == from_big(mp::powm(to_big(base), to_big(e), two256)));
  }
  REQUIRE(dais::evm::exp(2, 255) == dais::evm::shl(uint256(1), 255));
  REQUIRE(dais::evm::exp(2, 256) == uint256{});
  REQUIRE(dais::evm::exp(0, 0) == uint256(1));
}

TEST_CASE("SIGNEXTEND and BYTE pick the right bits", "[evm][uint256]") {
  REQUIRE(dais::evm::signextend(0, 0xff) == uint256::max());
  REQUIRE(dais::evm::signextend(0, 0x7f) == uint256(0x7f));
  REQUIRE(dais::evm::signextend(1, 0x8000) == uint256::max() - 0x7fff);
  REQUIRE(dais::evm::signextend(31, 0x80) == uint256(0x80));
  REQUIRE(dais::evm::signextend(uint256::max(), 0x80) == uint256(0x80));
  const uint256 x = uint256::from_hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  for (unsigned i = 0; i < 32; ++i) REQUIRE(dais::evm::byte_at(i, x) == uint256(i + 1));
  REQUIRE(dais::evm::byte_at(32, x) == uint256{});
}

TEST_CASE("uint256 converts to and from hex, decimal and big-endian bytes", "[evm][uint256]") {
  const uint256 v = uint256::from_hex("0xdeadbeef00000000000000000000000000000000000000000000000000000001");
  REQUIRE(v.to_hex() == "0xdeadbeef00000000000000000000000000000000000000000000000000000001");
  REQUIRE(uint256::from_be(v.to_be().data(), 32) == v);
  REQUIRE(uint256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639935") == uint256::max());
  REQUIRE_THROWS(uint256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  REQUIRE_THROWS(uint256::from_hex("0x1" + std::string(64, '0')));
  REQUIRE(uint256(12345).to_dec() == "12345");
}
