#pragma once
// A batch: many independent runs of one scenario, spread over threads, merged in run order. Each run is
// single-threaded and deterministic, so the merged output is byte-identical whatever --jobs is.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/run_output.hpp"

namespace dais::batch {

using RunFunction = std::function<io::RunOutput(const io::RunIdentity&)>;

struct OutputSelection {
  bool epochs = true;
  bool agents = true;
  bool transfers = false;
};

struct BatchOptions {
  unsigned jobs = 1;
  bool progress = false;  // a live progress line on stderr
};

// A run that failed, with the run it was.
class RunError : public std::runtime_error {
 public:
  RunError(const io::RunIdentity& run, const std::string& what);
  [[nodiscard]] const io::RunIdentity& run() const noexcept { return run_; }

 private:
  io::RunIdentity run_;
};

struct BatchResult {
  std::int64_t runs = 0;
  double seconds = 0.0;
  nlohmann::json files;  // {"runs.csv": rows, ...}
};

// Runs every run, then writes runs.csv, the selected tables and manifest.json into `out_dir` (created if
// needed), each file atomically. `manifest` is completed with the files written and their row counts.
// If a run fails, the remaining runs are abandoned, nothing is written, and the failure with the lowest
// run id among those that ran is thrown as RunError.
BatchResult run_batch(const std::vector<io::RunIdentity>& runs, const RunFunction& run,
                      const io::OutputSchema& schema, const OutputSelection& selection,
                      const std::filesystem::path& out_dir, const BatchOptions& options, nlohmann::json& manifest);

// Worker threads to use for --jobs 0 ("all cores").
unsigned default_jobs() noexcept;

}  // namespace dais::batch
