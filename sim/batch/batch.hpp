#pragma once
// A batch: many independent runs, spread over threads (and, built with MPI, over processes), merged in run
// order. Each run is single-threaded and deterministic, so the merged output is byte-identical whatever the
// number of threads or ranks.
//
// Every finished run is committed at once, atomically, as a part file under OUT/.dais/parts/, and dropped
// from memory: a batch holds only the runs in flight. Meanwhile the parts are appended in run order to
// runs.csv, epochs.csv, agents.csv and transfers.csv under temporary names; when all runs are done, these and
// manifest.json are moved into place, each atomically, and OUT/.dais is removed. An interrupted batch (Ctrl-C,
// kill -9, a lost machine) keeps its finished parts; run_batch with `resume` runs only what is missing, and the
// result is byte-identical to an uninterrupted run.

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/run_output.hpp"

namespace dais::batch {

struct OutputSelection {
  bool epochs = true;
  bool agents = true;
  bool transfers = false;
};

// What a batch computes, fixed before it starts.
struct BatchPlan {
  std::vector<io::RunIdentity> runs;  // in run order; runs[i].run_id == i
  io::OutputSchema schema;
  OutputSelection selection;
  // Identifies what the runs compute (the resolved scenario, its sweep, seed, replicates, dais version):
  // resuming a folder whose batch has another identity is refused.
  std::string identity;
};

// Runs the run at plan.runs[index]. Called from worker threads: it must touch only its own state.
using RunFunction = std::function<io::RunOutput(std::size_t index)>;

class Cluster;

struct BatchOptions {
  unsigned jobs = 1;
  bool progress = false;   // a live progress line on stderr
  bool resume = false;     // continue an interrupted batch in the output folder
  // The MPI job to spread the runs over; null or a cluster of one: this process's threads only. In an MPI
  // job every rank calls run_batch with the same plan; rank 0 alone reads and writes the output folder.
  Cluster* cluster = nullptr;
};

// A run that failed (a broken invariant), with the run it was.
class RunError : public std::runtime_error {
 public:
  RunError(const io::RunIdentity& run, const std::string& what);
  [[nodiscard]] const io::RunIdentity& run() const noexcept { return run_; }

 private:
  io::RunIdentity run_;
};

// The output folder holds a batch that cannot be continued as asked (unfinished without --resume, or
// another batch): a usage problem, reported before any run.
class BatchStateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The batch was stopped by a signal; the finished runs are kept for --resume.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(std::int64_t done, std::int64_t total);
  [[nodiscard]] std::int64_t done() const noexcept { return done_; }
  [[nodiscard]] std::int64_t total() const noexcept { return total_; }

 private:
  std::int64_t done_;
  std::int64_t total_;
};

struct BatchResult {
  std::int64_t runs = 0;
  std::int64_t ran = 0;      // runs computed by this invocation (fewer when resuming)
  double seconds = 0.0;
  nlohmann::json files;      // {"runs.csv": rows, ...}
  // On the other ranks of an MPI job: the exit code rank 0 ended with (its exceptions are rank 0's alone).
  int follower_exit_code = 0;
};

// Runs every run of the plan not already committed, then merges. `manifest` is completed with the files
// written and their row counts, the runs' fingerprints and timings. If a run fails, the other runs are
// abandoned, no output is written, and the failure with the lowest run id among those that ran is thrown as
// RunError.
BatchResult run_batch(const BatchPlan& plan, const RunFunction& run, const std::filesystem::path& out_dir,
                      const BatchOptions& options, nlohmann::json& manifest);

// Worker threads to use when --jobs is not given: all cores.
unsigned default_jobs() noexcept;

// The folder, under the output folder, that holds an unfinished batch's state.
std::filesystem::path state_folder(const std::filesystem::path& out_dir);

// One run's rows as a self-describing byte string (a JSON header line, then the tables), and back.
std::string serialize_part(std::size_t run_index, const io::RunOutput& output);
io::RunOutput parse_part(const std::string& bytes, std::size_t expected_run_index);

// A part read in place: its tables are views into its bytes, so the merge copies them once, into the output.
struct PartTables {
  std::string fingerprint;
  std::int64_t agent_epochs = 0;
  std::array<std::string_view, 4> text;  // run, epochs, agents, transfers
  std::array<std::int64_t, 4> rows{};
};
PartTables view_part(std::string_view bytes, std::size_t expected_run_index);

}  // namespace dais::batch
