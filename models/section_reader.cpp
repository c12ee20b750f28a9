#include "models/section_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace dais::models {

using nlohmann::json;

namespace {

// How a found value is shown: scalars as JSON, containers by kind.
std::string describe_found(const json& v) {
  if (v.is_object()) return v.empty() ? "an empty object" : "an object";
  if (v.is_array()) return v.empty() ? "an empty array" : "an array";
  return v.dump();
}

std::string integer_expectation(IntegerRange range) {
  constexpr IntegerRange unbounded;
  if (range.min != unbounded.min && range.max != unbounded.max)
    return fmt::format("an integer in [{}, {}]", range.min, range.max);
  if (range.min != unbounded.min) return fmt::format("an integer >= {}", range.min);
  if (range.max != unbounded.max) return fmt::format("an integer <= {}", range.max);
  return "an integer";
}

std::string real_expectation(RealRange range) {
  const bool low = std::isfinite(range.min);
  const bool high = std::isfinite(range.max);
  if (low && high) return fmt::format("a number in {}{}, {}]", range.min_excluded ? '(' : '[', range.min, range.max);
  if (low) return fmt::format("a number {} {}", range.min_excluded ? ">" : ">=", range.min);
  if (high) return fmt::format("a number <= {}", range.max);
  return "a number";
}

}  // namespace

std::string SectionReader::child(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string SectionReader::child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::string SectionReader::quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += i + 1 == names.size() ? " or " : ", ";
    out += "\"" + names[i] + "\"";
  }
  return out;
}

void SectionReader::error(const std::string& pointer, std::string message) {
  errors_.push_back({file_, pointer, std::move(message)});
}

void SectionReader::expected(const std::string& pointer, const std::string& what, const json& found) {
  error(pointer, "expected " + what + ", found " + describe_found(found));
}

void SectionReader::finish() {
  if (!errors_.empty()) throw scenario::ScenarioErrors(std::move(errors_));
}

bool SectionReader::object(const json& value, const std::string& pointer, std::initializer_list<const char*> allowed,
                           std::initializer_list<const char*> required) {
  if (!value.is_object()) {
    expected(pointer, "an object", value);
    return false;
  }
  const std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& [key, v] : value.items())
    if (std::find(names.begin(), names.end(), key) == names.end())
      error(child(pointer, key), "unknown key " + json(key).dump() + "; expected one of " + quoted_list(names));
  for (const char* key : required)
    if (!value.contains(key)) error(pointer, fmt::format("expected the key \"{}\", found none", key));
  return true;
}

bool SectionReader::not_above(const std::string& pointer, const char* low_key, std::int64_t low, const char* high_key,
                              std::int64_t high) {
  if (low <= high) return true;
  error(child(pointer, low_key), fmt::format("expected {} <= {}, found {} > {}", low_key, high_key, low, high));
  return false;
}

std::optional<std::int64_t> SectionReader::integer(const json& v, const std::string& pointer, IntegerRange range) {
  // Unsigned JSON numbers too, once they fit 64 signed bits.
  constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const bool fits = v.is_number_integer() && (!v.is_number_unsigned() || v.get<std::uint64_t>() <= largest);
  if (fits) {
    const auto x = v.get<std::int64_t>();
    if (x >= range.min && x <= range.max) return x;
  }
  expected(pointer, integer_expectation(range), v);
  return std::nullopt;
}

std::optional<double> SectionReader::real(const json& v, const std::string& pointer, RealRange range) {
  if (v.is_number()) {
    const double x = v.get<double>();
    const bool above_min = range.min_excluded ? x > range.min : x >= range.min;
    if (std::isfinite(x) && above_min && x <= range.max) return x;
  }
  expected(pointer, real_expectation(range), v);
  return std::nullopt;
}

std::optional<ledger::TokenAmount> SectionReader::tokens(const json& v, const std::string& pointer) {
  std::string problem;
  if (auto amount = scenario::read_token_amount(v, decimals_, &problem)) return amount;
  error(pointer, std::move(problem));
  return std::nullopt;
}

std::optional<std::string> SectionReader::text(const json& v, const std::string& pointer, std::string_view what) {
  if (v.is_string()) return v.get<std::string>();
  expected(pointer, std::string(what), v);
  return std::nullopt;
}

void SectionReader::read_key(const json& object, const std::string& pointer, const char* key, std::int64_t& out,
                             IntegerRange range) {
  if (const auto it = object.find(key); it != object.end())
    if (auto value = integer(*it, child(pointer, key), range)) out = *value;
}

void SectionReader::read_key(const json& object, const std::string& pointer, const char* key, double& out,
                             RealRange range) {
  if (const auto it = object.find(key); it != object.end())
    if (auto value = real(*it, child(pointer, key), range)) out = *value;
}

void SectionReader::read_key(const json& object, const std::string& pointer, const char* key,
                             ledger::TokenAmount& out) {
  if (const auto it = object.find(key); it != object.end())
    if (auto value = tokens(*it, child(pointer, key))) out = *value;
}

}  // namespace dais::models
