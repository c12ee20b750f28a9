#include "sim/io/csv.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace dais::io {

void append_csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

CsvBuffer& CsvBuffer::field(std::string_view text) {
  separator();
  append_csv_field(text_, text);
  return *this;
}

CsvBuffer& CsvBuffer::field(std::int64_t value) {
  separator();
  fmt::format_to(std::back_inserter(text_), "{}", value);
  return *this;
}

CsvBuffer& CsvBuffer::field(std::uint64_t value) {
  separator();
  fmt::format_to(std::back_inserter(text_), "{}", value);
  return *this;
}

CsvBuffer& CsvBuffer::field(double value) {
  separator();
  if (std::isnan(value)) {
    text_.append("nan");
  } else if (std::isinf(value)) {
    text_.append(value > 0 ? "inf" : "-inf");
  } else {
    // fmt's default float format is the shortest round-trip representation and ignores the locale.
    fmt::format_to(std::back_inserter(text_), "{}", value);
  }
  return *this;
}

CsvBuffer& CsvBuffer::tokens(ledger::TokenAmount amount, unsigned decimals) {
  separator();
  text_.append(amount.to_decimal(decimals));
  return *this;
}

void CsvBuffer::end_row() {
  text_.push_back('\n');
  ++rows_;
  at_row_start_ = true;
}

void CsvBuffer::header(std::span<const std::string_view> names) {
  for (std::string_view name : names) field(name);
  end_row();
  --rows_;  // the header is not a data row
}

void CsvBuffer::append(const CsvBuffer& other) {
  text_.append(other.text_);
  rows_ += other.rows_;
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
      rows.push_back(std::move(row));
      row.clear();
    } else if (c != '\r') {
      field.push_back(c);
      field_started = true;
    }
  }
  if (quoted) throw std::invalid_argument("CSV ends inside a quoted field");
  if (field_started || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace dais::io
