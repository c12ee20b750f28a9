#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "sim/batch/batch.hpp"
#include "sim/io/atomic_file.hpp"

namespace fs = std::filesystem;
using namespace dais;

namespace {

io::OutputSchema schema() {
  io::OutputSchema s;
  s.runs = {"run_id", "design", "replicate", "seed", "value"};
  s.epochs = {"run_id", "design", "replicate", "seed", "epoch"};
  s.agents = {"run_id", "design", "replicate", "seed", "agent"};
  s.transfers = {"run_id", "design", "replicate", "seed", "n"};
  return s;
}

// A fake run whose rows depend only on its identity; later runs finish first to shuffle completion order.
io::RunOutput fake_run(const io::RunIdentity& id, std::int64_t total) {
  std::this_thread::sleep_for(std::chrono::milliseconds(2 * (total - id.run_id)));
  io::RunOutput out;
  io::write_identity(out.run, id);
  out.run.field(id.run_id * 10);
  out.run.end_row();
  for (int e = 0; e < 3; ++e) {
    io::write_identity(out.epochs, id);
    out.epochs.field(e);
    out.epochs.end_row();
  }
  out.fingerprint = "fp" + std::to_string(id.run_id);
  return out;
}

std::vector<io::RunIdentity> identities(std::int64_t n) {
  std::vector<io::RunIdentity> runs;
  for (std::int64_t r = 0; r < n; ++r) runs.push_back({r, "d", r, 7});
  return runs;
}

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("dais_batch_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("a batch merges runs in run order whatever order they finish in", "[batch]") {
  const auto runs = identities(6);
  const batch::RunFunction f = [](const io::RunIdentity& id) { return fake_run(id, 6); };
  const fs::path one = fresh("one");
  const fs::path three = fresh("three");
  nlohmann::json m1 = {{"invocation", {{"jobs", 1}}}};
  nlohmann::json m3 = {{"invocation", {{"jobs", 3}}}};
  const auto r1 = batch::run_batch(runs, f, schema(), {true, false, false}, one, {1, false}, m1);
  batch::run_batch(runs, f, schema(), {true, false, false}, three, {3, false}, m3);
  CHECK(r1.runs == 6);
  const std::string expected_runs =
      "run_id,design,replicate,seed,value\n0,d,0,7,0\n1,d,1,7,10\n2,d,2,7,20\n3,d,3,7,30\n4,d,4,7,40\n5,d,5,7,50\n";
  CHECK(io::read_file(one / "runs.csv") == expected_runs);
  CHECK(io::read_file(three / "runs.csv") == expected_runs);
  CHECK(io::read_file(one / "epochs.csv") == io::read_file(three / "epochs.csv"));
  CHECK_FALSE(fs::exists(one / "agents.csv"));
  CHECK(m1["files"]["epochs.csv"] == 18);
  CHECK(m1["fingerprints"][5] == "fp5");
  CHECK(m1["invocation"].contains("finished_at"));
  fs::remove_all(one);
  fs::remove_all(three);
}

TEST_CASE("a failing run stops the batch, names the run and writes nothing", "[batch]") {
  const auto runs = identities(8);
  const batch::RunFunction f = [](const io::RunIdentity& id) {
    if (id.run_id == 2 || id.run_id == 5) throw std::runtime_error("conservation violated");
    return fake_run(id, 0);
  };
  const fs::path out = fresh("fail");
  nlohmann::json m;
  try {
    batch::run_batch(runs, f, schema(), {}, out, {2, false}, m);
    FAIL("expected RunError");
  } catch (const batch::RunError& e) {
    CHECK(std::string(e.what()) == "run 2 (replicate 2): conservation violated");
    CHECK(e.run().run_id == 2);
  }
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("default_jobs is at least one", "[batch]") { CHECK(batch::default_jobs() >= 1); }
