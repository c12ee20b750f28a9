#pragma once
// A fresh empty folder under the system's temporary folder, per test name and process, for tests that write files.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace dais::test {

inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("dais_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace dais::test
