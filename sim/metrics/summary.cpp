#include "sim/metrics/summary.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
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

MeanInterval mean_interval(std::span<const double> values, double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) throw std::invalid_argument("mean_interval: confidence must be in (0, 1)");
  const Summary s = summarize(values);
  MeanInterval m{s.count, s.mean, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  if (s.count < 2) return m;
  const boost::math::students_t t(static_cast<double>(s.count - 1));
  const double half_width = boost::math::quantile(t, 0.5 + confidence / 2) * s.sd / std::sqrt(static_cast<double>(s.count));
  m.low = s.mean - half_width;
  m.high = s.mean + half_width;
  return m;
}

double retention(std::int64_t previously_active, std::int64_t still_active) noexcept {
  if (previously_active <= 0) return 1.0;
  return static_cast<double>(still_active) / static_cast<double>(previously_active);
}

double roi(double revenue, double cost) noexcept { return cost == 0.0 ? 0.0 : (revenue - cost) / cost; }

double share(double part, double total) noexcept { return total == 0.0 ? 0.0 : part / total; }

}  // namespace dais::metrics
