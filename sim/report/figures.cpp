#include "sim/report/figures.hpp"

#include <algorithm>
#include <map>

namespace dais::report {

namespace {

// The index of a row's design; rows of a design runs.csv does not know are an error in the file.
std::size_t design_index(const Table& table, std::size_t row, std::size_t design_column, const Designs& designs) {
  const std::string& id = table.rows[row][design_column];
  const auto it = std::find(designs.ids.begin(), designs.ids.end(), id);
  if (it == designs.ids.end())
    throw ResultsError(table.file.string() + ": line " + std::to_string(row + 2) + ": expected a design of runs.csv, found \"" +
                       id + "\"");
  return static_cast<std::size_t>(it - designs.ids.begin());
}

}  // namespace

Designs batch_designs(const Table& runs, std::span<const std::string> sweep_columns) {
  Designs designs{runs.distinct("design"), {}};
  std::vector<std::size_t> columns;
  for (const std::string& c : sweep_columns) columns.push_back(runs.column(c));
  const std::size_t design_column = runs.column("design");
  for (const std::string& id : designs.ids) {
    if (columns.empty()) {
      designs.labels.push_back(id);
      continue;
    }
    // The sweep's values are what tells designs apart; the full label repeats every column's name.
    const auto& row = *std::find_if(runs.rows.begin(), runs.rows.end(), [&](const auto& r) { return r[design_column] == id; });
    std::string label;
    for (std::size_t c : columns) label += (label.empty() ? "" : ", ") + row[c];
    designs.labels.push_back(label);
  }
  return designs;
}

std::vector<BandSeries> epoch_bands(const Table& epochs, const Designs& designs, std::string_view column, double confidence) {
  const std::size_t design_column = epochs.column("design");
  const std::size_t epoch_column = epochs.column("epoch");
  const std::size_t value_column = epochs.column(column);
  // design -> epoch -> the runs' values, epochs in numeric order.
  std::vector<std::map<double, std::vector<double>>> values(designs.ids.size());
  for (std::size_t r = 0; r < epochs.rows.size(); ++r)
    values[design_index(epochs, r, design_column, designs)][epochs.number(r, epoch_column)].push_back(
        epochs.number(r, value_column));
  std::vector<BandSeries> series;
  for (std::size_t d = 0; d < designs.ids.size(); ++d) {
    BandSeries s{designs.labels[d], {}, {}, {}, {}};
    for (const auto& [epoch, sample] : values[d]) {
      const metrics::MeanInterval m = metrics::mean_interval(sample, confidence);
      s.x.push_back(epoch);
      s.mean.push_back(m.mean);
      s.low.push_back(m.low);
      s.high.push_back(m.high);
    }
    series.push_back(std::move(s));
  }
  return series;
}

std::vector<IntervalGroup> run_intervals(const Table& runs, const Designs& designs, std::string_view column, double confidence) {
  const std::size_t design_column = runs.column("design");
  const std::size_t value_column = runs.column(column);
  std::vector<std::vector<double>> values(designs.ids.size());
  for (std::size_t r = 0; r < runs.rows.size(); ++r)
    values[design_index(runs, r, design_column, designs)].push_back(runs.number(r, value_column));
  std::vector<IntervalGroup> groups;
  for (std::size_t d = 0; d < designs.ids.size(); ++d)
    groups.push_back({designs.labels[d], metrics::mean_interval(values[d], confidence)});
  return groups;
}

std::vector<BoxGroup> agent_values(const Table& agents, const Designs& designs, std::string_view role, std::string_view column) {
  const std::size_t design_column = agents.column("design");
  const std::size_t role_column = agents.column("role");
  const std::size_t value_column = agents.column(column);
  std::vector<BoxGroup> groups;
  for (const std::string& label : designs.labels) groups.push_back({label, {}});
  for (std::size_t r = 0; r < agents.rows.size(); ++r)
    if (agents.rows[r][role_column] == role)
      groups[design_index(agents, r, design_column, designs)].values.push_back(agents.number(r, value_column));
  return groups;
}

}  // namespace dais::report
