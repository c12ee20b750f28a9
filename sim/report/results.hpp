#pragma once
// A results folder written by `dais run`, read back as typed tables for reports and comparisons. Every
// problem is a ResultsError naming the file, what was expected and what was found.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dais::report {

// A results folder or one of its files that cannot be read as dais wrote it: bad input, not a bug.
class ResultsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One CSV file read whole: the header and rows of the same width.
struct Table {
  std::filesystem::path file;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  [[nodiscard]] std::optional<std::size_t> find(std::string_view column) const;
  // The index of a column that must be there.
  [[nodiscard]] std::size_t column(std::string_view name) const;
  // The field as a number, or a ResultsError naming the file, line and column.
  [[nodiscard]] double number(std::size_t row, std::size_t column) const;
  // The values of a column, each once, in row order (the designs in run order, the roles...).
  [[nodiscard]] std::vector<std::string> distinct(std::string_view column) const;
};

// Reads a CSV file; a missing file, an empty one or a row whose width differs from the header's is an error.
Table read_table(const std::filesystem::path& file);

// The field as a number when it is one entirely ("1.5", "2e-3", "184.128566968894582428"), nothing otherwise.
std::optional<double> parse_number(std::string_view text);

// What the manifest says about a batch.
struct BatchInfo {
  std::string name;                        // the scenario's name
  std::vector<std::string> sweep_columns;  // one per sweep parameter, in the sweep's order; empty without a sweep
  std::int64_t replicates = 1;
  std::string epoch;                       // the epoch's duration as the scenario wrote it ("1d"); empty if unknown
  std::vector<std::string> files;          // the tables `dais run` wrote, as listed under "files"
};

// Reads RESULTS_DIR/manifest.json. No key is required (a hand-made folder with only a "sweep" can be compared),
// but a key that is there must have the type dais writes.
BatchInfo read_manifest(const std::filesystem::path& folder);

// Reads runs.csv, which must have at least one run.
Table read_runs(const std::filesystem::path& folder);

// A whole results folder: the manifest, runs.csv, and epochs.csv and agents.csv when the batch wrote them.
struct ResultsFolder {
  std::filesystem::path folder;
  BatchInfo batch;
  Table runs;
  std::optional<Table> epochs;
  std::optional<Table> agents;
};

// Reads a folder from `dais run`; a folder without manifest.json is "not a dais results folder".
ResultsFolder read_results_folder(const std::filesystem::path& folder);

}  // namespace dais::report
