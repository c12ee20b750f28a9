#pragma once
// Concentration of a distribution of non-negative amounts (rewards, stake, holdings):
// Gini, Nakamoto coefficient, Herfindahl-Hirschman index. Formulas: ../shared/MECHANISMS.md §6.

#include <cstdint>
#include <span>
#include <vector>

namespace dais::metrics {

struct Concentration {
  double gini = 0.0;              // 0 = equal, -> 1 = one holder has everything
  std::int64_t nakamoto_50 = 0;   // fewest holders whose combined share exceeds 1/2
  std::int64_t nakamoto_33 = 0;   // fewest holders whose combined share exceeds 1/3
  double hhi = 0.0;               // sum of squared shares in percent, 0..10,000
};

// Sorts non-negative finite values ascending, exactly (LSD radix sort on the IEEE-754 bit patterns, skipping
// digits all keys share). `scratch` is resized as needed and reused across calls, so the per-epoch metric
// costs no allocation once warm.
void sort_nonnegative(std::span<double> values, std::vector<double>& scratch);

// The same sort for integer amounts below 2^63 (token amounts scaled to 63 bits); larger ones are rejected.
void sort_amounts(std::span<std::uint64_t> values, std::vector<std::uint64_t>& scratch);

// All three measures from values sorted ascending. All-zero or empty input gives gini 0, nakamoto 0, hhi 0.
Concentration concentration_of_sorted(std::span<const double> sorted);
// The same for integer amounts below 2^63, at most 2^31 of them: Gini's sums and Nakamoto's comparisons in
// exact integer arithmetic, the HHI from a compensated sum of squares. Faster than the double form too.
Concentration concentration_of_sorted(std::span<const std::uint64_t> sorted);

// Convenience: copies, sorts and measures.
Concentration concentration(std::span<const double> values);

double gini(std::span<const double> values);
// Smallest k such that the k largest values hold more than `threshold` of the total.
std::int64_t nakamoto(std::span<const double> values, double threshold);
double hhi(std::span<const double> values);

}  // namespace dais::metrics
