#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <map>
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

batch::BatchPlan plan_of(std::int64_t n, batch::OutputSelection selection = {true, false, false}) {
  batch::BatchPlan plan;
  for (std::int64_t r = 0; r < n; ++r) plan.runs.push_back({r, "d", r, 7, {}});
  plan.schema = schema();
  plan.selection = selection;
  plan.identity = "plan-" + std::to_string(n);
  return plan;
}

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("dais_batch_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// Every file of a folder (hidden ones too) with its bytes, for byte-for-byte comparisons.
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = io::read_file(e.path());
  return files;
}

}  // namespace

TEST_CASE("a batch merges runs in run order whatever order they finish in", "[batch]") {
  const auto plan = plan_of(6);
  const batch::RunFunction f = [&](std::size_t i) { return fake_run(plan.runs[i], 6); };
  const fs::path one = fresh("one");
  const fs::path three = fresh("three");
  nlohmann::json m1 = {{"invocation", {{"jobs", 1}}}};
  nlohmann::json m3 = {{"invocation", {{"jobs", 3}}}};
  const auto r1 = batch::run_batch(plan, f, one, {1, false, false}, m1);
  batch::run_batch(plan, f, three, {3, false, false}, m3);
  CHECK(r1.runs == 6);
  CHECK(r1.ran == 6);
  const std::string expected_runs =
      "run_id,design,replicate,seed,value\n0,d,0,7,0\n1,d,1,7,10\n2,d,2,7,20\n3,d,3,7,30\n4,d,4,7,40\n5,d,5,7,50\n";
  CHECK(io::read_file(one / "runs.csv") == expected_runs);
  CHECK(io::read_file(three / "runs.csv") == expected_runs);
  CHECK(io::read_file(one / "epochs.csv") == io::read_file(three / "epochs.csv"));
  CHECK_FALSE(fs::exists(one / "agents.csv"));
  CHECK_FALSE(fs::exists(batch::state_folder(one)));  // the parts are gone once merged
  CHECK(m1["files"]["epochs.csv"] == 18);
  CHECK(m1["fingerprints"][5] == "fp5");
  CHECK(m1["invocation"].contains("finished_at"));
  fs::remove_all(one);
  fs::remove_all(three);
}

TEST_CASE("a failing run stops the batch, names the run and writes nothing", "[batch]") {
  const auto plan = plan_of(8);
  const batch::RunFunction f = [&](std::size_t i) {
    if (i == 2 || i == 5) throw std::runtime_error("conservation violated");
    return fake_run(plan.runs[i], 0);
  };
  const fs::path out = fresh("fail");
  nlohmann::json m;
  try {
    batch::run_batch(plan, f, out, {2, false, false}, m);
    FAIL("expected RunError");
  } catch (const batch::RunError& e) {
    CHECK(std::string(e.what()) == "run 2 (d, replicate 2): conservation violated");
    CHECK(e.run().run_id == 2);
  }
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("a part holds one run's tables and reads back to the same bytes", "[batch]") {
  const auto plan = plan_of(3);
  io::RunOutput out = fake_run(plan.runs[2], 0);
  out.agents.field(std::string_view{"a,\"quoted\"\nline"}).end_row();
  out.agent_epochs = 42;
  const std::string bytes = batch::serialize_part(2, out);
  const io::RunOutput back = batch::parse_part(bytes, 2);
  CHECK(back.run.text() == out.run.text());
  CHECK(back.epochs.text() == out.epochs.text());
  CHECK(back.epochs.rows() == 3);
  CHECK(back.agents.text() == out.agents.text());
  CHECK(back.fingerprint == "fp2");
  CHECK(back.agent_epochs == 42);
  CHECK_THROWS(batch::parse_part(bytes, 1));                              // another run's part
  CHECK_THROWS(batch::parse_part(bytes.substr(0, bytes.size() - 1), 2));  // cut short
  CHECK_THROWS(batch::parse_part(bytes + "x", 2));
}

TEST_CASE("an interrupted batch keeps its finished runs and resumes to the same bytes", "[batch]") {
  const auto plan = plan_of(12, {true, true, false});
  const fs::path whole = fresh("whole");
  const fs::path cut = fresh("cut");
  nlohmann::json m_whole = {{"invocation", {{"jobs", 1}}}};
  const batch::RunFunction f = [&](std::size_t i) { return fake_run(plan.runs[i], 0); };
  batch::run_batch(plan, f, whole, {2, false, false}, m_whole);

  // Ctrl-C arrives while run 4 computes: the runs in flight finish, nothing new starts.
  std::atomic<int> computed{0};
  const batch::RunFunction interrupting = [&](std::size_t i) {
    if (i == 4) std::raise(SIGINT);
    ++computed;
    return fake_run(plan.runs[i], 0);
  };
  nlohmann::json m_cut = {{"invocation", {{"jobs", 1}}}};
  try {
    batch::run_batch(plan, interrupting, cut, {1, false, false}, m_cut);
    FAIL("expected Interrupted");
  } catch (const batch::Interrupted& e) {
    CHECK(e.done() == 5);  // runs 0..4, the one in flight included
    CHECK(e.total() == 12);
  }
  CHECK_FALSE(fs::exists(cut / "runs.csv"));
  CHECK(fs::exists(batch::state_folder(cut)));

  // Without --resume the unfinished batch is not overwritten.
  nlohmann::json m_refused;
  CHECK_THROWS_WITH(batch::run_batch(plan, f, cut, {2, false, false}, m_refused),
                    Catch::Contains("holds an unfinished batch (5 of 12 runs done); add --resume"));
  // Another batch is not mixed into it.
  auto other = plan_of(12, {true, true, false});
  other.identity = "another";
  CHECK_THROWS_WITH(batch::run_batch(other, f, cut, {2, false, true}, m_refused),
                    Catch::Contains("unfinished batch of another scenario"));

  // A damaged part (a kill during a write leaves only temporaries, but a disk can fail) is computed again.
  io::write_file_atomically(batch::state_folder(cut) / "parts" / "run-00000001.part", "garbage");
  computed = 0;
  nlohmann::json m_resumed = {{"invocation", {{"jobs", 1}}}};
  const auto result = batch::run_batch(plan, interrupting, cut, {2, false, true}, m_resumed);
  CHECK(result.ran == 8);  // 7 missing + the damaged one
  CHECK(computed == 8);
  auto resumed_files = files_of(cut);
  auto whole_files = files_of(whole);
  auto without_invocation = [](const std::string& text) {
    auto j = nlohmann::json::parse(text);
    j.erase("invocation");
    return j;
  };
  CHECK(without_invocation(resumed_files.at("manifest.json")) == without_invocation(whole_files.at("manifest.json")));
  resumed_files.erase("manifest.json");
  whole_files.erase("manifest.json");
  CHECK(resumed_files == whole_files);
  fs::remove_all(whole);
  fs::remove_all(cut);
}

TEST_CASE("a part that cannot be read back when its turn comes fails the batch and keeps it for --resume",
          "[batch]") {
  const auto plan = plan_of(4);
  const fs::path out = fresh("unreadable");
  const batch::RunFunction f = [&](std::size_t i) { return fake_run(plan.runs[i], 0); };
  // Run 0 is slow, so run 1 waits on disk for its turn; run 2 damages it there.
  const batch::RunFunction damaging = [&](std::size_t i) {
    if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (i == 2) io::write_file_atomically(batch::state_folder(out) / "parts" / "run-00000001.part", "garbage");
    return f(i);
  };
  nlohmann::json m;
  CHECK_THROWS_WITH(batch::run_batch(plan, damaging, out, {2, false, false}, m),
                    Catch::Contains("cannot merge run 1 from ") && Catch::Contains("run-00000001.part: part without a header") &&
                        Catch::Contains("--resume"));
  CHECK_FALSE(fs::exists(out / "runs.csv"));
  CHECK(files_of(out).size() == 5);  // batch.json and the four parts: no merged temporary is left
  nlohmann::json m_resumed;
  const auto resumed = batch::run_batch(plan, f, out, {2, false, true}, m_resumed);
  CHECK(resumed.ran == 1);
  CHECK(io::read_file(out / "runs.csv") ==
        "run_id,design,replicate,seed,value\n0,d,0,7,0\n1,d,1,7,10\n2,d,2,7,20\n3,d,3,7,30\n");
  fs::remove_all(out);
}

TEST_CASE("temporaries a killed process left behind are removed, and only they", "[batch]") {
  const auto plan = plan_of(2);
  const fs::path out = fresh("stale");
  fs::create_directories(out);
  io::write_file_atomically(out / "notes.txt", "mine");
  std::FILE* stale = std::fopen((out / ".epochs.csv.tmp-99999").c_str(), "w");
  REQUIRE(stale != nullptr);
  std::fclose(stale);
  nlohmann::json m;
  batch::run_batch(plan, [&](std::size_t i) { return fake_run(plan.runs[i], 0); }, out, {1, false, false}, m);
  CHECK_FALSE(fs::exists(out / ".epochs.csv.tmp-99999"));
  CHECK(io::read_file(out / "notes.txt") == "mine");
  fs::remove_all(out);
}

TEST_CASE("default_jobs is at least one", "[batch]") { CHECK(batch::default_jobs() >= 1); }
