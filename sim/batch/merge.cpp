#include "sim/batch/merge.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace dais::batch {

OrderedMerge::OrderedMerge(const BatchPlan& plan, const std::filesystem::path& out_dir, std::vector<bool> committed,
                           PartPath part_path)
    : part_path_(std::move(part_path)), committed_(std::move(committed)) {
  struct Selectable {
    const char* file;
    const std::vector<std::string>& columns;
    bool selected;
  };
  // In the order of PartTables.
  const Selectable all[] = {{"runs.csv", plan.schema.runs, true},
                            {"epochs.csv", plan.schema.epochs, plan.selection.epochs},
                            {"agents.csv", plan.schema.agents, plan.selection.agents},
                            {"transfers.csv", plan.schema.transfers, plan.selection.transfers}};
  for (std::size_t t = 0; t < std::size(all); ++t) {
    if (!all[t].selected) continue;
    tables_.push_back({all[t].file, t, std::make_unique<io::AtomicFile>(out_dir / all[t].file)});
    tables_.back().out->write(io::csv_header(all[t].columns));
  }
}

void OrderedMerge::add(std::size_t index, std::string_view part) {
  std::unique_lock lock(mutex_);
  committed_[index] = true;
  append_ready(lock, index, part);
}

void OrderedMerge::append_ready(std::unique_lock<std::mutex>& lock, std::size_t index, std::string_view part) {
  // The thread appending already sees this run's flag when it comes to it, so leaving is safe.
  if (appending_ || error_) return;
  appending_ = true;
  while (next_ < committed_.size() && committed_[next_]) {
    const std::size_t i = next_;
    lock.unlock();  // other runs commit meanwhile
    std::exception_ptr failure;
    try {
      if (i == index) {
        append(i, part);
      } else {  // a run that finished before one ahead of it: its part is on disk
        const std::filesystem::path path = part_path_(i);
        try {
          append(i, io::read_file(path));
        } catch (const std::exception& e) {
          throw std::runtime_error(fmt::format("cannot merge run {} from {}: {}; `dais run ... --resume` computes it again",
                                               i, path.string(), e.what()));
        }
      }
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    if (failure) {
      error_ = failure;
      break;
    }
    ++next_;
  }
  appending_ = false;
}

void OrderedMerge::append(std::size_t index, std::string_view part) {
  const PartTables run = view_part(part, index);
  for (Table& t : tables_) {
    t.out->write(run.text[t.part_table]);
    t.out->start_writeback();  // the disk works while runs compute, not at commit
    t.rows += run.rows[t.part_table];
  }
}

nlohmann::json OrderedMerge::commit() {
  std::unique_lock lock(mutex_);
  append_ready(lock, committed_.size(), {});  // no part in hand: the waiting runs are read from disk
  if (error_) std::rethrow_exception(error_);
  if (next_ != committed_.size()) throw std::logic_error("the merge was committed before every run");
  nlohmann::json written = nlohmann::json::object();
  for (Table& t : tables_) {
    t.out->commit();
    written[t.file] = t.rows;
  }
  return written;
}

}  // namespace dais::batch
