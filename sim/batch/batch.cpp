#include "sim/batch/batch.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/io/atomic_file.hpp"
#include "sim/io/manifest.hpp"

namespace dais::batch {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void print_progress(std::int64_t done, std::int64_t total, double elapsed, bool final) {
  const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0.0;
  std::fprintf(stderr, "\r  runs %lld/%lld  elapsed %.1fs  eta %.1fs   %s", static_cast<long long>(done),
               static_cast<long long>(total), elapsed, eta, final ? "\n" : "");
  std::fflush(stderr);
}

// Writes one merged table: the header, then every run's rows in run order.
std::int64_t write_table(const std::filesystem::path& file, const std::vector<std::string>& columns,
                         const std::vector<std::optional<io::RunOutput>>& outputs,
                         const io::CsvBuffer io::RunOutput::*table) {
  io::AtomicFile out(file);
  out.write(io::csv_header(columns));
  std::int64_t rows = 0;
  for (const auto& o : outputs) {
    const io::CsvBuffer& buffer = (*o).*table;
    out.write(buffer.text());
    rows += buffer.rows();
  }
  out.commit();
  return rows;
}

}  // namespace

RunError::RunError(const io::RunIdentity& run, const std::string& what)
    : std::runtime_error(fmt::format("run {} (replicate {}): {}", run.run_id, run.replicate, what)), run_(run) {}

unsigned default_jobs() noexcept {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

BatchResult run_batch(const std::vector<io::RunIdentity>& runs, const RunFunction& run,
                      const io::OutputSchema& schema, const OutputSelection& selection,
                      const std::filesystem::path& out_dir, const BatchOptions& options, nlohmann::json& manifest) {
  const auto start = Clock::now();
  // Made before any run, so a folder that cannot be made costs no computing; removed again if the batch fails.
  std::error_code ec;
  const bool folder_existed = std::filesystem::exists(out_dir, ec);
  io::create_folder(out_dir);
  const auto total = static_cast<std::int64_t>(runs.size());
  std::vector<std::optional<io::RunOutput>> outputs(runs.size());
  std::vector<std::optional<std::string>> errors(runs.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::atomic<std::int64_t> done{0};
  std::mutex mutex;
  std::condition_variable progressed;

  auto worker = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= runs.size() || failed.load()) break;
      try {
        outputs[i] = run(runs[i]);
      } catch (const std::exception& e) {
        errors[i] = e.what();
        failed.store(true);
      }
      done.fetch_add(1);
      progressed.notify_one();
    }
  };

  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(std::max<std::int64_t>(1, total))));
  {
    std::vector<std::jthread> pool;
    for (unsigned j = 0; j < jobs; ++j) pool.emplace_back(worker);
    if (options.progress) {
      std::unique_lock lock(mutex);
      while (done.load() < total && !failed.load()) {
        progressed.wait_for(lock, std::chrono::milliseconds(250));
        print_progress(done.load(), total, seconds_since(start), false);
      }
    }
  }  // joins the workers
  if (options.progress) print_progress(done.load(), total, seconds_since(start), true);

  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!errors[i]) continue;
    if (!folder_existed) std::filesystem::remove(out_dir, ec);
    throw RunError(runs[i], *errors[i]);
  }

  BatchResult result;
  result.runs = total;
  result.files["runs.csv"] = write_table(out_dir / "runs.csv", schema.runs, outputs, &io::RunOutput::run);
  if (selection.epochs)
    result.files["epochs.csv"] = write_table(out_dir / "epochs.csv", schema.epochs, outputs, &io::RunOutput::epochs);
  if (selection.agents)
    result.files["agents.csv"] = write_table(out_dir / "agents.csv", schema.agents, outputs, &io::RunOutput::agents);
  if (selection.transfers)
    result.files["transfers.csv"] =
        write_table(out_dir / "transfers.csv", schema.transfers, outputs, &io::RunOutput::transfers);
  result.seconds = seconds_since(start);
  manifest["runs"] = total;
  manifest["files"] = result.files;
  manifest[io::manifest_invocation_key]["finished_at"] = io::iso8601_utc(io::unix_now());
  manifest[io::manifest_invocation_key]["wall_seconds"] = result.seconds;
  nlohmann::json fingerprints = nlohmann::json::array();
  for (const auto& o : outputs) fingerprints.push_back(o->fingerprint);
  manifest["fingerprints"] = fingerprints;
  io::write_manifest(out_dir / "manifest.json", manifest);
  return result;
}

}  // namespace dais::batch
