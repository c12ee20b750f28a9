#include "sim/io/manifest.hpp"

#include <chrono>
#include <ctime>
#include <fmt/format.h>

#include "sim/io/atomic_file.hpp"

#ifndef DAIS_VERSION
#define DAIS_VERSION "0.0.0"
#endif
#ifndef DAIS_GIT_REVISION
#define DAIS_GIT_REVISION "unknown"
#endif
#ifndef DAIS_BUILD_TYPE
#define DAIS_BUILD_TYPE "unknown"
#endif

namespace dais::io {

BuildInfo build_info() {
  return BuildInfo{DAIS_VERSION, DAIS_GIT_REVISION, DAIS_BUILD_TYPE, fmt::format("gcc {}", __VERSION__)};
}

std::string content_hash(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string iso8601_utc(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void write_manifest(const std::filesystem::path& file, const nlohmann::json& manifest) {
  write_file_atomically(file, manifest.dump(2) + "\n");
}

}  // namespace dais::io
