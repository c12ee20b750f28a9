#include "sim/evm/uint256.hpp"

#include <stdexcept>

namespace dais::evm {

namespace {

// (hi:lo) / d for hi < d: one hardware divide on x86-64.
inline std::uint64_t div_2by1(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& rem) noexcept {
#if defined(__x86_64__)
  std::uint64_t q, r;
  __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
  rem = r;
  return q;
#else
  const uint128 n = (static_cast<uint128>(hi) << 64) | lo;
  rem = static_cast<std::uint64_t>(n % d);
  return static_cast<std::uint64_t>(n / d);
#endif
}

// Division by an invariant normalized d (top bit set) with a precomputed reciprocal, after Moller and
// Granlund, "Improved division by invariant integers" (2011), algorithm 4: two multiplications instead
// of a hardware divide per quotient digit.
inline std::uint64_t reciprocal_2by1(std::uint64_t d) noexcept {
  std::uint64_t r;
  return div_2by1(~d, ~std::uint64_t{0}, d, r);  // floor((2^128 - 1) / d) - 2^64
}

inline std::uint64_t div_2by1_preinv(std::uint64_t u1, std::uint64_t u0, std::uint64_t d, std::uint64_t v,
                                     std::uint64_t& rem) noexcept {
  uint128 q = static_cast<uint128>(v) * u1;
  q += (static_cast<uint128>(u1) << 64) | u0;
  std::uint64_t q1 = static_cast<std::uint64_t>(q >> 64) + 1;
  const std::uint64_t q0 = static_cast<std::uint64_t>(q);
  std::uint64_t r = u0 - q1 * d;
  if (r > q0) {
    --q1;
    r += d;
  }
  if (r >= d) {
    ++q1;
    r -= d;
  }
  rem = r;
  return q1;
}

int significant_limbs(const std::uint64_t* x, int n) noexcept {
  while (n > 0 && x[n - 1] == 0) --n;
  return n;
}

// Knuth's algorithm D (TAOCP 4.3.1) on 64-bit digits. u has un limbs, v has vn >= 1 limbs with
// v[vn-1] != 0 and un >= vn. Writes un-vn+1 quotient limbs to q and vn remainder limbs to r.
void divide_knuth(std::uint64_t* q, std::uint64_t* r, const std::uint64_t* u, int un, const std::uint64_t* v,
                  int vn) noexcept {
  if (vn == 1) {
    std::uint64_t rem = 0;
    for (int i = un - 1; i >= 0; --i) q[i] = div_2by1(rem, u[i], v[0], rem);
    r[0] = rem;
    return;
  }
  const int s = std::countl_zero(v[vn - 1]);
  std::uint64_t vnorm[8];
  std::uint64_t unorm[17];
  for (int i = vn - 1; i > 0; --i) vnorm[i] = (v[i] << s) | (s ? v[i - 1] >> (64 - s) : 0);
  vnorm[0] = v[0] << s;
  unorm[un] = s ? u[un - 1] >> (64 - s) : 0;
  for (int i = un - 1; i > 0; --i) unorm[i] = (u[i] << s) | (s ? u[i - 1] >> (64 - s) : 0);
  unorm[0] = u[0] << s;

  const std::uint64_t d1 = vnorm[vn - 1], d0 = vnorm[vn - 2];
  const std::uint64_t reciprocal = reciprocal_2by1(d1);
  for (int j = un - vn; j >= 0; --j) {
    const std::uint64_t n2 = unorm[j + vn], n1 = unorm[j + vn - 1], n0 = unorm[j + vn - 2];
    std::uint64_t qhat;
    uint128 rhat;
    if (n2 >= d1) {  // n2 == d1: the estimate would overflow one digit
      qhat = ~0ULL;
      rhat = ((static_cast<uint128>(n2) << 64) | n1) - static_cast<uint128>(qhat) * d1;
    } else {
      std::uint64_t rem;
      qhat = div_2by1_preinv(n2, n1, d1, reciprocal, rem);
      rhat = rem;
    }
    while ((rhat >> 64) == 0 && static_cast<uint128>(qhat) * d0 > ((rhat << 64) | n0)) {
      --qhat;
      rhat += d1;
    }
    // unorm[j .. j+vn] -= qhat * vnorm
    std::uint64_t borrow = 0, carry = 0;
    for (int i = 0; i < vn; ++i) {
      const uint128 p = static_cast<uint128>(qhat) * vnorm[i] + carry;
      carry = static_cast<std::uint64_t>(p >> 64);
      const uint128 t = static_cast<uint128>(unorm[i + j]) - static_cast<std::uint64_t>(p) - borrow;
      unorm[i + j] = static_cast<std::uint64_t>(t);
      borrow = static_cast<std::uint64_t>(t >> 64) & 1;
    }
    const uint128 t = static_cast<uint128>(unorm[j + vn]) - carry - borrow;
    unorm[j + vn] = static_cast<std::uint64_t>(t);
    if ((t >> 64) != 0) {  // qhat was one too large: add back
      --qhat;
      std::uint64_t c = 0;
      for (int i = 0; i < vn; ++i) {
        const uint128 a = static_cast<uint128>(unorm[i + j]) + vnorm[i] + c;
        unorm[i + j] = static_cast<std::uint64_t>(a);
        c = static_cast<std::uint64_t>(a >> 64);
      }
      unorm[j + vn] += c;
    }
    q[j] = qhat;
  }
  for (int i = 0; i < vn - 1; ++i) r[i] = (unorm[i] >> s) | (s ? unorm[i + 1] << (64 - s) : 0);
  r[vn - 1] = unorm[vn - 1] >> s;
}

// Remainder of a num_limbs-limb number by a 256-bit modulus m != 0.
uint256 reduce(const std::uint64_t* num, int num_limbs, const uint256& m) noexcept {
  const int un = significant_limbs(num, num_limbs);
  const int vn = significant_limbs(m.w, 4);
  if (un < vn) {
    uint256 r;
    for (int i = 0; i < un; ++i) r.w[i] = num[i];
    return r;
  }
  std::uint64_t q[9] = {};
  std::uint64_t r[4] = {};
  divide_knuth(q, r, num, un, m.w, vn);
  uint256 out;
  for (int i = 0; i < vn; ++i) out.w[i] = r[i];
  return out;
}

}  // namespace

DivResult udivrem(const uint256& u, const uint256& v) noexcept {
  const int vn = significant_limbs(v.w, 4);
  if (vn == 0) return {};
  const int un = significant_limbs(u.w, 4);
  if (un < vn) return {{}, u};
  if (un == 1) return {u.w[0] / v.w[0], u.w[0] % v.w[0]};
  if (un == 2) {  // both fit in 128 bits: the compiler's 128-bit division
    const uint128 a = (static_cast<uint128>(u.w[1]) << 64) | u.w[0];
    const uint128 b = (static_cast<uint128>(v.w[1]) << 64) | v.w[0];
    const uint128 q = a / b, r = a - q * b;
    return {{static_cast<std::uint64_t>(q), static_cast<std::uint64_t>(q >> 64), 0, 0},
            {static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(r >> 64), 0, 0}};
  }
  DivResult res;
  divide_knuth(res.quot.w, res.rem.w, u.w, un, v.w, vn);
  return res;
}

uint256 sdiv(const uint256& a, const uint256& b) noexcept {
  const bool na = is_negative(a), nb = is_negative(b);
  const uint256 q = udivrem(na ? -a : a, nb ? -b : b).quot;
  return na != nb ? -q : q;
}

uint256 smod(const uint256& a, const uint256& b) noexcept {
  const bool na = is_negative(a);
  const uint256 r = udivrem(na ? -a : a, is_negative(b) ? -b : b).rem;
  return na ? -r : r;
}

uint256 addmod(const uint256& a, const uint256& b, const uint256& m) noexcept {
  if (!m) return {};
  std::uint64_t sum[5];
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const uint128 t = static_cast<uint128>(a.w[i]) + b.w[i] + carry;
    sum[i] = static_cast<std::uint64_t>(t);
    carry = static_cast<std::uint64_t>(t >> 64);
  }
  sum[4] = carry;
  return reduce(sum, 5, m);
}

void mul_full(const uint256& a, const uint256& b, std::uint64_t out[8]) noexcept {
  for (int i = 0; i < 8; ++i) out[i] = 0;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      const uint128 t = static_cast<uint128>(a.w[i]) * b.w[j] + out[i + j] + carry;
      out[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    out[i + 4] = carry;
  }
}

uint256 mulmod(const uint256& a, const uint256& b, const uint256& m) noexcept {
  if (!m) return {};
  std::uint64_t prod[8];
  mul_full(a, b, prod);
  return reduce(prod, 8, m);
}

uint256 exp(uint256 base, uint256 exponent) noexcept {
  uint256 result = 1;
  const unsigned bits = bit_width(exponent);
  for (unsigned i = 0; i < bits; ++i) {
    if ((exponent.w[i / 64] >> (i % 64)) & 1) result = result * base;
    if (i + 1 < bits) base = base * base;
  }
  return result;
}

namespace {
int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

uint256 uint256::from_hex(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty()) throw std::invalid_argument("empty hex number");
  while (s.size() > 1 && s[0] == '0') s.remove_prefix(1);
  if (s.size() > 64) throw std::invalid_argument("hex number wider than 256 bits");
  uint256 r;
  for (char c : s) {
    const int d = hex_digit(c);
    if (d < 0) throw std::invalid_argument(std::string("not a hex digit: '") + c + "'");
    r = shl(r, 4) | static_cast<std::uint64_t>(d);
  }
  return r;
}

uint256 uint256::from_dec(std::string_view s) {
  if (s.empty()) throw std::invalid_argument("empty decimal number");
  uint256 r;
  for (char c : s) {
    if (c < '0' || c > '9') throw std::invalid_argument(std::string("not a decimal digit: '") + c + "'");
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    static const uint256 limit = uint256::max() / 10;  // 2^256-1 = 10 * limit + 5
    if (r > limit || (r == limit && d > 5)) throw std::invalid_argument("decimal number wider than 256 bits");
    r = r * 10 + d;
  }
  return r;
}

std::string uint256::to_hex() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 63; i >= 0; --i) {
    const unsigned d = static_cast<unsigned>(w[i / 16] >> (4 * (i % 16))) & 0xf;
    if (out.empty() && d == 0 && i != 0) continue;
    out.push_back(digits[d]);
  }
  return "0x" + out;
}

std::string uint256::to_dec() const {
  if (!*this) return "0";
  std::string out;
  uint256 v = *this;
  while (v) {
    const DivResult d = udivrem(v, 10);
    out.insert(out.begin(), static_cast<char>('0' + d.rem.w[0]));
    v = d.quot;
  }
  return out;
}

}  // namespace dais::evm
