#pragma once
// What the commands of the `dais` executable share: exit codes and the usage error.

#include <stdexcept>

namespace dais::app {

// Exit codes: 0 success, 1 a run failed (a broken invariant or an internal error), 2 bad input,
// 130 interrupted (the work done is kept for --resume).
inline constexpr int exit_ok = 0;
inline constexpr int exit_run_failed = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_interrupted = 130;

// A command line that cannot be carried out as written.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dais::app
