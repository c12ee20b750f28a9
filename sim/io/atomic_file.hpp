#pragma once
// Files that appear whole or not at all: content goes to a temporary name beside the target, is flushed to
// disk, then renamed over it. A crash or Ctrl-C never leaves a half-written output under the real name.

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dais::io {

class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes `content` to `target` atomically. Throws IoError naming the path and the system's reason.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

// Streams a large file under a temporary name; commit() renames it into place. Destroying an uncommitted
// AtomicFile removes the temporary.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(std::string_view data);
  // Starts writing what was written so far to disk and returns without waiting, so that commit()'s flush of
  // a large file finds little left to do.
  void start_writeback();
  void commit();
  [[nodiscard]] const std::filesystem::path& temporary_path() const noexcept { return temporary_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::FILE* file_ = nullptr;
};

// Creates a folder and its parents if needed; throws IoError naming the path and the reason.
void create_folder(const std::filesystem::path& folder);

// Reads a whole file; throws IoError naming the path on failure.
std::string read_file(const std::filesystem::path& path);

}  // namespace dais::io
