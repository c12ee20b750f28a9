#pragma once
// What one run produces: a row for runs.csv and rows for the per-epoch, per-agent and journal tables.
// A model declares its columns once (OutputSchema), after the identity columns every row starts with; the batch concatenates runs' rows in run order, so the
// merged files are the same whatever order the runs finished in.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/csv.hpp"

namespace dais::io {

// Who a row belongs to: every CSV row starts with run_id, design, replicate, seed, then the value of each
// sweep parameter (one column each, named after its JSON pointer), so every table is tidy on its own.
struct RunIdentity {
  std::int64_t run_id = 0;     // position in the batch: stable for a given scenario file
  std::string design;          // the variant's label; the scenario name when there is no sweep
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> sweep_values = {};  // in the order of the sweep's columns
};
inline constexpr std::string_view identity_columns[] = {"run_id", "design", "replicate", "seed"};
// The identity columns followed by the sweep's.
std::vector<std::string> identity_columns_with(const std::vector<std::string>& sweep_columns);
void write_identity(CsvBuffer& row, const RunIdentity& id);

struct OutputSchema {
  std::vector<std::string> runs;
  std::vector<std::string> epochs;
  std::vector<std::string> agents;
  std::vector<std::string> transfers;
};

struct RunOutput {
  CsvBuffer run;        // exactly one row
  CsvBuffer epochs;
  CsvBuffer agents;
  CsvBuffer transfers;
  std::string fingerprint;
  std::int64_t agent_epochs = 0;  // sum over epochs of active agents: the throughput unit of workload B1
};

// The model's columns with the identity columns (and the sweep's) in front of each table.
OutputSchema with_identity(const OutputSchema& model_columns, const std::vector<std::string>& sweep_columns);

// The header line of a table.
std::string csv_header(const std::vector<std::string>& columns);

}  // namespace dais::io
