#include "sim/metrics/summary.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dais::metrics {

Summary summarize(std::span<const double> values) {
  std::vector<double> copy(values.begin(), values.end());
  return summarize_in_place(copy);
}

Summary summarize_in_place(std::span<double> sorted) {
  Summary s;
  s.count = static_cast<std::int64_t>(sorted.size());
  if (sorted.empty()) return s;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  s.min = sorted.front();
  s.max = sorted.back();
  s.median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  // Welford's update: one pass, no cancellation between a large sum of squares and the squared mean.
  double mean = 0.0;
  double m2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double delta = sorted[i] - mean;
    mean += delta / static_cast<double>(i + 1);
    m2 += delta * (sorted[i] - mean);
  }
  s.mean = mean;
  s.sd = n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1)) : 0.0;
  return s;
}

double retention(std::int64_t previously_active, std::int64_t still_active) noexcept {
  if (previously_active <= 0) return 1.0;
  return static_cast<double>(still_active) / static_cast<double>(previously_active);
}

double roi(double revenue, double cost) noexcept { return cost == 0.0 ? 0.0 : (revenue - cost) / cost; }

double share(double part, double total) noexcept { return total == 0.0 ? 0.0 : part / total; }

}  // namespace dais::metrics
