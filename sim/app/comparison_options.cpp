#include "sim/app/comparison_options.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/app/cli.hpp"
#include "sim/scenario/sweep.hpp"

namespace dais::app {

namespace po = boost::program_options;

namespace {

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& v : values) text += (text.empty() ? "" : ", ") + v;
  return text;
}

}  // namespace

std::filesystem::path parse_folder_command(const std::vector<std::string>& args, po::options_description& options,
                                           po::variables_map& vm, const std::string& command) {
  options.add_options()("folder", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("folder", -1);
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  if (!vm.count("folder")) throw UsageError(command + " needs a results folder");
  const auto folders = vm["folder"].as<std::vector<std::string>>();
  if (folders.size() != 1) throw UsageError(command + " takes exactly one results folder");
  return folders[0];
}

void add_comparison_options(po::options_description& options) {
  options.add_options()("by", po::value<std::string>())("baseline", po::value<std::string>())(
      "metric", po::value<std::vector<std::string>>()->multitoken())("confidence", po::value<double>()->default_value(0.95));
}

ComparisonRequest comparison_request(const po::variables_map& vm) {
  ComparisonRequest request;
  if (vm.count("by")) request.by = vm["by"].as<std::string>();
  if (vm.count("baseline")) request.baseline = vm["baseline"].as<std::string>();
  if (vm.count("metric")) request.metrics = vm["metric"].as<std::vector<std::string>>();
  request.confidence = vm["confidence"].as<double>();
  if (!(request.confidence > 0.0 && request.confidence < 1.0))
    throw UsageError(fmt::format("--confidence: expected a level in (0, 1), found {}", request.confidence));
  return request;
}

report::Comparison compare_as_requested(const std::filesystem::path& folder, const std::vector<std::string>& sweep_columns,
                                        const report::Table& runs, const ComparisonRequest& request) {
  if (sweep_columns.empty())
    throw UsageError(fmt::format("{} holds a batch without a sweep: it has no designs to compare", folder.string()));
  std::string by = request.by.value_or(sweep_columns.front());
  if (!by.empty() && by[0] == '/') by = scenario::column_name(by);
  if (std::find(sweep_columns.begin(), sweep_columns.end(), by) == sweep_columns.end())
    throw UsageError(
        fmt::format("--by: expected a sweep parameter of {} ({}), found \"{}\"", folder.string(), joined(sweep_columns), by));
  const std::vector<std::string> designs = runs.distinct(by);
  const std::string baseline = request.baseline.value_or(designs.front());
  if (std::find(designs.begin(), designs.end(), baseline) == designs.end())
    throw UsageError(fmt::format("--baseline: expected one of the values of {} ({}), found \"{}\"", by, joined(designs), baseline));
  for (const std::string& m : request.metrics)
    if (!runs.find(m)) throw UsageError(fmt::format("--metric: {} has no column \"{}\" in runs.csv", folder.string(), m));
  const std::vector<std::string> metrics =
      request.metrics.empty() ? report::numeric_outcomes(runs, sweep_columns) : request.metrics;
  return report::compare_designs(runs, sweep_columns, by, baseline, metrics, request.confidence);
}

}  // namespace dais::app
