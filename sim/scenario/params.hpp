#pragma once
// Declared parameters: every rule, schedule and agent model states its parameters once (name, type,
// default, unit, range, description). The same table validates scenario files and prints `dais list`.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"

namespace dais::scenario {

enum class ParamType { integer, real, boolean, text, tokens, duration };
const char* to_string(ParamType type) noexcept;

using ParamValue = std::variant<std::int64_t, double, bool, std::string, ledger::TokenAmount, core::SimTime>;

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::real;
  // nullopt: the parameter is required.
  std::optional<ParamValue> default_value;
  std::string unit;         // "tokens", "tokens/epoch", "1/epoch", "" for pure numbers
  std::string description;  // one line
  // Inclusive numeric bounds (integer, real, duration in seconds, tokens in whole tokens).
  std::optional<double> min;
  std::optional<double> max;
  // For text parameters: the allowed values (empty = any).
  std::vector<std::string> choices;
};

// Builders that keep declarations short and readable.
ParamSpec real_param(std::string name, std::optional<double> default_value, std::string unit, std::string description,
                     std::optional<double> min = std::nullopt, std::optional<double> max = std::nullopt);
ParamSpec integer_param(std::string name, std::optional<std::int64_t> default_value, std::string unit,
                        std::string description, std::optional<double> min = std::nullopt,
                        std::optional<double> max = std::nullopt);
ParamSpec boolean_param(std::string name, bool default_value, std::string description);
ParamSpec text_param(std::string name, std::optional<std::string> default_value, std::vector<std::string> choices,
                     std::string description);
// Token amounts: defaults are given as exact decimal strings ("0", "10.5") and converted with the scenario's
// decimals when the scenario is loaded.
ParamSpec tokens_param(std::string name, std::optional<std::string> default_decimal, std::string unit,
                       std::string description);
ParamSpec duration_param(std::string name, std::optional<core::SimTime> default_value, std::string description,
                         std::optional<double> min_seconds = std::nullopt);

// Human form of a value for `dais list` and messages: 0.5, 12, true, text, 10.5 (tokens), 1d.
std::string describe(const ParamValue& value, unsigned decimals = 18);
std::string describe_default(const ParamSpec& spec);
// The values a parameter accepts, for `dais list`: "[0, 1]", ">= 1", "always|never", "-" when any.
std::string describe_range(const ParamSpec& spec);

// The validated parameter values of one component, defaults filled in. Getters throw std::logic_error
// on a name or type the component did not declare (a programming error, not a user error).
class Params {
 public:
  void set(std::string name, ParamValue value) { values_[std::move(name)] = std::move(value); }
  [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) != 0; }
  [[nodiscard]] std::int64_t integer(const std::string& name) const;
  [[nodiscard]] double real(const std::string& name) const;
  [[nodiscard]] bool boolean(const std::string& name) const;
  [[nodiscard]] const std::string& text(const std::string& name) const;
  [[nodiscard]] ledger::TokenAmount tokens(const std::string& name) const;
  [[nodiscard]] core::SimTime duration(const std::string& name) const;
  [[nodiscard]] const std::map<std::string, ParamValue>& values() const noexcept { return values_; }

 private:
  const ParamValue& get(const std::string& name) const;
  std::map<std::string, ParamValue> values_;
};

}  // namespace dais::scenario
