#include "models/rewards/data_valuation/neighbours.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>

// An AVX2 build of the distances, chosen at run time, where GCC or Clang target x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define DAIS_DISTANCES_AVX2 1
#else
#define DAIS_DISTANCES_AVX2 0
#endif

namespace dais::models::data_valuation {

FeatureColumns::FeatureColumns(const Dataset& train) : n_(train.size()), dims_(train.dims), columns_(n_ * dims_) {
  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t j = 0; j < dims_; ++j) columns_[j * n_ + i] = train.features[i * dims_ + j];
}

namespace {

// out[i] = sum_j (col_j[i] - q_j)^2 in the order of j, in sweeps over all points (the loops GCC vectorizes)
// of four dimensions each, which load and store out a quarter as often as sweeps of one; then one at a time.
[[gnu::always_inline]] inline void sum_squares(const double* columns, std::size_t n, std::span<const double> query,
                                               double* __restrict out) {
  std::fill(out, out + n, 0.0);
  std::size_t j = 0;
  for (; j + 4 <= query.size(); j += 4) {
    const double* __restrict c0 = columns + j * n;
    const double* __restrict c1 = c0 + n;
    const double* __restrict c2 = c1 + n;
    const double* __restrict c3 = c2 + n;
    for (std::size_t i = 0; i < n; ++i) {
      double s = out[i];
      double t = c0[i] - query[j];
      s += t * t;
      t = c1[i] - query[j + 1];
      s += t * t;
      t = c2[i] - query[j + 2];
      s += t * t;
      t = c3[i] - query[j + 3];
      s += t * t;
      out[i] = s;
    }
  }
  for (; j < query.size(); ++j) {
    const double q = query[j];
    const double* __restrict col = columns + j * n;
    for (std::size_t i = 0; i < n; ++i) {
      const double t = col[i] - q;
      out[i] += t * t;
    }
  }
}

#if DAIS_DISTANCES_AVX2
// The same loop four lanes wide instead of two. No FMA (nor contraction: -ffp-contract=off), so each lane
// rounds the subtraction, the product and the sum as the baseline does.
[[gnu::target("avx2")]] void sum_squares_avx2(const double* columns, std::size_t n, std::span<const double> query,
                                              double* out) {
  sum_squares(columns, n, query, out);
}
#endif

}  // namespace

void FeatureColumns::squared_distances(std::span<const double> query, std::span<double> out) const noexcept {
#if DAIS_DISTANCES_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return sum_squares_avx2(columns_.data(), n_, query.first(dims_), out.data());
#endif
  sum_squares(columns_.data(), n_, query.first(dims_), out.data());
}

void FeatureColumns::squared_distances_baseline(std::span<const double> query, std::span<double> out) const noexcept {
  sum_squares(columns_.data(), n_, query.first(dims_), out.data());
}

namespace {

// The high 32 bits of a non-negative double's bit pattern, which order like its value. Below 2^31 (the sign bit
// is 0), so signed: SSE2 vectorizes the signed min and max, not the unsigned.
std::int32_t high_word(double d) noexcept { return static_cast<std::int32_t>(std::bit_cast<std::uint64_t>(d) >> 32); }

// a[i] <- (high word of distance i less lo, i), and the counts of each of the Passes digits of `bits` bits.
// Passes is a template argument so that the loop over digits unrolls.
template <unsigned Passes, class Keyed>
void key_and_count(std::span<const double> distances, std::int32_t lo, unsigned bits, Keyed* a, std::uint32_t* count) {
  const std::uint32_t mask = (1U << bits) - 1;
  for (std::size_t i = 0; i < distances.size(); ++i) {
    const auto key = static_cast<std::uint32_t>(high_word(distances[i]) - lo);
    a[i] = {key, static_cast<std::uint32_t>(i)};
    for (unsigned p = 0; p < Passes; ++p) ++count[(p << bits) + ((key >> (p * bits)) & mask)];
  }
}

}  // namespace

void NeighbourSorter::sort(std::span<const double> distances, std::span<std::uint32_t> order) {
  const std::size_t n = distances.size();
  a_.resize(n);
  b_.resize(n);
  count_.resize(2 << max_digit_bits);  // the most that passes << bits reaches
  std::int32_t lo = std::numeric_limits<std::int32_t>::max();
  std::int32_t hi = 0;
  for (const double d : distances) {
    lo = std::min(lo, high_word(d));
    hi = std::max(hi, high_word(d));
  }
  // As few digits as the keys' range needs, of equal width but for the top one, which may be narrower and
  // then has fewer buckets to clear and sum.
  const unsigned width = n == 0 ? 0 : static_cast<unsigned>(std::bit_width(static_cast<std::uint32_t>(hi - lo)));
  const unsigned passes = (width + max_digit_bits - 1) / max_digit_bits;
  const unsigned bits = passes == 0 ? 0 : (width + passes - 1) / passes;
  const auto buckets = [&](unsigned p) { return 1U << std::min(bits, width - p * bits); };
  std::fill(count_.begin(), count_.begin() + (passes == 0 ? 0 : ((passes - 1) << bits) + buckets(passes - 1)), 0U);
  switch (passes) {
    case 0: key_and_count<0>(distances, lo, bits, a_.data(), count_.data()); break;
    case 1: key_and_count<1>(distances, lo, bits, a_.data(), count_.data()); break;
    case 2: key_and_count<2>(distances, lo, bits, a_.data(), count_.data()); break;
    default: key_and_count<3>(distances, lo, bits, a_.data(), count_.data()); break;
  }
  // Stable passes, least significant digit first; a digit every point shares needs no pass.
  const std::uint32_t mask = (1U << bits) - 1;
  for (unsigned p = 0; p < passes; ++p) {
    std::uint32_t* start = count_.data() + (p << bits);
    std::uint32_t sum = 0;
    bool shared = false;
    for (std::uint32_t k = 0; k < buckets(p); ++k) {
      const std::uint32_t c = start[k];
      shared |= c == n;
      start[k] = sum;
      sum += c;
    }
    if (shared) continue;
    const unsigned shift = p * bits;
    for (const Keyed& x : a_) b_[start[(x.key >> shift) & mask]++] = x;
    a_.swap(b_);
  }
  // Runs of equal keys (equal high bits): by the full distance, then by number (already in number order: the
  // passes are stable, so a run of equal distances needs no move).
  const auto before = [&](const Keyed& x, const Keyed& y) {
    const double dx = distances[x.index];
    const double dy = distances[y.index];
    return dx < dy || (dx == dy && x.index < y.index);
  };
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (a_[i].key != a_[i + 1].key) continue;
    std::size_t j = i + 2;
    while (j < n && a_[j].key == a_[i].key) ++j;
    const auto first = a_.begin() + static_cast<std::ptrdiff_t>(i);
    const auto last = a_.begin() + static_cast<std::ptrdiff_t>(j);
    if (!std::is_sorted(first, last, before)) std::sort(first, last, before);
    i = j - 1;
  }
  for (std::size_t i = 0; i < n; ++i) order[i] = a_[i].index;
}

}  // namespace dais::models::data_valuation
