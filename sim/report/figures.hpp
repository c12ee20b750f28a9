#pragma once
// The data of the report's charts, taken from a results folder's tables: one group per design (a variant of
// the sweep, the `design` column), the replicates of a design pooled.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/report/charts.hpp"
#include "sim/report/results.hpp"

namespace dais::report {

// The designs of a batch in run order, and their names in charts: the values of the sweep's parameters
// ("stake_weighted, 0.05" for "rewards.compute_provider.rule=stake_weighted,agents.0.params.exit_probability=0.05"),
// the design column itself without a sweep.
struct Designs {
  std::vector<std::string> ids;
  std::vector<std::string> labels;
};
Designs batch_designs(const Table& runs, std::span<const std::string> sweep_columns);

// Per design, per epoch: the mean of `column` over the runs with its Student-t interval.
std::vector<BandSeries> epoch_bands(const Table& epochs, const Designs& designs, std::string_view column, double confidence);

// Per design, the run-level `column` of runs.csv: its mean over the runs with its Student-t interval.
std::vector<IntervalGroup> run_intervals(const Table& runs, const Designs& designs, std::string_view column, double confidence);

// Per design, `column` of every agent of `role` in agents.csv (every replicate's agents together).
std::vector<BoxGroup> agent_values(const Table& agents, const Designs& designs, std::string_view role, std::string_view column);

}  // namespace dais::report
