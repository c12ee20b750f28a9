#include "sim/io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace dais::io {

namespace {

std::string system_reason() { return std::strerror(errno); }

std::filesystem::path temporary_for(const std::filesystem::path& target) {
  // The pid keeps concurrent processes (MPI ranks, parallel test runs) from sharing a temporary.
  return target.parent_path() / fmt::format(".{}.tmp-{}", target.filename().string(), ::getpid());
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)), temporary_(temporary_for(target_)) {
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr)
    throw IoError(fmt::format("cannot create {}: {}", temporary_.string(), system_reason()));
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void AtomicFile::write(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size())
    throw IoError(fmt::format("cannot write {}: {}", temporary_.string(), system_reason()));
}

void AtomicFile::start_writeback() {
  if (std::fflush(file_) != 0)
    throw IoError(fmt::format("cannot write {}: {}", temporary_.string(), system_reason()));
  // Only a hint: a failed writeback is reported by commit()'s fsync.
  ::sync_file_range(::fileno(file_), 0, 0, SYNC_FILE_RANGE_WRITE);
}

void AtomicFile::commit() {
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int saved_errno = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    errno = flushed ? errno : saved_errno;
    const std::string reason = system_reason();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw IoError(fmt::format("cannot write {}: {}", target_.string(), reason));
  }
  std::error_code ec;
  std::filesystem::rename(temporary_, target_, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw IoError(fmt::format("cannot move {} into place: {}", target_.string(), ec.message()));
  }
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  AtomicFile file(target);
  file.write(content);
  file.commit();
}

void create_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw IoError(fmt::format("cannot create the folder {}: {}", folder.string(), ec.message()));
  if (!std::filesystem::is_directory(folder, ec))
    throw IoError(fmt::format("cannot create the folder {}: a file of that name is in the way", folder.string()));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot read {}: {}", path.string(), system_reason()));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("cannot read {}: {}", path.string(), system_reason()));
  return std::move(content).str();
}

}  // namespace dais::io
