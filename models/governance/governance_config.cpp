#include "models/governance/governance_config.hpp"

#include "models/section_reader.hpp"

namespace dais::models::governance {

using nlohmann::json;

namespace {

constexpr NameTable<Weighting, 3> weighting_names{
    {{Weighting::token, "token"}, {Weighting::quadratic, "quadratic"}, {Weighting::vote_escrow, "vote_escrow"}}};
constexpr NameTable<VoteRule, 3> vote_rule_names{{{VoteRule::always_for, "always_for"},
                                                  {VoteRule::always_against, "always_against"},
                                                  {VoteRule::expected_gain, "expected_gain"}}};

std::optional<ParameterValue> read_value(SectionReader& r, const json& v, const std::string& pointer) {
  if (v.is_number()) {
    if (auto x = r.real(v, pointer, {})) return ParameterValue{*x};
    return std::nullopt;
  }
  if (!v.is_string()) {
    r.expected(pointer, "a number, or a token amount as a decimal string", v);
    return std::nullopt;
  }
  if (auto amount = r.tokens(v, pointer)) return ParameterValue{*amount};
  return std::nullopt;
}

std::optional<ProposalSpec> read_proposal(SectionReader& r, const json& v, const std::string& pointer) {
  const std::size_t errors_before = r.error_count();
  if (!r.object(v, pointer, {"epoch", "parameter", "value"}, {"epoch", "parameter", "value"})) return std::nullopt;
  ProposalSpec spec;
  r.read_key(v, pointer, "epoch", spec.epoch, {0, max_scenario_epochs});
  if (const auto parameter = v.find("parameter"); parameter != v.end()) {
    const std::string p = SectionReader::child(pointer, "parameter");
    const std::string what = "a parameter path such as \"market.params.burn_share\"";
    if (const auto text = r.text(*parameter, p, what)) {
      std::string reason;
      if (auto path = ParameterPath::parse(*text, &reason))
        spec.parameter = std::move(*path);
      else
        r.error(p, "expected " + what + ", found " + parameter->dump() + " (" + reason + ")");
    }
  }
  if (const auto value = v.find("value"); value != v.end())
    if (auto x = read_value(r, *value, SectionReader::child(pointer, "value"))) spec.value = *x;
  if (r.error_count() != errors_before) return std::nullopt;
  return spec;
}

}  // namespace

const char* to_string(Weighting weighting) noexcept { return name_in(weighting_names, weighting); }
const char* to_string(VoteRule rule) noexcept { return name_in(vote_rule_names, rule); }

GovernanceConfig read_governance(const json& section, const std::string& file, const std::string& pointer,
                                 unsigned decimals) {
  SectionReader r(file, decimals);
  GovernanceConfig config;
  VotingRules& rules = config.rules;
  if (r.object(section, pointer,
               {"voting", "quorum", "threshold", "voting_period_epochs", "delay_epochs", "turnout", "vote_rule",
                "gain_epsilon", "proposals"})) {
    r.read_key(section, pointer, "voting", rules.weighting, weighting_names);
    r.read_key(section, pointer, "quorum", rules.quorum, {0.0, 1.0});
    r.read_key(section, pointer, "threshold", rules.threshold, {0.0, 1.0, true});
    r.read_key(section, pointer, "voting_period_epochs", rules.voting_period, {1, max_scenario_epochs});
    r.read_key(section, pointer, "delay_epochs", rules.delay, {0, max_scenario_epochs});
    r.read_key(section, pointer, "turnout", rules.turnout, {0.0, 1.0});
    r.read_key(section, pointer, "vote_rule", rules.vote_rule, vote_rule_names);
    r.read_key(section, pointer, "gain_epsilon", rules.gain_epsilon, {0.0});
    r.read_array(section, pointer, "proposals", "an array of proposals", config.proposals, read_proposal);
  }
  r.finish();
  return config;
}

}  // namespace dais::models::governance
