#pragma once
// Running the real `dais` binary from tests: exit code, stdout and stderr, in a chosen working directory.

#include <sys/wait.h>

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/io/atomic_file.hpp"
#include "sim/io/csv.hpp"
#include "tests/scratch_dir.hpp"

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

// A table as a vector of column-name -> value maps.
inline std::vector<std::map<std::string, std::string>> read_table(const std::filesystem::path& file) {
  const auto rows = io::parse_csv(io::read_file(file));
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> m;
    for (std::size_t c = 0; c < rows[0].size(); ++c) m[rows[0][c]] = rows[r].at(c);
    out.push_back(std::move(m));
  }
  return out;
}

// A scenario that extends `base` with a shorter horizon and fewer replicates, written to `dir`.
inline std::filesystem::path shortened(const std::filesystem::path& base, const std::filesystem::path& dir,
                                       const std::string& horizon, int replicates) {
  const std::filesystem::path file = dir / ("short_" + base.filename().string());
  nlohmann::json j = {{"extends", std::filesystem::absolute(base).string()}, {"horizon", horizon}, {"replicates", replicates}};
  io::write_file_atomically(file, j.dump(2));
  return file;
}

// A `dais` started in the background, so a test can signal it; its output goes to files under `dir`.
class BackgroundDais {
 public:
  BackgroundDais(const std::vector<std::string>& args, const std::filesystem::path& dir) : dir_(dir) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string out = (dir / "out").string();
      const std::string err = (dir / "err").string();
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr)) ::_exit(127);
      if (::chdir(DAIS_SOURCE_DIR) != 0) ::_exit(127);
      std::vector<char*> argv;
      std::vector<std::string> words{DAIS_BINARY};
      words.insert(words.end(), args.begin(), args.end());
      for (std::string& w : words) argv.push_back(w.data());
      argv.push_back(nullptr);
      ::execv(DAIS_BINARY, argv.data());
      ::_exit(127);
    }
  }
  BackgroundDais(const BackgroundDais&) = delete;
  BackgroundDais& operator=(const BackgroundDais&) = delete;
  ~BackgroundDais() {
    if (!waited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  // Waits for the process; the exit code, or 128 + the signal that ended it.
  CliResult wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = io::read_file(dir_ / "out");
    r.err = io::read_file(dir_ / "err");
    return r;
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  bool waited_ = false;
};

}  // namespace dais::test
