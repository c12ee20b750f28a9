#include "sim/ledger/apportion.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dais::ledger {

namespace {

// floor(n / d) and n mod d for n < d * 2^64 (so the quotient fits 64 bits): one hardware divide on x86-64
// instead of the generic 128-bit library routine.
inline std::uint64_t divide_narrow(u128 n, std::uint64_t d, std::uint64_t& remainder) noexcept {
#if defined(__x86_64__)
  std::uint64_t quotient = 0;
  std::uint64_t high = static_cast<std::uint64_t>(n >> 64);
  std::uint64_t low = static_cast<std::uint64_t>(n);
  __asm__("divq %[d]" : "=a"(quotient), "=d"(remainder) : [d] "r"(d), "a"(low), "d"(high));
  return quotient;
#else
  remainder = static_cast<std::uint64_t>(n % d);
  return static_cast<std::uint64_t>(n / d);
#endif
}

constexpr std::uint64_t weight_limit = std::uint64_t{1} << 63;

}  // namespace

bool apportion(TokenAmount total, std::span<const std::uint64_t> weights, std::span<TokenAmount> out,
               ApportionScratch& scratch) {
  if (out.size() != weights.size()) throw std::invalid_argument("apportion: output and weights differ in size");
  u128 sum = 0;
  for (std::uint64_t w : weights) sum += w;
  if (sum >= weight_limit) throw std::invalid_argument("apportion: weights sum to 2^63 or more");
  if (sum == 0) {
    std::fill(out.begin(), out.end(), TokenAmount{});
    return false;
  }
  const auto big_w = static_cast<std::uint64_t>(sum);
  const u128 units = total.base_units();
  const u128 quotient = units / big_w;
  const auto rest = static_cast<std::uint64_t>(units % big_w);

  // total * w_i = quotient * W * w_i + rest * w_i, so the exact floor is quotient * w_i + floor(rest * w_i / W).
  u128 paid = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    std::uint64_t remainder = 0;
    const std::uint64_t extra = divide_narrow(static_cast<u128>(rest) * weights[i], big_w, remainder);
    const u128 share = quotient * weights[i] + extra;
    out[i] = TokenAmount::from_base_units(share);
    paid += share;
  }
  const u128 leftover = units - paid;
  if (leftover == 0) return true;

  // Rank by (remainder descending, index ascending) with one integer key per weight.
  const std::size_t n = weights.size();
  scratch.keys.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t remainder = 0;
    divide_narrow(static_cast<u128>(rest) * weights[i], big_w, remainder);
    scratch.keys[i] = (static_cast<u128>(remainder) << 32) | (0xffffffffu - static_cast<std::uint32_t>(i));
  }
  const auto count = static_cast<std::size_t>(leftover);
  std::vector<u128>& keys = scratch.keys;
  std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(count - 1), keys.end(),
                   std::greater<>());
  const u128 threshold = keys[count - 1];
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t remainder = 0;
    divide_narrow(static_cast<u128>(rest) * weights[i], big_w, remainder);
    const u128 key = (static_cast<u128>(remainder) << 32) | (0xffffffffu - static_cast<std::uint32_t>(i));
    if (key >= threshold) out[i] += TokenAmount::from_base_units(1);
  }
  return true;
}

bool apportion_real(TokenAmount total, std::span<const double> weights, std::span<TokenAmount> out,
                    ApportionScratch& scratch) {
  double sum = 0.0;
  for (double x : weights) {
    if (!(x >= 0.0) || !std::isfinite(x)) throw std::invalid_argument("apportion: weights must be finite and >= 0");
    sum += x;
  }
  if (sum == 0.0) {
    std::fill(out.begin(), out.end(), TokenAmount{});
    return false;
  }
  scratch.weights.resize(weights.size());
  // sum * 2^k <= 2^62 leaves room for the rounding of the floating-point sum.
  int exponent = 0;
  std::frexp(sum, &exponent);  // sum < 2^exponent
  const int k = 62 - exponent;
  for (std::size_t i = 0; i < weights.size(); ++i)
    scratch.weights[i] = static_cast<std::uint64_t>(std::ldexp(weights[i], k));
  return apportion(total, scratch.weights, out, scratch);  // it uses only scratch.keys
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
  scratch.weights.resize(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i)
    scratch.weights[i] = static_cast<std::uint64_t>(weights[i].base_units() >> shift);
  return apportion(total, scratch.weights, out, scratch);  // it uses only scratch.keys
}

}  // namespace dais::ledger
