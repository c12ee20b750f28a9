#include "sim/ledger/apportion.hpp"

#include "sim/core/buffers.hpp"
#include "sim/core/lane_sum.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dais::ledger {

namespace {

constexpr std::uint64_t weight_limit = std::uint64_t{1} << 63;

inline std::uint64_t high(u128 x) noexcept { return static_cast<std::uint64_t>(x >> 64); }
inline std::uint64_t low(u128 x) noexcept { return static_cast<std::uint64_t>(x); }

// Many divisions of 128-bit numerators by one 64-bit divisor. A reciprocal computed once turns each into two
// multiplications and a correction (Möller & Granlund, "Improved division by invariant integers", IEEE Trans.
// Computers 60(2), 2011, algorithm 4), several times faster than the hardware's 128/64 divide.
class InvariantDivisor {
 public:
  explicit InvariantDivisor(std::uint64_t d) noexcept
      : shift_(std::countl_zero(d)),
        d_(d << shift_),
        v_(low(~u128{0} / d_)) {}  // floor((2^128 - 1) / d) - 2^64, for d normalized to its top bit

  // x scaled as the divisor is: x * 2^s, where 2^s brings d's top bit to bit 63. Fits 64 bits for x < d.
  [[nodiscard]] std::uint64_t scaled(std::uint64_t x) const noexcept { return x << shift_; }

  // floor(n / d), and n mod d in `remainder`, given u = n * 2^s (see scaled()): a numerator written as a scaled
  // factor times another needs no 128-bit shift. Requires n < d * 2^64, so the quotient fits 64 bits.
  std::uint64_t divide_scaled(u128 u, std::uint64_t& remainder) const noexcept {
    const std::uint64_t u1 = high(u);
    const std::uint64_t u0 = low(u);
    const u128 q = static_cast<u128>(v_) * u1 + ((static_cast<u128>(u1 + 1) << 64) | u0);
    std::uint64_t q1 = high(q);
    std::uint64_t r = u0 - q1 * d_;
    // Without a branch: this correction applies to about half the numerators, at random.
    const std::uint64_t correct = 0 - static_cast<std::uint64_t>(r > low(q));  // all ones or zero
    q1 += correct;
    r += correct & d_;
    if (r >= d_) [[unlikely]] {
      ++q1;
      r -= d_;
    }
    remainder = r >> shift_;
    return q1;
  }

 private:
  int shift_;
  std::uint64_t d_;
  std::uint64_t v_;
};

// Which remainders get the leftover units: every one whose bits from `shift` up exceed `prefix`, and the
// first `ties` (lowest index) of those equal to it.
struct Threshold {
  std::uint64_t prefix = 0;
  int shift = 0;
  std::uint64_t ties = 0;
};

constexpr int digit_bits = 11;
using Histogram = std::array<std::uint32_t, std::size_t{1} << digit_bits>;
// The shift of the leading digit of remainders below 2^bits.
constexpr int leading_digit_shift(int bits) noexcept { return bits - std::min(digit_bits, bits); }

// Radix selection of the `count` largest of `remainders` (each below 2^bits), most significant digit first,
// reading the remainders but never moving them: no copy, and usually one pass. `histogram` arrives holding the
// count of each leading digit (remainder >> leading_digit_shift(bits)), which the caller tallies as it
// computes the remainders.
Threshold largest(std::span<const std::uint64_t> remainders, std::uint64_t count, int bits, Histogram& histogram) {
  Threshold t{0, bits, count};
  for (bool counted = true; t.shift > 0; counted = false) {
    const int width = std::min(digit_bits, t.shift);
    const int next = t.shift - width;
    const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
    if (!counted) {
      std::fill_n(histogram.begin(), mask + 1, 0u);
      for (const std::uint64_t r : remainders)
        if ((r >> t.shift) == t.prefix) ++histogram[(r >> next) & mask];
    }
    std::uint64_t above = 0;
    std::uint64_t d = mask;
    while (above + histogram[d] < t.ties) above += histogram[d--];
    t.prefix = (t.prefix << width) | d;
    t.shift = next;
    t.ties -= above;
    if (histogram[d] == t.ties) break;  // every remainder with this prefix is taken: no finer digit matters
  }
  return t;
}

// Hamilton's method for weights given by `weight(i)`, each below 2^63 and summing below 2^63.
template <class Weight>
bool apportion_by(TokenAmount total, std::size_t n, Weight weight, std::span<TokenAmount> out,
                  ApportionScratch& scratch, Rounding rounding) {
  if (out.size() != n) throw std::invalid_argument("apportion: output and weights differ in size");
  // The weights are computed once, into the buffer that then receives the remainders.
  std::vector<std::uint64_t>& remainders = scratch.remainders;
  core::resize_buffer(remainders, n);
  u128 sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += remainders[i] = weight(i);
  if (sum >= weight_limit) throw std::invalid_argument("apportion: weights sum to 2^63 or more");
  if (sum == 0) {
    std::fill(out.begin(), out.end(), TokenAmount{});
    return false;
  }
  const auto big_w = static_cast<std::uint64_t>(sum);
  const InvariantDivisor divisor(big_w);
  const u128 units = total.base_units();
  const u128 quotient = units / big_w;
  const auto rest = static_cast<std::uint64_t>(units % big_w);

  // total * w_i = quotient * W * w_i + rest * w_i, so the exact floor is quotient * w_i + floor(rest * w_i / W),
  // and rest * w_i < W * 2^64 keeps that quotient within 64 bits.
  const std::uint64_t rest_scaled = divisor.scaled(rest);
  const int bits = static_cast<int>(std::bit_width(big_w - 1));  // remainders are below 2^bits
  const int leading_shift = leading_digit_shift(bits);
  Histogram histogram;
  std::fill_n(histogram.begin(), std::size_t{1} << (bits - leading_shift), 0u);
  u128 paid = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t w = remainders[i];
    std::uint64_t r = 0;
    const std::uint64_t extra = divisor.divide_scaled(static_cast<u128>(rest_scaled) * w, r);
    remainders[i] = r;
    ++histogram[r >> leading_shift];
    const u128 share = quotient * w + extra;
    out[i] = TokenAmount::from_base_units(share);
    paid += share;
  }
  const u128 leftover = units - paid;  // fewer than n: each floor lost less than one unit
  if (leftover == 0 || rounding == Rounding::down) return true;

  const Threshold t = largest(remainders, static_cast<std::uint64_t>(leftover), bits, histogram);
  std::uint64_t ties = t.ties;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = remainders[i] >> t.shift;
    u128 bump = key > t.prefix;  // added unconditionally: a branch here mispredicts half the time
    if (key == t.prefix && ties > 0) [[unlikely]] {
      bump = 1;
      --ties;
    }
    out[i] = TokenAmount::from_base_units(out[i].base_units() + bump);
  }
  return true;
}

}  // namespace

bool apportion(TokenAmount total, std::span<const std::uint64_t> weights, std::span<TokenAmount> out,
               ApportionScratch& scratch, Rounding rounding) {
  for (const std::uint64_t w : weights)
    if (w >= weight_limit) throw std::invalid_argument("apportion: weights sum to 2^63 or more");
  return apportion_by(total, weights.size(), [&](std::size_t i) { return weights[i]; }, out, scratch, rounding);
}

namespace {

// The power of two real weights are scaled by: their sum lands below 2^62, which leaves room for the rounding
// of the floating-point sum; multiplying by a power of two is exact, so each weight is quantized once, by the
// truncation. Two factors, so a sum of subnormals (a factor above 2^1023) still scales.
struct Scale {
  double factor;
  double rest;
  [[nodiscard]] std::uint64_t operator()(double x) const noexcept {
    // Below 2^62, so the signed conversion (one instruction, unlike the unsigned one) is exact.
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(x * factor * rest));
  }
};

Scale scale_for(std::span<const double> weights) {
  // Only the sum's exponent is used, so it is summed in four lanes (core::lane_sum: vectorized, the same bits
  // everywhere), and the check of every weight is folded into one flag rather than a branch per weight.
  bool valid = true;
  const double sum = core::lane_sum(weights.size(), [&](std::size_t i) {
    const double x = weights[i];
    valid &= x >= 0.0 && x <= std::numeric_limits<double>::max();  // false for NaN too
    return x;
  });
  if (!valid) throw std::invalid_argument("apportion: weights must be finite and >= 0");
  if (!std::isfinite(sum)) throw std::invalid_argument("apportion: weights sum to infinity");
  int exponent = 0;
  (void)std::frexp(sum, &exponent);  // sum < 2^exponent
  const int k = 62 - exponent;
  return {std::ldexp(1.0, std::min(k, 1000)), std::ldexp(1.0, k - std::min(k, 1000))};
}

}  // namespace

void quantize_weights(std::span<const double> weights, std::span<std::uint64_t> out) {
  if (out.size() != weights.size()) throw std::invalid_argument("quantize_weights: output and weights differ in size");
  const Scale scale = scale_for(weights);
  for (std::size_t i = 0; i < weights.size(); ++i) out[i] = scale(weights[i]);
}

bool apportion_real(TokenAmount total, std::span<const double> weights, std::span<TokenAmount> out,
                    ApportionScratch& scratch, Rounding rounding) {
  const Scale scale = scale_for(weights);
  return apportion_by(
      total, weights.size(), [&](std::size_t i) { return scale(weights[i]); }, out, scratch, rounding);
}

bool apportion_amounts(TokenAmount total, std::span<const TokenAmount> weights, std::span<TokenAmount> out,
                       ApportionScratch& scratch) {
  u128 sum = 0;
  for (TokenAmount w : weights) {
    if (__builtin_add_overflow(sum, w.base_units(), &sum))
      throw std::invalid_argument("apportion: weights overflow 128 bits");
  }
  int shift = 0;
  while ((sum >> shift) >= (u128{1} << 62)) ++shift;
  return apportion_by(
      total, weights.size(), [&](std::size_t i) { return static_cast<std::uint64_t>(weights[i].base_units() >> shift); },
      out, scratch, Rounding::largest_remainder);
}

}  // namespace dais::ledger
