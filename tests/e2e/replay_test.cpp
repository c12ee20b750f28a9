// End-to-end tests of `dais replay yuma` on the reference files of ../shared/yuma-cases.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/io/atomic_file.hpp"
#include "sim/io/manifest.hpp"
#include "tests/e2e/cli_support.hpp"

namespace fs = std::filesystem;
using dais::test::read_table;
using dais::test::run_dais;
using dais::test::scratch_dir;
using json = nlohmann::json;

namespace {

const fs::path cases_dir = fs::path(DAIS_SHARED_DIR) / "yuma-cases";

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(cases_dir))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

json load(const fs::path& file) { return json::parse(dais::io::read_file(file)); }

double number(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

// A small input with one problem, written beside the other scratch files.
fs::path write_input(const fs::path& dir, const std::string& name, const json& doc) {
  const fs::path file = dir / name;
  dais::io::write_file_atomically(file, doc.dump());
  return file;
}

json small_input() {
  return {{"validators", {"a", "b"}},
          {"servers", {"x", "y"}},
          {"epochs", {{{"stakes", {3, 1}}, {"weights", {{1, 0}, {0.5, 0.5}}}},
                      {{"stakes", {3, 1}}, {"weights", {{0, 1}, {0.5, 0.5}}}}}}};
}

}  // namespace

TEST_CASE("dais replay yuma writes the reference files' dividends, incentives and consensus to CSV", "[e2e][replay]") {
  const std::vector<fs::path> files = case_files();
  REQUIRE(!files.empty());
  const fs::path dir = scratch_dir("replay_reference");
  for (const fs::path& file : files) {
    const json doc = load(file);
    if (doc.value("schema", "") != "yuma-anchor/1") continue;  // not a case file
    INFO(file.filename().string());
    const fs::path out = dir / file.stem();
    const auto r = run_dais({"replay", "yuma", file.string(), "--out", out.string()});
    REQUIRE(r.exit_code == 0);
    const auto validators = read_table(out / "validators.csv");
    const auto miners = read_table(out / "miners.csv");
    const std::size_t nv = doc["validators"].size();
    const std::size_t nm = doc["servers"].size();
    const json& epochs = doc["epochs"];
    REQUIRE(validators.size() == epochs.size() * nv);
    REQUIRE(miners.size() == epochs.size() * nm);
    const std::string version = doc["version"].get<std::string>();
    const bool carries = version == "YUMA3_LIQUID" ||
                         ((version == "YUMA1" || version == "YUMA2" || version == "YUMA2B") &&
                          doc["params"]["bond_penalty"].get<double>() > 0.0);
    bool after_degenerate = false;
    for (std::size_t e = 0; e < epochs.size(); ++e) {
      const json& ref = epochs[e];
      // SCHEMA.md §4.9: the reference's degenerate epochs are undefined behaviour; not compared (none in the
      // development subset), nor what they carry forward.
      if (ref["consensus_degenerate"].get<bool>() || after_degenerate) {
        after_degenerate = after_degenerate || carries;
        continue;
      }
      INFO("epoch " << e);
      for (std::size_t i = 0; i < nv; ++i) {
        const auto& row = validators[e * nv + i];
        CHECK(row.at("epoch") == std::to_string(e));
        CHECK(row.at("validator_name") == doc["validators"][i].get<std::string>());
        CHECK(number(row, "dividends") == Approx(ref["dividends"][i].get<double>()).margin(1e-5));
        CHECK(number(row, "relative_dividends") == Approx(ref["relative_dividends"][i].get<double>()).margin(1e-5));
        // Per 1000 staked: 0.41 * 100 * D / (S * 1e6 / 1000), so the dividends' tolerance scaled by 0.041 / S.
        const double share = number(row, "stake_share");
        CHECK(number(row, "dividends_per_1000_staked") ==
              Approx(ref["dividends_per_1000_tao"][i].get<double>()).margin(0.041 / share * 1e-5 + 1e-6));
        if (!ref["validator_trust"].is_null())
          CHECK(number(row, "validator_trust") == Approx(ref["validator_trust"][i].get<double>()).margin(1e-4));
      }
      for (std::size_t j = 0; j < nm; ++j) {
        const auto& row = miners[e * nm + j];
        CHECK(row.at("miner_name") == doc["servers"][j].get<std::string>());
        CHECK(number(row, "incentive") == Approx(ref["incentives"][j].get<double>()).margin(1e-5));
        CHECK(std::abs(std::stoll(row.at("consensus_u16")) - ref["consensus_u16"][j].get<long long>()) <= 1);
        CHECK(number(row, "consensus") == Approx(ref["consensus"][j].get<double>()).margin(2e-5));
        CHECK(number(row, "rank") == Approx(ref["rank"][j].get<double>()).margin(2e-5));
        if (!ref["trust"].is_null()) CHECK(number(row, "trust") == Approx(ref["trust"][j].get<double>()).margin(1e-4));
      }
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("dais replay yuma --bonds writes every bond, and the normalized bonds match the reference", "[e2e][replay]") {
  const fs::path file = cases_dir / "case02_YUMA3_LIQUID_bp1.0.json";
  const fs::path dir = scratch_dir("replay_bonds");
  const auto r = run_dais({"replay", "yuma", file.string(), "--out", dir.string(), "--bonds"});
  REQUIRE(r.exit_code == 0);
  const json doc = load(file);
  const auto bonds = read_table(dir / "bonds.csv");
  const std::size_t nv = doc["validators"].size();
  const std::size_t nm = doc["servers"].size();
  REQUIRE(bonds.size() == doc["epochs"].size() * nv * nm);
  for (const auto& row : bonds) {
    const auto e = std::stoul(row.at("epoch"));
    const auto i = std::stoul(row.at("validator"));
    const auto j = std::stoul(row.at("miner"));
    INFO("epoch " << e << " bond " << i << "," << j);
    CHECK(number(row, "bond") == Approx(doc["epochs"][e]["bonds"][i][j].get<double>()).margin(2e-5));
    CHECK(number(row, "bond_normalized") ==
          Approx(doc["epochs"][e]["bonds_normalized"][i][j].get<double>()).margin(2e-5));
  }
  const json manifest = load(dir / "manifest.json");
  CHECK(manifest["files"]["bonds.csv"].get<std::size_t>() == bonds.size());
  fs::remove_all(dir);
}

TEST_CASE("dais replay yuma records the input's hash and the effective parameters; options override the file",
          "[e2e][replay]") {
  const fs::path file = cases_dir / "case01_YUMA3_bp1.0.json";
  const fs::path dir = scratch_dir("replay_manifest");
  // No --out: results/replay_<input stem> under the working directory.
  const auto r = run_dais({"replay", "yuma", file.string(), "--version", "yuma2", "--kappa", "0.6",
                           "--winner-takes-all", "true"},
                          dir);
  REQUIRE(r.exit_code == 0);
  const fs::path out = dir / "results" / ("replay_" + file.stem().string());
  REQUIRE(fs::exists(out / "validators.csv"));
  REQUIRE(fs::exists(out / "miners.csv"));
  const json manifest = load(out / "manifest.json");
  CHECK(manifest["input"]["file"] == file.string());
  CHECK(manifest["input"]["hash_fnv1a64"] == dais::io::content_hash(dais::io::read_file(file)));
  CHECK(manifest["input"]["epochs"] == 40);
  CHECK(manifest["params"]["version"] == "yuma2");
  CHECK(manifest["params"]["kappa"] == 0.6);
  CHECK(manifest["params"]["winner_takes_all"] == true);
  CHECK(manifest["params"]["bond_moving_avg"] == 0.1);
  CHECK(manifest["param_sources"]["version"] == "command line");
  CHECK(manifest["param_sources"]["kappa"] == "command line");
  CHECK(manifest["param_sources"]["bond_penalty"] == "input file");
  CHECK(manifest["param_sources"]["capacity_scale"] == "default");
  CHECK(manifest["files"]["validators.csv"] == 40 * 3);
  CHECK(manifest["dais"].contains("version"));
  fs::remove_all(dir);
}

TEST_CASE("dais replay yuma needs only the inputs, and a missing or malformed one is an error naming where",
          "[e2e][replay]") {
  const fs::path dir = scratch_dir("replay_errors");
  // Inputs only: no params, no version (yuma3 by default), no reference outputs.
  const fs::path good = write_input(dir, "good.json", small_input());
  const auto ok = run_dais({"replay", "yuma", good.string(), "--out", (dir / "good").string()});
  CHECK(ok.exit_code == 0);
  CHECK(read_table(dir / "good" / "validators.csv").size() == 4);
  CHECK(load(dir / "good" / "manifest.json")["params"]["version"] == "yuma3");

  const auto fails_with = [&](const std::string& name, const json& doc, const std::string& message) {
    const fs::path file = write_input(dir, name, doc);
    const auto r = run_dais({"replay", "yuma", file.string(), "--out", (dir / "bad").string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(file.string() + ": " + message));
  };
  json doc = small_input();
  doc["epochs"][1].erase("stakes");
  fails_with("no_stakes.json", doc, "/epochs/1: expected a key \"stakes\" (an array of 2 numbers), found none");
  doc = small_input();
  doc["epochs"][0]["weights"][1] = {0.5, 0.5, 0.1};
  fails_with("wide_row.json", doc, "/epochs/0/weights/1: expected an array of 2 numbers, one per server, found an array of 3");
  doc = small_input();
  doc["epochs"][1]["stakes"][0] = "three";
  fails_with("text_stake.json", doc, "/epochs/1/stakes/0: expected a non-negative number, found \"three\"");
  doc = small_input();
  doc["epochs"][0]["weights"][0][1] = -1;
  fails_with("negative_weight.json", doc, "/epochs/0/weights/0/1: expected a non-negative number, found -1");
  doc = small_input();
  doc.erase("servers");
  fails_with("no_servers.json", doc, "expected a key \"servers\" (an array of names), found none");
  doc = small_input();
  doc["params"] = {{"kapa", 0.5}};
  fails_with("typo.json", doc, "/params/kapa: unknown parameter \"kapa\"; did you mean \"kappa\"?");
  doc = small_input();
  doc["params"] = {{"bond_penalty", 1.5}};
  fails_with("penalty.json", doc, "/params/bond_penalty: expected a number in [0, 1], found 1.5");
  doc = small_input();
  doc["version"] = "YUMA4";
  fails_with("version.json", doc, "/version: expected one of \"yuma1\"");
  doc = small_input();
  doc["version"] = "YUMA3";
  doc["params"] = {{"liquid_alpha", true}};
  fails_with("liquid.json", doc, "/params/liquid_alpha: expected false for version \"yuma3\"");
  const fs::path broken = dir / "broken.json";
  dais::io::write_file_atomically(broken, "{\"validators\": [");
  const auto r = run_dais({"replay", "yuma", broken.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(broken.string() + ": expected JSON, found a syntax error"));

  const auto usage = run_dais({"replay", "yuma", good.string(), "--kappa", "2"});
  CHECK(usage.exit_code == 2);
  CHECK_THAT(usage.err, Catch::Contains("--kappa: expected a number in [0, 1], found 2"));
  CHECK(run_dais({"replay", "shapley", good.string()}).exit_code == 2);
  CHECK(run_dais({"replay", "yuma", (dir / "missing.json").string()}).exit_code == 2);
  const auto help = run_dais({"replay", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("examples:"));
  CHECK_THAT(help.out, Catch::Contains("--bond-penalty"));
  fs::remove_all(dir);
}
