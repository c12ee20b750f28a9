#include "sim/scenario/params.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/scenario/scenario.hpp"

namespace dais::scenario {

const char* to_string(ParamType type) noexcept {
  switch (type) {
    case ParamType::integer: return "integer";
    case ParamType::real: return "real";
    case ParamType::boolean: return "boolean";
    case ParamType::text: return "text";
    case ParamType::tokens: return "tokens";
    case ParamType::duration: return "duration";
  }
  return "?";
}

ParamSpec real_param(std::string name, std::optional<double> default_value, std::string unit, std::string description,
                     std::optional<double> min, std::optional<double> max) {
  ParamSpec p{std::move(name), ParamType::real, std::nullopt, std::move(unit), std::move(description), min, max, {}};
  if (default_value) p.default_value = *default_value;
  return p;
}

ParamSpec integer_param(std::string name, std::optional<std::int64_t> default_value, std::string unit,
                        std::string description, std::optional<double> min, std::optional<double> max) {
  ParamSpec p{std::move(name), ParamType::integer, std::nullopt, std::move(unit), std::move(description), min, max, {}};
  if (default_value) p.default_value = *default_value;
  return p;
}

ParamSpec boolean_param(std::string name, bool default_value, std::string description) {
  return ParamSpec{std::move(name), ParamType::boolean, default_value, "", std::move(description), {}, {}, {}};
}

ParamSpec text_param(std::string name, std::optional<std::string> default_value, std::vector<std::string> choices,
                     std::string description) {
  ParamSpec p{std::move(name), ParamType::text, std::nullopt, "", std::move(description), {}, {}, std::move(choices)};
  if (default_value) p.default_value = *default_value;
  return p;
}

ParamSpec tokens_param(std::string name, std::optional<std::string> default_decimal, std::string unit,
                       std::string description) {
  // The default stays a decimal string until a scenario's decimals are known (see the loader).
  ParamSpec p{std::move(name), ParamType::tokens, std::nullopt, std::move(unit), std::move(description), {}, {}, {}};
  if (default_decimal) p.default_value = *default_decimal;
  return p;
}

ParamSpec duration_param(std::string name, std::optional<core::SimTime> default_value, std::string description,
                         std::optional<double> min_seconds) {
  ParamSpec p{std::move(name), ParamType::duration, std::nullopt, "", std::move(description), min_seconds, {}, {}};
  if (default_value) p.default_value = *default_value;
  return p;
}

std::string describe(const ParamValue& value, unsigned decimals) {
  struct Visitor {
    unsigned decimals;
    std::string operator()(std::int64_t v) const { return fmt::format("{}", v); }
    std::string operator()(double v) const { return fmt::format("{}", v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(ledger::TokenAmount v) const { return v.to_decimal(decimals); }
    std::string operator()(core::SimTime v) const { return format_duration(v); }
  };
  return std::visit(Visitor{decimals}, value);
}

std::string describe_default(const ParamSpec& spec) {
  return spec.default_value ? describe(*spec.default_value) : "(required)";
}

std::string describe_range(const ParamSpec& spec) {
  if (!spec.choices.empty()) {
    std::string out;
    for (const std::string& c : spec.choices) out += (out.empty() ? "" : "|") + c;
    return out;
  }
  const auto bound = [&](double b) {
    if (spec.type != ParamType::duration) return fmt::format("{}", b);
    return format_duration(core::SimTime::from_ticks(static_cast<core::SimTime::rep>(b * 1e6)));
  };
  if (spec.min && spec.max) return "[" + bound(*spec.min) + ", " + bound(*spec.max) + "]";
  if (spec.min) return ">= " + bound(*spec.min);
  if (spec.max) return "<= " + bound(*spec.max);
  return "-";
}

const ParamValue& Params::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("parameter '" + name + "' was not declared or not set");
  return it->second;
}

namespace {

template <class T>
const T& as(const ParamValue& v, const std::string& name, const char* type) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw std::logic_error("parameter '" + name + "' is not of type " + type);
}

}  // namespace

std::int64_t Params::integer(const std::string& name) const { return as<std::int64_t>(get(name), name, "integer"); }
double Params::real(const std::string& name) const { return as<double>(get(name), name, "real"); }
bool Params::boolean(const std::string& name) const { return as<bool>(get(name), name, "boolean"); }
const std::string& Params::text(const std::string& name) const { return as<std::string>(get(name), name, "text"); }
ledger::TokenAmount Params::tokens(const std::string& name) const {
  return as<ledger::TokenAmount>(get(name), name, "tokens");
}
core::SimTime Params::duration(const std::string& name) const { return as<core::SimTime>(get(name), name, "duration"); }

}  // namespace dais::scenario
