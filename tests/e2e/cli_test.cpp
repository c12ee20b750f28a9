// End-to-end tests of the `dais` command on real scenario files.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "sim/io/csv.hpp"
#include "sim/ledger/token_amount.hpp"
#include "tests/e2e/cli_support.hpp"

namespace fs = std::filesystem;
using dais::test::run_dais;
using dais::test::read_table;
using dais::test::scratch_dir;
using dais::test::shortened;

namespace {

const fs::path source_dir = DAIS_SOURCE_DIR;

double number(const std::map<std::string, std::string>& row, const std::string& column) { return std::stod(row.at(column)); }

// Runs scenarios/<name>.json shortened to `horizon` and one replicate into `dir`/out, and returns that folder.
fs::path run_shortened(const std::string& name, const fs::path& dir, const std::string& horizon) {
  const fs::path scenario = shortened(source_dir / "scenarios" / (name + ".json"), dir, horizon, 1);
  const auto r = run_dais({"run", scenario.string(), "--out", (dir / "out").string(), "--quiet", "--jobs", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return dir / "out";
}

std::vector<fs::path> json_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

dais::u128 units(const std::string& decimal) {
  std::string err;
  const auto a = dais::ledger::TokenAmount::parse_decimal(decimal, 18, &err);
  if (!a) throw std::runtime_error("bad amount in CSV: " + decimal + " (" + err + ")");
  return a->base_units();
}

}  // namespace

TEST_CASE("dais --help shows every subcommand with examples, and no arguments is a usage error", "[e2e][cli]") {
  const auto help = run_dais({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* word : {"validate", "run", "list", "examples:", "dais run scenarios/baseline.json"})
    CHECK_THAT(help.out, Catch::Contains(word));
  for (const char* cmd : {"validate", "run", "list"}) {
    const auto sub = run_dais({cmd, "--help"});
    CHECK(sub.exit_code == 0);
    CHECK_THAT(sub.out, Catch::Contains("examples:"));
    CHECK_THAT(sub.out, Catch::Contains(std::string("dais ") + cmd));
  }
  CHECK(run_dais({}).exit_code == 2);
  const auto bad = run_dais({"frobnicate"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("unknown command \"frobnicate\""));
}

TEST_CASE("dais --version names the version and the git revision", "[e2e][cli]") {
  const auto v = run_dais({"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("dais 0."));
  CHECK_THAT(v.out, Catch::Contains("git "));
}

TEST_CASE("dais list documents every registered component with its parameters", "[e2e][cli]") {
  const auto rules = run_dais({"list", "rules"});
  CHECK(rules.exit_code == 0);
  CHECK_THAT(rules.out, Catch::Contains("proportional"));
  CHECK_THAT(rules.out, Catch::Contains("stake_weighted"));
  CHECK_THAT(rules.out, Catch::Contains("yuma_dividends\n"));
  CHECK_THAT(rules.out, Catch::Contains("  roles: developer\n"));  // the roles a rule can pay
  const auto schedules = run_dais({"list", "schedules"});
  for (const char* s : {"fixed", "exponential_decay", "half_life", "halving", "halving_by_issuance", "target_inflation"})
    CHECK_THAT(schedules.out, Catch::Contains(s));
  CHECK_THAT(schedules.out, Catch::Contains("initial_inflation"));
  CHECK_THAT(schedules.out, Catch::Contains("tokens/epoch"));
  const auto agents = run_dais({"list", "agents"});
  CHECK_THAT(agents.out, Catch::Contains("contributor"));
  CHECK_THAT(agents.out, Catch::Contains("exit_probability"));
  CHECK_THAT(agents.out, Catch::Contains("0.05"));
  // Each parameter's line gives its type, default, range and unit.
  CHECK_THAT(agents.out, Catch::Contains("exit_probability   real      0.05        [0, 1]       per epoch"));
  CHECK_THAT(schedules.out, Catch::Contains("year               duration  1y          >= 1us"));
  CHECK(run_dais({"list", "roles"}).out == "data_provider\ndeveloper\ncompute_provider\nvalidator\n");
  const auto bad = run_dais({"list", "rulez"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("found \"rulez\""));
}

TEST_CASE("every shipped scenario validates", "[e2e][scenarios]") {
  for (const fs::path& file : json_files_in(source_dir / "scenarios")) {
    const std::string rel = "scenarios/" + file.filename().string();
    const auto r = run_dais({"validate", rel});
    INFO(rel << "\n" << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith(rel + ": ok"));
  }
}

TEST_CASE("every shipped scenario runs, conserves tokens and pays exactly its emission", "[e2e][scenarios]") {
  const fs::path dir = scratch_dir("scenarios");
  for (const fs::path& file : json_files_in(source_dir / "scenarios")) {
    INFO(file.filename().string());
    const fs::path scenario = shortened(file, dir, "20d", 2);
    const fs::path out = dir / file.stem();
    const auto r = run_dais({"run", scenario.string(), "--out", out.string(), "--quiet", "--jobs", "2"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (const char* f : {"runs.csv", "epochs.csv", "agents.csv", "manifest.json"}) CHECK(fs::exists(out / f));
    const auto manifest = nlohmann::json::parse(dais::io::read_file(out / "manifest.json"));
    const std::size_t variants = manifest["sweep"].is_object() ? manifest["sweep"]["variants"].size() : 1;
    const auto runs = read_table(out / "runs.csv");
    CHECK(runs.size() == 2 * variants);
    const auto epochs = read_table(out / "epochs.csv");
    CHECK(epochs.size() == 40 * variants);
    for (const auto& row : epochs) {
      dais::u128 paid = 0;
      for (const auto& [col, value] : row)
        if (col.rfind("rewards_", 0) == 0) paid += units(value);
      CHECK(paid + units(row.at("unpaid_tokens")) == units(row.at("emission_tokens")));
    }
    // Every token an agent received was paid as a reward in some epoch.
    dais::u128 by_agents = 0;
    for (const auto& a : read_table(out / "agents.csv")) by_agents += units(a.at("rewards_tokens"));
    dais::u128 by_runs = 0;
    for (const auto& run : runs) by_runs += units(run.at("rewards_tokens"));
    CHECK(by_agents == by_runs);
    CHECK(manifest["runs"] == 2 * variants);
    CHECK(manifest["files"]["epochs.csv"] == 40 * variants);
  }
  fs::remove_all(dir);
}

TEST_CASE("--jobs 1 and --jobs 2 write byte-identical folders", "[e2e][determinism]") {
  // The contributor economy, and the event-driven compute market and the rules with draws of their own, Sybils
  // whose identities draw their own splits, validators whose observations draw per (validator, developer), and
  // delegators whose stakes and choices draw per delegator.
  const std::string name = GENERATE(as<std::string>{}, "b1_small", "compute_market", "quadratic_funding",
                                      "sybil_quadratic_funding", "yuma_validators", "delegated_staking",
                                      "correlated_slashing");
  INFO(name);
  const fs::path dir = scratch_dir("jobs");
  const fs::path scenario = shortened(source_dir / "scenarios" / (name + ".json"), dir, "60d", 5);
  const auto one = run_dais({"run", scenario.string(), "--out", (dir / "one").string(), "--jobs", "1", "--quiet"});
  const auto two = run_dais({"run", scenario.string(), "--out", (dir / "two").string(), "--jobs", "2", "--quiet"});
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  for (const char* f : {"runs.csv", "epochs.csv", "agents.csv"})
    CHECK(dais::io::read_file(dir / "one" / f) == dais::io::read_file(dir / "two" / f));
  auto m1 = nlohmann::json::parse(dais::io::read_file(dir / "one/manifest.json"));
  auto m2 = nlohmann::json::parse(dais::io::read_file(dir / "two/manifest.json"));
  CHECK(m1["invocation"]["jobs"] == 1);
  CHECK(m2["invocation"]["jobs"] == 2);
  m1.erase("invocation");
  m2.erase("invocation");
  CHECK(m1 == m2);
  fs::remove_all(dir);
}

TEST_CASE("--seed and --replicates override the scenario and the seed changes the results", "[e2e][cli]") {
  const fs::path dir = scratch_dir("seed");
  const fs::path scenario = shortened(source_dir / "scenarios/baseline.json", dir, "10d", 1);
  REQUIRE(run_dais({"run", scenario.string(), "--out", (dir / "a").string(), "--seed", "1", "--replicates", "3", "--quiet"}).exit_code == 0);
  REQUIRE(run_dais({"run", scenario.string(), "--out", (dir / "b").string(), "--seed", "2", "--replicates", "3", "--quiet"}).exit_code == 0);
  const auto a = read_table(dir / "a/runs.csv");
  const auto b = read_table(dir / "b/runs.csv");
  REQUIRE(a.size() == 3);
  CHECK(a[0].at("seed") == "1");
  CHECK(b[0].at("seed") == "2");
  CHECK(a[0].at("fingerprint") != b[0].at("fingerprint"));
  CHECK(a[0].at("fingerprint") != a[1].at("fingerprint"));
  const auto bad = run_dais({"run", scenario.string(), "--replicates", "0"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--replicates: expected 1..1000000, found 0"));
  fs::remove_all(dir);
}

TEST_CASE("run writes to results/<name> by default", "[e2e][cli]") {
  const fs::path dir = scratch_dir("default_out");
  const fs::path scenario = shortened(source_dir / "scenarios/baseline.json", dir, "3d", 1);
  const auto r = run_dais({"run", scenario.string(), "--quiet"}, dir);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(dir / "results/baseline/runs.csv"));
  fs::remove_all(dir);
}

TEST_CASE("an output folder that cannot be created is a clear error", "[e2e][cli]") {
  const fs::path dir = scratch_dir("blocked");
  dais::io::write_file_atomically(dir / "file", "not a folder");
  const fs::path scenario = shortened(source_dir / "scenarios/baseline.json", dir, "3d", 1);
  const auto r = run_dais({"run", scenario.string(), "--out", (dir / "file/sub").string(), "--quiet"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains((dir / "file/sub").string()));
  fs::remove_all(dir);
}

TEST_CASE("every broken scenario of the corpus gets its exact message and leaves no output behind", "[e2e][bad-input]") {
  const fs::path dir = scratch_dir("corpus");
  const auto files = json_files_in(source_dir / "tests/bad_scenarios");
  CHECK(files.size() >= 20);
  for (const fs::path& file : files) {
    const std::string rel = "tests/bad_scenarios/" + file.filename().string();
    INFO(rel);
    fs::path expected_file = file;
    expected_file.replace_extension(".expected");
    const std::string expected = dais::io::read_file(expected_file);
    const auto v = run_dais({"validate", rel});
    CHECK(v.exit_code == 2);
    CHECK(v.err == expected);
    CHECK(v.out.empty());
    const fs::path out = dir / file.stem();
    const auto r = run_dais({"run", rel, "--out", out.string(), "--quiet"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == expected);
    CHECK_FALSE(fs::exists(out));
  }
  fs::remove_all(dir);
}

// The adversaries' scenarios: the Sybil gain in runs.csv and `dais compare`, free riders' pay by data rule,
// whales' stake shares in epochs.csv.
TEST_CASE("sybil_quadratic_funding: g(k) is 1 pro rata and grows with k under quadratic funding", "[e2e][adversaries]") {
  const fs::path dir = scratch_dir("sybil");
  const fs::path out = run_shortened("sybil_quadratic_funding", dir, "30d");
  std::map<std::string, std::map<int, double>> gain;  // by rule, then k
  for (const auto& run : read_table(out / "runs.csv"))
    gain[run.at("rewards.developer.rule")][std::stoi(run.at("agents.2.params.identities"))] = number(run, "sybil_gain");
  for (int k : {1, 2, 4, 8}) CHECK(gain["proportional"][k] == Approx(1.0).epsilon(1e-9));
  CHECK(gain["quadratic_funding"][1] == 1.0);
  CHECK(gain["quadratic_funding"][2] > 1.0);
  CHECK(gain["quadratic_funding"][4] > gain["quadratic_funding"][2]);
  CHECK(gain["quadratic_funding"][8] > gain["quadratic_funding"][4]);
  const auto compare = run_dais({"compare", out.string(), "--by", "rewards.developer.rule", "--metric", "sybil_gain"});
  CHECK(compare.exit_code == 0);
  CHECK_THAT(compare.out, Catch::Contains("sybil_gain"));
  fs::remove_all(dir);
}

TEST_CASE("free_riding_data: free riders take their volume's share pro rata and little by the value of their data", "[e2e][adversaries]") {
  const fs::path dir = scratch_dir("free_riding");
  const fs::path out = run_shortened("free_riding_data", dir, "5d");
  std::map<std::string, double> free_share;  // of the data providers' rewards, by rule
  std::map<std::string, double> data_rewards;
  for (const auto& a : read_table(out / "agents.csv")) {
    if (a.at("role") != "data_provider") continue;
    const std::string rule = a.at("rewards.data_provider.rule");
    data_rewards[rule] += number(a, "rewards_tokens");
    if (a.at("model") == "low_quality_data") free_share[rule] += number(a, "rewards_tokens");
  }
  for (auto& [rule, share] : free_share) share /= data_rewards[rule];
  INFO("free riders' share: proportional " << free_share["proportional"] << ", data_shapley " << free_share["data_shapley"]);
  // A fifth of the providers, drawing their work like the others: about a fifth pro rata.
  CHECK(free_share["proportional"] > 0.1);
  CHECK(free_share["data_shapley"] < 0.25 * free_share["proportional"]);
  fs::remove_all(dir);
}

TEST_CASE("whale_staking: restaking whales hold a growing share of the stake", "[e2e][adversaries]") {
  const fs::path dir = scratch_dir("whales");
  const fs::path out = run_shortened("whale_staking", dir, "30d");
  std::map<std::string, double> last;  // stake share in the last epoch, by restake_share
  for (const auto& e : read_table(out / "epochs.csv"))
    last[e.at("agents.2.params.restake_share")] = number(e, "stake_share_compute_whales");
  CHECK(last.at("1.0") > last.at("0.0"));
  fs::remove_all(dir);
}
