#include "models/staking/staking_config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/section_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::models::staking {

using nlohmann::json;

namespace {

constexpr NameTable<DelegatorChoice, 3> choice_names{{{DelegatorChoice::stake_weighted, "stake_weighted"},
                                                      {DelegatorChoice::lowest_commission, "lowest_commission"},
                                                      {DelegatorChoice::highest_yield, "highest_yield"}}};
// The roles whose agents run a staked service that token holders can back.
const std::vector<std::string> operator_roles{"compute_provider", "validator"};
constexpr RealRange unit_interval{0.0, 1.0};

void read_stake(SectionReader& r, const json& section, const std::string& pointer, DelegationConfig& config) {
  const auto it = section.find("stake");
  if (it == section.end()) return;
  const std::string stake_pointer = SectionReader::child(pointer, "stake");
  if (!it->is_object()) {
    if (const auto amount = r.tokens(*it, stake_pointer)) config.stake_min = config.stake_max = *amount;
    return;
  }
  if (!r.object(*it, stake_pointer, {"min", "max"}, {"min", "max"})) return;
  r.read_key(*it, stake_pointer, "min", config.stake_min);
  r.read_key(*it, stake_pointer, "max", config.stake_max);
  if (config.stake_max < config.stake_min)
    r.error(SectionReader::child(stake_pointer, "min"), "expected min <= max, found min above max");
}

void read_commission(SectionReader& r, const json& section, const std::string& pointer, DelegationConfig& config) {
  const auto it = section.find("commission");
  if (it == section.end()) return;
  const std::string commission_pointer = SectionReader::child(pointer, "commission");
  if (!it->is_object()) {
    if (const auto c = r.real(*it, commission_pointer, unit_interval)) config.commission = *c;
    return;
  }
  for (const auto& [population, value] : it->items())
    if (const auto c = r.real(value, SectionReader::child(commission_pointer, population), unit_interval))
      config.commission_by_population[population] = *c;
}

void read_role(SectionReader& r, const json& object, const std::string& pointer, std::string& out) {
  if (const auto it = object.find("role"); it != object.end())
    if (const auto role = r.text(*it, SectionReader::child(pointer, "role"), "a role name")) out = *role;
}

// Whether the scenario pays `role` in "rewards"; reported at `pointer` otherwise.
bool check_paid_role(SectionReader& r, const scenario::Scenario& s, const std::string& role, const std::string& pointer,
                     const std::vector<std::string>& allowed) {
  std::vector<std::string> paid;
  for (const scenario::RoleRewards& x : s.rewards)
    if (std::find(allowed.begin(), allowed.end(), x.role) != allowed.end()) paid.push_back(x.role);
  if (std::find(paid.begin(), paid.end(), role) != paid.end()) return true;
  r.error(pointer, fmt::format("expected a role of \"rewards\" among {}, found \"{}\"",
                               paid.empty() ? std::string("(none)") : SectionReader::quoted_list(paid), role));
  return false;
}

void check_delegation(const json& section, const scenario::Scenario& s, const scenario::Catalog&, const std::string& file) {
  const DelegationConfig config = read_delegation(section, file, "/delegation", s.token.decimals);
  SectionReader r(file, s.token.decimals);
  // Commissions name the role's populations: no follow-on errors for a wrong role.
  if (!check_paid_role(r, s, config.role, "/delegation/role", operator_roles)) r.finish();
  std::vector<std::string> names;
  for (const scenario::Population& p : s.populations) {
    if (p.role != config.role) continue;
    names.push_back(p.name);
    // A Sybil's identities hold the stake the operator's delegators would be paid from.
    if (p.model.name == "sybil" && p.model.params.integer("identities") > 1)
      r.error("/delegation/role", fmt::format("expected a role without Sybil identities, found population \"{}\" "
                                              "splitting into {}", p.name, p.model.params.integer("identities")));
  }
  for (const auto& [population, c] : config.commission_by_population)
    if (std::find(names.begin(), names.end(), population) == names.end())
      r.error(SectionReader::child("/delegation/commission", population),
              fmt::format("expected a population of role \"{}\" ({}), found \"{}\"", config.role,
                          SectionReader::quoted_list(names), population));
  if (!config.commission_by_population.empty())
    for (const std::string& name : names)
      if (!config.commission_by_population.contains(name))
        r.error("/delegation/commission", fmt::format("expected a commission for population \"{}\", found none", name));
  r.finish();
}

void check_slashing(const json& section, const scenario::Scenario& s, const scenario::Catalog&, const std::string& file) {
  const SlashingConfig config = read_slashing(section, file, "/slashing");
  SectionReader r(file, s.token.decimals);
  if (config.downtime) check_paid_role(r, s, config.downtime->role, "/slashing/downtime/role", operator_roles);
  const bool correlated_downtime = config.downtime && config.downtime->correlated;
  if (config.correlation && !s.market && !correlated_downtime)
    r.error("/slashing/correlation",
            "expected slashes to correlate (a \"market\" whose cheaters are slashed, or \"downtime\" with "
            "\"correlated\": true), found none");
  r.finish();
}

}  // namespace

DelegationConfig read_delegation(const json& section, const std::string& file, const std::string& pointer,
                                 unsigned decimals) {
  SectionReader r(file, decimals);
  DelegationConfig config;
  if (r.object(section, pointer,
               {"role", "delegators", "stake", "choice", "redelegate_every", "unbonding", "commission"},
               {"role", "delegators", "stake", "commission"})) {
    read_role(r, section, pointer, config.role);
    r.read_key(section, pointer, "delegators", config.delegators, {0, 10'000'000});
    read_stake(r, section, pointer, config);
    r.read_key(section, pointer, "choice", config.choice, choice_names);
    r.read_key(section, pointer, "redelegate_every", config.redelegate_every, {0, max_scenario_epochs});
    r.read_key(section, pointer, "unbonding", config.unbonding_epochs, {0, max_scenario_epochs});
    read_commission(r, section, pointer, config);
  }
  r.finish();
  return config;
}

SlashingConfig read_slashing(const json& section, const std::string& file, const std::string& pointer) {
  SectionReader r(file, 0);
  SlashingConfig config;
  if (r.object(section, pointer, {"correlation", "downtime"})) {
    if (const auto it = section.find("correlation"); it != section.end()) {
      const std::string p = SectionReader::child(pointer, "correlation");
      if (r.object(*it, p, {"multiplier", "window"}, {"window"})) {
        CorrelationSpec spec;
        r.read_key(*it, p, "multiplier", spec.multiplier, {0.0, 1e6});
        r.read_key(*it, p, "window", spec.window_epochs, {1, max_scenario_epochs});
        config.correlation = spec;
      }
    }
    if (const auto it = section.find("downtime"); it != section.end()) {
      const std::string p = SectionReader::child(pointer, "downtime");
      if (r.object(*it, p, {"role", "probability", "fraction", "correlated"}, {"role", "probability"})) {
        DowntimeSpec spec;
        read_role(r, *it, p, spec.role);
        r.read_key(*it, p, "probability", spec.probability, unit_interval);
        r.read_key(*it, p, "fraction", spec.fraction, unit_interval);
        if (const auto c = it->find("correlated"); c != it->end()) {
          if (c->is_boolean())
            spec.correlated = c->get<bool>();
          else
            r.expected(SectionReader::child(p, "correlated"), "true or false", *c);
        }
        config.downtime = spec;
      }
    }
  }
  r.finish();
  return config;
}

std::vector<scenario::ScenarioSection> staking_sections() {
  return {{"delegation", "token holders delegating stake to operators for a commission", check_delegation},
          {"slashing", "a correlation penalty on slashes and downtime slashing of operators", check_slashing}};
}

}  // namespace dais::models::staking
