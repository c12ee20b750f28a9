#include "sim/io/run_output.hpp"

namespace dais::io {

std::string csv_header(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i != 0) line.push_back(',');
    append_csv_field(line, columns[i]);
  }
  line.push_back('\n');
  return line;
}

std::vector<std::string> identity_columns_with(const std::vector<std::string>& sweep_columns) {
  std::vector<std::string> columns(std::begin(identity_columns), std::end(identity_columns));
  columns.insert(columns.end(), sweep_columns.begin(), sweep_columns.end());
  return columns;
}

OutputSchema with_identity(const OutputSchema& model_columns, const std::vector<std::string>& sweep_columns) {
  const std::vector<std::string> identity = identity_columns_with(sweep_columns);
  const auto prefixed = [&](const std::vector<std::string>& columns) {
    std::vector<std::string> out = identity;
    out.insert(out.end(), columns.begin(), columns.end());
    return out;
  };
  return {prefixed(model_columns.runs), prefixed(model_columns.epochs), prefixed(model_columns.agents),
          prefixed(model_columns.transfers)};
}

void write_identity(CsvBuffer& row, const RunIdentity& id) {
  row.field(id.run_id).field(id.design).field(id.replicate).field(id.seed);
  for (const std::string& v : id.sweep_values) row.field(v);
}

}  // namespace dais::io
