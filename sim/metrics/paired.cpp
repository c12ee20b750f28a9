#include "sim/metrics/paired.hpp"

#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace dais::metrics {

PairedComparison compare_paired(std::span<const double> baseline, std::span<const double> design, double confidence) {
  if (baseline.size() != design.size()) throw std::invalid_argument("compare_paired: the two samples differ in length");
  if (!(confidence > 0.0 && confidence < 1.0)) throw std::invalid_argument("compare_paired: confidence must be in (0, 1)");
  PairedComparison c;
  const std::size_t n = baseline.size();
  c.pairs = static_cast<std::int64_t>(n);
  if (n == 0) {
    c.ci_low = c.ci_high = std::numeric_limits<double>::quiet_NaN();
    return c;
  }
  std::vector<double> differences(n);
  double wins = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    differences[r] = design[r] - baseline[r];
    wins += design[r] > baseline[r] ? 1.0 : design[r] == baseline[r] ? 0.5 : 0.0;
  }
  c.baseline_mean = summarize(baseline).mean;
  c.design_mean = summarize(design).mean;
  const MeanInterval d = mean_interval(differences, confidence);
  c.mean_difference = d.mean;
  c.ci_low = d.low;
  c.ci_high = d.high;
  c.win_rate = wins / static_cast<double>(n);
  return c;
}

}  // namespace dais::metrics
