#include "sim/core/portable_math.hpp"

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// An AVX2 build of the array exponential, chosen at run time, where GCC or Clang target x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define DAIS_EXP_AVX2 1
#include <immintrin.h>
#else
#define DAIS_EXP_AVX2 0
#endif

namespace dais::core {

namespace {

using namespace detail::exp_constants;

// Arguments inside (-vector_bound, vector_bound) take the vector path: there portable_exp scales by 2^e in one
// step and the result is normal.
constexpr double vector_bound = 690.0;

// portable_exp over an array, two lanes at a time: the same operations in the same order (its constants, its
// reduction, its polynomial, its table), so the same bits. The scale 2^e goes into the exponent field by an
// integer add, which equals portable_exp's multiplication by 2^e while the result is normal, as it is inside
// the vector bound. Arguments outside, where portable_exp scales in two steps or saturates, take the scalar path.
void exp_sse2(double* x, std::ptrdiff_t n) noexcept {
  std::ptrdiff_t k = 0;
#if defined(__SSE2__)
  const __m128d shift = _mm_set1_pd(round_shift);
  for (; k + 2 <= n; k += 2) {
    const __m128d v = _mm_loadu_pd(x + k);
    if (_mm_movemask_pd(_mm_and_pd(_mm_cmpgt_pd(v, _mm_set1_pd(-vector_bound)),
                                   _mm_cmplt_pd(v, _mm_set1_pd(vector_bound)))) != 3) {
      x[k] = portable_exp(x[k]);
      x[k + 1] = portable_exp(x[k + 1]);
      continue;
    }
    const __m128d shifted = _mm_add_pd(_mm_mul_pd(v, _mm_set1_pd(n_over_ln2)), shift);
    const __m128d kd = _mm_sub_pd(shifted, shift);
    // kd is an integer below 2^31 in magnitude; shifted's bits minus round_shift's are that integer.
    const __m128i ki = _mm_sub_epi64(_mm_castpd_si128(shifted), _mm_castpd_si128(shift));
    const __m128d r = _mm_sub_pd(_mm_sub_pd(v, _mm_mul_pd(kd, _mm_set1_pd(ln2_over_n_hi))),
                                 _mm_mul_pd(kd, _mm_set1_pd(ln2_over_n_lo)));
    const __m128d r2 = _mm_mul_pd(r, r);
    const __m128d tail = _mm_add_pd(
        _mm_add_pd(r, _mm_mul_pd(r2, _mm_add_pd(_mm_set1_pd(0.5), _mm_mul_pd(r, _mm_set1_pd(sixth))))),
        _mm_mul_pd(_mm_mul_pd(r2, r2),
                   _mm_add_pd(_mm_set1_pd(twenty_fourth), _mm_mul_pd(r, _mm_set1_pd(hundred_twentieth)))));
    const auto mask = static_cast<std::int64_t>(detail::exp_table_size - 1);
    const __m128d t =
        _mm_set_pd(detail::exp2_table[static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(ki, ki)) & mask)],
                   detail::exp2_table[static_cast<std::size_t>(_mm_cvtsi128_si64(ki) & mask)]);
    const __m128d mantissa = _mm_add_pd(t, _mm_mul_pd(t, tail));
    // floor(k / 256) * 2^52, the exponent to add: k shifted so that its bit 8 lands on bit 52, the rest cleared.
    const __m128i scale = _mm_and_si128(_mm_slli_epi64(ki, 52 - detail::exp_table_bits),
                                        _mm_set1_epi64x(~std::int64_t{0} << 52));
    _mm_storeu_pd(x + k, _mm_castsi128_pd(_mm_add_epi64(_mm_castpd_si128(mantissa), scale)));
  }
#endif
  for (; k < n; ++k) x[k] = portable_exp(x[k]);
}

#if DAIS_EXP_AVX2
// exp_sse2 four lanes at a time, the table read by a gather: the same operations, so the same bits.
[[gnu::target("avx2")]] void exp_avx2(double* x, std::ptrdiff_t n) noexcept {
  std::ptrdiff_t k = 0;
  const __m256d shift = _mm256_set1_pd(round_shift);
  for (; k + 4 <= n; k += 4) {
    const __m256d v = _mm256_loadu_pd(x + k);
    if (_mm256_movemask_pd(_mm256_and_pd(_mm256_cmp_pd(v, _mm256_set1_pd(-vector_bound), _CMP_GT_OQ),
                                         _mm256_cmp_pd(v, _mm256_set1_pd(vector_bound), _CMP_LT_OQ))) != 15) {
      for (int l = 0; l < 4; ++l) x[k + l] = portable_exp(x[k + l]);
      continue;
    }
    const __m256d shifted = _mm256_add_pd(_mm256_mul_pd(v, _mm256_set1_pd(n_over_ln2)), shift);
    const __m256d kd = _mm256_sub_pd(shifted, shift);
    const __m256i ki = _mm256_sub_epi64(_mm256_castpd_si256(shifted), _mm256_castpd_si256(shift));
    const __m256d r = _mm256_sub_pd(_mm256_sub_pd(v, _mm256_mul_pd(kd, _mm256_set1_pd(ln2_over_n_hi))),
                                    _mm256_mul_pd(kd, _mm256_set1_pd(ln2_over_n_lo)));
    const __m256d r2 = _mm256_mul_pd(r, r);
    const __m256d tail = _mm256_add_pd(
        _mm256_add_pd(r, _mm256_mul_pd(r2, _mm256_add_pd(_mm256_set1_pd(0.5), _mm256_mul_pd(r, _mm256_set1_pd(sixth))))),
        _mm256_mul_pd(_mm256_mul_pd(r2, r2),
                      _mm256_add_pd(_mm256_set1_pd(twenty_fourth), _mm256_mul_pd(r, _mm256_set1_pd(hundred_twentieth)))));
    const __m256i index = _mm256_and_si256(ki, _mm256_set1_epi64x(detail::exp_table_size - 1));
    const __m256d t = _mm256_i64gather_pd(detail::exp2_table.data(), index, sizeof(double));
    const __m256d mantissa = _mm256_add_pd(t, _mm256_mul_pd(t, tail));
    const __m256i scale = _mm256_and_si256(_mm256_slli_epi64(ki, 52 - detail::exp_table_bits),
                                           _mm256_set1_epi64x(~std::int64_t{0} << 52));
    _mm256_storeu_pd(x + k, _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(mantissa), scale)));
  }
  exp_sse2(x + k, n - k);
}
#endif

}  // namespace

void exp_in_place(std::span<double> x) noexcept {
  const auto n = static_cast<std::ptrdiff_t>(x.size());
#if DAIS_EXP_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return exp_avx2(x.data(), n);
#endif
  exp_sse2(x.data(), n);
}

void detail::exp_in_place_baseline(std::span<double> x) noexcept {
  exp_sse2(x.data(), static_cast<std::ptrdiff_t>(x.size()));
}

}  // namespace dais::core
