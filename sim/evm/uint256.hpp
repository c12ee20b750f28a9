#pragma once
// uint256: the EVM's 256-bit word as four 64-bit limbs (least significant first), with the EVM's
// arithmetic (wrapping, signed views, ADDMOD/MULMOD over 512 bits). Chosen over Boost.Multiprecision
// after measuring both (bench/uint256_bench.cpp): fixed limbs and __int128 keep every operation inline.

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace dais::evm {

__extension__ typedef unsigned __int128 uint128;

namespace detail {
// Add and subtract with carry: the x86 ADC/SBB instructions when compiled for x86-64 (GCC otherwise
// routes 128-bit temporaries through the stack), portable arithmetic in constant expressions.
constexpr std::uint64_t addc(std::uint64_t a, std::uint64_t b, unsigned char& carry) noexcept {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long out;
    carry = _addcarry_u64(carry, a, b, &out);
    return out;
  }
#endif
  const std::uint64_t s = a + b;
  const bool c1 = s < a;
  const std::uint64_t s2 = s + carry;
  carry = static_cast<unsigned char>(c1 || s2 < s);
  return s2;
}
constexpr std::uint64_t subb(std::uint64_t a, std::uint64_t b, unsigned char& borrow) noexcept {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long out;
    borrow = _subborrow_u64(borrow, a, b, &out);
    return out;
  }
#endif
  const std::uint64_t d = a - b;
  const bool b1 = a < b;
  const std::uint64_t d2 = d - borrow;
  borrow = static_cast<unsigned char>(b1 || d < static_cast<std::uint64_t>(borrow));
  return d2;
}
}  // namespace detail

struct uint256 {
  std::uint64_t w[4] = {0, 0, 0, 0};

  constexpr uint256() noexcept = default;
  constexpr uint256(std::uint64_t v) noexcept : w{v, 0, 0, 0} {}  // NOLINT: implicit like an integer
  constexpr uint256(std::uint64_t w0, std::uint64_t w1, std::uint64_t w2, std::uint64_t w3) noexcept
      : w{w0, w1, w2, w3} {}

  static constexpr uint256 max() noexcept { return {~0ULL, ~0ULL, ~0ULL, ~0ULL}; }

  constexpr explicit operator bool() const noexcept { return (w[0] | w[1] | w[2] | w[3]) != 0; }
  constexpr bool fits_u64() const noexcept { return (w[1] | w[2] | w[3]) == 0; }

  // Big-endian bytes (the EVM's memory and storage order); n <= 32 bytes, right-aligned.
  static uint256 from_be(const std::uint8_t* p, std::size_t n) noexcept {
    std::uint8_t buf[32] = {};
    std::memcpy(buf + 32 - n, p, n);
    uint256 r;
    for (int i = 0; i < 4; ++i) {
      std::uint64_t x;
      std::memcpy(&x, buf + 24 - 8 * i, 8);
      r.w[i] = __builtin_bswap64(x);
    }
    return r;
  }
  void to_be(std::uint8_t* out) const noexcept {
    for (int i = 0; i < 4; ++i) {
      const std::uint64_t x = __builtin_bswap64(w[i]);
      std::memcpy(out + 24 - 8 * i, &x, 8);
    }
  }
  std::array<std::uint8_t, 32> to_be() const noexcept {
    std::array<std::uint8_t, 32> a;
    to_be(a.data());
    return a;
  }

  // Hex with or without 0x, at most 64 digits; throws std::invalid_argument otherwise.
  static uint256 from_hex(std::string_view s);
  // Decimal digits; throws std::invalid_argument when not a number below 2^256.
  static uint256 from_dec(std::string_view s);
  std::string to_hex() const;  // "0x" + minimal lowercase digits
  std::string to_dec() const;
};

constexpr bool operator==(const uint256& a, const uint256& b) noexcept {
  return ((a.w[0] ^ b.w[0]) | (a.w[1] ^ b.w[1]) | (a.w[2] ^ b.w[2]) | (a.w[3] ^ b.w[3])) == 0;
}

constexpr bool operator<(const uint256& a, const uint256& b) noexcept {
  // Subtract and look at the final borrow: branch-free.
  unsigned char borrow = 0;
  for (int i = 0; i < 4; ++i) (void)detail::subb(a.w[i], b.w[i], borrow);
  return borrow != 0;
}
constexpr bool operator>(const uint256& a, const uint256& b) noexcept { return b < a; }
constexpr bool operator<=(const uint256& a, const uint256& b) noexcept { return !(b < a); }
constexpr bool operator>=(const uint256& a, const uint256& b) noexcept { return !(a < b); }

constexpr uint256 operator+(const uint256& a, const uint256& b) noexcept {
  uint256 r;
  unsigned char carry = 0;
  for (int i = 0; i < 4; ++i) r.w[i] = detail::addc(a.w[i], b.w[i], carry);
  return r;
}

constexpr uint256 operator-(const uint256& a, const uint256& b) noexcept {
  uint256 r;
  unsigned char borrow = 0;
  for (int i = 0; i < 4; ++i) r.w[i] = detail::subb(a.w[i], b.w[i], borrow);
  return r;
}

constexpr uint256 operator-(const uint256& a) noexcept { return uint256{} - a; }
constexpr uint256 operator~(const uint256& a) noexcept { return {~a.w[0], ~a.w[1], ~a.w[2], ~a.w[3]}; }
constexpr uint256 operator&(const uint256& a, const uint256& b) noexcept {
  return {a.w[0] & b.w[0], a.w[1] & b.w[1], a.w[2] & b.w[2], a.w[3] & b.w[3]};
}
constexpr uint256 operator|(const uint256& a, const uint256& b) noexcept {
  return {a.w[0] | b.w[0], a.w[1] | b.w[1], a.w[2] | b.w[2], a.w[3] | b.w[3]};
}
constexpr uint256 operator^(const uint256& a, const uint256& b) noexcept {
  return {a.w[0] ^ b.w[0], a.w[1] ^ b.w[1], a.w[2] ^ b.w[2], a.w[3] ^ b.w[3]};
}

// The low 256 bits of a * b: ten 64x64->128 products, schoolbook order.
constexpr uint256 operator*(const uint256& a, const uint256& b) noexcept {
  uint256 r;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; i + j < 4; ++j) {
      const uint128 t = static_cast<uint128>(a.w[i]) * b.w[j] + r.w[i + j] + carry;
      r.w[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
  }
  return r;
}

// Shifts without branches on the amount: index into the word padded with zero limbs, and split the
// "<< (64 - bits)" into two steps so that bits == 0 needs no special case.
constexpr uint256 shl(const uint256& a, unsigned n) noexcept {
  if (n >= 256) return {};
  const std::uint64_t w[8] = {0, 0, 0, 0, a.w[0], a.w[1], a.w[2], a.w[3]};
  const unsigned limbs = n / 64, bits = n % 64;
  uint256 r;
  for (unsigned i = 0; i < 4; ++i) {
    const std::uint64_t hi = w[4 + i - limbs], lo = w[3 + i - limbs];
    r.w[i] = (hi << bits) | ((lo >> 1) >> (63 - bits));
  }
  return r;
}

constexpr uint256 shr(const uint256& a, unsigned n) noexcept {
  if (n >= 256) return {};
  const std::uint64_t w[8] = {a.w[0], a.w[1], a.w[2], a.w[3], 0, 0, 0, 0};
  const unsigned limbs = n / 64, bits = n % 64;
  uint256 r;
  for (unsigned i = 0; i < 4; ++i) {
    const std::uint64_t lo = w[i + limbs], hi = w[i + limbs + 1];
    r.w[i] = (lo >> bits) | ((hi << 1) << (63 - bits));
  }
  return r;
}

// Shift amounts given as words: anything >= 256 shifts everything out.
constexpr unsigned shift_amount(const uint256& n) noexcept {
  return (n.w[1] | n.w[2] | n.w[3]) != 0 || n.w[0] >= 256 ? 256U : static_cast<unsigned>(n.w[0]);
}
constexpr uint256 operator<<(const uint256& a, unsigned n) noexcept { return shl(a, n); }
constexpr uint256 operator>>(const uint256& a, unsigned n) noexcept { return shr(a, n); }

constexpr bool is_negative(const uint256& a) noexcept { return (a.w[3] >> 63) != 0; }

constexpr uint256 sar(const uint256& a, unsigned n) noexcept {
  if (!is_negative(a)) return shr(a, n);
  if (n >= 256) return uint256::max();
  return ~shr(~a, n);
}

constexpr bool slt(const uint256& a, const uint256& b) noexcept {
  const bool na = is_negative(a), nb = is_negative(b);
  if (na != nb) return na;
  return a < b;
}

// Number of significant bits (0 for zero).
constexpr unsigned bit_width(const uint256& a) noexcept {
  for (int i = 3; i >= 0; --i)
    if (a.w[i] != 0) return static_cast<unsigned>(64 * i + 64 - std::countl_zero(a.w[i]));
  return 0;
}
constexpr unsigned byte_width(const uint256& a) noexcept { return (bit_width(a) + 7) / 8; }

struct DivResult {
  uint256 quot;
  uint256 rem;
};

// Unsigned division; division by zero gives {0, 0} as the EVM wants.
DivResult udivrem(const uint256& u, const uint256& v) noexcept;
inline uint256 operator/(const uint256& a, const uint256& b) noexcept { return udivrem(a, b).quot; }
inline uint256 operator%(const uint256& a, const uint256& b) noexcept { return udivrem(a, b).rem; }

// Signed division and modulo (two's complement, truncating), 0 for a zero divisor.
uint256 sdiv(const uint256& a, const uint256& b) noexcept;
uint256 smod(const uint256& a, const uint256& b) noexcept;
// (a + b) mod m and (a * b) mod m without overflow; 0 when m is 0.
uint256 addmod(const uint256& a, const uint256& b, const uint256& m) noexcept;
uint256 mulmod(const uint256& a, const uint256& b, const uint256& m) noexcept;
uint256 exp(uint256 base, uint256 exponent) noexcept;

// The full 512-bit product, as eight limbs least significant first.
void mul_full(const uint256& a, const uint256& b, std::uint64_t out[8]) noexcept;

constexpr uint256 signextend(const uint256& b, const uint256& x) noexcept {
  if (!b.fits_u64() || b.w[0] >= 31) return x;
  const unsigned bit = static_cast<unsigned>(b.w[0]) * 8 + 7;
  const uint256 mask = shl(uint256{1}, bit + 1) - 1;
  const bool negative = ((x.w[bit / 64] >> (bit % 64)) & 1) != 0;
  return negative ? (x | ~mask) : (x & mask);
}

// BYTE: the i-th byte counting from the most significant end, 0 when i >= 32.
constexpr uint256 byte_at(const uint256& i, const uint256& x) noexcept {
  if (!i.fits_u64() || i.w[0] >= 32) return {};
  const unsigned k = 31 - static_cast<unsigned>(i.w[0]);  // byte index from the least significant end
  return (x.w[k / 8] >> (8 * (k % 8))) & 0xff;
}

struct Uint256Hash {
  std::size_t operator()(const uint256& v) const noexcept {
    std::uint64_t h = v.w[0] * 0x9E3779B97F4A7C15ULL;
    h ^= (v.w[1] + 0x632BE59BD9B4E019ULL) * 0xC2B2AE3D27D4EB4FULL;
    h ^= (v.w[2] + (h << 6) + (h >> 2)) * 0x165667B19E3779F9ULL;
    h ^= (v.w[3] + (h << 6) + (h >> 2)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

}  // namespace dais::evm
