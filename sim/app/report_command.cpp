// `dais report`: one self-contained HTML page with the charts of a results folder and its comparison table.

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/app/cli.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/comparison_options.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/report/html.hpp"
#include "sim/report/results.hpp"

namespace dais::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const char* const report_help = R"(usage: dais report RESULTS_DIR [options]

Writes one HTML file about a results folder of `dais run`: the designs over time (mean of the replicates with
a Student-t confidence band per epoch: active agents, retention, Gini, Nakamoto, HHI, mean profit, supply,
price when there is one), the final rewards per agent by role and design (box plots), Gini / Nakamoto / HHI
at the end per design (means with intervals), and the paired comparison table of `dais compare`.
The file is self-contained (inline SVG and CSS, no script, nothing fetched): it opens offline in any browser.
A batch without a sweep gets the charts of its one design and no table. The same folder gives the same bytes.

options:
  --out FILE          where to write it (default RESULTS_DIR/report.html)
  --by PARAM          the sweep parameter whose values the table compares (default: the sweep's first)
  --baseline VALUE    the design the others are compared with (default: the first in run order)
  --metric M ...      columns of runs.csv in the table (default: every numeric one)
  --confidence C      level of the bands, intervals and table (default 0.95)

examples:
  dais report results/compare_compute_rules
  dais report results/compare_compute_rules --out compute_rules.html --metric gini_rewards retention_initial
  dais report results/baseline
)";

int report_command(const std::vector<std::string>& args) {
  po::options_description options("report options");
  add_comparison_options(options);
  options.add_options()("out", po::value<std::string>());
  po::variables_map vm;
  const fs::path folder = parse_folder_command(args, options, vm, "report");
  const ComparisonRequest request = comparison_request(vm);
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : folder / "report.html";

  const report::ResultsFolder results = report::read_results_folder(folder);
  std::optional<report::Comparison> comparison;
  if (!results.batch.sweep_columns.empty())
    comparison = compare_as_requested(folder, results.batch.sweep_columns, results.runs, request);
  else if (request.by || request.baseline || !request.metrics.empty())
    throw UsageError(fmt::format("{} holds a batch without a sweep: --by, --baseline and --metric choose what the table "
                                 "compares, and it has no designs to compare",
                                 folder.string()));
  io::write_file_atomically(out, report::render_report(results, comparison, request.confidence));
  std::cout << fmt::format("wrote {}\n", out.string());
  return exit_ok;
}

}  // namespace dais::app
