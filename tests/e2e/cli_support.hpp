#pragma once
// Running the real `dais` binary from tests: exit code, stdout and stderr, in a chosen working directory.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/io/atomic_file.hpp"

namespace dais::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

// A fresh empty directory under the system's temporary folder.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("dais_e2e_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline CliResult run_dais(const std::vector<std::string>& args, const std::filesystem::path& cwd = DAIS_SOURCE_DIR) {
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("dais_e2e_io_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  std::string cmd = "cd " + shell_quote(cwd.string()) + " && " + shell_quote(DAIS_BINARY);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote((dir / "out").string()) + " 2>" + shell_quote((dir / "err").string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = io::read_file(dir / "out");
  r.err = io::read_file(dir / "err");
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace dais::test
