#include "models/governance/governable.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/governance/governance_config.hpp"
#include "models/locks/locks_config.hpp"
#include "models/market/compute_market.hpp"
#include "models/section_reader.hpp"

namespace dais::models::governance {

using nlohmann::json;

namespace {

// Schedules whose emission depends on what they did in earlier epochs.
constexpr const char* schedules_with_state[] = {"target_inflation"};

const scenario::ParamSpec* spec_of(const scenario::ComponentIndex* index, const std::string& component,
                                   const std::string& param) {
  const scenario::ComponentInfo* info = index != nullptr ? index->find(component) : nullptr;
  if (info == nullptr) return nullptr;
  const auto it = std::find_if(info->params.begin(), info->params.end(),
                               [&](const scenario::ParamSpec& spec) { return spec.name == param; });
  return it == info->params.end() ? nullptr : &*it;
}

// " in [0, 1]", " >= 0", or "".
std::string range_of(const scenario::ParamSpec& spec) {
  if (spec.min && spec.max) return fmt::format(" in [{}, {}]", *spec.min, *spec.max);
  if (spec.min) return fmt::format(" >= {}", *spec.min);
  if (spec.max) return fmt::format(" <= {}", *spec.max);
  return "";
}

bool in_range(double x, const scenario::ParamSpec& spec) {
  return (!spec.min || x >= *spec.min) && (!spec.max || x <= *spec.max);
}

std::string shown(const ParameterValue& value, unsigned decimals) {
  if (const double* x = std::get_if<double>(&value)) return fmt::format("{}", *x);
  return json(std::get<ledger::TokenAmount>(value).to_decimal(decimals)).dump();
}

void check_governance(const json& section, const scenario::Scenario& s, const scenario::Catalog& catalog,
                      const std::string& file) {
  const unsigned decimals = s.token.decimals;
  const GovernanceConfig config = read_governance(section, file, "/governance", decimals);
  SectionReader r(file, decimals);
  const std::vector<GovernableParameter> governable = governable_parameters(s, catalog);
  std::vector<std::string> paths;
  for (const GovernableParameter& g : governable) paths.push_back(g.path);
  for (std::size_t i = 0; i < config.proposals.size(); ++i) {
    const ProposalSpec& proposal = config.proposals[i];
    const std::string pointer = SectionReader::child("/governance/proposals", i);
    if (proposal.epoch >= s.epochs())
      r.error(SectionReader::child(pointer, "epoch"),
              fmt::format("expected an epoch within the horizon (0 to {}), found {}", s.epochs() - 1, proposal.epoch));
    const std::string path = proposal.parameter.dotted();
    const GovernableParameter* parameter = find_governable(governable, path);
    if (parameter == nullptr) {
      const std::string hint = scenario::closest(path, paths);
      r.error(SectionReader::child(pointer, "parameter"),
              fmt::format("expected a governable parameter of this scenario ({}), found \"{}\"{}",
                          SectionReader::quoted_list(paths), path, hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
      continue;
    }
    std::string problem;
    if (!parameter_value(proposal.value, parameter->spec, decimals, &problem))
      r.error(SectionReader::child(pointer, "value"), problem);
  }
  const auto locks = s.sections.find("locks");
  if (config.rules.weighting == Weighting::vote_escrow &&
      (locks == s.sections.end() || !locks->second.is_object() || !locks->second.contains("vote_escrow")))
    r.error("/governance/voting",
            "expected a \"locks\" section with \"vote_escrow\" for \"vote_escrow\" voting, found none");
  r.finish();
}

void check_locks(const json& section, const scenario::Scenario& s, const scenario::Catalog&, const std::string& file) {
  const locks::LocksConfig config = locks::read_locks(section, file, "/locks", s.token.decimals);
  SectionReader r(file, s.token.decimals);
  std::vector<std::string> names;
  for (const scenario::Population& p : s.populations) names.push_back(p.name);
  for (std::size_t i = 0; i < config.vesting.size(); ++i) {
    const std::string& population = config.vesting[i].population;
    if (std::find(names.begin(), names.end(), population) != names.end()) continue;
    r.error(SectionReader::child(SectionReader::child("/locks/vesting", i), "population"),
            fmt::format("expected the name of a population of /agents ({}), found \"{}\"",
                        SectionReader::quoted_list(names), population));
  }
  r.finish();
}

}  // namespace

std::vector<GovernableParameter> governable_parameters(const scenario::Scenario& s, const scenario::Catalog& catalog) {
  std::vector<GovernableParameter> out;
  if (s.market)
    for (const char* term : governable_market_terms)
      if (const scenario::ParamSpec* spec = spec_of(catalog.markets, s.market->name, term))
        out.push_back({std::string("market.params.") + term, *spec});
  const bool stateless = std::none_of(std::begin(schedules_with_state), std::end(schedules_with_state),
                                      [&](const char* name) { return s.emission.name == name; });
  const scenario::ComponentInfo* schedule = catalog.schedules != nullptr ? catalog.schedules->find(s.emission.name) : nullptr;
  if (stateless && schedule != nullptr)
    for (const scenario::ParamSpec& spec : schedule->params)
      if (spec.type == scenario::ParamType::real || spec.type == scenario::ParamType::integer ||
          spec.type == scenario::ParamType::tokens)
        out.push_back({"emission.params." + spec.name, spec});
  out.push_back({"entry.rate", scenario::real_param("rate", 0.0, "1/epoch", "entrants per epoch", 0.0, 1e6)});
  return out;
}

const GovernableParameter* find_governable(const std::vector<GovernableParameter>& parameters,
                                           const std::string& path) noexcept {
  const auto it = std::find_if(parameters.begin(), parameters.end(),
                               [&](const GovernableParameter& g) { return g.path == path; });
  return it == parameters.end() ? nullptr : &*it;
}

std::optional<scenario::ParamValue> parameter_value(const ParameterValue& value, const scenario::ParamSpec& spec,
                                                    unsigned decimals, std::string* problem) {
  const auto fail = [&](const std::string& what) -> std::optional<scenario::ParamValue> {
    if (problem != nullptr) *problem = "expected " + what + ", found " + shown(value, decimals);
    return std::nullopt;
  };
  const double* number = std::get_if<double>(&value);
  switch (spec.type) {
    case scenario::ParamType::real:
      if (number != nullptr && in_range(*number, spec)) return *number;
      return fail("a number" + range_of(spec));
    case scenario::ParamType::integer:
      if (number != nullptr && std::floor(*number) == *number && std::fabs(*number) < 0x1p53 && in_range(*number, spec))
        return static_cast<std::int64_t>(*number);
      return fail("an integer" + range_of(spec));
    case scenario::ParamType::tokens: {
      const std::string what = "a token amount (a decimal string such as \"10.5\", or a whole number)" + range_of(spec);
      std::optional<ledger::TokenAmount> amount;
      if (number == nullptr) amount = std::get<ledger::TokenAmount>(value);
      else if (*number >= 0 && std::floor(*number) == *number && *number < 0x1p63)
        amount = ledger::TokenAmount::whole_tokens(static_cast<std::uint64_t>(*number), decimals);
      if (amount && in_range(amount->to_tokens(decimals), spec)) return *amount;
      return fail(what);
    }
    default: return fail("a parameter governance can set (a number or a token amount)");
  }
}

std::vector<scenario::ScenarioSection> governance_sections() {
  return {{"governance", "proposals that change parameters mid-run, decided by vote", check_governance},
          {"locks", "vesting grants and vote-escrow locks", check_locks}};
}

}  // namespace dais::models::governance
