#pragma once
// Summary statistics and the economic ratios reported per run: retention, ROI, shares.

#include <cstdint>
#include <span>

namespace dais::metrics {

struct Summary {
  std::int64_t count = 0;
  double mean = 0.0;
  double sd = 0.0;       // sample standard deviation (n - 1); 0 for fewer than two values
  double min = 0.0;
  double median = 0.0;
  double max = 0.0;
};
Summary summarize(std::span<const double> values);
// The same, sorting `values` in place instead of a copy: for large inputs whose order does not matter.
Summary summarize_in_place(std::span<double> values);

// The mean of a sample with its Student-t confidence interval: mean +- t(n-1, (1+confidence)/2) * sd / sqrt(n).
struct MeanInterval {
  std::int64_t count = 0;
  double mean = 0.0;
  double low = 0.0;   // NaN with fewer than two values: one value says nothing of the spread
  double high = 0.0;
};
// `confidence` in (0, 1).
MeanInterval mean_interval(std::span<const double> values, double confidence = 0.95);

// Share of the agents active at the previous look who are still active: |A_t ∩ A_{t-1}| / |A_{t-1}|.
// 1 when nobody was active before.
double retention(std::int64_t previously_active, std::int64_t still_active) noexcept;

// (revenue - cost) / cost; 0 when cost is 0 (no capital at risk).
double roi(double revenue, double cost) noexcept;

// part / total, 0 when total is 0.
double share(double part, double total) noexcept;

}  // namespace dais::metrics
