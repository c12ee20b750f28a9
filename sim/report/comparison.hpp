#pragma once
// The paired comparison of a sweep's designs against a baseline, from runs.csv: what `dais compare` prints
// and writes to compare.csv, and what `dais report` shows as its table.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/metrics/paired.hpp"
#include "sim/report/results.hpp"

namespace dais::report {

struct DesignComparison {
  std::string metric;
  std::string design;  // a value of the compared sweep column
  metrics::PairedComparison paired;
};

struct Comparison {
  std::string by;        // the sweep column whose values are the designs
  std::string baseline;  // the design the others are compared with
  double confidence = 0.95;
  std::vector<DesignComparison> rows;  // metric by metric, the designs in run order, the baseline left out
};

// The columns of runs.csv that are outcomes with a number in every run: not the bookkeeping (run id, seed,
// fingerprint...) and not the sweep's own columns.
std::vector<std::string> numeric_outcomes(const Table& runs, std::span<const std::string> sweep_columns);

// Pairs each design's runs with the baseline's by replicate and by the other sweep columns' values, then
// compares every metric (runs without a number for it left out). `by`, `baseline` and `metrics` must exist.
Comparison compare_designs(const Table& runs, std::span<const std::string> sweep_columns, const std::string& by,
                           const std::string& baseline, std::span<const std::string> metrics, double confidence);

// A statistic for people: 6 significant digits, "-" for an undefined one (an interval of one pair).
std::string format_statistic(double value);

}  // namespace dais::report
