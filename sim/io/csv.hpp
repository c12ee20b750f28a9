#pragma once
// CSV as RFC 4180 with a '.' decimal point whatever the locale: integers exact, floats in the shortest form
// that reads back to the same double, token amounts as exact decimals. Rows are appended to a string
// buffer, so a run formats its output without per-field allocation once the buffer has grown.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ledger/token_amount.hpp"

namespace dais::io {

class CsvBuffer {
 public:
  // The first field of a row needs no separator; every later one does.
  CsvBuffer& field(std::string_view text);
  CsvBuffer& field(std::int64_t value);
  CsvBuffer& field(std::uint64_t value);
  CsvBuffer& field(int value) { return field(static_cast<std::int64_t>(value)); }
  CsvBuffer& field(unsigned value) { return field(static_cast<std::uint64_t>(value)); }
  // Shortest round-trip form; "nan", "inf", "-inf" for non-finite values.
  CsvBuffer& field(double value);
  CsvBuffer& field(bool value) { return field(std::string_view(value ? "true" : "false")); }
  CsvBuffer& tokens(ledger::TokenAmount amount, unsigned decimals);
  void end_row();

  void header(std::span<const std::string_view> names);
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] std::int64_t rows() const noexcept { return rows_; }
  [[nodiscard]] bool empty() const noexcept { return text_.empty(); }
  void append(const CsvBuffer& other);
  // Appends rows already formatted elsewhere (a committed part of a batch), with their count.
  void append_raw(std::string_view text, std::int64_t rows) {
    text_.append(text);
    rows_ += rows;
  }
  void clear() noexcept {
    text_.clear();
    rows_ = 0;
    at_row_start_ = true;
  }

 private:
  void separator() {
    if (!at_row_start_) text_.push_back(',');
    at_row_start_ = false;
  }
  std::string text_;
  std::int64_t rows_ = 0;
  bool at_row_start_ = true;
};

// Quotes a field when RFC 4180 requires it (comma, quote, CR or LF inside).
void append_csv_field(std::string& out, std::string_view text);

// Splits one CSV document into rows of fields (RFC 4180, quoted fields allowed). For tests and tools.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

}  // namespace dais::io
