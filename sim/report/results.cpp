#include "sim/report/results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "sim/io/atomic_file.hpp"
#include "sim/io/csv.hpp"

namespace dais::report {

namespace fs = std::filesystem;

std::optional<std::size_t> Table::find(std::string_view name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

std::size_t Table::column(std::string_view name) const {
  if (const auto c = find(name)) return *c;
  std::string columns;
  for (const std::string& h : header) columns += (columns.empty() ? "" : ", ") + h;
  throw ResultsError(fmt::format("{}: expected a column \"{}\", found only: {}", file.string(), name, columns));
}

double Table::number(std::size_t row, std::size_t column) const {
  const std::string& text = rows.at(row).at(column);
  if (const auto x = parse_number(text)) return *x;
  // Line 1 is the header.
  throw ResultsError(fmt::format("{}: line {}, column {}: expected a number, found \"{}\"", file.string(), row + 2,
                                 header.at(column), text));
}

std::vector<std::string> Table::distinct(std::string_view name) const {
  const std::size_t c = column(name);
  std::vector<std::string> values;
  for (const auto& row : rows)
    if (std::find(values.begin(), values.end(), row[c]) == values.end()) values.push_back(row[c]);
  return values;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double x = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return x;
}

Table read_table(const fs::path& file) {
  if (!fs::is_regular_file(file))
    throw ResultsError(fmt::format("{}: expected the table `dais run` wrote, found no such file", file.string()));
  auto rows = io::parse_csv(io::read_file(file));
  if (rows.empty()) throw ResultsError(fmt::format("{}: expected a header row, found an empty file", file.string()));
  Table table{file, std::move(rows.front()), {}};
  rows.erase(rows.begin());
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (rows[r].size() != table.header.size())
      throw ResultsError(fmt::format("{}: line {}: expected {} fields as in the header, found {}", file.string(), r + 2,
                                     table.header.size(), rows[r].size()));
  table.rows = std::move(rows);
  return table;
}

namespace {

// A value of the manifest that must have a type, with the JSON pointer in the error.
const nlohmann::json& expect(const fs::path& file, const nlohmann::json& value, const std::string& pointer,
                             nlohmann::json::value_t type, std::string_view what) {
  const bool ok = type == nlohmann::json::value_t::number_integer ? value.is_number_integer() : value.type() == type;
  if (!ok) throw ResultsError(fmt::format("{}: {}: expected {}, found {}", file.string(), pointer, what, value.dump()));
  return value;
}

}  // namespace

BatchInfo read_manifest(const fs::path& folder) {
  const fs::path file = folder / "manifest.json";
  if (!fs::is_directory(folder))
    throw ResultsError(fmt::format("{}: expected a results folder from `dais run`, found no such folder", folder.string()));
  if (!fs::is_regular_file(file))
    throw ResultsError(fmt::format("{}: not a dais results folder: expected manifest.json (written by `dais run`), found none",
                                   folder.string()));
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(io::read_file(file));
  } catch (const nlohmann::json::exception& e) {
    throw ResultsError(fmt::format("{}: expected the JSON manifest dais wrote, found malformed JSON ({})", file.string(), e.what()));
  }
  using type = nlohmann::json::value_t;
  expect(file, manifest, "/", type::object, "an object");
  BatchInfo info;
  if (manifest.contains("sweep") && !manifest["sweep"].is_null()) {
    const nlohmann::json parameters =
        expect(file, manifest["sweep"], "/sweep", type::object, "an object").value("parameters", nlohmann::json());
    expect(file, parameters, "/sweep/parameters", type::array, "an array of sweep parameters");
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      const std::string at = fmt::format("/sweep/parameters/{}", i);
      const nlohmann::json column = expect(file, parameters[i], at, type::object, "an object").value("column", nlohmann::json());
      info.sweep_columns.push_back(expect(file, column, at + "/column", type::string, "a column name").get<std::string>());
    }
  }
  if (manifest.contains("replicates"))
    info.replicates = expect(file, manifest["replicates"], "/replicates", type::number_integer, "an integer").get<std::int64_t>();
  if (manifest.contains("scenario") && manifest["scenario"].is_object()) {
    const auto& scenario = manifest["scenario"];
    if (scenario.contains("name"))
      info.name = expect(file, scenario["name"], "/scenario/name", type::string, "a string").get<std::string>();
    if (scenario.contains("resolved") && scenario["resolved"].is_object() && scenario["resolved"].contains("epoch") &&
        scenario["resolved"]["epoch"].is_string())
      info.epoch = scenario["resolved"]["epoch"].get<std::string>();
  }
  if (manifest.contains("files"))
    for (const auto& [name, rows] : expect(file, manifest["files"], "/files", type::object, "an object").items())
      info.files.push_back(name);
  return info;
}

Table read_runs(const fs::path& folder) {
  Table runs = read_table(folder / "runs.csv");
  if (runs.rows.empty())
    throw ResultsError(fmt::format("{}: expected one row per run, found no runs", runs.file.string()));
  return runs;
}

ResultsFolder read_results_folder(const fs::path& folder) {
  ResultsFolder results{folder, read_manifest(folder), read_runs(folder), std::nullopt, std::nullopt};
  const auto written = [&](const std::string& name) {
    return std::find(results.batch.files.begin(), results.batch.files.end(), name) != results.batch.files.end();
  };
  // A batch may turn epochs or agents off; a table the manifest lists must be there.
  if (written("epochs.csv")) results.epochs = read_table(folder / "epochs.csv");
  if (written("agents.csv")) results.agents = read_table(folder / "agents.csv");
  return results;
}

}  // namespace dais::report
