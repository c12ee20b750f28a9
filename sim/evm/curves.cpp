#include "sim/evm/curves.hpp"

#include <crypto++/sha.h>
#include <gmp.h>

#include <type_traits>

#include "sim/evm/field.hpp"

namespace dais::evm::curves {

namespace {

using field::Fp;
using field::Fp12;
using field::Fp2;
using field::Limbs;
using field::Point;

// Little-endian limbs of a number given in hex.
std::vector<std::uint64_t> hex_limbs(const char* hex) {
  mpz_t n;
  mpz_init_set_str(n, hex, 16);
  std::vector<std::uint64_t> out((mpz_sizeinbase(n, 2) + 63) / 64);
  std::size_t count = 0;
  mpz_export(out.data(), &count, -1, 8, 0, 0, n);
  out.resize(count);
  mpz_clear(n);
  return out;
}

template <std::size_t N>
Limbs<N> fixed(const std::vector<std::uint64_t>& v) {
  Limbs<N> l{};
  for (std::size_t i = 0; i < v.size() && i < N; ++i) l[i] = v[i];
  return l;
}

std::vector<std::uint64_t> to_limbs(mpz_t n) {
  std::vector<std::uint64_t> out((mpz_sizeinbase(n, 2) + 63) / 64);
  std::size_t count = 0;
  mpz_export(out.data(), &count, -1, 8, 0, 0, n);
  out.resize(count);
  return out;
}

// Exponents derived from p and r: (p - 1) / d, and the hard part (p^4 - p^2 + 1) / r of the final
// exponentiation.
struct Exponents {
  std::vector<std::uint64_t> p, p_minus_1_over_3, p_minus_1_over_2, hard;
  Exponents(const char* p_hex, const char* r_hex) {
    mpz_t pp, r, t, u;
    mpz_init_set_str(pp, p_hex, 16);
    mpz_init_set_str(r, r_hex, 16);
    mpz_inits(t, u, nullptr);
    p = to_limbs(pp);
    mpz_sub_ui(t, pp, 1);
    mpz_divexact_ui(u, t, 3);
    p_minus_1_over_3 = to_limbs(u);
    mpz_divexact_ui(u, t, 2);
    p_minus_1_over_2 = to_limbs(u);
    mpz_pow_ui(t, pp, 4);
    mpz_pow_ui(u, pp, 2);
    mpz_sub(t, t, u);
    mpz_add_ui(t, t, 1);
    mpz_divexact(t, t, r);
    hard = to_limbs(t);
    mpz_clears(pp, r, t, u, nullptr);
  }
};

// The Frobenius map f -> f^(p^k) on the flat Fp12: a linear map, since it fixes Fp; W[i] = (w^i)^(p^k).
template <class F12>
struct Frobenius {
  std::array<F12, 12> W;
  Frobenius(const std::vector<std::uint64_t>& p, int k) {
    F12 w;
    w.c[1] = std::remove_reference_t<decltype(w.c[1])>::one();
    F12 wp = w;
    for (int i = 0; i < k; ++i) wp = wp.pow(p);
    W[0] = F12::one();
    for (int i = 1; i < 12; ++i) W[static_cast<std::size_t>(i)] = W[static_cast<std::size_t>(i - 1)] * wp;
  }
  F12 operator()(const F12& f) const {
    F12 r;
    for (std::size_t i = 0; i < 12; ++i) {
      if (f.c[i].is_zero()) continue;
      for (std::size_t j = 0; j < 12; ++j) r.c[j] = r.c[j] + f.c[i] * W[i].c[j];
    }
    return r;
  }
};

// f^((p^12 - 1) / r) = ((f^(p^6 - 1))^(p^2 + 1))^((p^4 - p^2 + 1) / r).
template <class F12>
F12 final_exponentiation(const F12& f, const Frobenius<F12>& frob2, const Frobenius<F12>& frob6,
                         const std::vector<std::uint64_t>& hard) {
  const F12 f1 = frob6(f) * f.inverse();
  const F12 f2 = frob2(f1) * f1;
  return f2.pow(hard);
}

// The line through R1 and R2 (the tangent when equal) on the twist E'(Fp2), as (slope, is_vertical),
// evaluated at P by the curve's own formula `eval(m, x1, y1, vertical)`.
template <class F2, class Eval>
auto line(const Point<F2>& r1, const Point<F2>& r2, const Eval& eval) {
  if (r1.x != r2.x) {
    const F2 m = (r2.y - r1.y) * (r2.x - r1.x).inverse();
    return eval(m, r1.x, r1.y, false);
  }
  if (r1.y == r2.y) {
    const F2 xx = r1.x * r1.x;
    const F2 m = (xx + xx + xx) * (r1.y + r1.y).inverse();
    return eval(m, r1.x, r1.y, false);
  }
  return eval(F2::zero(), r1.x, r1.y, true);
}

// The Miller loop of the optimal ate pairing over the twist; the loop count's top bit is implicit.
template <class F12, class F2, class Eval>
F12 miller_loop(const Point<F2>& q, std::uint64_t loop_count, int log_loop_count, const Eval& eval, Point<F2>& r) {
  r = q;
  F12 f = F12::one();
  for (int i = log_loop_count; i >= 0; --i) {
    f = f * f * line(r, r, eval);
    r = field::dbl(r);
    if ((loop_count >> i) & 1) {
      f = f * line(r, q, eval);
      r = field::add(r, q);
    }
  }
  return f;
}

// ---- BN254 -------------------------------------------------------------------------------------

struct Bn254Tag {
  static constexpr std::size_t N = 4;
  static const field::Params<4>& params() {
    static const field::Params<4> p(fixed<4>(hex_limbs(p_hex)));
    return p;
  }
  static constexpr const char* p_hex = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
  static constexpr const char* r_hex = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";
};
using BnF = Fp<Bn254Tag>;
using BnF2 = Fp2<BnF>;
struct BnTwelve {
  static BnF m0() { return BnF::from_u64(82); }
  static BnF m6() { return -BnF::from_u64(18); }
};
using BnF12 = Fp12<BnF, BnTwelve>;

constexpr std::uint64_t bn_ate_loop_count = 0x9d797039be763ba8ULL;  // the low 64 bits of 29793968203157093288
constexpr int bn_log_ate = 63;

const std::vector<std::uint64_t>& bn_order() {
  static const std::vector<std::uint64_t> r = hex_limbs(Bn254Tag::r_hex);
  return r;
}

// Reads a G1 point (x, y), each 32 bytes below p; (0, 0) is the point at infinity.
bool bn_read_g1(const std::uint8_t* in, Point<BnF>& out) {
  BnF x, y;
  if (!BnF::from_be(in, 32, x) || !BnF::from_be(in + 32, 32, y)) return false;
  if (x.is_zero() && y.is_zero()) {
    out = {};
    return true;
  }
  out = {x, y, false};
  return field::on_curve(out, BnF::from_u64(3));
}

const BnF2& bn_twist_b() {  // 3 / (9 + u)
  static const BnF2 b = BnF2{BnF::from_u64(3), BnF::zero()} * BnF2{BnF::from_u64(9), BnF::one()}.inverse();
  return b;
}

// Reads a G2 point: x = (x_im, x_re), y = (y_im, y_re), 32 bytes each (EIP-197's order).
bool bn_read_g2(const std::uint8_t* in, Point<BnF2>& out) {
  BnF x1, x0, y1, y0;
  if (!BnF::from_be(in, 32, x1) || !BnF::from_be(in + 32, 32, x0) || !BnF::from_be(in + 64, 32, y1) ||
      !BnF::from_be(in + 96, 32, y0))
    return false;
  const BnF2 x{x0, x1}, y{y0, y1};
  if (x.is_zero() && y.is_zero()) {
    out = {};
    return true;
  }
  out = {x, y, false};
  if (!field::on_curve(out, bn_twist_b())) return false;
  return field::mul_jacobian(out, bn_order()).infinity;  // in the prime-order subgroup
}

void bn_write_g1(const Point<BnF>& p, Bytes& out) {
  out.assign(64, 0);
  if (p.infinity) return;
  p.x.to_be(out.data(), 32);
  p.y.to_be(out.data() + 32, 32);
}

struct BnPairing {
  Exponents e{Bn254Tag::p_hex, Bn254Tag::r_hex};
  Frobenius<BnF12> frob2{e.p, 2}, frob6{e.p, 6};
  BnF2 gamma2, gamma3;  // (9 + u)^((p-1)/3), (9 + u)^((p-1)/2): Frobenius on the twist
  BnPairing() {
    const BnF2 xi{BnF::from_u64(9), BnF::one()};
    gamma2 = xi.pow(e.p_minus_1_over_3);
    gamma3 = xi.pow(e.p_minus_1_over_2);
  }
  Point<BnF2> frobenius(const Point<BnF2>& q) const {
    return {BnF2{q.x.c0, -q.x.c1} * gamma2, BnF2{q.y.c0, -q.y.c1} * gamma3, q.infinity};
  }
};

const BnPairing& bn_pairing() {
  static const BnPairing p;
  return p;
}

// Fp2 -> Fp12 for BN254: u = w^6 - 9.
void bn_embed(const BnF2& a, BnF12& out, std::size_t shift, const BnF& scale) {
  out.c[shift] = out.c[shift] + (a.c0 - BnF::from_u64(9) * a.c1) * scale;
  out.c[shift + 6] = out.c[shift + 6] + a.c1 * scale;
}

BnF12 bn_miller(const Point<BnF2>& q, const Point<BnF>& p) {
  if (q.infinity || p.infinity) return BnF12::one();
  // The twisted points are (w^2 X, w^3 Y); the line through two of them, at P, is
  // w m xP - w^3 (m X1 - Y1) - yP (vertical: xP - w^2 X1).
  const auto eval = [&p](const BnF2& m, const BnF2& x1, const BnF2& y1, bool vertical) {
    BnF12 l;
    if (vertical) {
      l.c[0] = p.x;
      bn_embed(x1, l, 2, -BnF::one());
      return l;
    }
    bn_embed(m, l, 1, p.x);
    bn_embed(m * x1 - y1, l, 3, -BnF::one());
    l.c[0] = l.c[0] - p.y;
    return l;
  };
  const BnPairing& bp = bn_pairing();
  Point<BnF2> r;
  BnF12 f = miller_loop<BnF12>(q, bn_ate_loop_count, bn_log_ate, eval, r);
  // The two Frobenius steps of the optimal ate pairing.
  const Point<BnF2> q1 = bp.frobenius(q);
  const Point<BnF2> nq2 = field::neg(bp.frobenius(q1));
  f = f * line(r, q1, eval);
  r = field::add(r, q1);
  f = f * line(r, nq2, eval);
  return f;
}

// ---- BLS12-381 ---------------------------------------------------------------------------------

struct Bls12Tag {
  static constexpr std::size_t N = 6;
  static const field::Params<6>& params() {
    static const field::Params<6> p(fixed<6>(hex_limbs(p_hex)));
    return p;
  }
  static constexpr const char* p_hex =
      "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
  static constexpr const char* r_hex = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
};
using BlsF = Fp<Bls12Tag>;
using BlsF2 = Fp2<BlsF>;
struct BlsTwelve {
  static BlsF m0() { return BlsF::from_u64(2); }
  static BlsF m6() { return -BlsF::from_u64(2); }
};
using BlsF12 = Fp12<BlsF, BlsTwelve>;

constexpr std::uint64_t bls_ate_loop_count = 0xd201000000010000ULL;
constexpr int bls_log_ate = 62;

const std::vector<std::uint64_t>& bls_order() {
  static const std::vector<std::uint64_t> r = hex_limbs(Bls12Tag::r_hex);
  return r;
}

// A compressed G1 point (48 bytes, ZCash's flags), on the curve and in the subgroup.
bool bls_read_g1(const std::uint8_t* in, Point<BlsF>& out) {
  const bool compressed = (in[0] & 0x80) != 0, infinity = (in[0] & 0x40) != 0, sign = (in[0] & 0x20) != 0;
  if (!compressed) return false;
  std::uint8_t x_bytes[48];
  std::memcpy(x_bytes, in, 48);
  x_bytes[0] &= 0x1f;
  if (infinity) {
    if (sign) return false;
    for (std::uint8_t b : x_bytes)
      if (b != 0) return false;
    out = {};
    return true;
  }
  BlsF x;
  if (!BlsF::from_be(x_bytes, 48, x)) return false;
  BlsF y;
  if (!(x * x * x + BlsF::from_u64(4)).sqrt(y)) return false;
  if (y.is_lexicographically_largest() != sign) y = -y;
  out = {x, y, false};
  return field::mul_jacobian(out, bls_order()).infinity;
}

bool bls_read_g2(const std::uint8_t* in, Point<BlsF2>& out) {
  const bool compressed = (in[0] & 0x80) != 0, infinity = (in[0] & 0x40) != 0, sign = (in[0] & 0x20) != 0;
  if (!compressed || infinity) return false;
  std::uint8_t c1_bytes[48];
  std::memcpy(c1_bytes, in, 48);
  c1_bytes[0] &= 0x1f;
  BlsF c0, c1;
  if (!BlsF::from_be(c1_bytes, 48, c1) || !BlsF::from_be(in + 48, 48, c0)) return false;
  const BlsF2 x{c0, c1};
  const BlsF2 b{BlsF::from_u64(4), BlsF::from_u64(4)};
  BlsF2 y;
  if (!(x * x * x + b).sqrt(y)) return false;
  if (y.is_lexicographically_largest() != sign) y = -y;
  out = {x, y, false};
  return field::on_curve(out, b);
}

// Fp2 -> Fp12 for BLS12-381: u = w^6 - 1.
void bls_embed(const BlsF2& a, BlsF12& out, std::size_t shift, const BlsF& scale) {
  out.c[shift] = out.c[shift] + (a.c0 - a.c1) * scale;
  out.c[shift + 6] = out.c[shift + 6] + a.c1 * scale;
}

BlsF12 bls_miller(const Point<BlsF2>& q, const Point<BlsF>& p) {
  if (q.infinity || p.infinity) return BlsF12::one();
  // The twisted points are (X / w^2, Y / w^3). Lines are scaled by w^3 (or w^2 when vertical), factors
  // in proper subfields that the final exponentiation removes: w^2 m xP - (m X1 - Y1) - w^3 yP.
  const auto eval = [&p](const BlsF2& m, const BlsF2& x1, const BlsF2& y1, bool vertical) {
    BlsF12 l;
    if (vertical) {
      l.c[2] = p.x;
      bls_embed(x1, l, 0, -BlsF::one());
      return l;
    }
    bls_embed(m, l, 2, p.x);
    bls_embed(m * x1 - y1, l, 0, -BlsF::one());
    l.c[3] = l.c[3] - p.y;
    return l;
  };
  Point<BlsF2> r;
  return miller_loop<BlsF12>(q, bls_ate_loop_count, bls_log_ate, eval, r);
}

struct KzgSetup {
  Point<BlsF> g1;
  Point<BlsF2> g2;
  Point<BlsF2> tau_g2;
  Exponents e{Bls12Tag::p_hex, Bls12Tag::r_hex};
  Frobenius<BlsF12> frob2{e.p, 2}, frob6{e.p, 6};
  bool ok = false;
};

const KzgSetup& kzg_setup() {
  static const KzgSetup s = [] {
    KzgSetup k;
    const Bytes g1 = from_hex(
        "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
    const Bytes g2 = from_hex(
        "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
        "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8");
    // [tau]G2 from the KZG ceremony (c-kzg-4844's trusted_setup.txt, the second G2 point).
    const Bytes tau = from_hex(
        "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72"
        "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2");
    k.ok = bls_read_g1(g1.data(), k.g1) && bls_read_g2(g2.data(), k.g2) && bls_read_g2(tau.data(), k.tau_g2);
    return k;
  }();
  return s;
}

std::vector<std::uint64_t> limbs_of(const std::uint8_t* be32) {
  const uint256 v = uint256::from_be(be32, 32);
  return field::scalar_from(v);
}

}  // namespace

bool bn254_add(BytesView input, Bytes& out) {
  std::uint8_t in[128] = {};
  if (!input.empty()) std::memcpy(in, input.data(), std::min<std::size_t>(input.size(), 128));
  Point<BnF> a, b;
  if (!bn_read_g1(in, a) || !bn_read_g1(in + 64, b)) return false;
  bn_write_g1(field::add(a, b), out);
  return true;
}

bool bn254_mul(BytesView input, Bytes& out) {
  std::uint8_t in[96] = {};
  if (!input.empty()) std::memcpy(in, input.data(), std::min<std::size_t>(input.size(), 96));
  Point<BnF> a;
  if (!bn_read_g1(in, a)) return false;
  bn_write_g1(field::mul_jacobian(a, limbs_of(in + 64)), out);
  return true;
}

bool bn254_pairing(BytesView input, Bytes& out) {
  if (input.size() % 192 != 0) return false;
  const BnPairing& bp = bn_pairing();
  BnF12 f = BnF12::one();
  bool any = false;
  for (std::size_t off = 0; off < input.size(); off += 192) {
    Point<BnF> p;
    Point<BnF2> q;
    if (!bn_read_g1(input.data() + off, p) || !bn_read_g2(input.data() + off + 64, q)) return false;
    if (p.infinity || q.infinity) continue;
    f = f * bn_miller(q, p);
    any = true;
  }
  const bool one = !any || final_exponentiation(f, bp.frob2, bp.frob6, bp.e.hard) == BnF12::one();
  out.assign(32, 0);
  out[31] = one ? 1 : 0;
  return true;
}

bool point_evaluation(BytesView input, Bytes& out) {
  if (input.size() != 192) return false;
  const std::uint8_t* versioned_hash = input.data();
  const std::uint8_t* z = input.data() + 32;
  const std::uint8_t* y = input.data() + 64;
  const std::uint8_t* commitment = input.data() + 96;
  const std::uint8_t* proof = input.data() + 144;

  std::uint8_t h[32];
  CryptoPP::SHA256().CalculateDigest(h, commitment, 48);
  h[0] = 0x01;  // VERSIONED_HASH_VERSION_KZG
  if (std::memcmp(h, versioned_hash, 32) != 0) return false;

  const uint256 modulus = uint256::from_hex(Bls12Tag::r_hex);
  const uint256 zv = uint256::from_be(z, 32), yv = uint256::from_be(y, 32);
  if (!(zv < modulus) || !(yv < modulus)) return false;

  const KzgSetup& k = kzg_setup();
  if (!k.ok) return false;
  Point<BlsF> c, pi;
  if (!bls_read_g1(commitment, c) || !bls_read_g1(proof, pi)) return false;

  // e(C - [y]G1, -G2) * e(proof, [tau]G2 - [z]G2) == 1
  const Point<BlsF> c_minus_y = field::add(c, field::neg(field::mul_jacobian(k.g1, field::scalar_from(yv))));
  const Point<BlsF2> x_minus_z = field::add(k.tau_g2, field::neg(field::mul_jacobian(k.g2, field::scalar_from(zv))));
  const BlsF12 f = bls_miller(field::neg(k.g2), c_minus_y) * bls_miller(x_minus_z, pi);
  if (final_exponentiation(f, k.frob2, k.frob6, k.e.hard) != BlsF12::one()) return false;

  out.assign(64, 0);
  out[30] = 0x10;  // FIELD_ELEMENTS_PER_BLOB = 4096
  modulus.to_be(out.data() + 32);
  return true;
}

}  // namespace dais::evm::curves
