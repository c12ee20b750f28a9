#pragma once
// Paired comparison of two designs run on the same random numbers: replicate r of the design and replicate r
// of the baseline faced the same world, so the differences d_r = design_r - baseline_r carry the design's
// effect without the world's noise. The confidence interval is Student's t on the d_r.

#include <cstdint>
#include <span>

namespace dais::metrics {

struct PairedComparison {
  std::int64_t pairs = 0;
  double baseline_mean = 0.0;
  double design_mean = 0.0;
  double mean_difference = 0.0;  // mean of design_r - baseline_r
  double ci_low = 0.0;           // confidence interval of the mean difference (NaN with fewer than 2 pairs)
  double ci_high = 0.0;
  double win_rate = 0.0;         // share of pairs where the design is above the baseline; a tie counts half
};

// `baseline` and `design` must have the same length (pair r is element r of each); `confidence` in (0, 1).
PairedComparison compare_paired(std::span<const double> baseline, std::span<const double> design,
                                double confidence = 0.95);

}  // namespace dais::metrics
