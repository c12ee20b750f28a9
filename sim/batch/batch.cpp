#include "sim/batch/batch_run.hpp"
#include "sim/batch/cluster.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/io/atomic_file.hpp"
#include "sim/io/manifest.hpp"

namespace dais::batch {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string format_seconds(double s) {
  if (s < 60) return fmt::format("{:.1f}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return fmt::format("{}h{:02}m", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
}

void print_progress(std::int64_t done, std::int64_t total, double elapsed, std::int64_t ran, bool final) {
  const double eta = ran > 0 ? elapsed / static_cast<double>(ran) * static_cast<double>(total - done) : 0.0;
  std::fprintf(stderr, "\r  runs %lld/%lld  elapsed %s  eta %s   %s", static_cast<long long>(done),
               static_cast<long long>(total), format_seconds(elapsed).c_str(),
               ran > 0 ? format_seconds(eta).c_str() : "?", final ? "\n" : "");
  std::fflush(stderr);
}

// Ctrl-C (or SIGTERM) asks the batch to stop taking runs; the runs in flight finish and are kept. A second
// signal ends the process at once: the committed parts are on disk either way.
std::atomic<int> signals_received{0};

extern "C" void on_stop_signal(int) {
  if (signals_received.fetch_add(1) >= 1) _exit(130);
}

class StopSignals {
 public:
  StopSignals() {
    signals_received = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  [[nodiscard]] static bool requested() noexcept { return signals_received.load() > 0; }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

fs::path parts_folder(const fs::path& out_dir) { return state_folder(out_dir) / "parts"; }
fs::path part_file(const fs::path& out_dir, std::size_t index) {
  return parts_folder(out_dir) / fmt::format("run-{:08}.part", index);
}
fs::path state_file(const fs::path& out_dir) { return state_folder(out_dir) / "batch.json"; }

// A committed part, if there is a readable one for this run (a damaged one is computed again).
std::optional<io::RunOutput> committed_part(const fs::path& out_dir, std::size_t index) {
  std::error_code ec;
  if (!fs::exists(part_file(out_dir, index), ec)) return std::nullopt;
  try {
    return parse_part(io::read_file(part_file(out_dir, index)), index);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Removes what a killed process left half-written: temporaries (".NAME.tmp-PID", sim/io/atomic_file.hpp) of the
// outputs and parts. The files they were meant to replace are whole, or absent.
void remove_stale_temporaries(const fs::path& out_dir) {
  std::error_code ec;
  for (const fs::path& dir : {out_dir, parts_folder(out_dir), state_folder(out_dir)}) {
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with(".") && name.find(".tmp-") != std::string::npos) fs::remove(entry.path(), ec);
    }
  }
}

// Checks the output folder against the plan and records the plan in it. Returns the runs still to do.
std::vector<std::size_t> prepare(const BatchPlan& plan, const fs::path& out_dir, const BatchOptions& options,
                                 std::vector<std::string>& fingerprints) {
  std::error_code ec;
  remove_stale_temporaries(out_dir);
  const bool unfinished = fs::exists(state_file(out_dir), ec);
  const auto total = plan.runs.size();
  std::vector<std::size_t> pending;
  if (unfinished) {
    nlohmann::json state;
    try {
      state = nlohmann::json::parse(io::read_file(state_file(out_dir)));
    } catch (const std::exception& e) {
      throw BatchStateError(fmt::format("{} is damaged ({}); remove {} to start the batch over",
                                        state_file(out_dir).string(), e.what(), state_folder(out_dir).string()));
    }
    if (state.value("identity", "") != plan.identity || state.value("runs", std::size_t{0}) != total) {
      throw BatchStateError(fmt::format(
          "{} holds an unfinished batch of another scenario or sweep; remove {} to start this one there",
          out_dir.string(), state_folder(out_dir).string()));
    }
    std::size_t done = 0;
    for (std::size_t i = 0; i < total; ++i) {
      if (auto part = committed_part(out_dir, i)) {
        fingerprints[i] = part->fingerprint;
        ++done;
      } else {
        pending.push_back(i);
      }
    }
    if (!options.resume) {
      throw BatchStateError(fmt::format("{} holds an unfinished batch ({} of {} runs done); add --resume to finish "
                                        "it, or remove {} to start over",
                                        out_dir.string(), done, total, state_folder(out_dir).string()));
    }
    return pending;
  }
  io::create_folder(parts_folder(out_dir));
  io::write_file_atomically(state_file(out_dir),
                            nlohmann::json{{"identity", plan.identity}, {"runs", total}}.dump(2) + "\n");
  for (std::size_t i = 0; i < total; ++i) pending.push_back(i);
  return pending;
}

}  // namespace

RunError::RunError(const io::RunIdentity& run, const std::string& what)
    : std::runtime_error(fmt::format("run {} ({}, replicate {}): {}", run.run_id, run.design, run.replicate, what)),
      run_(run) {}

Interrupted::Interrupted(std::int64_t done, std::int64_t total)
    : std::runtime_error(fmt::format("interrupted with {} of {} runs done", done, total)), done_(done), total_(total) {}

unsigned default_jobs() noexcept {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

fs::path state_folder(const fs::path& out_dir) { return out_dir / ".dais"; }

std::string serialize_part(std::size_t run_index, const io::RunOutput& output) {
  const io::CsvBuffer* tables[] = {&output.run, &output.epochs, &output.agents, &output.transfers};
  nlohmann::json header = {{"run", run_index},
                           {"fingerprint", output.fingerprint},
                           {"agent_epochs", output.agent_epochs},
                           {"rows", nlohmann::json::array()},
                           {"bytes", nlohmann::json::array()}};
  std::size_t size = 0;
  for (const io::CsvBuffer* t : tables) {
    header["rows"].push_back(t->rows());
    header["bytes"].push_back(t->text().size());
    size += t->text().size();
  }
  std::string bytes = header.dump() + "\n";
  bytes.reserve(bytes.size() + size);
  for (const io::CsvBuffer* t : tables) bytes += t->text();
  return bytes;
}

PartTables view_part(std::string_view bytes, std::size_t expected_run_index) {
  const std::size_t end_of_header = bytes.find('\n');
  if (end_of_header == std::string::npos) throw std::runtime_error("part without a header");
  const auto header = nlohmann::json::parse(bytes.substr(0, end_of_header));
  if (header.at("run").get<std::size_t>() != expected_run_index) throw std::runtime_error("part of another run");
  PartTables part;
  part.fingerprint = header.at("fingerprint").get<std::string>();
  part.agent_epochs = header.at("agent_epochs").get<std::int64_t>();
  std::size_t offset = end_of_header + 1;
  for (std::size_t t = 0; t < part.text.size(); ++t) {
    const auto size = header.at("bytes").at(t).get<std::size_t>();
    if (offset + size > bytes.size()) throw std::runtime_error("part shorter than its header says");
    part.text[t] = bytes.substr(offset, size);
    part.rows[t] = header.at("rows").at(t).get<std::int64_t>();
    offset += size;
  }
  if (offset != bytes.size()) throw std::runtime_error("part longer than its header says");
  return part;
}

io::RunOutput parse_part(const std::string& bytes, std::size_t expected_run_index) {
  const PartTables part = view_part(bytes, expected_run_index);
  io::RunOutput out;
  out.fingerprint = part.fingerprint;
  out.agent_epochs = part.agent_epochs;
  io::CsvBuffer* tables[] = {&out.run, &out.epochs, &out.agents, &out.transfers};
  for (std::size_t t = 0; t < part.text.size(); ++t) tables[t]->append_raw(part.text[t], part.rows[t]);
  return out;
}

BatchRun::BatchRun(const BatchPlan& plan, const RunFunction& run, fs::path out_dir, const BatchOptions& options)
    : plan_(plan), run_(run), out_dir_(std::move(out_dir)), options_(options), start_(Clock::now()),
      fingerprints_(plan.runs.size()), errors_(plan.runs.size()) {
  std::error_code ec;
  folder_existed_ = fs::exists(out_dir_, ec);
  io::create_folder(out_dir_);  // before any run: a folder that cannot be made should not cost a batch
  pending_ = prepare(plan_, out_dir_, options_, fingerprints_);
  done_ = static_cast<std::int64_t>(plan_.runs.size() - pending_.size());
  std::vector<bool> committed(plan_.runs.size(), true);
  for (const std::size_t i : pending_) committed[i] = false;
  merge_ = std::make_unique<OrderedMerge>(plan_, out_dir_, std::move(committed),
                                          [this](std::size_t i) { return part_file(out_dir_, i); });
}

std::optional<std::size_t> BatchRun::take() {
  if (failed_.load() || StopSignals::requested()) return std::nullopt;
  const std::size_t k = cursor_.fetch_add(1);
  if (k >= pending_.size()) return std::nullopt;
  return pending_[k];
}

void BatchRun::commit(std::size_t index, const std::string& part, const std::string& fingerprint) {
  io::write_file_atomically(part_file(out_dir_, index), part);
  fingerprints_[index] = fingerprint;
  finished();
  merge_->add(index, part);
}

void BatchRun::fail(std::size_t index, const std::string& what) {
  errors_[index] = what;
  failed_.store(true);
  finished();
}

void BatchRun::finished() {
  done_.fetch_add(1);
  ran_.fetch_add(1);
  progressed_.notify_one();
}

void BatchRun::work() {
  while (const auto i = take()) {
    try {
      const io::RunOutput output = run_(*i);
      commit(*i, serialize_part(*i, output), output.fingerprint);
    } catch (const std::exception& e) {
      fail(*i, e.what());
    }
  }
}

bool BatchRun::all_taken() const noexcept { return cursor_.load() >= pending_.size(); }

void BatchRun::show_progress(bool final) const {
  if (options_.progress)
    print_progress(done_.load(), static_cast<std::int64_t>(plan_.runs.size()), seconds_since(start_), ran_.load(), final);
}

void BatchRun::run_local(unsigned jobs, const std::function<void()>& beside) {
  const StopSignals signals;
  {
    std::vector<std::jthread> pool;
    for (unsigned j = 0; j < jobs; ++j) pool.emplace_back([this] { work(); });
    if (beside) {
      beside();
    } else if (options_.progress) {
      std::unique_lock lock(mutex_);
      while (ran_.load() < static_cast<std::int64_t>(pending_.size()) && !failed_.load() && !StopSignals::requested()) {
        progressed_.wait_for(lock, std::chrono::milliseconds(250));
        show_progress(false);
      }
    }
  }  // joins the workers
  show_progress(true);
}

BatchResult BatchRun::finish(nlohmann::json& manifest) {
  std::error_code ec;
  const auto total = static_cast<std::int64_t>(plan_.runs.size());
  for (std::size_t i = 0; i < plan_.runs.size(); ++i) {
    if (!errors_[i]) continue;
    // A failed run is a bug, not an interruption: nothing of this batch is kept.
    merge_.reset();
    fs::remove_all(state_folder(out_dir_), ec);
    if (!folder_existed_) fs::remove(out_dir_, ec);
    throw RunError(plan_.runs[i], *errors_[i]);
  }
  if (done_.load() < total) throw Interrupted(done_.load(), total);

  BatchResult result;
  result.runs = total;
  result.ran = ran_.load();
  result.files = merge_->commit();
  result.seconds = seconds_since(start_);
  manifest["runs"] = total;
  manifest["files"] = result.files;
  manifest["fingerprints"] = fingerprints_;
  manifest[io::manifest_invocation_key]["finished_at"] = io::iso8601_utc(io::unix_now());
  manifest[io::manifest_invocation_key]["wall_seconds"] = result.seconds;
  manifest[io::manifest_invocation_key]["runs_computed"] = result.ran;
  io::write_manifest(out_dir_ / "manifest.json", manifest);
  fs::remove_all(state_folder(out_dir_), ec);
  return result;
}

unsigned BatchRun::threads_for(unsigned jobs) const noexcept {
  return std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(1, pending_.size()))));
}

BatchResult run_batch(const BatchPlan& plan, const RunFunction& run, const fs::path& out_dir,
                      const BatchOptions& options, nlohmann::json& manifest) {
#ifdef DAIS_MPI
  if (options.cluster != nullptr && options.cluster->distributed())
    return run_distributed(plan, run, out_dir, options, manifest, *options.cluster);
#endif
  BatchRun batch(plan, run, out_dir, options);
  batch.run_local(batch.threads_for(options.jobs));
  return batch.finish(manifest);
}

}  // namespace dais::batch
