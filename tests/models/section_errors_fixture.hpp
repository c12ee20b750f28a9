#pragma once
// The problems a scenario-section reader reports, as "<pointer>: <message>" lines, for tests to compare whole.

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace dais::test {

// Calls read(); none when it reads without a problem.
template <class Read>
std::vector<std::string> error_messages(const Read& read) {
  std::vector<std::string> out;
  try {
    read();
  } catch (const scenario::ScenarioErrors& e) {
    for (const scenario::ScenarioError& error : e.errors()) out.push_back(error.pointer + ": " + error.message);
  }
  return out;
}

}  // namespace dais::test
