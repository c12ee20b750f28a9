#pragma once
// Reads a scenario section that is more than a flat parameter list (nested objects, arrays of objects) into
// typed values with the loader's strictness: unknown keys, missing keys, wrong types and values out of range are
// collected as scenario::ScenarioError naming the file, the JSON pointer, what was expected and what was found,
// and finish() throws them all at once. The sections of models/governance and models/locks are read with it.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::models {

// The names a text value may take for an enumeration, in the order messages list them.
template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, const char*>, N>;

template <class E, std::size_t N>
const char* name_in(const NameTable<E, N>& names, E value) noexcept {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

// The scenario loader's limit on a run's epochs: an epoch count beyond it is certainly a mistake.
inline constexpr std::int64_t max_scenario_epochs = 100'000'000;

struct IntegerRange {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

struct RealRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_excluded = false;  // (min, max] rather than [min, max]
};

class SectionReader {
 public:
  // `decimals`: the scenario token's, for token amounts.
  SectionReader(std::string file, unsigned decimals) : file_(std::move(file)), decimals_(decimals) {}

  // The pointer of a key or of an element below `pointer` (RFC 6901 escapes).
  static std::string child(const std::string& pointer, std::string_view key);
  static std::string child(const std::string& pointer, std::size_t index);

  // Reports a value that is no object, keys not in `allowed` and keys of `required` that are missing.
  // False when `value` is no object.
  bool object(const nlohmann::json& value, const std::string& pointer, std::initializer_list<const char*> allowed,
              std::initializer_list<const char*> required = {});

  // Checked reads of one value; nullopt after reporting a problem.
  std::optional<std::int64_t> integer(const nlohmann::json& value, const std::string& pointer, IntegerRange range);
  std::optional<double> real(const nlohmann::json& value, const std::string& pointer, RealRange range);
  // A decimal string ("10.5") or a whole number, in whole tokens, converted exactly.
  std::optional<ledger::TokenAmount> tokens(const nlohmann::json& value, const std::string& pointer);
  std::optional<std::string> text(const nlohmann::json& value, const std::string& pointer, std::string_view what);
  template <class E, std::size_t N>
  std::optional<E> choice(const nlohmann::json& value, const std::string& pointer, const NameTable<E, N>& names) {
    std::vector<std::string> allowed;
    for (const auto& entry : names) allowed.emplace_back(entry.second);
    const std::string expectation = "one of " + quoted_list(allowed);
    const auto name = text(value, pointer, expectation);
    if (!name) return std::nullopt;
    for (const auto& [v, n] : names)
      if (*name == n) return v;
    expected(pointer, expectation, value);
    return std::nullopt;
  }

  // Reads object[key] into `out` when the key is there; a missing key leaves `out` (its default) as it is.
  void read_key(const nlohmann::json& object, const std::string& pointer, const char* key, std::int64_t& out,
                IntegerRange range);
  void read_key(const nlohmann::json& object, const std::string& pointer, const char* key, double& out,
                RealRange range);
  void read_key(const nlohmann::json& object, const std::string& pointer, const char* key, ledger::TokenAmount& out);
  template <class E, std::size_t N>
  void read_key(const nlohmann::json& object, const std::string& pointer, const char* key, E& out,
                const NameTable<E, N>& names) {
    if (const auto it = object.find(key); it != object.end())
      if (auto value = choice(*it, child(pointer, key), names)) out = *value;
  }

  // Reads each element of the array object[key], when the key is there, with
  // read_element(reader, element, element_pointer) -> std::optional<T>, appending the values read to `out`.
  template <class T, class ReadElement>
  void read_array(const nlohmann::json& object, const std::string& pointer, const char* key, std::string_view what,
                  std::vector<T>& out, ReadElement read_element) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    const std::string array_pointer = child(pointer, key);
    if (!it->is_array()) {
      expected(array_pointer, std::string(what), *it);
      return;
    }
    for (std::size_t i = 0; i < it->size(); ++i)
      if (auto element = read_element(*this, (*it)[i], child(array_pointer, i))) out.push_back(std::move(*element));
  }

  // Whether low <= high for two values of the object at `pointer`; if not, reports it at low_key.
  bool not_above(const std::string& pointer, const char* low_key, std::int64_t low, const char* high_key,
                 std::int64_t high);

  void error(const std::string& pointer, std::string message);
  // "expected <what>, found <the value>".
  void expected(const std::string& pointer, const std::string& what, const nlohmann::json& found);
  [[nodiscard]] std::size_t error_count() const noexcept { return errors_.size(); }
  [[nodiscard]] unsigned decimals() const noexcept { return decimals_; }
  // Throws scenario::ScenarioErrors with every problem reported, if any.
  void finish();

  // "a", "b" or "c", each quoted.
  static std::string quoted_list(const std::vector<std::string>& names);

 private:
  std::string file_;
  unsigned decimals_;
  std::vector<scenario::ScenarioError> errors_;
};

}  // namespace dais::models
