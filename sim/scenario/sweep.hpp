#pragma once
// Sweeps: one scenario file, many variants. A sweep names scenario values by JSON pointer and lists the values
// each takes; "grid" runs every combination (the first parameter varies slowest), "zip" runs the i-th value of
// every parameter together (all lists the same length: a shorter list is an error, never silently padded).
// Each variant is the scenario with those values set, loaded through the same strict loader.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dais::scenario {

enum class SweepMode { grid, zip };

struct SweepParameter {
  std::string pointer;                // "/rewards/compute_provider/rule"
  std::string column;                 // "rewards.compute_provider.rule": its column in runs.csv, its name for compare
  std::vector<nlohmann::json> values;
};

struct Sweep {
  SweepMode mode = SweepMode::grid;
  std::vector<SweepParameter> parameters;
};

// The value of every parameter for each variant, in variant order (stable for a given file).
std::vector<std::vector<nlohmann::json>> expand(const Sweep& sweep);

// The number of variants expand() gives, without building them (saturates at SIZE_MAX).
std::size_t variant_count(const Sweep& sweep) noexcept;

// "/rewards/compute_provider/rule" -> "rewards.compute_provider.rule" (JSON pointer escapes undone).
std::string column_name(std::string_view pointer);

// How a variant is named in the `design` column: "rewards.compute_provider.rule=stake_weighted, ...",
// strings without quotes.
std::string variant_label(const Sweep& sweep, const std::vector<nlohmann::json>& values);

}  // namespace dais::scenario
