#include <catch2/catch.hpp>

#include <clocale>
#include <cmath>
#include <limits>

#include "sim/io/csv.hpp"
#include "sim/io/run_output.hpp"

using dais::io::CsvBuffer;
using dais::ledger::TokenAmount;

TEST_CASE("fields are joined with commas and rows end with a newline", "[io][csv]") {
  CsvBuffer b;
  b.field(std::string_view{"a"}).field(std::int64_t{-3}).field(std::uint64_t{18446744073709551615ULL}).field(true);
  b.end_row();
  b.field(std::string_view{"b"});
  b.end_row();
  CHECK(b.text() == "a,-3,18446744073709551615,true\nb\n");
  CHECK(b.rows() == 2);
}

TEST_CASE("text with commas, quotes or newlines is quoted as RFC 4180 says", "[io][csv]") {
  CsvBuffer b;
  b.field(std::string_view{"x,y"}).field(std::string_view{"say \"hi\""}).field(std::string_view{"two\nlines"}).field(std::string_view{""});
  b.end_row();
  CHECK(b.text() == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
  const auto rows = dais::io::parse_csv(b.text());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == std::vector<std::string>{"x,y", "say \"hi\"", "two\nlines", ""});
}

TEST_CASE("floats are written in the shortest form that reads back exactly", "[io][csv]") {
  CsvBuffer b;
  b.field(0.1).field(1.0).field(1e-300).field(123456789.125).field(-0.0).field(2.0 / 3.0);
  b.end_row();
  CHECK(b.text() == "0.1,1,1e-300,123456789.125,-0,0.6666666666666666\n");
  for (double x : {0.1, 2.0 / 3.0, 1e-300, 5e-324, std::numeric_limits<double>::max()}) {
    CsvBuffer one;
    one.field(x);
    CHECK(std::strtod(one.text().c_str(), nullptr) == x);  // strtod: stod rejects subnormals
  }
}

TEST_CASE("non-finite floats are written as nan and inf", "[io][csv]") {
  CsvBuffer b;
  b.field(std::nan("")).field(std::numeric_limits<double>::infinity()).field(-std::numeric_limits<double>::infinity());
  b.end_row();
  CHECK(b.text() == "nan,inf,-inf\n");
}

TEST_CASE("the decimal point is a dot whatever the locale", "[io][csv]") {
  const char* old = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = old ? old : "C";
  if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8") == nullptr) std::setlocale(LC_NUMERIC, "fr_FR.UTF-8");
  CsvBuffer b;
  b.field(1.5);
  std::setlocale(LC_NUMERIC, saved.c_str());
  CHECK(b.text() == "1.5");
}

TEST_CASE("token amounts are written exactly in whole tokens", "[io][csv]") {
  CsvBuffer b;
  b.tokens(TokenAmount::from_base_units(1), 18).tokens(TokenAmount::from_base_units(2500000000000000000ULL), 18);
  b.tokens(TokenAmount{}, 18);
  b.end_row();
  CHECK(b.text() == "0.000000000000000001,2.5,0\n");
}

TEST_CASE("buffers append in order and count rows, headers excluded", "[io][csv]") {
  CsvBuffer a;
  const std::string_view cols[] = {"x", "y"};
  a.header(cols);
  a.field(std::int64_t{1}).field(std::int64_t{2});
  a.end_row();
  CsvBuffer b;
  b.field(std::int64_t{3}).field(std::int64_t{4});
  b.end_row();
  a.append(b);
  CHECK(a.text() == "x,y\n1,2\n3,4\n");
  CHECK(a.rows() == 2);
  CHECK(dais::io::csv_header({"run_id", "a,b"}) == "run_id,\"a,b\"\n");
}

TEST_CASE("a CSV that ends inside quotes is rejected", "[io][csv]") {
  CHECK_THROWS_AS(dais::io::parse_csv("a,\"b\n"), std::invalid_argument);
}
