#include "sim/metrics/inequality.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "sim/core/int128.hpp"

namespace dais::metrics {

namespace {

// For a double whose sign bit is clear, the IEEE-754 bit pattern read as an unsigned integer is monotone in
// the value, so sorting the patterns sorts the numbers. Every pattern at or above +infinity's is either
// infinite, NaN or has the sign bit set: one unsigned comparison rejects all three.
constexpr std::uint64_t kInfinityBits = 0x7FF0'0000'0000'0000;
constexpr std::uint64_t kNegativeZeroBits = 0x8000'0000'0000'0000;
// Integer amounts are measured below 2^63 (so at most 63 bits vary, as for doubles), and at most 2^31 of them,
// so the exact sums of the integer Gini stay inside 128 bits.
constexpr std::uint64_t kAmountLimit = std::uint64_t{1} << 63;
constexpr std::size_t kMaxAmounts = std::size_t{1} << 31;

// The sort works on both kinds of key through this: a double's bit pattern, an integer itself.
inline std::uint64_t bits_of(double x) noexcept { return std::bit_cast<std::uint64_t>(x); }
inline std::uint64_t bits_of(std::uint64_t x) noexcept { return x; }

[[noreturn]] void reject(std::string_view function, std::size_t index, double value) {
  throw std::invalid_argument(fmt::format("{}: value at index {} is {}; expected a non-negative finite number",
                                          function, index, value));
}

[[noreturn]] void reject_amount(std::string_view function, std::size_t index, std::uint64_t value) {
  throw std::invalid_argument(fmt::format("{}: amount at index {} is {}; expected one below 2^63", function, index, value));
}

// Below this size the histogram set-up costs more than sorting: straight insertion sort, which is exact too.
constexpr std::size_t kInsertionSortMax = 32;

using Count = std::uint32_t;

// Widest digit worth using for n keys: a digit of b bits costs 2^b counters to clear and prefix-sum per pass,
// so small inputs use narrow digits (more passes, each cheap) and large ones wide digits (fewer passes).
// Never above 12 bits: 4096 counters per digit stay in L1, and so do the 4096 write streams of a scatter.
constexpr int digit_bits_for(std::size_t n) noexcept {
  if (n < 2'000) return 8;
  if (n < 20'000) return 10;
  if (n < 60'000) return 11;
  return 12;
}

// Which bits the radix passes sort. Only the bits that vary across the keys, [lowest, highest], need digits,
// and of those only the leading ones: n keys spread over their range tie on their top log2(n) + 6 varying
// bits in about n/128 pairs, so the passes sort by those and each run of keys tied there is then sorted on
// its remaining bits (see radix_sort), by insertion for short runs: far cheaper than another pass. This takes
// 2 passes instead of 5 for 100,000 random doubles. All digits have one width, so no pass is spent on a
// narrow digit.
struct DigitPlan {
  int digits = 0;  // number of passes
  int width = 0;   // bits per digit
  int base = 0;    // lowest bit the passes sort by; ties below it are settled afterwards
};
constexpr DigitPlan plan_digits(int lowest, int highest, std::size_t n) noexcept {
  const int span = highest - lowest + 1;
  const int max_bits = digit_bits_for(n);
  const int wanted = std::min(span, static_cast<int>(std::bit_width(n)) + 6);
  const int digits = (wanted + max_bits - 1) / max_bits;
  const int width = std::min(max_bits, (span + digits - 1) / digits);
  return {digits, width, std::max(lowest, highest + 1 - digits * width)};
}

// A valid key has its sign bit clear, so at most 63 bits vary. The counters of every plan fit one fixed array,
// kept on the stack, so sorting allocates nothing beyond `scratch`.
constexpr int kMaxDigits = 6;
constexpr std::size_t kMaxCounters = std::size_t{5} << 12;
constexpr bool plans_fit() {
  for (int log_n = 1; log_n <= 32; ++log_n) {
    for (const std::uint64_t n : {std::uint64_t{1} << (log_n - 1), (std::uint64_t{1} << log_n) - 1}) {
      for (int span = 1; span <= 63; ++span) {
        const DigitPlan p = plan_digits(63 - span, 62, n);
        if (p.digits > kMaxDigits || static_cast<std::size_t>(p.digits) << p.width > kMaxCounters) return false;
      }
    }
  }
  return true;
}
static_assert(plans_fit());

// Counts the digits of every key in one pass. The number of digits is a template parameter so the inner
// loop unrolls into independent increments, which the CPU overlaps.
template <int Digits, class Key>
void count_digits(std::span<const Key> keys, std::uint64_t min_key, int base, int width, Count* counts) noexcept {
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  const std::size_t radix = std::size_t{1} << width;
  for (const Key x : keys) {
    const std::uint64_t key = (bits_of(x) - min_key) >> base;
    [&]<int... D>(std::integer_sequence<int, D...>) {
      ((++counts[D * radix + ((key >> (D * width)) & mask)]), ...);
    }(std::make_integer_sequence<int, Digits>{});
  }
}

template <class Key>
void count_digits(int digits, std::span<const Key> keys, std::uint64_t min_key, int base, int width,
                  Count* counts) noexcept {
  switch (digits) {
    case 1: count_digits<1>(keys, min_key, base, width, counts); break;
    case 2: count_digits<2>(keys, min_key, base, width, counts); break;
    case 3: count_digits<3>(keys, min_key, base, width, counts); break;
    case 4: count_digits<4>(keys, min_key, base, width, counts); break;
    case 5: count_digits<5>(keys, min_key, base, width, counts); break;
    default: count_digits<kMaxDigits>(keys, min_key, base, width, counts); break;
  }
}

template <class Key>
void insertion_sort(std::span<Key> values) noexcept {
  for (std::size_t i = 1; i < values.size(); ++i) {
    const Key x = values[i];
    std::size_t j = i;
    for (; j > 0 && values[j - 1] > x; --j) values[j] = values[j - 1];
    values[j] = x;
  }
}

// What the radix passes need to know about a set of keys. Sorting key − min_key instead of the key keeps the
// order and narrows the range: values on both sides of a power of two (0.9 and 1.1) differ in every exponent
// bit, but their offsets from the smallest key do not.
struct KeyRange {
  std::uint64_t min_key = 0;
  int lowest = 0;   // bits below this are the same in every key
  int highest = 0;  // highest bit set in some key − min_key; -1 if all keys are equal
};

// One pass over valid keys (checked beforehand). Four independent lanes, so the loop runs at the loads' pace
// rather than at the latency of one chain of min/max operations.
template <class Key>
KeyRange key_range(std::span<const Key> values) noexcept {
  constexpr std::size_t kLanes = 4;
  std::array<std::uint64_t, kLanes> all_and;
  std::array<std::uint64_t, kLanes> all_or{};
  std::array<std::uint64_t, kLanes> smallest;
  std::array<std::uint64_t, kLanes> largest{};
  all_and.fill(~std::uint64_t{0});
  smallest.fill(~std::uint64_t{0});
  const std::size_t n = values.size();
  std::size_t i = 0;
  const auto visit = [&](std::size_t lane, Key x) {
    const std::uint64_t key = bits_of(x);
    all_and[lane] &= key;
    all_or[lane] |= key;
    smallest[lane] = std::min(smallest[lane], key);
    largest[lane] = std::max(largest[lane], key);
  };
  for (; i + kLanes <= n; i += kLanes) {
    for (std::size_t lane = 0; lane < kLanes; ++lane) visit(lane, values[i + lane]);
  }
  for (; i < n; ++i) visit(0, values[i]);
  std::uint64_t and_all = all_and[0];
  std::uint64_t or_all = all_or[0];
  std::uint64_t min_key = smallest[0];
  std::uint64_t max_key = largest[0];
  for (std::size_t lane = 1; lane < kLanes; ++lane) {
    and_all &= all_and[lane];
    or_all |= all_or[lane];
    min_key = std::min(min_key, smallest[lane]);
    max_key = std::max(max_key, largest[lane]);
  }
  return {min_key, std::countr_zero(and_all ^ or_all), static_cast<int>(std::bit_width(max_key - min_key)) - 1};
}

template <class Key>
void sort_run(std::span<Key> values, Key* buffer, Count* counts) noexcept;

// LSD radix sort of more than kInsertionSortMax valid keys, not all equal, whose range is `range`.
// `buffer` holds at least values.size() keys and `counts` kMaxCounters counters; both are free on return.
template <class Key>
void radix_sort(std::span<Key> values, Key* buffer, Count* counts, const KeyRange& range) noexcept {
  const std::size_t n = values.size();
  const std::uint64_t min_key = range.min_key;
  const DigitPlan plan = plan_digits(range.lowest, range.highest, n);
  const std::size_t radix = std::size_t{1} << plan.width;
  const std::uint64_t mask = radix - 1;

  std::fill_n(counts, static_cast<std::size_t>(plan.digits) * radix, Count{0});
  count_digits(plan.digits, std::span<const Key>(values), min_key, plan.base, plan.width, counts);

  const std::uint64_t first_key = (bits_of(values[0]) - min_key) >> plan.base;
  Key* source = values.data();
  Key* target = buffer;
  for (int d = 0; d < plan.digits; ++d) {
    Count* offsets = counts + static_cast<std::size_t>(d) * radix;
    // A digit every key shares would move nothing: skip the pass.
    if (offsets[(first_key >> (d * plan.width)) & mask] == n) continue;
    Count running = 0;
    for (std::size_t b = 0; b < radix; ++b) {
      const Count c = offsets[b];
      offsets[b] = running;
      running += c;
    }
    // Stable scatter by this digit; ping-pong between the two buffers.
    const int shift = plan.base + d * plan.width;
    for (std::size_t i = 0; i < n; ++i) {
      const Key x = source[i];
      target[offsets[((bits_of(x) - min_key) >> shift) & mask]++] = x;
    }
    std::swap(source, target);
  }
  if (source != values.data()) std::memcpy(values.data(), source, n * sizeof(Key));

  if (plan.base == range.lowest) return;
  // The keys are now in order of their bits from plan.base up. Keys tied there form contiguous runs, each
  // sorted on the bits below. A run's keys share every bit from plan.base up, so each level of this
  // recursion works on strictly fewer bits, and the buffers are free again for it to reuse.
  // Ties are rare (about n/128 pairs), so the scan compares each key's prefix with the one before it and only
  // a tie leaves the loop's straight path.
  const auto prefix_of = [&](std::size_t i) { return (bits_of(values[i]) - min_key) >> plan.base; };
  std::uint64_t previous = prefix_of(0);
  for (std::size_t i = 1; i < n; ++i) {
    const std::uint64_t prefix = prefix_of(i);
    if (prefix != previous) [[likely]] {
      previous = prefix;
      continue;
    }
    const std::size_t start = i - 1;
    std::size_t end = i + 1;
    while (end < n && prefix_of(end) == prefix) ++end;
    sort_run(values.subspan(start, end - start), buffer, counts);
    if (end == n) break;
    previous = prefix_of(end);
    i = end;
  }
}

template <class Key>
void sort_run(std::span<Key> values, Key* buffer, Count* counts) noexcept {
  if (values.size() <= kInsertionSortMax) {
    insertion_sort(values);
  } else if (const KeyRange range = key_range(std::span<const Key>(values)); range.highest >= 0) {
    radix_sort(values, buffer, counts, range);
  }
}

// Sorts valid keys (at most 63 bits set: checked by the callers).
template <class Key>
void sort_keys(std::span<Key> values, std::vector<Key>& scratch) {
  const std::size_t n = values.size();
  if (n <= kInsertionSortMax) {
    insertion_sort(values);
  } else if (n > std::numeric_limits<Count>::max()) {
    std::sort(values.begin(), values.end());  // 32 GiB of keys: no simulator epoch, but stay correct
  } else if (const KeyRange range = key_range(std::span<const Key>(values)); range.highest >= 0) {
    if (scratch.size() < n) {
      if (n > scratch.capacity()) scratch.reserve(n + n / 8 + 16);  // an eighth to spare, not double
      scratch.resize(n);
    }
    std::array<Count, kMaxCounters> counts;  // radix_sort clears what it uses
    radix_sort(values, scratch.data(), counts.data(), range);
  }
}

// A compensated sum: each addition's exact rounding error (Knuth's branch-free TwoSum) is carried in a second
// accumulator, so the error is independent of the number of terms for all practical sizes. The build never
// enables -ffast-math, so the compiler keeps the correction term.
class CompensatedSum {
 public:
  void add(double x) noexcept {
    const double t = sum_ + x;
    const double x_part = t - sum_;
    correction_ += (sum_ - (t - x_part)) + (x - x_part);
    sum_ = t;
  }
  [[nodiscard]] double value() const noexcept { return sum_ + correction_; }
  [[nodiscard]] double high() const noexcept { return sum_; }
  [[nodiscard]] double low() const noexcept { return correction_; }

 private:
  double sum_ = 0.0;
  double correction_ = 0.0;
};

// a * b exactly, as a rounded product and its error (Dekker's TwoProduct with Veltkamp's split): only
// IEEE-754 operations, so the same bits everywhere.
double product_error(double a, double b, double product) noexcept {
  constexpr double splitter = 134217729.0;  // 2^27 + 1
  const auto split = [](double x, double& hi, double& lo) {
    const double c = splitter * x;
    hi = c - (c - x);
    lo = x - hi;
  };
  double ah = 0, al = 0, bh = 0, bl = 0;
  split(a, ah, al);
  split(b, bh, bl);
  return ((ah * bh - product) + ah * bl + al * bh) + al * bl;
}

// (a.high + a.low) / (b.high + b.low) to within a hair of correct rounding: the quotient of the leading parts,
// corrected by its exact residual. Dividing the rounded sums instead can land a share of exactly 1/3 one step
// above the double 1/3.
double ratio(const CompensatedSum& a, const CompensatedSum& b) noexcept {
  const double q = a.high() / b.high();
  const double qb = q * b.high();
  const double residual = ((a.high() - qb) - product_error(q, b.high(), qb)) + (a.low() - q * b.low());
  return q + residual / b.high();
}

// Checks that `sorted` is ascending, non-negative and finite; a NaN anywhere fails the `<=` comparison.
void check_sorted(std::span<const double> sorted) {
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double x = sorted[i];
    if (!(x >= 0.0) || !std::isfinite(x)) reject("concentration_of_sorted", i, x);
    if (i > 0 && !(sorted[i - 1] <= x)) {
      throw std::invalid_argument(fmt::format(
          "concentration_of_sorted: values not ascending at index {} ({} after {})", i, x, sorted[i - 1]));
    }
  }
}

// A power of two that brings the largest value near 1, so no sum or product overflows or underflows
// whatever the magnitude of the input. Scaling by a power of two is exact, and every later step is a
// ratio, so the results are the same as unscaled arithmetic would give where that does not overflow.
double normalizing_scale(double largest) noexcept {
  int exponent = 0;
  (void)std::frexp(largest, &exponent);
  return std::ldexp(1.0, std::clamp(-exponent, -1000, 1000));
}

// Nakamoto coefficients at both thresholds in one scan from the largest holder down. A set of holders counts
// only if its share, rounded to the nearest double, is STRICTLY greater than the threshold: holders with
// exactly half (50 of 100) are not a majority, and one of three equal holders does not exceed 1/3 (its share
// rounds to the same double as 1.0 / 3). Compensated running sums keep integer-valued amounts exact; near a
// threshold the share is computed to correct rounding.
std::pair<std::int64_t, std::int64_t> nakamoto_pair(std::span<const double> sorted, double scale,
                                                     const CompensatedSum& total, double threshold_a,
                                                     double threshold_b) noexcept {
  std::int64_t k_a = 0;
  std::int64_t k_b = 0;
  CompensatedSum top;
  std::int64_t k = 0;
  const double total_value = total.value();
  const auto exceeds = [&](double quick, double threshold) {
    if (std::fabs(quick - threshold) > 0x1p-40 * threshold) return quick > threshold;
    return ratio(top, total) > threshold;
  };
  for (std::size_t i = sorted.size(); i-- > 0 && (k_a == 0 || k_b == 0);) {
    top.add(sorted[i] * scale);
    ++k;
    const double share = top.value() / total_value;
    if (k_a == 0 && exceeds(share, threshold_a)) k_a = k;
    if (k_b == 0 && exceeds(share, threshold_b)) k_b = k;
  }
  // Everyone together holds the whole, which exceeds any threshold below 1, even if summing in the other
  // order rounded the last share a hair below it.
  if (k_a == 0) k_a = k;
  if (k_b == 0) k_b = k;
  return {k_a, k_b};
}

void check_threshold(double threshold) {
  if (!(threshold >= 0.0 && threshold < 1.0)) {
    throw std::invalid_argument(fmt::format("nakamoto: threshold is {}; expected a share in [0, 1)", threshold));
  }
}

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> copy(values.begin(), values.end());
  std::vector<double> scratch;
  sort_nonnegative(copy, scratch);
  return copy;
}

}  // namespace

void sort_nonnegative(std::span<double> values, std::vector<double>& scratch) {
  const std::size_t n = values.size();
  // One unsigned comparison per key finds negatives, infinities and NaNs; the slow loop only runs to say
  // which value it was, or to turn -0.0 (which is not negative) into +0.0 so it sorts with the zeros.
  bool invalid = false;
  for (const double x : values) invalid |= bits_of(x) >= kInfinityBits;
  if (invalid) [[unlikely]] {
    for (std::size_t i = 0; i < n; ++i) {
      if (bits_of(values[i]) == kNegativeZeroBits) {
        values[i] = 0.0;
      } else if (bits_of(values[i]) >= kInfinityBits) {
        reject("sort_nonnegative", i, values[i]);
      }
    }
  }

  sort_keys(values, scratch);
}

void sort_amounts(std::span<std::uint64_t> values, std::vector<std::uint64_t>& scratch) {
  std::uint64_t all = 0;
  for (const std::uint64_t x : values) all |= x;
  if (all >= kAmountLimit) [[unlikely]] {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i] >= kAmountLimit) reject_amount("sort_amounts", i, values[i]);
  }
  sort_keys(values, scratch);
}

Concentration concentration_of_sorted(std::span<const double> sorted) {
  check_sorted(sorted);
  const std::size_t n = sorted.size();
  if (n == 0 || sorted.back() == 0.0) return {};

  const double scale = normalizing_scale(sorted.back());
  CompensatedSum total_sum;
  for (const double x : sorted) total_sum.add(x * scale);
  const double total = total_sum.value();

  // Gini. Σ_i (2i − n − 1)·x_(i) pairs the i-th smallest with the i-th largest as
  // Σ_{k ≤ n/2} (n + 1 − 2k)·(x_(n+1−k) − x_(k)): every term is non-negative, so nothing cancels (the
  // textbook form subtracts two nearly equal numbers when G is small), and equal values give exactly 0.
  CompensatedSum weighted_gaps;
  for (std::size_t k = 1; k <= n / 2; ++k) {
    const double gap = sorted[n - k] * scale - sorted[k - 1] * scale;
    weighted_gaps.add(static_cast<double>(n + 1 - 2 * k) * gap);
  }
  Concentration result;
  result.gini = weighted_gaps.value() / total / static_cast<double>(n);

  // HHI from shares as fractions, so squares cannot overflow; ×10⁴ gives the percent-squared scale.
  CompensatedSum squared_shares;
  for (const double x : sorted) {
    const double s = (x * scale) / total;
    squared_shares.add(s * s);
  }
  result.hhi = squared_shares.value() * 10'000.0;

  const auto [k50, k33] = nakamoto_pair(sorted, scale, total_sum, 0.5, 1.0 / 3.0);
  result.nakamoto_50 = k50;
  result.nakamoto_33 = k33;
  return result;
}

Concentration concentration_of_sorted(std::span<const std::uint64_t> sorted) {
  const std::size_t n = sorted.size();
  if (n > kMaxAmounts) {
    throw std::invalid_argument(fmt::format("concentration_of_sorted: {} amounts; at most 2^31 are measured", n));
  }
  // One pass: the running total P_k = x_1 + ... + x_k and the sum of the P_k, exact (n < 2^31 amounts below
  // 2^63: both stay below 2^126), and the sum of squares in doubles. Additions only, no multiplication per
  // amount. Whether the input was valid is checked once, after the loop.
  u128 total = 0;
  u128 running_totals = 0;
  CompensatedSum squares;
  std::uint64_t previous = 0;
  bool ascending = true;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t x = sorted[i];
    ascending &= previous <= x;
    previous = x;
    total += x;
    running_totals += total;
    // Signed, so one instruction; exact below 2^53 and correctly rounded above (x < 2^63 is checked below).
    const double xd = static_cast<double>(static_cast<std::int64_t>(x));
    squares.add(xd * xd);
  }
  if (!ascending || previous >= kAmountLimit) [[unlikely]] {
    for (std::size_t i = 0; i < n; ++i) {
      if (sorted[i] >= kAmountLimit) reject_amount("concentration_of_sorted", i, sorted[i]);
      if (i > 0 && sorted[i - 1] > sorted[i]) {
        throw std::invalid_argument(fmt::format(
            "concentration_of_sorted: amounts not ascending at index {} ({} after {})", i, sorted[i], sorted[i - 1]));
      }
    }
  }
  if (total == 0) return {};

  Concentration result;
  // Gini = Σ_i (2i − n − 1)·x_(i) / (n·total) with ranks i from 1. Since Σ_k P_k = Σ_i (n + 1 − i)·x_(i), the
  // numerator is (n + 1)·total − 2·Σ_k P_k: exact, and non-negative for ascending input (equal amounts give 0).
  const u128 numerator = static_cast<u128>(n + 1) * total - 2 * running_totals;
  const double total_d = to_double(total);
  result.gini = to_double(numerator) / total_d / static_cast<double>(n);
  result.hhi = squares.value() / total_d / total_d * 10'000.0;
  // Nakamoto by exact comparison: the k largest hold more than half when 2·top > total, more than a third
  // when 3·top > total (so one of three equal holders does not, and neither do holders of exactly half).
  // For integers, 3·top > total exactly when top > floor(total / 3), and likewise for 2.
  const u128 third = total / 3;
  const u128 half = total / 2;
  u128 top = 0;
  std::size_t i = n;
  while (top <= third) top += sorted[--i];
  result.nakamoto_33 = static_cast<std::int64_t>(n - i);
  while (top <= half) top += sorted[--i];
  result.nakamoto_50 = static_cast<std::int64_t>(n - i);
  return result;
}

Concentration concentration(std::span<const double> values) { return concentration_of_sorted(sorted_copy(values)); }

double gini(std::span<const double> values) { return concentration(values).gini; }

std::int64_t nakamoto(std::span<const double> values, double threshold) {
  check_threshold(threshold);
  const std::vector<double> sorted = sorted_copy(values);
  if (sorted.empty() || sorted.back() == 0.0) return 0;
  const double scale = normalizing_scale(sorted.back());
  CompensatedSum total;
  for (const double x : sorted) total.add(x * scale);
  return nakamoto_pair(sorted, scale, total, threshold, threshold).first;
}

double hhi(std::span<const double> values) { return concentration(values).hhi; }

}  // namespace dais::metrics
