#pragma once
// What `dais compare` and `dais report` share: a results folder as the one argument, and the options that
// choose what is compared (--by, --baseline, --metric, --confidence), checked here once with the same messages.

#include <boost/program_options.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/report/comparison.hpp"
#include "sim/report/results.hpp"

namespace dais::app {

// Parses the command line of a command on one RESULTS_DIR (`command` names it in errors) into `vm`; the folder.
std::filesystem::path parse_folder_command(const std::vector<std::string>& args, boost::program_options::options_description& options,
                                           boost::program_options::variables_map& vm, const std::string& command);

void add_comparison_options(boost::program_options::options_description& options);

struct ComparisonRequest {
  std::optional<std::string> by;        // a column name or a JSON pointer, as typed
  std::optional<std::string> baseline;  // default: the first design in run order
  std::vector<std::string> metrics;     // default: every numeric outcome
  double confidence = 0.95;
};
ComparisonRequest comparison_request(const boost::program_options::variables_map& vm);

// Checks the request against the folder's sweep and runs.csv and compares; `by` defaults to the first sweep
// column. Throws UsageError for an option that does not fit the folder.
report::Comparison compare_as_requested(const std::filesystem::path& folder, const std::vector<std::string>& sweep_columns,
                                        const report::Table& runs, const ComparisonRequest& request);

}  // namespace dais::app
