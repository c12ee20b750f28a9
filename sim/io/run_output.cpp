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

void write_identity(CsvBuffer& row, const RunIdentity& id) {
  row.field(id.run_id).field(id.design).field(id.replicate).field(id.seed);
}

}  // namespace dais::io
