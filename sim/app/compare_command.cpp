// `dais compare`: paired statistics of the designs of a sweep against a baseline, from runs.csv.

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "sim/app/cli.hpp"
#include "sim/app/commands.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/csv.hpp"
#include "sim/metrics/paired.hpp"
#include "sim/scenario/sweep.hpp"

namespace dais::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const char* const compare_help = R"(usage: dais compare RESULTS_DIR --by PARAM [options]

Compares the designs of a sweep, run by `dais run`, against a baseline design. PARAM is a sweep parameter,
by its column name (rewards.compute_provider.rule) or its JSON pointer (/rewards/compute_provider/rule).
Runs are paired by replicate (and by the values of the other sweep parameters): replicate r of every design
faced the same random numbers, so the difference design - baseline is the design's effect, not noise.
For each metric and design: the means, the mean paired difference with its confidence interval
(Student's t), and the win rate (the share of pairs where the design's value is higher; ties count half).
Prints an aligned table and writes RESULTS_DIR/compare.csv.

options:
  --by PARAM          the sweep parameter whose values are the designs
  --baseline VALUE    the design the others are compared with (default: the first in run order)
  --metric M ...      columns of runs.csv to compare (default: every numeric one)
  --confidence C      level of the confidence interval (default 0.95)

examples:
  dais compare results/compare_compute_rules --by rewards.compute_provider.rule
  dais compare results/compare_compute_rules --by /rewards/compute_provider/rule --baseline proportional --metric gini_rewards retention_initial
)";

namespace {

// Columns of runs.csv that are bookkeeping, not outcomes.
bool is_metric_candidate(const std::string& column) {
  return column != "run_id" && column != "design" && column != "replicate" && column != "seed" && column != "epochs" &&
         column != "events" && column != "fingerprint";
}

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return x;
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  po::options_description options("compare options");
  options.add_options()("by", po::value<std::string>())("baseline", po::value<std::string>())(
      "metric", po::value<std::vector<std::string>>()->multitoken())("confidence", po::value<double>()->default_value(0.95))(
      "folder", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("folder", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  if (!vm.count("folder")) throw UsageError("compare needs a results folder");
  const auto folders = vm["folder"].as<std::vector<std::string>>();
  if (folders.size() != 1) throw UsageError("compare takes exactly one results folder");
  if (!vm.count("by")) throw UsageError("compare needs --by PARAM, the sweep parameter whose values are the designs");
  const double confidence = vm["confidence"].as<double>();
  if (!(confidence > 0.0 && confidence < 1.0))
    throw UsageError(fmt::format("--confidence: expected a level in (0, 1), found {}", confidence));
  const fs::path folder = folders[0];

  // The sweep's columns, from the manifest the run wrote.
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(io::read_file(folder / "manifest.json"));
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(fmt::format("{}: not a manifest dais wrote ({})", (folder / "manifest.json").string(), e.what()));
  }
  std::vector<std::string> sweep_columns;
  if (manifest.contains("sweep") && manifest["sweep"].is_object())
    for (const auto& p : manifest["sweep"]["parameters"]) sweep_columns.push_back(p.at("column").get<std::string>());
  if (sweep_columns.empty())
    throw UsageError(fmt::format("{} holds a batch without a sweep: it has no designs to compare", folder.string()));
  std::string by = vm["by"].as<std::string>();
  if (!by.empty() && by[0] == '/') by = scenario::column_name(by);
  if (std::find(sweep_columns.begin(), sweep_columns.end(), by) == sweep_columns.end()) {
    std::string valid;
    for (const std::string& c : sweep_columns) valid += (valid.empty() ? "" : ", ") + c;
    throw UsageError(fmt::format("--by: expected a sweep parameter of {} ({}), found \"{}\"", folder.string(), valid, by));
  }

  const auto rows = io::parse_csv(io::read_file(folder / "runs.csv"));
  if (rows.size() < 2) throw UsageError(fmt::format("{}: no runs", (folder / "runs.csv").string()));
  const std::vector<std::string>& header = rows[0];
  const auto column = [&](const std::string& name) -> std::optional<std::size_t> {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t by_column = *column(by);
  const std::size_t replicate_column = column("replicate").value_or(2);
  std::vector<std::size_t> other_columns;
  for (const std::string& c : sweep_columns)
    if (c != by) other_columns.push_back(*column(c));

  // Designs in run order; each run keyed by what it is paired on.
  std::vector<std::string> designs;
  std::map<std::string, std::map<std::string, std::size_t>> runs_by_design;  // design -> pair key -> row
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::string& design = rows[r].at(by_column);
    if (std::find(designs.begin(), designs.end(), design) == designs.end()) designs.push_back(design);
    std::string key = rows[r].at(replicate_column);
    for (std::size_t c : other_columns) key += '\x1f' + rows[r].at(c);
    runs_by_design[design][key] = r;
  }
  const std::string baseline = vm.count("baseline") ? vm["baseline"].as<std::string>() : designs.front();
  if (!runs_by_design.count(baseline)) {
    std::string valid;
    for (const std::string& d : designs) valid += (valid.empty() ? "" : ", ") + d;
    throw UsageError(fmt::format("--baseline: expected one of the values of {} ({}), found \"{}\"", by, valid, baseline));
  }

  std::vector<std::string> metrics;
  if (vm.count("metric")) {
    metrics = vm["metric"].as<std::vector<std::string>>();
    for (const std::string& m : metrics)
      if (!column(m)) throw UsageError(fmt::format("--metric: {} has no column \"{}\" in runs.csv", folder.string(), m));
  } else {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (!is_metric_candidate(header[c]) ||
          std::find(sweep_columns.begin(), sweep_columns.end(), header[c]) != sweep_columns.end())
        continue;
      bool numeric = true;
      for (std::size_t r = 1; r < rows.size() && numeric; ++r) numeric = number(rows[r].at(c)).has_value();
      if (numeric) metrics.push_back(header[c]);
    }
  }

  const std::string level = fmt::format("{}", confidence * 100);
  io::CsvBuffer csv;
  const std::vector<std::string> csv_columns = {"metric", by, "baseline", "pairs", "baseline_mean", "design_mean",
                                                "difference", "ci" + level + "_low", "ci" + level + "_high", "win_rate"};
  csv.header(std::vector<std::string_view>(csv_columns.begin(), csv_columns.end()));
  std::vector<std::vector<std::string>> table = {
      {"metric", by, "pairs", "baseline", "design", "difference", level + "% interval", "win rate"}};
  for (const std::string& metric : metrics) {
    const std::size_t c = *column(metric);
    for (const std::string& design : designs) {
      if (design == baseline) continue;
      std::vector<double> base_values;
      std::vector<double> design_values;
      for (const auto& [key, row] : runs_by_design[design]) {
        const auto paired = runs_by_design[baseline].find(key);
        if (paired == runs_by_design[baseline].end()) continue;
        const auto x = number(rows[paired->second].at(c));
        const auto y = number(rows[row].at(c));
        if (!x || !y) continue;
        base_values.push_back(*x);
        design_values.push_back(*y);
      }
      const metrics::PairedComparison p = metrics::compare_paired(base_values, design_values, confidence);
      csv.field(metric).field(design).field(baseline).field(p.pairs).field(p.baseline_mean).field(p.design_mean);
      csv.field(p.mean_difference).field(p.ci_low).field(p.ci_high).field(p.win_rate);
      csv.end_row();
      const auto g = [](double x) { return std::isnan(x) ? std::string("-") : fmt::format("{:.6g}", x); };
      table.push_back({metric, design, fmt::format("{}", p.pairs), g(p.baseline_mean), g(p.design_mean),
                       g(p.mean_difference), "[" + g(p.ci_low) + ", " + g(p.ci_high) + "]", fmt::format("{:.2f}", p.win_rate)});
    }
  }
  std::vector<std::size_t> widths(table[0].size(), 0);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  std::cout << fmt::format("{} vs baseline {}={}, paired by replicate\n", folder.string(), by, baseline);
  for (const auto& line : table) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const bool numeric = i >= 2;
      text += (i ? "  " : "") + (numeric ? fmt::format("{:>{}}", line[i], widths[i]) : fmt::format("{:<{}}", line[i], widths[i]));
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    std::cout << text << '\n';
  }
  io::write_file_atomically(folder / "compare.csv", csv.text());
  std::cout << fmt::format("wrote {}\n", (folder / "compare.csv").string());
  return exit_ok;
}

}  // namespace dais::app
