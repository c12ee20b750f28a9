#pragma once
// The merged tables of a batch, written while the runs compute: a committed run is appended as soon as every
// run before it has been, so the copying is spread over the batch and only the last runs are left for the end.
// The tables stay under temporary names (sim/io/atomic_file.hpp) until commit(): a batch that fails or is
// interrupted leaves none of them, and its committed parts still hold everything --resume needs. Internal to
// dais::batch.

#include <cstddef>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/batch/batch.hpp"
#include "sim/io/atomic_file.hpp"

namespace dais::batch {

class OrderedMerge {
 public:
  // Where the committed part of a run is on disk.
  using PartPath = std::function<std::filesystem::path(std::size_t index)>;

  // Opens the plan's selected tables in `out_dir`, headers written. `committed[i]` says that run i's part is on
  // disk already (a resumed batch).
  OrderedMerge(const BatchPlan& plan, const std::filesystem::path& out_dir, std::vector<bool> committed,
               PartPath part_path);

  // Run `index` is committed, `part` its bytes. Thread-safe: one thread appends at a time, in run order, and a
  // thread that finds another appending leaves its run to that one.
  void add(std::size_t index, std::string_view part);

  // Appends the runs still waiting, moves the tables into place and returns their row counts
  // ({"runs.csv": rows, ...}). Every run must be committed; an error met while appending is thrown here, naming
  // the part and how to recompute it.
  nlohmann::json commit();

 private:
  struct Table {
    const char* file;
    std::size_t part_table;  // its index in PartTables
    std::unique_ptr<io::AtomicFile> out;
    std::int64_t rows = 0;
  };

  // Appends runs from next_ on while they are committed; `part` is run `index`'s bytes, if it is in hand.
  void append_ready(std::unique_lock<std::mutex>& lock, std::size_t index, std::string_view part);
  void append(std::size_t index, std::string_view part);

  std::vector<Table> tables_;
  PartPath part_path_;
  std::mutex mutex_;
  // Guarded by mutex_:
  std::vector<bool> committed_;
  std::size_t next_ = 0;  // the first run not appended yet
  bool appending_ = false;
  std::exception_ptr error_;
};

}  // namespace dais::batch
