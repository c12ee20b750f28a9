// End-to-end tests of batches: sweeps compared with `dais compare`, interruption and resume.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "sim/io/atomic_file.hpp"
#include "tests/e2e/cli_support.hpp"

namespace fs = std::filesystem;
using dais::test::BackgroundDais;
using dais::test::read_table;
using dais::test::run_dais;
using dais::test::scratch_dir;
using dais::test::shortened;

namespace {

const fs::path source_dir = DAIS_SOURCE_DIR;

// The files of an output folder, the manifest without its invocation (the one part that may differ).
std::map<std::string, std::string> outputs_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string text = dais::io::read_file(e.path());
    if (e.path().filename() == "manifest.json") {
      auto j = nlohmann::json::parse(text);
      j.erase("invocation");
      text = j.dump();
    }
    files[fs::relative(e.path(), dir).string()] = text;
  }
  return files;
}

}  // namespace

TEST_CASE("a sweep over a rule compares designs paired by replicate", "[e2e][batch]") {
  const fs::path dir = scratch_dir("sweep_compare");
  const fs::path scenario = shortened(source_dir / "scenarios/compare_compute_rules.json", dir, "30d", 3);
  const fs::path out = dir / "out";
  REQUIRE(run_dais({"run", scenario.string(), "--out", out.string(), "--quiet", "--jobs", "2"}).exit_code == 0);
  const auto runs = read_table(out / "runs.csv");
  REQUIRE(runs.size() == 6);
  CHECK(runs[0].at("rewards.compute_provider.rule") == "proportional");
  CHECK(runs[3].at("rewards.compute_provider.rule") == "stake_weighted");
  CHECK(runs[3].at("design") == "rewards.compute_provider.rule=stake_weighted");
  CHECK(runs[3].at("replicate") == "0");
  CHECK(runs[0].at("seed") == runs[3].at("seed"));
  // The same world: the data providers, paid by the same rule in both designs, earn the same.
  for (int r = 0; r < 3; ++r)
    CHECK(runs[r].at("rewards_data_provider_tokens") == runs[r + 3].at("rewards_data_provider_tokens"));
  const auto epochs = read_table(out / "epochs.csv");
  CHECK(epochs.front().at("rewards.compute_provider.rule") == "proportional");

  const auto c = run_dais({"compare", out.string(), "--by", "/rewards/compute_provider/rule", "--metric", "gini_rewards",
                           "hhi_rewards"});
  INFO(c.err);
  REQUIRE(c.exit_code == 0);
  CHECK_THAT(c.out, Catch::Contains("vs baseline rewards.compute_provider.rule=proportional, paired by replicate"));
  const auto rows = read_table(out / "compare.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("metric") == "gini_rewards");
  CHECK(rows[0].at("rewards.compute_provider.rule") == "stake_weighted");
  CHECK(rows[0].at("baseline") == "proportional");
  CHECK(rows[0].at("pairs") == "3");
  // Paying a few whales by stake concentrates rewards: a positive difference in every pair.
  CHECK(std::stod(rows[0].at("difference")) > 0);
  CHECK(rows[0].at("win_rate") == "1");

  const auto wrong = run_dais({"compare", out.string(), "--by", "rewards.developer.rule"});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("--by: expected a sweep parameter of " + out.string() +
                                        " (rewards.compute_provider.rule), found \"rewards.developer.rule\""));
  fs::remove_all(dir);
}

TEST_CASE("dais compare reproduces a hand-computed paired interval", "[e2e][batch]") {
  const fs::path dir = scratch_dir("compare_known");
  dais::io::write_file_atomically(dir / "manifest.json",
                                  R"({"sweep": {"parameters": [{"pointer": "/rule", "column": "rule"}]}})");
  dais::io::write_file_atomically(dir / "runs.csv",
                                  "run_id,design,replicate,seed,rule,gini\n"
                                  "0,rule=a,0,1,a,1.0\n1,rule=a,1,1,a,2.0\n2,rule=a,2,1,a,3.0\n3,rule=a,3,1,a,4.0\n"
                                  "4,rule=b,0,1,b,1.5\n5,rule=b,1,1,b,3.0\n6,rule=b,2,1,b,3.0\n7,rule=b,3,1,b,6.0\n");
  const auto c = run_dais({"compare", dir.string(), "--by", "rule"});
  INFO(c.err);
  REQUIRE(c.exit_code == 0);
  const auto rows = read_table(dir / "compare.csv");
  REQUIRE(rows.size() == 1);
  const auto& row = rows[0];
  // Differences 0.5, 1, 0, 2: mean 0.875, sample sd sqrt(0.7291666...), t(3, 0.975) = 3.182446305284263.
  CHECK(row.at("pairs") == "4");
  CHECK(std::stod(row.at("baseline_mean")) == 2.5);
  CHECK(std::stod(row.at("design_mean")) == 3.375);
  CHECK(std::stod(row.at("difference")) == 0.875);
  CHECK(std::stod(row.at("ci95_low")) == Approx(-0.48376544189824466).epsilon(1e-12));
  CHECK(std::stod(row.at("ci95_high")) == Approx(2.2337654418982447).epsilon(1e-12));
  CHECK(std::stod(row.at("win_rate")) == 0.875);  // three wins and a tie
  const auto narrower = run_dais({"compare", dir.string(), "--by", "rule", "--confidence", "0.9"});
  REQUIRE(narrower.exit_code == 0);
  CHECK(read_table(dir / "compare.csv")[0].count("ci90_low") == 1);
  fs::remove_all(dir);
}

TEST_CASE("a batch killed at a random point resumes to the bytes of an uninterrupted one", "[e2e][batch][long]") {
  const fs::path dir = scratch_dir("kill_resume");
  const fs::path scenario = shortened(source_dir / "scenarios/compare_compute_rules.json", dir, "120d", 12);
  const fs::path whole = dir / "whole";
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(run_dais({"run", scenario.string(), "--out", whole.string(), "--quiet", "--jobs", "2"}).exit_code == 0);
  const auto duration = std::chrono::steady_clock::now() - start;
  std::mt19937_64 rng(std::random_device{}());
  for (int attempt = 0; attempt < 4; ++attempt) {
    const fs::path cut = dir / ("cut" + std::to_string(attempt));
    const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(duration) *
                       std::uniform_real_distribution<double>(0.05, 0.95)(rng);
    {
      BackgroundDais killed({"run", scenario.string(), "--out", cut.string(), "--quiet", "--jobs", "2"}, dir);
      std::this_thread::sleep_for(delay);
      killed.signal(SIGKILL);
      killed.wait();
    }
    INFO("killed after " << delay.count() << " us of " << std::chrono::duration_cast<std::chrono::microseconds>(duration).count());
    const auto resumed = run_dais({"run", scenario.string(), "--out", cut.string(), "--quiet", "--jobs", "2", "--resume"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(outputs_of(cut) == outputs_of(whole));
  }
  fs::remove_all(dir);
}

TEST_CASE("Ctrl-C stops a batch cleanly, says how to resume, and keeps what finished", "[e2e][batch]") {
  const fs::path dir = scratch_dir("sigint");
  const fs::path scenario = shortened(source_dir / "scenarios/b1_small.json", dir, "200d", 40);
  const fs::path whole = dir / "whole";
  REQUIRE(run_dais({"run", scenario.string(), "--out", whole.string(), "--quiet", "--jobs", "1"}).exit_code == 0);
  const fs::path cut = dir / "cut";
  dais::test::CliResult r;
  {
    BackgroundDais interrupted({"run", scenario.string(), "--out", cut.string(), "--jobs", "1"}, dir);
    // Wait until some runs are on disk, then interrupt.
    const fs::path parts = cut / ".dais" / "parts";
    for (int i = 0; i < 2000; ++i) {
      std::error_code ec;
      if (fs::exists(parts, ec) && std::distance(fs::directory_iterator(parts, ec), fs::directory_iterator{}) >= 3) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    interrupted.signal(SIGINT);
    r = interrupted.wait();
  }
  INFO(r.err);
  if (r.exit_code == 0) {
    WARN("the batch finished before the signal arrived; nothing to check");
  } else {
    CHECK(r.exit_code == 130);
    CHECK_THAT(r.err, Catch::Contains("dais: interrupted with "));
    CHECK_THAT(r.err, Catch::Contains("To finish:\n  "));
    CHECK_THAT(r.err, Catch::Contains("--out " + cut.string()));
    CHECK_THAT(r.err, Catch::EndsWith(" --resume\n"));
    CHECK_FALSE(fs::exists(cut / "runs.csv"));
    const auto refused = run_dais({"run", scenario.string(), "--out", cut.string(), "--quiet"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("holds an unfinished batch"));
    REQUIRE(run_dais({"run", scenario.string(), "--out", cut.string(), "--quiet", "--resume"}).exit_code == 0);
    CHECK(outputs_of(cut) == outputs_of(whole));
  }
  fs::remove_all(dir);
}

#ifdef DAIS_MPIRUN
TEST_CASE("mpirun with 1, 2 and 3 ranks writes the bytes of --jobs 1", "[e2e][batch][mpi]") {
  const fs::path dir = scratch_dir("mpi");
  const fs::path scenario = shortened(source_dir / "scenarios/compare_compute_rules.json", dir, "60d", 5);
  const fs::path single = dir / "single";
  REQUIRE(run_dais({"run", scenario.string(), "--out", single.string(), "--quiet", "--jobs", "1"}).exit_code == 0);
  for (const char* ranks : {"1", "2", "3"}) {
    const fs::path out = dir / (std::string("ranks") + ranks);
    // As root (CI) and with more ranks than cores, OpenMPI needs to be told both are fine.
    const std::string command = dais::test::shell_quote(DAIS_MPIRUN) + " --allow-run-as-root --oversubscribe -n " +
                                ranks + " " + dais::test::shell_quote(DAIS_BINARY) + " run " +
                                dais::test::shell_quote(scenario.string()) + " --out " +
                                dais::test::shell_quote(out.string()) + " --quiet > " +
                                dais::test::shell_quote((dir / "mpi.log").string()) + " 2>&1";
    const int status = std::system(command.c_str());
    INFO(ranks << " ranks: " << dais::io::read_file(dir / "mpi.log"));
    REQUIRE(status == 0);
    CHECK(outputs_of(out) == outputs_of(single));
    const auto manifest = nlohmann::json::parse(dais::io::read_file(out / "manifest.json"));
    CHECK(manifest["invocation"]["mpi_ranks"] == std::stoi(ranks));
  }
  fs::remove_all(dir);
}
#endif
