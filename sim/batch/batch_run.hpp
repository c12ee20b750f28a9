#pragma once
// The state of one batch in progress, shared by the local thread pool and the MPI dispatcher: which runs are
// still to do, which are done, their fingerprints and failures. Internal to dais::batch.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "sim/batch/batch.hpp"
#include "sim/batch/merge.hpp"

namespace dais::batch {

class BatchRun {
 public:
  // Checks and prepares the output folder (refusing an unfinished batch without --resume) and finds the runs
  // still to do.
  BatchRun(const BatchPlan& plan, const RunFunction& run, std::filesystem::path out_dir, const BatchOptions& options);

  // The next run to compute, or none when all are taken, a run failed, or a stop was asked for.
  std::optional<std::size_t> take();
  // A run computed here or elsewhere: its part is committed to disk at once, and merged if its turn has come.
  void commit(std::size_t index, const std::string& part, const std::string& fingerprint);
  void fail(std::size_t index, const std::string& what);

  // Computes runs on `jobs` threads until none is left. `beside`, if given, runs on the calling thread
  // meanwhile (the MPI dispatcher); otherwise the calling thread shows progress.
  void run_local(unsigned jobs, const std::function<void()>& beside = {});
  // Throws RunError or Interrupted, or merges the parts left and writes the manifest.
  BatchResult finish(nlohmann::json& manifest);

  [[nodiscard]] unsigned threads_for(unsigned jobs) const noexcept;
  [[nodiscard]] bool all_taken() const noexcept;
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }
  [[nodiscard]] std::int64_t ran() const noexcept { return ran_.load(); }
  [[nodiscard]] bool failed() const noexcept { return failed_.load(); }
  void show_progress(bool final) const;

 private:
  void work();
  void finished();

  const BatchPlan& plan_;
  const RunFunction& run_;
  std::filesystem::path out_dir_;
  BatchOptions options_;
  std::chrono::steady_clock::time_point start_;
  bool folder_existed_ = false;
  std::vector<std::size_t> pending_;
  std::vector<std::string> fingerprints_;
  std::vector<std::optional<std::string>> errors_;
  std::atomic<std::size_t> cursor_{0};
  std::atomic<std::int64_t> done_{0};
  std::atomic<std::int64_t> ran_{0};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::condition_variable progressed_;
  std::unique_ptr<OrderedMerge> merge_;  // reset early when a failed run removes the folder
};

// The MPI path of run_batch: rank 0 hands out runs to its own threads and to the other ranks, which send
// their parts back; only rank 0 touches the output folder. Every rank returns when rank 0 is done.
BatchResult run_distributed(const BatchPlan& plan, const RunFunction& run, const std::filesystem::path& out_dir,
                            const BatchOptions& options, nlohmann::json& manifest, Cluster& cluster);

}  // namespace dais::batch
