// run_batch over the ranks of an MPI job. Rank 0 prepares the output folder, then hands out run indices from the
// same list its own threads take from: another rank asks for a run, computes it and sends its part back, and
// rank 0 commits it. Parts travel over MPI, so the ranks need no shared filesystem. Rank 0 merges them in run
// order, exactly as a single process would, and at the end tells every rank how the batch ended.

#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/serialization/string.hpp>
#include <csignal>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/batch/batch_run.hpp"
#include "sim/batch/mpi_cluster.hpp"
#include "sim/io/atomic_file.hpp"

namespace dais::batch {

namespace {

enum Tag : int { ask = 1, assign = 2, result = 3, retired = 4 };

constexpr int exit_ok = 0;
constexpr int exit_failed = 1;
constexpr int exit_bad_state = 2;
constexpr int exit_interrupted = 130;

// What a rank sends back for one run.
struct RunResult {
  std::int64_t index = -1;
  bool ok = false;
  std::string fingerprint;
  std::string text;  // the part, or the error

  template <class Archive>
  void serialize(Archive& archive, unsigned /*version*/) {
    archive& index& ok& fingerprint& text;
  }
};

int exit_code_of(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const Interrupted&) {
    return exit_interrupted;
  } catch (const BatchStateError&) {
    return exit_bad_state;
  } catch (const io::IoError&) {
    return exit_bad_state;
  } catch (...) {
    return exit_failed;
  }
}

BatchResult lead(const BatchPlan& plan, const RunFunction& run, const std::filesystem::path& out_dir,
                 const BatchOptions& options, nlohmann::json& manifest, boost::mpi::communicator& world) {
  std::unique_ptr<BatchRun> batch;
  std::exception_ptr failure;
  try {
    batch = std::make_unique<BatchRun>(plan, run, out_dir, options);
  } catch (...) {
    failure = std::current_exception();
  }
  int start = failure ? exit_code_of(failure) : exit_ok;
  boost::mpi::broadcast(world, start, 0);
  if (failure) std::rethrow_exception(failure);

  int serving = world.size() - 1;  // ranks that may still ask for runs
  batch->run_local(batch->threads_for(options.jobs), [&] {
    auto last_progress = std::chrono::steady_clock::now();
    while (serving > 0) {
      const auto status = world.iprobe(boost::mpi::any_source, boost::mpi::any_tag);
      if (!status) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      } else if (status->tag() == ask) {
        world.recv(status->source(), ask);
        const auto next = batch->take();
        world.send(status->source(), assign, next ? static_cast<std::int64_t>(*next) : std::int64_t{-1});
      } else if (status->tag() == result) {
        RunResult r;
        world.recv(status->source(), result, r);
        const auto index = static_cast<std::size_t>(r.index);
        if (r.ok) batch->commit(index, r.text, r.fingerprint);
        else batch->fail(index, r.text + " (on rank " + std::to_string(status->source()) + ")");
      } else {
        world.recv(status->source(), retired);
        --serving;
      }
      if (std::chrono::steady_clock::now() - last_progress > std::chrono::milliseconds(250)) {
        batch->show_progress(false);
        last_progress = std::chrono::steady_clock::now();
      }
    }
  });
  BatchResult outcome;
  try {
    outcome = batch->finish(manifest);
  } catch (...) {
    failure = std::current_exception();
  }
  int end = failure ? exit_code_of(failure) : exit_ok;
  boost::mpi::broadcast(world, end, 0);
  if (failure) std::rethrow_exception(failure);
  return outcome;
}

BatchResult follow(const BatchPlan& plan, const RunFunction& run, const BatchOptions& options,
                   boost::mpi::communicator& world) {
  BatchResult outcome;
  int start = exit_ok;
  boost::mpi::broadcast(world, start, 0);
  if (start != exit_ok) {
    outcome.follower_exit_code = start;
    return outcome;
  }
  // Rank 0 decides when to stop; a signal here must not kill this rank before its runs are sent.
  std::signal(SIGINT, SIG_IGN);
  std::mutex mpi;  // threading level "serialized": one MPI call at a time
  const auto work = [&] {
    for (;;) {
      std::int64_t index = -1;
      {
        const std::lock_guard lock(mpi);
        world.send(0, ask);
        world.recv(0, assign, index);
      }
      if (index < 0) return;
      RunResult r;
      r.index = index;
      try {
        const io::RunOutput output = run(static_cast<std::size_t>(index));
        r.text = serialize_part(static_cast<std::size_t>(index), output);
        r.fingerprint = output.fingerprint;
        r.ok = true;
      } catch (const std::exception& e) {
        r.text = e.what();
      }
      const std::lock_guard lock(mpi);
      world.send(0, result, r);
    }
  };
  {
    std::vector<std::jthread> pool;
    const unsigned threads = std::max(1u, options.jobs);
    for (unsigned j = 0; j < threads && j < plan.runs.size(); ++j) pool.emplace_back(work);
  }
  world.send(0, retired);
  int end = exit_ok;
  boost::mpi::broadcast(world, end, 0);
  outcome.runs = static_cast<std::int64_t>(plan.runs.size());
  outcome.follower_exit_code = end;
  return outcome;
}

}  // namespace

BatchResult run_distributed(const BatchPlan& plan, const RunFunction& run, const std::filesystem::path& out_dir,
                            const BatchOptions& options, nlohmann::json& manifest, Cluster& cluster) {
  boost::mpi::communicator& world = ClusterAccess::world(cluster);
  return cluster.is_root() ? lead(plan, run, out_dir, options, manifest, world) : follow(plan, run, options, world);
}

}  // namespace dais::batch
