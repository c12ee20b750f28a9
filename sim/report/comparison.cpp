#include "sim/report/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace dais::report {

namespace {

// Columns of runs.csv that are bookkeeping, not outcomes.
bool is_bookkeeping(std::string_view column) {
  return column == "run_id" || column == "design" || column == "replicate" || column == "seed" || column == "epochs" ||
         column == "events" || column == "fingerprint";
}

}  // namespace

std::vector<std::string> numeric_outcomes(const Table& runs, std::span<const std::string> sweep_columns) {
  std::vector<std::string> outcomes;
  for (std::size_t c = 0; c < runs.header.size(); ++c) {
    const std::string& name = runs.header[c];
    if (is_bookkeeping(name) || std::find(sweep_columns.begin(), sweep_columns.end(), name) != sweep_columns.end())
      continue;
    const bool numeric = std::all_of(runs.rows.begin(), runs.rows.end(),
                                     [&](const auto& row) { return parse_number(row[c]).has_value(); });
    if (numeric) outcomes.push_back(name);
  }
  return outcomes;
}

Comparison compare_designs(const Table& runs, std::span<const std::string> sweep_columns, const std::string& by,
                           const std::string& baseline, std::span<const std::string> metrics, double confidence) {
  const std::size_t by_column = runs.column(by);
  const std::size_t replicate_column = runs.find("replicate").value_or(2);
  std::vector<std::size_t> other_columns;
  for (const std::string& c : sweep_columns)
    if (c != by) other_columns.push_back(runs.column(c));

  // Each run keyed by what it is paired on.
  std::map<std::string, std::map<std::string, std::size_t>> runs_by_design;  // design -> pair key -> row
  for (std::size_t r = 0; r < runs.rows.size(); ++r) {
    std::string key = runs.rows[r].at(replicate_column);
    for (std::size_t c : other_columns) key += '\x1f' + runs.rows[r].at(c);
    runs_by_design[runs.rows[r].at(by_column)][key] = r;
  }

  Comparison comparison{by, baseline, confidence, {}};
  const std::vector<std::string> designs = runs.distinct(by);
  for (const std::string& metric : metrics) {
    const std::size_t c = runs.column(metric);
    for (const std::string& design : designs) {
      if (design == baseline) continue;
      std::vector<double> base_values;
      std::vector<double> design_values;
      for (const auto& [key, row] : runs_by_design[design]) {
        const auto paired = runs_by_design[baseline].find(key);
        if (paired == runs_by_design[baseline].end()) continue;
        const auto x = parse_number(runs.rows[paired->second].at(c));
        const auto y = parse_number(runs.rows[row].at(c));
        if (!x || !y) continue;
        base_values.push_back(*x);
        design_values.push_back(*y);
      }
      comparison.rows.push_back({metric, design, metrics::compare_paired(base_values, design_values, confidence)});
    }
  }
  return comparison;
}

std::string format_statistic(double value) { return std::isnan(value) ? std::string("-") : fmt::format("{:.6g}", value); }

}  // namespace dais::report
