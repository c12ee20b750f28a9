#pragma once
// `dais evm statetest|bench`: the EVM's conformance runner and interpreter benchmark.

#include <string>
#include <vector>

namespace dais::app {

// Help text for `dais evm --help` and `dais help evm`.
extern const char* const evm_help;

// Runs `dais evm ARGS...`; returns the exit code: 0 success, 1 failures, 2 bad input.
int run_evm_command(const std::vector<std::string>& args);

}  // namespace dais::app
