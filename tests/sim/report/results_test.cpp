#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "sim/io/atomic_file.hpp"
#include "sim/report/results.hpp"
#include "tests/scratch_dir.hpp"

namespace fs = std::filesystem;
using dais::report::read_manifest;
using dais::report::read_results_folder;
using dais::report::read_table;
using dais::report::ResultsError;

using dais::test::scratch_dir;

TEST_CASE("a table reads back with typed access and errors that name file, line and column", "[report][results]") {
  const fs::path dir = scratch_dir("table");
  dais::io::write_file_atomically(dir / "runs.csv", "run_id,design,gini\n0,\"a,b\",0.25\n1,c,oops\n");
  const auto t = read_table(dir / "runs.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][1] == "a,b");
  CHECK(t.number(0, t.column("gini")) == 0.25);
  CHECK_THROWS_WITH(t.number(1, 2), (dir / "runs.csv").string() + ": line 3, column gini: expected a number, found \"oops\"");
  CHECK_THROWS_WITH(t.column("hhi"), (dir / "runs.csv").string() + ": expected a column \"hhi\", found only: run_id, design, gini");

  dais::io::write_file_atomically(dir / "short.csv", "a,b,c\n1,2,3\n4,5\n");
  CHECK_THROWS_WITH(read_table(dir / "short.csv"), (dir / "short.csv").string() + ": line 3: expected 3 fields as in the header, found 2");
  dais::io::write_file_atomically(dir / "empty.csv", "");
  CHECK_THROWS_WITH(read_table(dir / "empty.csv"), (dir / "empty.csv").string() + ": expected a header row, found an empty file");
  CHECK_THROWS_AS(read_table(dir / "missing.csv"), ResultsError);
  fs::remove_all(dir);
}

TEST_CASE("the manifest gives the sweep's columns, and a wrong type names its JSON pointer", "[report][results]") {
  const fs::path dir = scratch_dir("manifest");
  dais::io::write_file_atomically(dir / "manifest.json",
                                  R"({"replicates": 3, "scenario": {"name": "x", "resolved": {"epoch": "1d"}},
                                      "sweep": {"parameters": [{"column": "rule"}, {"column": "rate"}]},
                                      "files": {"runs.csv": 6, "epochs.csv": 12}})");
  const auto info = read_manifest(dir);
  CHECK(info.name == "x");
  CHECK(info.replicates == 3);
  CHECK(info.epoch == "1d");
  CHECK(info.sweep_columns == std::vector<std::string>{"rule", "rate"});
  CHECK(info.files == std::vector<std::string>{"epochs.csv", "runs.csv"});

  dais::io::write_file_atomically(dir / "manifest.json", R"({"sweep": {"parameters": [{"column": 5}]}})");
  CHECK_THROWS_WITH(read_manifest(dir),
                    (dir / "manifest.json").string() + ": /sweep/parameters/0/column: expected a column name, found 5");
  dais::io::write_file_atomically(dir / "manifest.json", "{\"sweep\": ");
  CHECK_THROWS_WITH(read_manifest(dir), Catch::StartsWith((dir / "manifest.json").string() +
                                                          ": expected the JSON manifest dais wrote, found malformed JSON"));
  fs::remove_all(dir);
}

TEST_CASE("a folder without a manifest is not a results folder; a listed table must be there", "[report][results]") {
  const fs::path dir = scratch_dir("folder");
  CHECK_THROWS_WITH(read_results_folder(dir),
                    dir.string() + ": not a dais results folder: expected manifest.json (written by `dais run`), found none");
  dais::io::write_file_atomically(dir / "manifest.json", R"({"files": {"runs.csv": 1, "epochs.csv": 1}})");
  dais::io::write_file_atomically(dir / "runs.csv", "run_id,design\n");
  CHECK_THROWS_WITH(read_results_folder(dir), (dir / "runs.csv").string() + ": expected one row per run, found no runs");
  dais::io::write_file_atomically(dir / "runs.csv", "run_id,design\n0,x\n");
  CHECK_THROWS_WITH(read_results_folder(dir),
                    (dir / "epochs.csv").string() + ": expected the table `dais run` wrote, found no such file");
  dais::io::write_file_atomically(dir / "manifest.json", R"({"files": {"runs.csv": 1}})");
  const auto results = read_results_folder(dir);
  CHECK_FALSE(results.epochs.has_value());  // outputs.epochs off: no table, no error
  fs::remove_all(dir);
}
