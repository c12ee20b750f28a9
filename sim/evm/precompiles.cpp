#include "sim/evm/precompiles.hpp"

#include <crypto++/ripemd.h>
#include <crypto++/sha.h>
#include <gmp.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstring>

#include "sim/evm/curves.hpp"
#include "sim/evm/keccak.hpp"

namespace dais::evm {

namespace {

constexpr std::int64_t words(std::size_t n) noexcept { return static_cast<std::int64_t>((n + 31) / 32); }

// input[offset .. offset+size) with zeros past the end.
void read_padded(BytesView input, std::size_t offset, std::uint8_t* out, std::size_t size) noexcept {
  if (size == 0) return;  // out may then be null (an empty vector's data())
  std::memset(out, 0, size);
  if (offset < input.size()) std::memcpy(out, input.data() + offset, std::min(size, input.size() - offset));
}

Result ok(std::int64_t gas_left, Bytes output) {
  Result r;
  r.status = Status::success;
  r.gas_left = gas_left;
  r.output = std::move(output);
  return r;
}

Result fail(Status s) {
  Result r;
  r.status = s;
  return r;
}

Result ecrecover(BytesView input, std::int64_t gas) {
  if (gas < 3000) return fail(Status::out_of_gas);
  gas -= 3000;
  std::uint8_t in[128];
  read_padded(input, 0, in, 128);
  const uint256 v = uint256::from_be(in + 32, 32);
  if (v != 27 && v != 28) return ok(gas, {});
  static secp256k1_context* const ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
  secp256k1_ecdsa_recoverable_signature sig;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, in + 64, static_cast<int>(v.w[0] - 27)))
    return ok(gas, {});
  secp256k1_pubkey pubkey;
  if (!secp256k1_ecdsa_recover(ctx, &pubkey, &sig, in)) return ok(gas, {});
  std::uint8_t serialized[65];
  std::size_t len = sizeof serialized;
  secp256k1_ec_pubkey_serialize(ctx, serialized, &len, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  const Bytes32 h = keccak256(serialized + 1, 64);
  Bytes out(32, 0);
  std::memcpy(out.data() + 12, h.bytes.data() + 12, 20);
  return ok(gas, std::move(out));
}

Result sha256(BytesView input, std::int64_t gas) {
  const std::int64_t cost = 60 + 12 * words(input.size());
  if (gas < cost) return fail(Status::out_of_gas);
  Bytes out(32);
  CryptoPP::SHA256().CalculateDigest(out.data(), input.data(), input.size());
  return ok(gas - cost, std::move(out));
}

Result ripemd160(BytesView input, std::int64_t gas) {
  const std::int64_t cost = 600 + 120 * words(input.size());
  if (gas < cost) return fail(Status::out_of_gas);
  Bytes out(32, 0);
  CryptoPP::RIPEMD160().CalculateDigest(out.data() + 12, input.data(), input.size());
  return ok(gas - cost, std::move(out));
}

Result identity(BytesView input, std::int64_t gas) {
  const std::int64_t cost = 15 + 3 * words(input.size());
  if (gas < cost) return fail(Status::out_of_gas);
  return ok(gas - cost, Bytes(input.begin(), input.end()));
}

// EIP-198 with EIP-2565's pricing.
Result modexp(BytesView input, std::int64_t gas) {
  std::uint8_t head[96];
  read_padded(input, 0, head, 96);
  const uint256 base_len = uint256::from_be(head, 32), exp_len = uint256::from_be(head + 32, 32),
                mod_len = uint256::from_be(head + 64, 32);
  constexpr std::int64_t min_cost = 200;
  if (!base_len && !mod_len) {  // multiplication complexity 0: the minimum price, an empty output
    if (gas < min_cost) return fail(Status::out_of_gas);
    return ok(gas - min_cost, {});
  }
  // Beyond 2^32 bytes the price exceeds any gas a transaction can carry here.
  constexpr std::uint64_t limit = std::uint64_t{1} << 32;
  if (!base_len.fits_u64() || !mod_len.fits_u64() || !exp_len.fits_u64() || base_len.w[0] > limit ||
      mod_len.w[0] > limit || exp_len.w[0] > limit)
    return fail(Status::out_of_gas);
  const std::uint64_t blen = base_len.w[0], elen = exp_len.w[0], mlen = mod_len.w[0];

  // The exponent's first (up to) 32 bytes decide the iteration count.
  const std::uint64_t head_len = std::min<std::uint64_t>(elen, 32);
  std::uint8_t exp_head[32] = {};
  read_padded(input, 96 + blen, exp_head + (32 - head_len), head_len);
  const uint256 exp_first = uint256::from_be(exp_head, 32);
  const std::uint64_t head_bits = exp_first ? bit_width(exp_first) - 1 : 0;
  uint256 iterations = elen <= 32 ? uint256(head_bits) : uint256(8 * (elen - 32) + head_bits);
  if (!iterations) iterations = 1;
  const uint256 words8 = (std::max(blen, mlen) + 7) / 8;
  uint256 cost = words8 * words8 * iterations / 3;
  if (cost < uint256(min_cost)) cost = min_cost;
  if (!cost.fits_u64() || cost.w[0] > static_cast<std::uint64_t>(gas)) return fail(Status::out_of_gas);
  gas -= static_cast<std::int64_t>(cost.w[0]);
  if (mlen == 0) return ok(gas, {});

  Bytes base(blen), exponent(elen), mod(mlen);
  read_padded(input, 96, base.data(), blen);
  read_padded(input, 96 + blen, exponent.data(), elen);
  read_padded(input, 96 + blen + elen, mod.data(), mlen);
  mpz_t b, e, m, r;
  mpz_inits(b, e, m, r, nullptr);
  mpz_import(b, base.size(), 1, 1, 1, 0, base.data());
  mpz_import(e, exponent.size(), 1, 1, 1, 0, exponent.data());
  mpz_import(m, mod.size(), 1, 1, 1, 0, mod.data());
  Bytes out(mlen, 0);
  if (mpz_sgn(m) != 0) {
    mpz_powm(r, b, e, m);
    if (mpz_sgn(r) != 0) {
      const std::size_t size = (mpz_sizeinbase(r, 2) + 7) / 8;
      std::size_t count = 0;
      mpz_export(out.data() + (mlen - size), &count, 1, 1, 1, 0, r);
    }
  }
  mpz_clears(b, e, m, r, nullptr);
  return ok(gas, std::move(out));
}

// BLAKE2b's compression function F (EIP-152) with a caller-chosen number of rounds.
void blake2b_compress(std::uint32_t rounds, std::uint64_t h[8], const std::uint64_t m[16], const std::uint64_t t[2],
                      bool last) noexcept {
  static constexpr std::uint64_t iv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                                          0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                          0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
  static constexpr std::uint8_t sigma[10][16] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
      {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
      {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
      {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
      {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};
  std::uint64_t v[16];
  for (int i = 0; i < 8; ++i) {
    v[i] = h[i];
    v[i + 8] = iv[i];
  }
  v[12] ^= t[0];
  v[13] ^= t[1];
  if (last) v[14] = ~v[14];
  auto g = [&v](int a, int b, int c, int d, std::uint64_t x, std::uint64_t y) {
    v[a] = v[a] + v[b] + x;
    v[d] = std::rotr(v[d] ^ v[a], 32);
    v[c] = v[c] + v[d];
    v[b] = std::rotr(v[b] ^ v[c], 24);
    v[a] = v[a] + v[b] + y;
    v[d] = std::rotr(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = std::rotr(v[b] ^ v[c], 63);
  };
  for (std::uint32_t r = 0; r < rounds; ++r) {
    const std::uint8_t* s = sigma[r % 10];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 8; ++i) h[i] ^= v[i] ^ v[i + 8];
}

std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t x = 0;
  for (int i = 7; i >= 0; --i) x = (x << 8) | p[i];
  return x;
}

Result blake2f(BytesView input, std::int64_t gas) {
  if (input.size() != 213) return fail(Status::precompile_failure);
  const std::uint32_t rounds = (std::uint32_t{input[0]} << 24) | (std::uint32_t{input[1]} << 16) |
                               (std::uint32_t{input[2]} << 8) | input[3];
  if (gas < static_cast<std::int64_t>(rounds)) return fail(Status::out_of_gas);
  const std::uint8_t last = input[212];
  if (last > 1) return fail(Status::precompile_failure);
  std::uint64_t h[8], m[16], t[2];
  for (int i = 0; i < 8; ++i) h[i] = load_le64(input.data() + 4 + 8 * i);
  for (int i = 0; i < 16; ++i) m[i] = load_le64(input.data() + 68 + 8 * i);
  for (int i = 0; i < 2; ++i) t[i] = load_le64(input.data() + 196 + 8 * i);
  blake2b_compress(rounds, h, m, t, last == 1);
  Bytes out(64);
  for (int i = 0; i < 8; ++i)
    for (int k = 0; k < 8; ++k) out[static_cast<std::size_t>(8 * i + k)] = static_cast<std::uint8_t>(h[i] >> (8 * k));
  return ok(gas - rounds, std::move(out));
}

// A precompile with a fixed price whose computation may refuse its input.
template <bool (*Fn)(BytesView, Bytes&)>
Result priced(BytesView input, std::int64_t gas, std::int64_t cost) {
  if (gas < cost) return fail(Status::out_of_gas);
  Bytes out;
  if (!Fn(input, out)) return fail(Status::precompile_failure);
  return ok(gas - cost, std::move(out));
}

}  // namespace

Result run_precompile(const Address& a, BytesView input, std::int64_t gas) noexcept {
  try {
    switch (a.bytes[19]) {
      case 1: return ecrecover(input, gas);
      case 2: return sha256(input, gas);
      case 3: return ripemd160(input, gas);
      case 4: return identity(input, gas);
      case 5: return modexp(input, gas);
      case 6: return priced<curves::bn254_add>(input, gas, 150);
      case 7: return priced<curves::bn254_mul>(input, gas, 6000);
      case 8: return priced<curves::bn254_pairing>(input, gas, 45000 + 34000 * static_cast<std::int64_t>(input.size() / 192));
      case 9: return blake2f(input, gas);
      case 10: return priced<curves::point_evaluation>(input, gas, 50000);
      default: return fail(Status::unsupported_precompile);
    }
  } catch (...) {  // allocation failure inside a library: a failed call, not a crash
    return fail(Status::precompile_failure);
  }
}

}  // namespace dais::evm
