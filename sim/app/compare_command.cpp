// `dais compare`: paired statistics of the designs of a sweep against a baseline, from runs.csv.

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/app/cli.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/comparison_options.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/csv.hpp"
#include "sim/report/comparison.hpp"
#include "sim/report/results.hpp"

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

int compare_command(const std::vector<std::string>& args) {
  po::options_description options("compare options");
  add_comparison_options(options);
  po::variables_map vm;
  const fs::path folder = parse_folder_command(args, options, vm, "compare");
  if (!vm.count("by")) throw UsageError("compare needs --by PARAM, the sweep parameter whose values are the designs");
  const ComparisonRequest request = comparison_request(vm);
  const report::BatchInfo batch = report::read_manifest(folder);
  const report::Table runs = report::read_runs(folder);
  const report::Comparison comparison = compare_as_requested(folder, batch.sweep_columns, runs, request);
  const std::string& by = comparison.by;
  const std::string& baseline = comparison.baseline;

  const std::string level = fmt::format("{}", request.confidence * 100);
  io::CsvBuffer csv;
  const std::vector<std::string> csv_columns = {"metric", by, "baseline", "pairs", "baseline_mean", "design_mean",
                                                "difference", "ci" + level + "_low", "ci" + level + "_high", "win_rate"};
  csv.header(std::vector<std::string_view>(csv_columns.begin(), csv_columns.end()));
  std::vector<std::vector<std::string>> table = {
      {"metric", by, "pairs", "baseline", "design", "difference", level + "% interval", "win rate"}};
  for (const report::DesignComparison& row : comparison.rows) {
    const metrics::PairedComparison& p = row.paired;
    csv.field(row.metric).field(row.design).field(baseline).field(p.pairs).field(p.baseline_mean).field(p.design_mean);
    csv.field(p.mean_difference).field(p.ci_low).field(p.ci_high).field(p.win_rate);
    csv.end_row();
    const auto g = report::format_statistic;
    table.push_back({row.metric, row.design, fmt::format("{}", p.pairs), g(p.baseline_mean), g(p.design_mean),
                     g(p.mean_difference), "[" + g(p.ci_low) + ", " + g(p.ci_high) + "]", fmt::format("{:.2f}", p.win_rate)});
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
