#pragma once
// manifest.json: the provenance of an output folder — which dais, which scenario (resolved, and its hash),
// which seed and runs, which files with how many rows, and how it was invoked.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dais::io {

struct BuildInfo {
  std::string version;
  std::string git_revision;
  std::string build_type;
  std::string compiler;
};
BuildInfo build_info();

// A 64-bit FNV-1a hash in 16 hex digits: cheap, stable across platforms; identifies content, not secure.
std::string content_hash(std::string_view bytes);

// Seconds since the epoch as an ISO 8601 UTC timestamp ("2026-11-25T05:39:52Z").
std::string iso8601_utc(std::int64_t unix_seconds);
std::int64_t unix_now();

// The "invocation" object of a manifest: what differs between two otherwise identical batches
// (command line, jobs, wall-clock times). Comparisons of output folders ignore exactly this object.
inline constexpr std::string_view manifest_invocation_key = "invocation";

void write_manifest(const std::filesystem::path& file, const nlohmann::json& manifest);

}  // namespace dais::io
