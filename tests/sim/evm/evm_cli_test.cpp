// `dais evm` as a user meets it: help, exit codes, and a precise error for every malformed file in
// bad_statetests/ (each X.json has an X.expected holding a part of the message it must produce).

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

Run dais(const std::string& args) {
  const std::string cmd = std::string(DAIS_BINARY) + " " + args + " 2>&1";
  Run r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const std::string corpus = std::string(DAIS_SOURCE_DIR) + "/tests/sim/evm/bad_statetests";
const std::string shared = std::string(DAIS_SHARED_DIR) + "/evm-tests";

}  // namespace

TEST_CASE("dais evm --help and dais help evm show usage with examples", "[evm][cli]") {
  for (const char* args : {"evm --help", "help evm", "evm statetest -h"}) {
    const Run r = dais(args);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.output.find("usage: dais evm statetest PATH...") != std::string::npos);
    REQUIRE(r.output.find("examples:") != std::string::npos);
  }
  REQUIRE(dais("--help").output.find("evm statetest|bench") != std::string::npos);
}

TEST_CASE("dais evm refuses a missing subcommand, an unknown one and a missing path", "[evm][cli]") {
  REQUIRE(dais("evm").exit_code == 2);
  REQUIRE(dais("evm frobnicate x").exit_code == 2);
  REQUIRE(dais("evm statetest").exit_code == 2);
  const Run r = dais("evm statetest /no/such/path.json");
  REQUIRE(r.exit_code == 2);
  REQUIRE(r.output.find("/no/such/path.json: no such file or folder") != std::string::npos);
}

TEST_CASE("dais evm statetest passes a real test and reports the count", "[evm][cli]") {
  const Run r = dais("evm statetest " + shared + "/GeneralStateTests/stExample/add11.json");
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.output.find("1 passed, 0 failed") != std::string::npos);
}

TEST_CASE("a malformed state-test file is an error naming the file and what was wrong", "[evm][cli]") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    std::ifstream in(std::filesystem::path(entry.path()).replace_extension(".expected"));
    std::string expected;
    std::getline(in, expected);
    const Run r = dais("evm statetest " + entry.path().string());
    INFO(entry.path().filename().string() << " printed:\n" << r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find(entry.path().string() + ": ") != std::string::npos);
    REQUIRE(r.output.find(expected) != std::string::npos);
  }
  REQUIRE(files >= 8);
}

TEST_CASE("a skip list entry needs a reason and must match a test", "[evm][cli]") {
  const auto dir = std::filesystem::temp_directory_path() / ("dais_evm_skip_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string test = shared + "/GeneralStateTests/stExample/add11.json";
  std::ofstream(dir / "no_reason.txt") << "add11\n";
  Run r = dais("evm statetest --skip " + (dir / "no_reason.txt").string() + " " + test);
  REQUIRE(r.exit_code == 2);
  REQUIRE(r.output.find("has no reason") != std::string::npos);
  std::ofstream(dir / "stale.txt") << "no_such_test  was flaky once\n";
  r = dais("evm statetest --skip " + (dir / "stale.txt").string() + " " + test);
  REQUIRE(r.exit_code == 1);
  REQUIRE(r.output.find("matched no test") != std::string::npos);
  std::ofstream(dir / "ok.txt") << "# a comment\nadd11  an example of a listed skip\n";
  r = dais("evm statetest --skip " + (dir / "ok.txt").string() + " " + test);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.output.find("0 passed, 0 failed, 1 skipped") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("dais evm bench prints gas per second for each case", "[evm][cli]") {
  const Run r = dais("evm bench --min-time 0 " + shared + "/benchmarks/micro/signextend.json");
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.output.find("Ggas/s") != std::string::npos);
  REQUIRE(r.output.find("signextend[d=0,g=0,v=0]") != std::string::npos);
}
