#include "models/rewards/yuma/yuma.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "sim/core/four_lanes.hpp"
#include "sim/core/lane_sum.hpp"
#include "sim/core/portable_math.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// core::for_four_lanes's vectors are passed differently with and without AVX, GCC warns; they never cross a call.
#pragma GCC diagnostic ignored "-Wpsabi"

// An AVX2 build of the epoch, chosen at run time, where GCC or Clang target x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define DAIS_YUMA_AVX2 1
#include <immintrin.h>
#else
#define DAIS_YUMA_AVX2 0
#endif

namespace dais::models {

using Eigen::Index;

namespace {

// The reference's guards against division by zero (SCHEMA.md §4): part of the semantics, not tuning.
constexpr double epsilon = 1e-6;

// Candidate sets at or below this size finish by insertion sort.
constexpr Index small_set = 8;

// v if c, else 0: selects without a branch (the compiler turns a ternary into an unpredictable jump here).
inline double keep_if(bool c, double v) noexcept {
  return std::bit_cast<double>(std::bit_cast<std::uint64_t>(v) & (std::uint64_t{0} - static_cast<std::uint64_t>(c)));
}
inline std::int64_t keep_if(bool c, std::int64_t v) noexcept { return v & -static_cast<std::int64_t>(c); }

// Finishes a selection over m <= small_set candidates: sorts them by weight, descending, and walks down
// accumulating stake. `above` is the stake known to sit above every candidate. NaN if κ is never reached.
double finish_small(const double* w, const std::int64_t* s, Index m, std::int64_t above, std::int64_t kappa) noexcept {
  double sw[small_set];
  std::int64_t ss[small_set];
  for (Index k = 0; k < m; ++k) {
    const double x = w[k];
    const std::int64_t y = s[k];
    Index at = k;
    while (at > 0 && sw[at - 1] < x) {
      sw[at] = sw[at - 1];
      ss[at] = ss[at - 1];
      --at;
    }
    sw[at] = x;
    ss[at] = y;
  }
  for (Index k = 0; k < m; ++k) {
    above += ss[k];
    if (above >= kappa) return sw[k];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// What a pivot splits the candidates into: the stake above it and at or above it (integer sums: exact, in any
// order), how many lie above and at or above, and the weight sum of those above.
struct Count {
  std::int64_t stake_above = 0;
  std::int64_t stake_at_or_above = 0;
  Index n_above = 0;
  Index n_at_or_above = 0;
  double sum_above = 0.0;
};

// One vectorized pass over the candidates; no branch depends on the data.
Count count(const double* w, const std::int64_t* s, Index m, double p) noexcept {
  Count c;
  Index k = 0;
#if defined(__SSE2__)
  const __m128d pivot = _mm_set1_pd(p);
  __m128i stake_above = _mm_setzero_si128();
  __m128i stake_at = _mm_setzero_si128();
  __m128i n_above = _mm_setzero_si128();
  __m128i n_at = _mm_setzero_si128();
  __m128d sum_above = _mm_setzero_pd();
  for (; k + 2 <= m; k += 2) {
    const __m128d x = _mm_loadu_pd(w + k);
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k));
    const __m128d gt = _mm_cmpgt_pd(x, pivot);
    const __m128d ge = _mm_cmpge_pd(x, pivot);
    stake_above = _mm_add_epi64(stake_above, _mm_and_si128(_mm_castpd_si128(gt), y));
    stake_at = _mm_add_epi64(stake_at, _mm_and_si128(_mm_castpd_si128(ge), y));
    n_above = _mm_sub_epi64(n_above, _mm_castpd_si128(gt));  // a true lane is all ones: -1
    n_at = _mm_sub_epi64(n_at, _mm_castpd_si128(ge));
    sum_above = _mm_add_pd(sum_above, _mm_and_pd(gt, x));
  }
  alignas(16) std::int64_t lanes[8];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), stake_above);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes + 2), stake_at);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes + 4), n_above);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes + 6), n_at);
  alignas(16) double sums[2];
  _mm_store_pd(sums, sum_above);
  c.stake_above = lanes[0] + lanes[1];
  c.stake_at_or_above = lanes[2] + lanes[3];
  c.n_above = lanes[4] + lanes[5];
  c.n_at_or_above = lanes[6] + lanes[7];
  c.sum_above = sums[0] + sums[1];
#endif
  for (; k < m; ++k) {
    const bool above = w[k] > p;
    const bool at_or_above = w[k] >= p;
    c.stake_above += keep_if(above, s[k]);
    c.stake_at_or_above += keep_if(at_or_above, s[k]);
    c.n_above += above;
    c.n_at_or_above += at_or_above;
    c.sum_above += keep_if(above, w[k]);
  }
  return c;
}

// The stake above p and at or above p: the part of count() that confirms a guess.
std::pair<std::int64_t, std::int64_t> stake_around(const double* w, const std::int64_t* s, Index m, double p) noexcept {
  std::int64_t above = 0;
  std::int64_t at_or_above = 0;
  Index k = 0;
#if defined(__SSE2__)
  const __m128d pivot = _mm_set1_pd(p);
  __m128i va = _mm_setzero_si128();
  __m128i vb = _mm_setzero_si128();
  for (; k + 2 <= m; k += 2) {
    const __m128d x = _mm_loadu_pd(w + k);
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k));
    va = _mm_add_epi64(va, _mm_and_si128(_mm_castpd_si128(_mm_cmpgt_pd(x, pivot)), y));
    vb = _mm_add_epi64(vb, _mm_and_si128(_mm_castpd_si128(_mm_cmpge_pd(x, pivot)), y));
  }
  alignas(16) std::int64_t lanes[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), va);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes + 2), vb);
  above = lanes[0] + lanes[1];
  at_or_above = lanes[2] + lanes[3];
#endif
  for (; k < m; ++k) {
    above += keep_if(w[k] > p, s[k]);
    at_or_above += keep_if(w[k] >= p, s[k]);
  }
  return {above, at_or_above};
}

// Copies the candidates above p (Above) or below p (!Above) to (tw, ts), without branching on the data.
template <bool Above>
void compact(const double* w, const std::int64_t* s, Index m, double p, double* tw, std::int64_t* ts) noexcept {
  Index n = 0;
  for (Index k = 0; k < m; ++k) {
    const double x = w[k];
    tw[n] = x;
    ts[n] = s[k];
    n += Above ? x > p : x < p;
  }
}

}  // namespace

std::int64_t stake_units(double share) noexcept {
  return static_cast<std::int64_t>(share * 0x1p52 + 0.5);  // exact scaling, then to the nearest unit
}
static_assert(stake_unit_bits == 52);

namespace {

// min and max by value, so loops that use them vectorize (std::min returns a reference, and GCC keeps the branch).
using core::larger;
using core::smaller;

// The κ-quantile among m candidates (cw, cs) by selection, `above` the stake known to lie above them all: a
// pivot splits the candidates into those above it, at it and below it; the stake above says which part holds
// the answer, and only that part is kept, in the buffers (which must not overlap the candidates). The first
// pivot is the mean weight, later ones the mean of what is kept, which halves the candidates for most weight
// distributions. A pivot outside the candidates splits nothing; a candidate's own weight is then the next one,
// and the part "at" it is never empty. NaN if κ is never reached.
double select_quantile(const double* cw, const std::int64_t* cs, Index m, std::int64_t above, std::int64_t kappa,
                       double* const buffer_w[2], std::int64_t* const buffer_s[2]) noexcept {
  double weight_sum = Eigen::Map<const Eigen::VectorXd>(cw, m).sum();
  double pivot = weight_sum / static_cast<double>(m);
  int which = 0;
  while (m > small_set) {
    const Count c = count(cw, cs, m, pivot);
    const Index n_at = c.n_at_or_above - c.n_above;
    Index next = 0;
    if (above + c.stake_above >= kappa) {
      next = c.n_above;
      if (next < m) {
        compact<true>(cw, cs, m, pivot, buffer_w[which], buffer_s[which]);
        weight_sum = c.sum_above;
      }
    } else if (above + c.stake_at_or_above >= kappa && n_at > 0) {
      return pivot;
    } else {
      above += c.stake_at_or_above;
      next = m - c.n_at_or_above;
      if (next < m) {
        compact<false>(cw, cs, m, pivot, buffer_w[which], buffer_s[which]);
        // By difference: only the next pivot depends on it, never the answer.
        weight_sum -= c.sum_above + static_cast<double>(n_at) * pivot;
      }
    }
    if (next < m) {
      cw = buffer_w[which];
      cs = buffer_s[which];
      which ^= 1;
      m = next;
      pivot = weight_sum / static_cast<double>(m);
    } else {
      pivot = cw[m / 2];
    }
  }
  return finish_small(cw, cs, m, above, kappa);
}

// The smallest and the largest weight, with two pairs of accumulators each, so that successive minima do not wait
// on one another.
std::pair<double, double> weight_range(const double* w, Index n) noexcept {
  double lo = w[0];
  double hi = w[0];
  Index k = 0;
#if defined(__SSE2__)
  __m128d lo0 = _mm_set1_pd(lo), lo1 = lo0, hi0 = lo0, hi1 = lo0;
  for (; k + 4 <= n; k += 4) {
    const __m128d x0 = _mm_loadu_pd(w + k);
    const __m128d x1 = _mm_loadu_pd(w + k + 2);
    lo0 = _mm_min_pd(lo0, x0);
    lo1 = _mm_min_pd(lo1, x1);
    hi0 = _mm_max_pd(hi0, x0);
    hi1 = _mm_max_pd(hi1, x1);
  }
  alignas(16) double range[4];
  _mm_store_pd(range, _mm_min_pd(lo0, lo1));
  _mm_store_pd(range + 2, _mm_max_pd(hi0, hi1));
  lo = smaller(range[0], range[1]);
  hi = larger(range[2], range[3]);
#endif
  for (; k < n; ++k) {
    lo = smaller(lo, w[k]);
    hi = larger(hi, w[k]);
  }
  return {lo, hi};
}

// A stake histogram has at most this many buckets, so that a bucket number fits a byte.
constexpr Index max_buckets = 256;

// The bucket number of each weight, trunc(clamp((w - lo) * per_weight, 0, top)), as a byte, and the weights'
// smallest and largest (for next time). max(x, 0) gives 0 for a NaN x; min(x, top) keeps x when below top.
inline std::uint8_t bucket_of(double x, double lo, double per_weight, double top) noexcept {
  return static_cast<std::uint8_t>(static_cast<std::int32_t>(smaller(top, larger(0.0, (x - lo) * per_weight))));
}

// The remainder past the last whole group of eight, one at a time.
std::pair<double, double> bucket_tail(const double* w, Index from, Index n, double lo, double per_weight, double top,
                                      std::uint8_t* bucket, double seen_lo, double seen_hi) noexcept {
  for (Index k = from; k < n; ++k) {
    bucket[k] = bucket_of(w[k], lo, per_weight, top);
    seen_lo = smaller(seen_lo, w[k]);
    seen_hi = larger(seen_hi, w[k]);
  }
  return {seen_lo, seen_hi};
}

// Eight at a time, two to a register, packed to bytes.
std::pair<double, double> bucket_numbers(const double* w, Index n, double lo, double per_weight, double top,
                                         std::uint8_t* bucket) noexcept {
  Index k = 0;
  double seen_lo = w[0];
  double seen_hi = w[0];
#if defined(__SSE2__)
  const __m128d vlo = _mm_set1_pd(lo);
  const __m128d vper = _mm_set1_pd(per_weight);
  const __m128d vtop = _mm_set1_pd(top);
  const __m128d zero = _mm_setzero_pd();
  __m128d lows[4], highs[4];  // one pair per slot of the eight, so that no minimum waits on another
  for (int slot = 0; slot < 4; ++slot) lows[slot] = highs[slot] = _mm_set1_pd(seen_lo);
  const auto two = [&](Index at, int slot) {
    const __m128d v = _mm_loadu_pd(w + at);
    lows[slot] = _mm_min_pd(lows[slot], v);
    highs[slot] = _mm_max_pd(highs[slot], v);
    const __m128d x = _mm_mul_pd(_mm_sub_pd(v, vlo), vper);
    return _mm_cvttpd_epi32(_mm_min_pd(_mm_max_pd(x, zero), vtop));
  };
  for (; k + 8 <= n; k += 8) {
    const __m128i low = _mm_unpacklo_epi64(two(k, 0), two(k + 2, 1));
    const __m128i high = _mm_unpacklo_epi64(two(k + 4, 2), two(k + 6, 3));
    const __m128i words = _mm_packs_epi32(low, high);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(bucket + k), _mm_packus_epi16(words, words));
  }
  alignas(16) double range[4];
  _mm_store_pd(range, _mm_min_pd(_mm_min_pd(lows[0], lows[1]), _mm_min_pd(lows[2], lows[3])));
  _mm_store_pd(range + 2, _mm_max_pd(_mm_max_pd(highs[0], highs[1]), _mm_max_pd(highs[2], highs[3])));
  seen_lo = smaller(range[0], range[1]);
  seen_hi = larger(range[2], range[3]);
#endif
  return bucket_tail(w, k, n, lo, per_weight, top, bucket, seen_lo, seen_hi);
}

#if DAIS_YUMA_AVX2
// The same operations four to a register (no lambda: it would not inherit the target).
[[gnu::target("avx2")]] std::pair<double, double> bucket_numbers_avx2(const double* w, Index n, double lo,
                                                                     double per_weight, double top,
                                                                     std::uint8_t* bucket) noexcept {
  const __m256d vlo = _mm256_set1_pd(lo);
  const __m256d vper = _mm256_set1_pd(per_weight);
  const __m256d vtop = _mm256_set1_pd(top);
  __m256d lows[2], highs[2];
  lows[0] = lows[1] = highs[0] = highs[1] = _mm256_set1_pd(w[0]);
  Index k = 0;
  for (; k + 8 <= n; k += 8) {
    __m128i quarter[2];
    for (int slot = 0; slot < 2; ++slot) {
      const __m256d v = _mm256_loadu_pd(w + k + 4 * slot);
      lows[slot] = _mm256_min_pd(lows[slot], v);
      highs[slot] = _mm256_max_pd(highs[slot], v);
      const __m256d x = _mm256_mul_pd(_mm256_sub_pd(v, vlo), vper);
      quarter[slot] = _mm256_cvttpd_epi32(_mm256_min_pd(_mm256_max_pd(x, _mm256_setzero_pd()), vtop));
    }
    const __m128i words = _mm_packs_epi32(quarter[0], quarter[1]);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(bucket + k), _mm_packus_epi16(words, words));
  }
  alignas(32) double range[8];
  _mm256_store_pd(range, _mm256_min_pd(lows[0], lows[1]));
  _mm256_store_pd(range + 4, _mm256_max_pd(highs[0], highs[1]));
  const double seen_lo = smaller(smaller(range[0], range[1]), smaller(range[2], range[3]));
  const double seen_hi = larger(larger(range[4], range[5]), larger(range[6], range[7]));
  return bucket_tail(w, k, n, lo, per_weight, top, bucket, seen_lo, seen_hi);
}
#endif

// The widest build this one may call: the AVX2 epoch runs only where the processor has AVX2.
inline std::pair<double, double> bucket_numbers_wide(const double* w, Index n, double lo, double per_weight,
                                                     double top, std::uint8_t* bucket) noexcept {
#if DAIS_YUMA_AVX2
  return bucket_numbers_avx2(w, n, lo, per_weight, top, bucket);
#else
  return bucket_numbers(w, n, lo, per_weight, top, bucket);
#endif
}

// How a column's weights map to stake buckets: trunc(clamp((w - lo) * per_weight, 0, top)), `buckets` of them.
struct BucketScale {
  Index buckets;
  double lo, per_weight, top;
};

BucketScale bucket_scale(Index n, double lo, double hi) noexcept {
  const auto size = static_cast<std::size_t>(n);
  const Index buckets = std::clamp(static_cast<Index>(std::bit_ceil(size)), Index{16}, max_buckets);
  return {buckets, lo, static_cast<double>(buckets) / (hi - lo), static_cast<double>(buckets - 1)};
}

// Sizes the buffers for n candidates: 2 n weights and stakes, n bucket numbers in whole groups of 64.
void fit_scratch(QuantileScratch& scratch, Index n) {
  const auto size = static_cast<std::size_t>(n);
  if (scratch.w.size() < 2 * size) {
    scratch.w.resize(2 * size);
    scratch.s.resize(2 * size);
    scratch.bucket.resize((size + 63) / 64 * 64);
  }
}

template <bool Wide>
double select_by_buckets(const double* w, const std::int64_t* s, Index n, std::int64_t kappa, QuantileScratch& scratch,
                         Index buckets);

// bucket_of for a body of core::for_four_lanes: the bucket numbers of x, one weight or a vector of them, as bytes
// at p. The same operations as bucket_of, so the same numbers.
template <class V>
[[gnu::always_inline]] inline void store_bucket_numbers(std::uint8_t* p, V x, const BucketScale& scale) noexcept {
  if constexpr (std::is_same_v<V, double>) {
    *p = bucket_of(x, scale.lo, scale.per_weight, scale.top);
  } else {
    const V number = smaller(scale.top, larger(0.0, (x - scale.lo) * scale.per_weight));
    if constexpr (std::is_same_v<V, core::Double4>) {
      using Int4 = std::int32_t __attribute__((vector_size(16)));
      using Bytes16 = std::uint8_t __attribute__((vector_size(16)));
      const auto bytes = reinterpret_cast<Bytes16>(__builtin_convertvector(number, Int4));
      const auto low_bytes = __builtin_shufflevector(bytes, bytes, 0, 4, 8, 12);  // one byte shuffle
      std::memcpy(p, &low_bytes, 4);
    } else {
#if defined(__SSE2__)
      const __m128i words = _mm_cvttpd_epi32(number);
      const __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(words, words), words);
      const auto pair = static_cast<std::uint16_t>(_mm_cvtsi128_si32(bytes));
      std::memcpy(p, &pair, 2);
#else
      for (int l = 0; l < 2; ++l) p[l] = bucket_of(x[l], scale.lo, scale.per_weight, scale.top);
#endif
    }
  }
}

// kappa_quantile's body, one build per build of the epoch; Wide: the AVX2 one, whose bucket numbers come four
// weights to a register (the same operations, so the same numbers).
template <bool Wide>
[[gnu::always_inline]] inline double quantile_body(const double* w, const std::int64_t* s, Index n, std::int64_t kappa,
                                                   QuantileScratch& scratch, QuantileGuess& guess) {
  const double hint = guess.answer;
  if (n <= 0) return 0.0;
  if (kappa <= 0) return Eigen::Map<const Eigen::VectorXd>(w, n).maxCoeff();  // the first position reaches it
  // The answer is the weight at the first position, in descending order of weight, where the cumulative stake
  // reaches κ. Stake is counted in integer units, so every sum is exact and the answer cannot depend on the
  // order of the additions. Most columns keep their consensus from one epoch to the next: one lean pass
  // confirms the hint.
  if (!std::isnan(hint)) {
    const auto [stake_above, stake_at_or_above] = stake_around(w, s, n, hint);
    if (stake_above < kappa && stake_at_or_above >= kappa) return hint;  // some weight equals the hint
  }
  fit_scratch(scratch, n);
  // Otherwise the weights go into buckets of equal width between the smallest and the largest, their stake is
  // summed per bucket, and the buckets are walked from the top until the stake reaches κ: only that bucket's
  // weights, a handful, remain to be ordered. The bucket number, trunc((w - lo) * buckets / (hi - lo)), never
  // decreases as w grows (rounding is monotonic), so every weight of a higher bucket exceeds every weight of a
  // lower one, and equal weights share a bucket. A NaN product (hi == lo) maps to bucket 0. Any bounds keep that
  // order (weights outside them go to the end buckets), so a guessed range, such as last epoch's, is as exact as
  // the true one; it spares computing it before the buckets, and the true one is kept for next time.
  const bool range_known = guess.lo <= guess.hi;  // false for NaN
  const auto [lo, hi] = range_known ? std::pair{guess.lo, guess.hi} : weight_range(w, n);
  const BucketScale scale = bucket_scale(n, lo, hi);
  // The column's true range, for next time, on the way (off the path to the answer).
  std::pair<double, double> true_range;
  if constexpr (Wide) true_range = bucket_numbers_wide(w, n, lo, scale.per_weight, scale.top, scratch.bucket.data());
  else true_range = bucket_numbers(w, n, lo, scale.per_weight, scale.top, scratch.bucket.data());
  std::tie(guess.lo, guess.hi) = true_range;
  return select_by_buckets<Wide>(w, s, n, kappa, scratch, scale.buckets);
}

// The κ-quantile of n > 0 candidates, κ > 0, whose bucket numbers are in scratch.bucket: the stake per bucket, the
// bucket where it reaches κ, then the weights in that bucket.
template <bool Wide>
[[gnu::always_inline]] inline double select_body(const double* w, const std::int64_t* s, Index n, std::int64_t kappa,
                                                 QuantileScratch& scratch, Index buckets) {
  const std::uint8_t* __restrict const bucket = scratch.bucket.data();
  alignas(16) std::int64_t stake_in[max_buckets];
#if defined(__SSE2__)
  // Vector stores of a zero the compiler cannot see, so that it does not turn them into a memset: it would make a
  // `rep stos` of it, whose start-up costs more than these few stores.
  __m128i hidden_zero = _mm_setzero_si128();
  asm("" : "+x"(hidden_zero));
  for (Index b = 0; b < buckets; b += 8)  // a 64-byte line per step (buckets is a power of two, at least 16)
    for (int l = 0; l < 8; l += 2) _mm_store_si128(reinterpret_cast<__m128i*>(stake_in + b + l), hidden_zero);
#else
  std::fill_n(stake_in, buckets, std::int64_t{0});
#endif
  // Four to a step: the loop's own instructions were half of it.
  Index k = 0;
  for (; k + 4 <= n; k += 4)
    for (int l = 0; l < 4; ++l) stake_in[bucket[k + l]] += s[k + l];
  for (; k < n; ++k) stake_in[bucket[k]] += s[k];
  // The bucket where the stake from the top reaches κ: first the group of eight, walking down from the top (one
  // mispredicted exit, half the groups on average), then the bucket in it, by counting the steps whose running
  // total stays below κ (the totals only grow), without a branch to mispredict.
  std::int64_t above = 0;
  Index group = buckets;  // a power of two, at least 16
  for (;;) {
    // κ never reached (the stake sums to less): the largest weight, as the reference's first position.
    if (group == 0) return Eigen::Map<const Eigen::VectorXd>(w, n).maxCoeff();
    group -= 8;
    std::int64_t eight = 0;
    for (Index l = 0; l < 8; ++l) eight += stake_in[group + l];
    if (above + eight >= kappa) break;
    above += eight;
  }
  Index t = group + 7;
  std::int64_t running = above;
  Index passed = 0;
  for (Index l = 0; l < 7; ++l) {  // κ is reached at group + 0 at the latest
    running += stake_in[t - l];
    const bool below = running < kappa;
    passed += below;
    above += keep_if(below, stake_in[t - l]);
  }
  t -= passed;

  // Bucket t's weights, to the second half of the buffers: 64 bucket numbers compared at a time, then one step
  // per hit (a handful in all).
  double* const cw = scratch.w.data() + n;
  std::int64_t* const cs = scratch.s.data() + n;
  Index m = 0;
  for (Index g = 0; g < n; g += 64) {
    std::uint64_t hits = 0;
#if defined(__SSE2__)
    const __m128i wanted = _mm_set1_epi8(static_cast<char>(t));
    for (int c = 0; c < 4; ++c) {
      const __m128i numbers = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bucket + g + 16 * c));
      hits |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(numbers, wanted))))
              << (16 * c);
    }
#else
    for (int c = 0; c < 64; ++c) hits |= static_cast<std::uint64_t>(bucket[g + c] == t) << c;
#endif
    if (n - g < 64) hits &= (std::uint64_t{1} << (n - g)) - 1;  // the padding past n
    for (; hits != 0; hits &= hits - 1) {
      const Index at = g + std::countr_zero(hits);
      cw[m] = w[at];
      cs[m] = s[at];
      ++m;
    }
  }
  if (m == 1) return cw[0];
  if (m <= small_set) return finish_small(cw, cs, m, above, kappa);
  double* const buffer_w[2] = {scratch.w.data(), cw};  // the first step writes the half it does not read
  std::int64_t* const buffer_s[2] = {scratch.s.data(), cs};
  return select_quantile(cw, cs, m, above, kappa, buffer_w, buffer_s);
}

// The builds of the two, each a function of its own: inside pass 1's loop they slowed the epochs whose hint holds
// (same weights: 30 -> 38 us). The AVX2 ones are compiled for AVX2 whole, so that no SSE instruction runs with
// the upper halves of the AVX registers in use (a false dependency on each: with one call lacking its vzeroupper, the epoch ran 1.7x slower).
[[gnu::noinline]] double quantile_baseline(const double* w, const std::int64_t* s, Index n, std::int64_t kappa,
                                           QuantileScratch& scratch, QuantileGuess& guess) {
  return quantile_body<false>(w, s, n, kappa, scratch, guess);
}
[[gnu::noinline]] double select_baseline(const double* w, const std::int64_t* s, Index n, std::int64_t kappa,
                                         QuantileScratch& scratch, Index buckets) {
  return select_body<false>(w, s, n, kappa, scratch, buckets);
}
#if DAIS_YUMA_AVX2
[[gnu::noinline, gnu::target("avx2")]] double quantile_avx2(const double* w, const std::int64_t* s, Index n,
                                                            std::int64_t kappa, QuantileScratch& scratch,
                                                            QuantileGuess& guess) {
  return quantile_body<true>(w, s, n, kappa, scratch, guess);
}
[[gnu::noinline, gnu::target("avx2")]] double select_avx2(const double* w, const std::int64_t* s, Index n,
                                                          std::int64_t kappa, QuantileScratch& scratch, Index buckets) {
  return select_body<true>(w, s, n, kappa, scratch, buckets);
}
#endif

template <bool Wide>
double quantile_kernel(const double* w, const std::int64_t* s, Index n, std::int64_t kappa, QuantileScratch& scratch,
                       QuantileGuess& guess) {
#if DAIS_YUMA_AVX2
  if constexpr (Wide) return quantile_avx2(w, s, n, kappa, scratch, guess);
#endif
  return quantile_baseline(w, s, n, kappa, scratch, guess);
}

template <bool Wide>
double select_by_buckets(const double* w, const std::int64_t* s, Index n, std::int64_t kappa, QuantileScratch& scratch,
                         Index buckets) {
#if DAIS_YUMA_AVX2
  if constexpr (Wide) return select_avx2(w, s, n, kappa, scratch, buckets);
#endif
  return select_baseline(w, s, n, kappa, scratch, buckets);
}

}  // namespace

double kappa_quantile(const double* w, const std::int64_t* s, Index n, std::int64_t kappa, QuantileScratch& scratch,
                      double hint) {
  QuantileGuess guess{hint};
  return kappa_quantile(w, s, n, kappa, scratch, guess);
}

double kappa_quantile(const double* w, const std::int64_t* s, Index n, std::int64_t kappa, QuantileScratch& scratch,
                      QuantileGuess& guess) {
  return quantile_kernel<false>(w, s, n, kappa, scratch, guess);
}

double kappa_quantile(const double* w, const std::int64_t* s, Index n, std::int64_t kappa, QuantileScratch& scratch,
                      QuantileGuess& guess, YumaKernel kernel) {
  if (!yuma_kernel_available(kernel))
    throw std::invalid_argument("kappa_quantile: this processor cannot run the " + std::string(to_string(kernel)) +
                                " kernel");
  return kernel == YumaKernel::avx2 ? quantile_kernel<true>(w, s, n, kappa, scratch, guess)
                                    : quantile_kernel<false>(w, s, n, kappa, scratch, guess);
}

namespace {

// Liquid alpha's rate (SCHEMA.md §4.7). alpha_of and liquid_alphas do the same operations in the same order, so
// a column's rates equal the single pair's to the bit.
inline double alpha_of(double w, double b, double c, double low, double high, double steepness) noexcept {
  const double d = w >= b ? smaller(larger(w - c, 0.0), 1.0) : smaller(larger(b - w, 0.0), 1.0);
  const double sigmoid = 1.0 / (1.0 + core::portable_exp(-steepness * (d - 0.5)));
  return smaller(larger(low + sigmoid * (high - low), low), high);
}

}  // namespace

double liquid_alpha(double w, double b, double c, const YumaParams& params) noexcept {
  return alpha_of(w, b, c, params.alpha_low, params.alpha_high, params.alpha_sigmoid_steepness);
}

void reset_bonds(YumaState& state, Index miner) {
  if (state.epochs == 0) return;
  if (miner < 0 || miner >= state.bonds.cols())
    throw std::invalid_argument("reset_bonds: miner " + std::to_string(miner) + " out of range [0, " +
                                std::to_string(state.bonds.cols()) + ")");
  state.bonds.col(miner).setZero();
}

namespace {

bool in_unit(double x) { return x >= 0.0 && x <= 1.0; }

// A cheap test first; the message is built only for invalid parameters.
void require_valid(const YumaParams& params) {
  if (in_unit(params.kappa) && in_unit(params.bond_penalty) && in_unit(params.bond_moving_avg) &&
      in_unit(params.alpha_low) && in_unit(params.alpha_high) && params.alpha_low <= params.alpha_high &&
      params.alpha_sigmoid_steepness >= 0.0 && in_unit(params.decay_rate) && in_unit(params.capacity_alpha) &&
      params.capacity_scale >= 1.0 && params.capacity_scale <= 1e300 && in_unit(params.validator_emission_ratio) &&
      params.consensus_quantization >= 0 && params.consensus_quantization <= 2147483647)
    return;
  throw std::invalid_argument("yuma: " + check_yuma_params(params));
}

template <class Matrix>
void shape(Matrix& m, Index rows, Index cols) {
  if (m.rows() != rows || m.cols() != cols) m.resize(rows, cols);
}

template <class Vector>
void shape(Vector& v, Index size) {
  if (v.size() != size) v.resize(size);
}

// out[i] = the sum over the columns j, in order, of m(i, j), times factor[j] when Scaled (m: V x N, column-major,
// `ld` apart). Rows go 32 at a time, their sums held in registers across the columns: an entry then costs a load
// and an add, not also a load and a store of its row's sum. Each row adds in column order, so the sums have the
// same bits at every vector width.
template <bool Scaled>
[[gnu::always_inline]] inline void accumulate_rows(const double* m, Index ld, Index nv, Index nm, const double* factor,
                                                   double* out) noexcept {
  constexpr Index block = 32;
  const auto term = [&](const double* column, Index j, Index i) { return Scaled ? column[i] * factor[j] : column[i]; };
  Index first = 0;
  for (; first + block <= nv; first += block) {
    double sum[block] = {};
    for (Index j = 0; j < nm; ++j) {
      const double* column = m + j * ld + first;
      for (Index l = 0; l < block; ++l) sum[l] += term(column, j, l);
    }
    std::copy_n(sum, block, out + first);
  }
  std::fill(out + first, out + nv, 0.0);
  for (Index j = 0; j < nm; ++j) {
    const double* column = m + j * ld;
    for (Index i = first; i < nv; ++i) out[i] += term(column, j, i);
  }
}

// The epoch after yuma_epoch's checks. Inlined into one function per instruction set (below); Wide: the AVX2 one.
template <bool Wide>
[[gnu::always_inline]] inline void epoch_kernel(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                                                const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state,
                                                YumaEpoch& out) {
  const Index nv = weights.rows();
  const Index nm = weights.cols();
  const bool first = state.epochs == 0;
  const YumaVersion version = params.version;
  const bool pairs = out.pair_outputs;
  const bool liquid = version == YumaVersion::yuma3_liquid && !first;
  // W is kept whole when asked for, and by yuma2b, whose next epoch clips with it.
  const bool keep_weights = pairs || version == YumaVersion::yuma2b;

  shape(out.stake, nv);
  if (keep_weights) shape(out.weights, nv, nm);
  shape(out.prerank, nm);
  shape(out.consensus_raw, nm);
  shape(out.consensus, nm);
  shape(out.consensus_u16, nm);
  if (pairs) {
    shape(out.clipped_weights, nv, nm);
    shape(out.bonds_normalized, nv, nm);
    if (liquid) shape(out.alpha_pairs, nv, nm);
  }
  shape(out.rank, nm);
  shape(out.incentives, nm);
  shape(out.trust, nm);
  shape(out.validator_trust, nv);
  shape(out.bond_column_sums, nm);
  shape(out.dividends_raw, nv);
  shape(out.dividends, nv);
  shape(out.relative_dividends, nv);
  YumaScratch& scratch = out.scratch;
  // The stride: whole 64-byte lines, plus one, so that successive vectors start 64 bytes further into a page.
  const Index stride = (nv + 7) / 8 * 8 + 8;
  constexpr Index vector_count = 9;
  if (scratch.validator_vectors.size() != static_cast<std::size_t>(stride * vector_count))
    scratch.validator_vectors.assign(static_cast<std::size_t>(stride * vector_count), 0.0);
  const auto validator_vector = [&](Index k) { return scratch.validator_vectors.data() + k * stride; };
  double* __restrict const row_sums = validator_vector(0);
  double* __restrict const scale = validator_vector(1);
  double* __restrict const weight_row_sums = validator_vector(2);  // rowsum(W), for validator trust
  double* __restrict const clip_row_sums = validator_vector(3);
  double* __restrict const column_w = validator_vector(4);
  double* __restrict const column_clipped = validator_vector(5);
  double* __restrict const buy = validator_vector(6);
  double* __restrict const capacity = validator_vector(7);
  double* __restrict const column_alpha = validator_vector(8);
  shape(scratch.column_factor, nm);
  if (scratch.stake_units.size() != static_cast<std::size_t>(nv)) scratch.stake_units.resize(static_cast<std::size_t>(nv));
  if (scratch.guesses.size() != static_cast<std::size_t>(nm)) scratch.guesses.assign(static_cast<std::size_t>(nm), {});
  if (first) state.bonds.setZero(nv, nm);  // yuma2c and yuma3 start from zero bonds; the others overwrite them

  // Stake shares, in units for the quantile too, and the row scale that normalizes W.
  const double total_stake = stakes.sum();
  Eigen::VectorXd& stake = out.stake;
  if (total_stake > 0.0)
    stake = stakes / total_stake;
  else
    stake.setZero();
  for (Index i = 0; i < nv; ++i) scratch.stake_units[static_cast<std::size_t>(i)] = stake_units(stake[i]);
  const std::int64_t kappa_units = stake_units(params.kappa);
  // Last epoch's Ĉ is tried first when it was right for at least a quarter of the columns last time (weights
  // that change little); with weights that change every epoch, trying it costs more than it saves.
  const bool have_old = !first && state.consensus_raw.size() == nm;
  const bool hinted = have_old && 4 * state.consensus_repeats >= nm;
  Index repeats = 0;
  // The work is done column by column (columns are contiguous), each step one fused loop over the column's V
  // entries that the compiler vectorizes (`omp simd`, or lane_sum where it sums), so a column stays in L1 while
  // it is worked on and the V x N matrices are each read or written once.
  accumulate_rows<false>(weights.data(), weights.outerStride(), nv, nm, nullptr, row_sums);
  for (Index i = 0; i < nv; ++i) scale[i] = 1.0 / (row_sums[i] + epsilon);
  const double* __restrict const s = stake.data();

  // Pass 1: W, prerank, the raw consensus.
  // rowsum(W): the row sums times the row scale, as W's entries are (not summed again).
  for (Index i = 0; i < nv; ++i) weight_row_sums[i] = row_sums[i] * scale[i];
  // Without a hint the quantile buckets every weight: the bucket numbers are computed here, as W is, within last
  // epoch's range of the column (any range gives the exact answer, see quantile_kernel), and the column's true
  // range is kept for next time.
  const bool buckets_in_pass = !hinted && kappa_units > 0;
  if (buckets_in_pass) fit_scratch(scratch.quantile, nv);
  std::uint8_t* __restrict const bucket = scratch.quantile.bucket.data();
  const std::int64_t* const units = scratch.stake_units.data();
  double consensus_sum = 0.0;
  for (Index j = 0; j < nm; ++j) {
    const double* __restrict raw = weights.col(j).data();
    double* __restrict w = keep_weights ? out.weights.col(j).data() : column_w;
    const double old = have_old ? state.consensus_raw[j] : std::numeric_limits<double>::quiet_NaN();
    QuantileGuess& guess = scratch.guesses[static_cast<std::size_t>(j)];
    guess.answer = hinted ? old : std::numeric_limits<double>::quiet_NaN();
    const auto weigh = [&](auto with_buckets, const BucketScale& buckets) __attribute__((always_inline)) {
      core::LaneSums<Wide> prerank;
      core::LaneRange<Wide> range;
      core::for_four_lanes<Wide>(nv, [&](auto at) __attribute__((always_inline)) {
        const auto x = at.load(raw) * at.load(scale);
        at.store(w, x);
        at.add(prerank, at.load(s) * x);
        if constexpr (with_buckets) {
          at.widen(range, x);
          store_bucket_numbers(bucket + at.i, x, buckets);
        }
      });
      out.prerank[j] = prerank.total();
      if constexpr (with_buckets) {
        guess.lo = range.lowest();
        guess.hi = range.highest();
      }
    };
    double c = 0.0;
    if (buckets_in_pass && guess.lo <= guess.hi) {  // false for NaN: no range yet
      const BucketScale buckets = bucket_scale(nv, guess.lo, guess.hi);
      weigh(std::true_type{}, buckets);
      c = select_by_buckets<Wide>(w, units, nv, kappa_units, scratch.quantile, buckets.buckets);
    } else {
      weigh(std::false_type{}, BucketScale{});
      c = quantile_kernel<Wide>(w, units, nv, kappa_units, scratch.quantile, guess);
    }
    repeats += c == old;
    out.consensus_raw[j] = c;
    consensus_sum += c;
  }
  state.consensus_repeats = repeats;

  // Normalized and quantized consensus.
  out.consensus_degenerate = !(consensus_sum > 0.0);
  const auto q = static_cast<double>(params.consensus_quantization);
  for (Index j = 0; j < nm; ++j) {
    if (params.consensus_quantization == 0) {
      out.consensus[j] = out.consensus_raw[j];
      out.consensus_u16[j] = static_cast<std::int64_t>(out.consensus_raw[j] * 65535.0);
    } else if (out.consensus_degenerate) {
      out.consensus[j] = 0.0;
      out.consensus_u16[j] = 0;
    } else {
      const auto k = static_cast<std::int64_t>(out.consensus_raw[j] / consensus_sum * q);
      out.consensus_u16[j] = k;
      out.consensus[j] = static_cast<double>(k) / q;
    }
  }

  // Pass 2, column by column: clip, rank, bonds.
  // yuma2b clips with the last epoch's W; at the first epoch (or after a state without one) with this one's.
  const bool previous_weights =
      version == YumaVersion::yuma2b && !first && state.weights.rows() == nv && state.weights.cols() == nm;
  out.alpha_per_pair = liquid;
  const double rate = 1.0 - params.bond_moving_avg;
  const double keep = 1.0 - rate;
  switch (version) {
    case YumaVersion::yuma1: out.alpha = 1.0; break;
    case YumaVersion::yuma2c: out.alpha = std::numeric_limits<double>::quiet_NaN(); break;
    default: out.alpha = liquid ? std::numeric_limits<double>::quiet_NaN() : rate; break;
  }
  const double beta = params.bond_penalty;
  const double decay = 1.0 - params.decay_rate;
  const double capacity_alpha = params.capacity_alpha;
  for (Index i = 0; i < nv; ++i) capacity[i] = s[i] * params.capacity_scale;
  const double low = params.alpha_low;
  const double high = params.alpha_high;
  const double steepness = params.alpha_sigmoid_steepness;
  std::fill(clip_row_sums, clip_row_sums + nv, 0.0);
  const bool buy_clipped = beta == 1.0;  // the default: bonds from clipped weights alone, whose total is the rank
  const bool buys_purchase =
      version == YumaVersion::yuma1 || version == YumaVersion::yuma2 || version == YumaVersion::yuma2b;
  const bool stores_purchase = buys_purchase && buy_clipped;
  const bool stores_clipped = pairs || (buys_purchase && !buy_clipped);
  // yuma2c and yuma3 move the bonds by W, not by the rank: one loop clips, ranks and moves them, recomputing W
  // where it is not kept. yuma1, 2 and 2b buy bonds in proportion to the column's purchase total: a second loop.
  // Its lambdas are forced inline: in a function this large GCC called some of them, per element.
  enum class Move { fixed_rate, liquid_rate, to_capacity };
  const auto clip_and_move = [&](auto recompute, auto keep_clipped, auto rule, const double* __restrict raw,
                                 const double* __restrict w, double* __restrict wc, double* __restrict b,
                                 double* __restrict a, double c) __attribute__((always_inline)) {
    core::LaneSums<Wide> rank_lanes, bond_lanes;
    core::for_four_lanes<Wide>(nv, [&](auto at) __attribute__((always_inline)) {
      const auto wi = [&]() __attribute__((always_inline)) {
        if constexpr (recompute) return at.load(raw) * at.load(scale);
        else return at.load(w);
      }();
      const auto x = smaller(wi, c);
      if constexpr (keep_clipped) at.store(wc, x);
      at.store(clip_row_sums, at.load(clip_row_sums) + x);
      at.add(rank_lanes, at.load(s) * x);
      const auto old = at.load(b);
      const auto next = [&]() __attribute__((always_inline)) {
        if constexpr (rule == Move::to_capacity) {
          const auto cap = at.load(capacity);
          return smaller(decay * old + smaller(capacity_alpha * cap, larger(cap - old, 0.0)) * wi, cap);
        } else {
          // Liquid alpha: the rate from the sigmoid of the exponential already in a (alpha_of's operations).
          const auto rate_i = [&]() __attribute__((always_inline)) {
            if constexpr (rule == Move::liquid_rate) {
              const auto sigmoid = 1.0 / (1.0 + at.load(a));
              const auto r = smaller(larger(low + sigmoid * (high - low), low), high);
              at.store(a, r);
              return r;
            } else {
              return core::as<std::remove_const_t<decltype(wi)>>(rate);
            }
          }();
          const auto decayed = old * (1.0 - rate_i);  // 1 - rate is `keep`, to the bit
          return smaller(decayed + smaller(rate_i * wi, larger(1.0 - decayed, 0.0)), 1.0);
        }
      }();
      at.store(b, next);
      at.add(bond_lanes, next);
    });
    return std::pair{rank_lanes.total(), bond_lanes.total()};
  };
  const Move move = version == YumaVersion::yuma2c ? Move::to_capacity : liquid ? Move::liquid_rate : Move::fixed_rate;
  // The clip loop reads W where it is kept (an output), where liquid alpha's rates read it first or where a
  // purchase with β < 1 reads it after; else it recomputes W.
  const bool fused_recomputes =
      !keep_weights && (buys_purchase ? buy_clipped : move != Move::liquid_rate);
  constexpr std::true_type yes;
  constexpr std::false_type no;
  double rank_sum = 0.0;
  for (Index j = 0; j < nm; ++j) {
    const double c = out.consensus[j];
    const double* __restrict raw = weights.col(j).data();
    if (!keep_weights && !fused_recomputes) {  // recomputed: cheaper than keeping W
      double* __restrict column = column_w;
#pragma omp simd
      for (Index i = 0; i < nv; ++i) column[i] = raw[i] * scale[i];
    }
    const double* __restrict w = keep_weights ? out.weights.col(j).data() : column_w;
    double* __restrict wc = pairs ? out.clipped_weights.col(j).data() : column_clipped;
    double* __restrict b = state.bonds.col(j).data();
    double r = 0.0;
    double column_sum = 0.0;  // of the new bonds
    if (!buys_purchase) {
      double* __restrict a = pairs && liquid ? out.alpha_pairs.col(j).data() : column_alpha;
      if (move == Move::liquid_rate) {
        const double c_old = state.consensus[j];
        const double c_liquid = params.liquid_alpha_consensus == LiquidAlphaConsensus::current    ? c
                                : params.liquid_alpha_consensus == LiquidAlphaConsensus::previous ? c_old
                                                                                                  : larger(c, c_old);
        // The operations of alpha_of, in its order: the distance, the exponent, the exponential; the rate follows.
#pragma omp simd
        for (Index i = 0; i < nv; ++i) {
          const double buying = smaller(larger(w[i] - c_liquid, 0.0), 1.0);
          const double selling = smaller(larger(b[i] - w[i], 0.0), 1.0);
          const double d = w[i] >= b[i] ? buying : selling;
          a[i] = -steepness * (d - 0.5);
        }
        core::exp_in_place({a, static_cast<std::size_t>(nv)});
      }
      const auto by = [&](auto rule) __attribute__((always_inline)) {
        if (pairs) return clip_and_move(no, yes, rule, raw, w, wc, b, a, c);
        if (fused_recomputes) return clip_and_move(yes, no, rule, raw, w, wc, b, a, c);
        return clip_and_move(no, no, rule, raw, w, wc, b, a, c);
      };
      switch (move) {
        case Move::fixed_rate: std::tie(r, column_sum) = by(std::integral_constant<Move, Move::fixed_rate>{}); break;
        case Move::liquid_rate: std::tie(r, column_sum) = by(std::integral_constant<Move, Move::liquid_rate>{}); break;
        case Move::to_capacity: std::tie(r, column_sum) = by(std::integral_constant<Move, Move::to_capacity>{}); break;
      }
    } else {
      const double* __restrict ws = previous_weights ? state.weights.col(j).data() : w;
      // W̄ and S ∘ W̄ are stored only where they are read: W̄ as an output or by a purchase with β < 1, S ∘ W̄ as
      // the purchase with β = 1.
      const auto clip = [&](auto keep_clipped, auto keep_purchase, auto recompute) {
        return core::lane_sum(nv, [&](Index i) {
          const double x = smaller(recompute ? raw[i] * scale[i] : ws[i], c);
          if constexpr (keep_clipped) wc[i] = x;
          clip_row_sums[i] += x;
          const double y = s[i] * x;
          if constexpr (keep_purchase) buy[i] = y;
          return y;
        });
      };
      // Recomputing W implies a purchase of clipped weights stored, none stored clipped.
      r = stores_clipped    ? (stores_purchase ? clip(yes, yes, no) : clip(yes, no, no))
          : fused_recomputes ? clip(no, yes, yes)
          : stores_purchase  ? clip(no, yes, no)
                             : clip(no, no, no);
      double total = r;
      if (!buy_clipped) {
        total = core::lane_sum(nv, [&](Index i) {
          const double y = s[i] * ((1.0 - beta) * ws[i] + beta * wc[i]);
          buy[i] = y;
          return y;
        });
      }
      double f = 0.0;
      double kept = keep;
      if (version == YumaVersion::yuma1) {
        // ΔB = buy / (total + ε), then B = ΔB / (sum(ΔB) + ε); nothing kept.
        const double instant = 1.0 / (total + epsilon);
        f = instant / (total * instant + epsilon);
        kept = 0.0;
      } else {
        const double instant = total != 0.0 ? 1.0 / total : 0.0;  // a 0/0 column of ΔB is 0
        f = first ? instant : rate * instant;
        if (first) kept = 0.0;
      }
      if (kept == 0.0) {
        column_sum = core::lane_sum(nv, [&](Index i) {
          const double x = buy[i] * f;
          b[i] = x;
          return x;
        });
      } else {
        column_sum = core::lane_sum(nv, [&](Index i) {
          const double x = buy[i] * f + kept * b[i];
          b[i] = x;
          return x;
        });
      }
    }
    out.rank[j] = r;
    rank_sum += r;
    out.bond_column_sums[j] = column_sum;
    if (pairs) {
      double* __restrict normalized = out.bonds_normalized.col(j).data();
      const double inverse = column_sum > 0.0 ? 1.0 / column_sum : 0.0;
#pragma omp simd
      for (Index i = 0; i < nv; ++i) normalized[i] = b[i] * inverse;
    }
    const bool normalizes = version == YumaVersion::yuma2c || version == YumaVersion::yuma3 ||
                            version == YumaVersion::yuma3_liquid;
    scratch.column_factor[j] = normalizes ? 1.0 / (column_sum + epsilon) : 1.0;  // multiplies B_ij I_j in D
  }

  // Incentive and trust.
  out.rank_all_zero = !(rank_sum != 0.0);
  if (params.winner_takes_all) {
    const double best = out.rank.maxCoeff();
    Index ties = 0;
    for (Index j = 0; j < nm; ++j) ties += out.rank[j] == best;
    for (Index j = 0; j < nm; ++j) out.incentives[j] = out.rank[j] == best ? 1.0 / static_cast<double>(ties) : 0.0;
  } else if (out.rank_all_zero) {
    out.incentives.setZero();
  } else {
    out.incentives = out.rank / rank_sum;
  }
  for (Index j = 0; j < nm; ++j) out.trust[j] = out.prerank[j] != 0.0 ? out.rank[j] / out.prerank[j] : 0.0;
  for (Index i = 0; i < nv; ++i)
    out.validator_trust[i] = weight_row_sums[i] != 0.0 ? clip_row_sums[i] / weight_row_sums[i] : 0.0;

  // Dividends: D = B (factor ∘ I), times S for yuma3.
  scratch.column_factor = scratch.column_factor.cwiseProduct(out.incentives);
  accumulate_rows<true>(state.bonds.data(), nv, nv, nm, scratch.column_factor.data(), out.dividends_raw.data());
  if (version == YumaVersion::yuma3 || version == YumaVersion::yuma3_liquid)
    out.dividends_raw = out.dividends_raw.cwiseProduct(stake);
  out.dividends = out.dividends_raw / (out.dividends_raw.sum() + epsilon);
  out.relative_dividends = out.dividends - stake;

  // What the next epoch reads.
  state.consensus = out.consensus;
  state.consensus_raw = out.consensus_raw;
  if (version == YumaVersion::yuma2b) state.weights = out.weights;
  ++state.epochs;
}

void epoch_baseline(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                    const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state, YumaEpoch& out) {
  epoch_kernel<false>(params, stakes, weights, state, out);
}

#if DAIS_YUMA_AVX2
// The same code at twice the vector width; no FMA (the build keeps every multiply and add apart), so the
// element-wise work rounds as the baseline does, and lane_sum keeps the sums' order.
[[gnu::target("avx2")]] void epoch_avx2(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                                        const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state,
                                        YumaEpoch& out) {
  epoch_kernel<true>(params, stakes, weights, state, out);
}
#endif

}  // namespace

bool yuma_kernel_available(YumaKernel kernel) noexcept {
  switch (kernel) {
    case YumaKernel::baseline: return true;
    case YumaKernel::avx2:
#if DAIS_YUMA_AVX2
      return __builtin_cpu_supports("avx2");
#else
      return false;
#endif
  }
  return false;
}

void yuma_epoch(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state, YumaEpoch& out) {
  static const YumaKernel widest =
      yuma_kernel_available(YumaKernel::avx2) ? YumaKernel::avx2 : YumaKernel::baseline;
  yuma_epoch(params, stakes, weights, state, out, widest);
}

void yuma_epoch(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state, YumaEpoch& out,
                YumaKernel kernel) {
  const Index nv = weights.rows();
  const Index nm = weights.cols();
  if (stakes.size() != nv)
    throw std::invalid_argument("yuma_epoch: " + std::to_string(stakes.size()) + " stakes for " +
                                std::to_string(nv) + " rows of weights");
  if (nv == 0 || nm == 0) throw std::invalid_argument("yuma_epoch: needs at least one validator and one miner");
  require_valid(params);
  const bool first = state.epochs == 0;
  if (!first && (state.bonds.rows() != nv || state.bonds.cols() != nm))
    throw std::invalid_argument("yuma_epoch: the state holds " + std::to_string(state.bonds.rows()) + " x " +
                                std::to_string(state.bonds.cols()) + " bonds, the weights are " +
                                std::to_string(nv) + " x " + std::to_string(nm));
  if (!yuma_kernel_available(kernel))
    throw std::invalid_argument("yuma_epoch: this processor cannot run the " + std::string(to_string(kernel)) +
                                " kernel");
#if DAIS_YUMA_AVX2
  if (kernel == YumaKernel::avx2) return epoch_avx2(params, stakes, weights, state, out);
#endif
  epoch_baseline(params, stakes, weights, state, out);
}

std::string_view to_string(YumaKernel kernel) noexcept {
  return kernel == YumaKernel::avx2 ? "avx2" : "baseline";
}

}  // namespace dais::models
