#pragma once
// Prime fields in Montgomery form over N 64-bit limbs, their quadratic extension Fp2 = Fp[u]/(u^2+1),
// a degree-12 extension Fp12 = Fp[w]/(w^12 + m6 w^6 + m0), and affine elliptic-curve arithmetic over
// any of them. Written for the pairing precompiles (BN254, BLS12-381): clear rather than fast.

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/evm/uint256.hpp"

namespace dais::evm::field {

template <std::size_t N>
using Limbs = std::array<std::uint64_t, N>;

// Little-endian limbs of a big-endian byte string (at most 8N bytes).
template <std::size_t N>
Limbs<N> limbs_from_be(const std::uint8_t* p, std::size_t n) noexcept {
  Limbs<N> r{};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t bit = 8 * (n - 1 - i);
    r[bit / 64] |= static_cast<std::uint64_t>(p[i]) << (bit % 64);
  }
  return r;
}

template <std::size_t N>
bool less(const Limbs<N>& a, const Limbs<N>& b) noexcept {
  for (std::size_t i = N; i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i];
  return false;
}

// The parameters of a prime field, computed once from its modulus. Exponents are little-endian limbs.
template <std::size_t N>
struct Params {
  Limbs<N> p{};
  std::uint64_t inv = 0;  // -p^-1 mod 2^64
  Limbs<N> one{};         // R mod p
  Limbs<N> r2{};          // R^2 mod p
  std::vector<std::uint64_t> p_minus_2, p_plus_1_over_4, p_minus_3_over_4, p_minus_1_over_2;

  explicit Params(const Limbs<N>& modulus) : p(modulus) {
    std::uint64_t x = 1;  // Newton's iteration for p^-1 mod 2^64
    for (int i = 0; i < 6; ++i) x *= 2 - p[0] * x;
    inv = ~x + 1;
    Limbs<N> v{};
    v[0] = 1;
    for (std::size_t i = 0; i < 64 * N; ++i) v = dbl(v);
    one = v;
    for (std::size_t i = 0; i < 64 * N; ++i) v = dbl(v);
    r2 = v;
    p_minus_2 = sub_small(p, 2);
    p_plus_1_over_4 = shr2(add_small(p, 1));
    p_minus_3_over_4 = shr2(sub_small(p, 3));
    std::vector<std::uint64_t> pm1 = sub_small(p, 1);
    p_minus_1_over_2 = shr1(pm1);
  }

 private:
  Limbs<N> dbl(const Limbs<N>& a) const noexcept {  // 2a mod p, for a < p
    Limbs<N> r;
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < N; ++i) {
      r[i] = (a[i] << 1) | carry;
      carry = a[i] >> 63;
    }
    if (carry || !less(r, p)) {
      std::uint64_t borrow = 0;
      for (std::size_t i = 0; i < N; ++i) {
        const uint128 d = static_cast<uint128>(r[i]) - p[i] - borrow;
        r[i] = static_cast<std::uint64_t>(d);
        borrow = static_cast<std::uint64_t>(d >> 64) & 1;
      }
    }
    return r;
  }
  static std::vector<std::uint64_t> sub_small(const Limbs<N>& a, std::uint64_t k) {
    std::vector<std::uint64_t> r(a.begin(), a.end());
    for (std::size_t i = 0; i < N && k != 0; ++i) {
      const std::uint64_t before = r[i];
      r[i] -= k;
      k = before < k ? 1 : 0;
    }
    return r;
  }
  static std::vector<std::uint64_t> add_small(const Limbs<N>& a, std::uint64_t k) {
    std::vector<std::uint64_t> r(a.begin(), a.end());
    r.push_back(0);
    for (std::size_t i = 0; i <= N && k != 0; ++i) {
      r[i] += k;
      k = r[i] < k ? 1 : 0;
    }
    return r;
  }
  static std::vector<std::uint64_t> shr1(std::vector<std::uint64_t> v) {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = (v[i] >> 1) | (i + 1 < v.size() ? v[i + 1] << 63 : 0);
    return v;
  }
  static std::vector<std::uint64_t> shr2(std::vector<std::uint64_t> v) { return shr1(shr1(std::move(v))); }
};

// An element of the prime field described by Tag (Tag::N limbs, Tag::params()).
template <class Tag>
struct Fp {
  static constexpr std::size_t N = Tag::N;
  Limbs<N> v{};  // Montgomery form

  static const Params<N>& P() { return Tag::params(); }
  static Fp zero() noexcept { return {}; }
  static Fp one() { return {P().one}; }
  static Fp from_u64(std::uint64_t x) {
    Limbs<N> l{};
    l[0] = x;
    return from_canonical(l);
  }
  static Fp from_canonical(const Limbs<N>& l) { return mont_mul(l, P().r2); }
  // From big-endian bytes; false when the value is not below p.
  static bool from_be(const std::uint8_t* bytes, std::size_t n, Fp& out) {
    const Limbs<N> l = limbs_from_be<N>(bytes, n);
    if (!less(l, P().p)) return false;
    out = from_canonical(l);
    return true;
  }
  Limbs<N> canonical() const {
    Limbs<N> one_l{};
    one_l[0] = 1;
    return mont_mul(v, one_l).v;
  }
  void to_be(std::uint8_t* out, std::size_t n) const {
    const Limbs<N> c = canonical();
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t bit = 8 * (n - 1 - i);
      out[i] = static_cast<std::uint8_t>(bit / 64 < N ? c[bit / 64] >> (bit % 64) : 0);
    }
  }

  bool is_zero() const noexcept {
    std::uint64_t x = 0;
    for (std::uint64_t l : v) x |= l;
    return x == 0;
  }
  friend bool operator==(const Fp& a, const Fp& b) noexcept { return a.v == b.v; }
  friend bool operator!=(const Fp& a, const Fp& b) noexcept { return !(a == b); }

  friend Fp operator+(const Fp& a, const Fp& b) {
    Fp r;
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const uint128 s = static_cast<uint128>(a.v[i]) + b.v[i] + carry;
      r.v[i] = static_cast<std::uint64_t>(s);
      carry = static_cast<std::uint64_t>(s >> 64);
    }
    if (carry || !less(r.v, P().p)) r.sub_p();
    return r;
  }
  friend Fp operator-(const Fp& a, const Fp& b) {
    Fp r;
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const uint128 d = static_cast<uint128>(a.v[i]) - b.v[i] - borrow;
      r.v[i] = static_cast<std::uint64_t>(d);
      borrow = static_cast<std::uint64_t>(d >> 64) & 1;
    }
    if (borrow) {
      std::uint64_t carry = 0;
      for (std::size_t i = 0; i < N; ++i) {
        const uint128 s = static_cast<uint128>(r.v[i]) + P().p[i] + carry;
        r.v[i] = static_cast<std::uint64_t>(s);
        carry = static_cast<std::uint64_t>(s >> 64);
      }
    }
    return r;
  }
  Fp operator-() const { return zero() - *this; }
  friend Fp operator*(const Fp& a, const Fp& b) { return mont_mul(a.v, b.v); }

  Fp pow(const std::vector<std::uint64_t>& e) const {
    Fp result = one();
    for (std::size_t i = e.size() * 64; i-- > 0;) {
      result = result * result;
      if ((e[i / 64] >> (i % 64)) & 1) result = result * *this;
    }
    return result;
  }
  Fp inverse() const { return pow(P().p_minus_2); }  // 0 stays 0
  // A square root when p = 3 mod 4; false when there is none.
  bool sqrt(Fp& out) const {
    const Fp r = pow(P().p_plus_1_over_4);
    if (r * r != *this) return false;
    out = r;
    return true;
  }
  // True when this is the larger of {y, -y} in canonical form (the compressed-point sign rule).
  bool is_lexicographically_largest() const {
    const Fp neg = -*this;
    return less(neg.canonical(), canonical());
  }

 private:
  void sub_p() {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const uint128 d = static_cast<uint128>(v[i]) - P().p[i] - borrow;
      v[i] = static_cast<std::uint64_t>(d);
      borrow = static_cast<std::uint64_t>(d >> 64) & 1;
    }
  }
  // Montgomery multiplication, CIOS: a * b * R^-1 mod p.
  static Fp mont_mul(const Limbs<N>& a, const Limbs<N>& b) {
    const Params<N>& prm = P();
    std::uint64_t t[N + 2] = {};
    for (std::size_t i = 0; i < N; ++i) {
      std::uint64_t carry = 0;
      for (std::size_t j = 0; j < N; ++j) {
        const uint128 s = static_cast<uint128>(a[j]) * b[i] + t[j] + carry;
        t[j] = static_cast<std::uint64_t>(s);
        carry = static_cast<std::uint64_t>(s >> 64);
      }
      uint128 s = static_cast<uint128>(t[N]) + carry;
      t[N] = static_cast<std::uint64_t>(s);
      t[N + 1] = static_cast<std::uint64_t>(s >> 64);
      const std::uint64_t m = t[0] * prm.inv;
      s = static_cast<uint128>(m) * prm.p[0] + t[0];
      carry = static_cast<std::uint64_t>(s >> 64);
      for (std::size_t j = 1; j < N; ++j) {
        s = static_cast<uint128>(m) * prm.p[j] + t[j] + carry;
        t[j - 1] = static_cast<std::uint64_t>(s);
        carry = static_cast<std::uint64_t>(s >> 64);
      }
      s = static_cast<uint128>(t[N]) + carry;
      t[N - 1] = static_cast<std::uint64_t>(s);
      t[N] = t[N + 1] + static_cast<std::uint64_t>(s >> 64);
    }
    Fp r;
    for (std::size_t i = 0; i < N; ++i) r.v[i] = t[i];
    if (t[N] != 0 || !less(r.v, prm.p)) r.sub_p();
    return r;
  }
};

// Fp2 = Fp[u] / (u^2 + 1).
template <class F>
struct Fp2 {
  F c0, c1;
  static Fp2 zero() { return {F::zero(), F::zero()}; }
  static Fp2 one() { return {F::one(), F::zero()}; }
  bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  friend bool operator==(const Fp2& a, const Fp2& b) { return a.c0 == b.c0 && a.c1 == b.c1; }
  friend bool operator!=(const Fp2& a, const Fp2& b) { return !(a == b); }
  friend Fp2 operator+(const Fp2& a, const Fp2& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
  friend Fp2 operator-(const Fp2& a, const Fp2& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
  Fp2 operator-() const { return {-c0, -c1}; }
  friend Fp2 operator*(const Fp2& a, const Fp2& b) {
    return {a.c0 * b.c0 - a.c1 * b.c1, a.c0 * b.c1 + a.c1 * b.c0};
  }
  Fp2 inverse() const {
    const F t = (c0 * c0 + c1 * c1).inverse();
    return {c0 * t, -(c1 * t)};
  }
  Fp2 pow(const std::vector<std::uint64_t>& e) const {
    Fp2 result = one();
    for (std::size_t i = e.size() * 64; i-- > 0;) {
      result = result * result;
      if ((e[i / 64] >> (i % 64)) & 1) result = result * *this;
    }
    return result;
  }
  // A square root when p = 3 mod 4 (Adj and Rodriguez-Henriquez, algorithm 9); false when none.
  bool sqrt(Fp2& out) const {
    if (is_zero()) {
      out = zero();
      return true;
    }
    const auto& prm = F::P();
    const Fp2 a1 = pow(prm.p_minus_3_over_4);
    const Fp2 alpha = a1 * a1 * *this;
    const Fp2 x0 = a1 * *this;
    Fp2 x;
    if (alpha == -one()) {
      x = Fp2{-x0.c1, x0.c0};  // u * x0
    } else {
      x = (one() + alpha).pow(prm.p_minus_1_over_2) * x0;
    }
    if (x * x != *this) return false;
    out = x;
    return true;
  }
  // The compressed-G2 sign rule: compare c1 first, then c0.
  bool is_lexicographically_largest() const {
    if (!c1.is_zero()) return c1.is_lexicographically_largest();
    return c0.is_lexicographically_largest();
  }
};

// Fp12 = Fp[w] / (w^12 + M6 w^6 + M0), coefficients of w^0..w^11. Cfg gives m0() and m6() in F.
template <class F, class Cfg>
struct Fp12 {
  std::array<F, 12> c{};
  static Fp12 zero() { return {}; }
  static Fp12 one() {
    Fp12 r;
    r.c[0] = F::one();
    return r;
  }
  static Fp12 constant(const F& x) {
    Fp12 r;
    r.c[0] = x;
    return r;
  }
  friend bool operator==(const Fp12& a, const Fp12& b) { return a.c == b.c; }
  friend bool operator!=(const Fp12& a, const Fp12& b) { return !(a == b); }
  bool is_zero() const {
    for (const F& x : c)
      if (!x.is_zero()) return false;
    return true;
  }
  friend Fp12 operator+(const Fp12& a, const Fp12& b) {
    Fp12 r;
    for (int i = 0; i < 12; ++i) r.c[i] = a.c[i] + b.c[i];
    return r;
  }
  friend Fp12 operator-(const Fp12& a, const Fp12& b) {
    Fp12 r;
    for (int i = 0; i < 12; ++i) r.c[i] = a.c[i] - b.c[i];
    return r;
  }
  Fp12 operator-() const { return zero() - *this; }
  friend Fp12 operator*(const Fp12& a, const Fp12& b) {
    std::array<F, 23> t{};
    for (int i = 0; i < 12; ++i) {
      if (a.c[i].is_zero()) continue;
      for (int j = 0; j < 12; ++j) t[i + j] = t[i + j] + a.c[i] * b.c[j];
    }
    const F m0 = Cfg::m0(), m6 = Cfg::m6();
    for (int k = 22; k >= 12; --k) {  // w^k = w^(k-12) * (-m6 w^6 - m0)
      const F top = t[k];
      if (top.is_zero()) continue;
      t[k - 6] = t[k - 6] - top * m6;
      t[k - 12] = t[k - 12] - top * m0;
    }
    Fp12 r;
    for (int i = 0; i < 12; ++i) r.c[i] = t[i];
    return r;
  }
  Fp12 pow(const std::vector<std::uint64_t>& e) const {
    Fp12 result = one();
    bool started = false;
    for (std::size_t i = e.size() * 64; i-- > 0;) {
      if (started) result = result * result;
      if ((e[i / 64] >> (i % 64)) & 1) {
        result = started ? result * *this : *this;
        started = true;
      }
    }
    return result;
  }
  // The inverse by the extended Euclidean algorithm on polynomials over F.
  Fp12 inverse() const {
    using Poly = std::array<F, 13>;
    auto degree = [](const Poly& p) {
      for (int i = 12; i >= 0; --i)
        if (!p[static_cast<std::size_t>(i)].is_zero()) return i;
      return -1;
    };
    Poly lm{}, hm{}, low{}, high{};
    lm[0] = F::one();
    for (int i = 0; i < 12; ++i) low[i] = c[i];
    high[0] = Cfg::m0();
    high[6] = Cfg::m6();
    high[12] = F::one();
    while (degree(low) > 0) {
      // r = high / low, rounded down (polynomial division)
      const int dl = degree(low), dh = degree(high);
      Poly r{};
      Poly temp = high;
      const F lead_inv = low[static_cast<std::size_t>(dl)].inverse();
      for (int i = dh - dl; i >= 0; --i) {
        const F q = temp[static_cast<std::size_t>(dl + i)] * lead_inv;
        r[static_cast<std::size_t>(i)] = q;
        for (int k = 0; k <= dl; ++k)
          temp[static_cast<std::size_t>(k + i)] = temp[static_cast<std::size_t>(k + i)] - low[static_cast<std::size_t>(k)] * q;
      }
      Poly nm = hm, nw = high;
      for (int i = 0; i <= 12; ++i) {
        for (int j = 0; i + j <= 12; ++j) {
          const std::size_t ij = static_cast<std::size_t>(i + j);
          nm[ij] = nm[ij] - lm[static_cast<std::size_t>(i)] * r[static_cast<std::size_t>(j)];
          nw[ij] = nw[ij] - low[static_cast<std::size_t>(i)] * r[static_cast<std::size_t>(j)];
        }
      }
      hm = lm;
      high = low;
      lm = nm;
      low = nw;
    }
    const F k = low[0].inverse();
    Fp12 out;
    for (int i = 0; i < 12; ++i) out.c[i] = lm[static_cast<std::size_t>(i)] * k;
    return out;
  }
  Fp12 operator/(const Fp12& b) const { return *this * b.inverse(); }
};

// Affine points on y^2 = x^3 + b over a field K; `infinity` marks the neutral element.
template <class K>
struct Point {
  K x{}, y{};
  bool infinity = true;
  friend bool operator==(const Point& a, const Point& b) {
    if (a.infinity || b.infinity) return a.infinity == b.infinity;
    return a.x == b.x && a.y == b.y;
  }
};

template <class K>
bool on_curve(const Point<K>& p, const K& b) {
  return p.infinity || p.y * p.y == p.x * p.x * p.x + b;
}

template <class K>
K small(std::uint64_t v) {
  K r = K::zero();
  const K one = K::one();
  for (std::uint64_t i = 0; i < v; ++i) r = r + one;
  return r;
}

template <class K>
Point<K> dbl(const Point<K>& p) {
  if (p.infinity || p.y.is_zero()) return {};
  const K m = small<K>(3) * p.x * p.x * (small<K>(2) * p.y).inverse();
  Point<K> r;
  r.infinity = false;
  r.x = m * m - small<K>(2) * p.x;
  r.y = m * (p.x - r.x) - p.y;
  return r;
}

template <class K>
Point<K> add(const Point<K>& p, const Point<K>& q) {
  if (p.infinity) return q;
  if (q.infinity) return p;
  if (p.x == q.x) return p.y == q.y ? dbl(p) : Point<K>{};
  const K m = (q.y - p.y) * (q.x - p.x).inverse();
  Point<K> r;
  r.infinity = false;
  r.x = m * m - p.x - q.x;
  r.y = m * (p.x - r.x) - p.y;
  return r;
}

template <class K>
Point<K> neg(const Point<K>& p) {
  Point<K> r = p;
  if (!r.infinity) r.y = -r.y;
  return r;
}

// Scalar multiplication by little-endian limbs, double-and-add.
template <class K>
Point<K> mul(const Point<K>& p, const std::vector<std::uint64_t>& scalar) {
  Point<K> r;
  for (std::size_t i = scalar.size() * 64; i-- > 0;) {
    r = dbl(r);
    if ((scalar[i / 64] >> (i % 64)) & 1) r = add(r, p);
  }
  return r;
}

inline std::vector<std::uint64_t> scalar_from(const uint256& s) { return {s.w[0], s.w[1], s.w[2], s.w[3]}; }

template <class K>
Point<K> to_affine_parts(const K& X, const K& Y, const K& Z);

// Scalar multiplication in Jacobian coordinates (curves with a = 0): one inversion at the end instead
// of one per step.
template <class K>
Point<K> mul_jacobian(const Point<K>& p, const std::vector<std::uint64_t>& scalar) {
  if (p.infinity) return {};
  K X = K::one(), Y = K::one(), Z = K::zero();  // infinity
  bool inf = true;
  for (std::size_t i = scalar.size() * 64; i-- > 0;) {
    if (!inf) {  // doubling (dbl-2009-l)
      if (Y.is_zero()) {
        inf = true;
      } else {
        const K A = X * X, B = Y * Y, C = B * B;
        K D = (X + B) * (X + B) - A - C;
        D = D + D;
        const K E = A + A + A, F = E * E;
        const K X3 = F - D - D;
        K C8 = C + C;
        C8 = C8 + C8;
        C8 = C8 + C8;
        Z = (Y * Z) + (Y * Z);
        Y = E * (D - X3) - C8;
        X = X3;
      }
    }
    if ((scalar[i / 64] >> (i % 64)) & 1) {
      if (inf) {
        X = p.x;
        Y = p.y;
        Z = K::one();
        inf = false;
        continue;
      }
      // mixed addition with the affine p (madd-2007-bl)
      const K Z1Z1 = Z * Z, U2 = p.x * Z1Z1, S2 = p.y * Z * Z1Z1;
      if (U2 == X) {
        if (S2 == Y) {  // doubling: fall back to affine for this rare case
          Point<K> a = dbl(to_affine_parts(X, Y, Z));
          X = a.x;
          Y = a.y;
          Z = K::one();
          inf = a.infinity;
        } else {
          inf = true;
        }
        continue;
      }
      const K H = U2 - X, HH = H * H;
      K I = HH + HH;
      I = I + I;
      const K J = H * I;
      K r = S2 - Y;
      r = r + r;
      const K V = X * I;
      const K X3 = r * r - J - V - V;
      K YJ = Y * J;
      YJ = YJ + YJ;
      const K Y3 = r * (V - X3) - YJ;
      Z = (Z + H) * (Z + H) - Z1Z1 - HH;
      X = X3;
      Y = Y3;
    }
  }
  if (inf) return {};
  return to_affine_parts(X, Y, Z);
}

template <class K>
Point<K> to_affine_parts(const K& X, const K& Y, const K& Z) {
  if (Z.is_zero()) return {};
  const K zi = Z.inverse(), zi2 = zi * zi;
  return {X * zi2, Y * zi2 * zi, false};
}

}  // namespace dais::evm::field
