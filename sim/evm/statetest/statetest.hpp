#pragma once
// Ethereum state tests (ethereum/tests GeneralStateTests format): loading a JSON file into typed tests,
// running each post-state case of a fork, comparing the state root and logs hash, and timing runs for
// benchmarks. Errors in a file name the file, the JSON pointer and what was wrong.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/evm/transaction.hpp"

namespace dais::evm::statetest {

struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct TestCase {
  std::string label;  // "name[d=0,g=1,v=0]"
  Transaction tx;
  std::optional<std::string> tx_error;  // the transaction cannot even be formed (e.g. a value over 2^256)
  Bytes32 expected_state_root;
  Bytes32 expected_logs_hash;
  std::optional<std::string> expected_exception;
};

struct StateTest {
  std::string name;
  std::string file;
  BlockInfo block;
  State pre;
  std::vector<TestCase> cases;
};

// Loads every test of a file, keeping the post cases of `fork` (or, when fork is empty, of the first
// fork listed). Throws LoadError.
std::vector<StateTest> load_file(const std::filesystem::path& file, const std::string& fork);

// The .json files under each path (a file, or a folder searched recursively), sorted. Throws LoadError
// for a path that does not exist.
std::vector<std::filesystem::path> collect_files(const std::vector<std::string>& paths);

struct CaseResult {
  bool passed = false;
  std::string message;  // why it failed
  std::int64_t gas_used = 0;
};

// The block hash a state test sees for block n: keccak256 of n's decimal digits (the test suites' rule).
Bytes32 test_block_hash(std::int64_t number);

CaseResult run_case(const StateTest& test, const TestCase& c, Vm& vm);

// The post-state of a case as text (one account a line, its storage below), for diagnosing a failure.
std::string dump_post_state(const StateTest& test, const TestCase& c, Vm& vm);

struct BenchResult {
  std::int64_t execution_gas = 0;  // gas used by one run, less the intrinsic gas
  double seconds_per_run = 0;  // CPU time of the fastest run: the least disturbed by other work
  int runs = 0;
  bool valid = true;
  std::string status;
};

// Runs the case repeatedly (at least 5 times, for at least min_seconds) on fresh copies of the
// pre-state, timing only the transaction's execution by the thread's CPU clock; reports the fastest run.
BenchResult bench_case(const StateTest& test, const TestCase& c, Vm& vm, double min_seconds);

}  // namespace dais::evm::statetest
