#pragma once
// Running the contributor economy on a scenario written in the test: load it through the strict loader, run one
// replicate, read its CSV as rows of column -> text.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/economy/contributor_economy.hpp"
#include "sim/io/csv.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/models/catalog_fixture.hpp"

namespace dais::test {

using Row = std::map<std::string, std::string>;

// The rows of one of a run's CSV bodies, whose columns are `columns`.
inline std::vector<Row> rows_of(const std::vector<std::string>& columns, const io::CsvBuffer& body) {
  std::vector<Row> out;
  for (const auto& r : io::parse_csv(body.text())) {
    Row m;
    for (std::size_t c = 0; c < columns.size() && c < r.size(); ++c) m[columns[c]] = r[c];
    out.push_back(std::move(m));
  }
  return out;
}

// One replicate of a scenario, its rows read back.
struct EconomyRun {
  io::RunOutput output;
  io::OutputSchema schema;
  [[nodiscard]] std::vector<Row> runs() const { return rows_of(schema.runs, output.run); }
  [[nodiscard]] std::vector<Row> epochs() const { return rows_of(schema.epochs, output.epochs); }
  [[nodiscard]] std::vector<Row> agents() const { return rows_of(schema.agents, output.agents); }
};

inline EconomyRun run_economy(const scenario::Scenario& s, std::int64_t replicate = 0) {
  return {models::run_contributor_economy(s, builtin_catalog(), {replicate, s.name, replicate, s.seed}),
          io::with_identity(models::contributor_economy_schema(s, builtin_catalog()), {})};
}

}  // namespace dais::test
