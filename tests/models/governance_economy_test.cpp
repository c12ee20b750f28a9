// Governance and locks wired into the contributor economy: scenario checks, timing of changes, accounting.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>

#include "models/economy/contributor_economy.hpp"
#include "sim/io/csv.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/models/catalog_fixture.hpp"

using namespace dais;

namespace {

scenario::Scenario load_json(const nlohmann::json& j) {
  return test::load_scenario_json(j, "dais_governance_economy_test");
}

// The load's error messages, one a line; "" when it loads.
std::string load_errors(const nlohmann::json& j) {
  try {
    load_json(j);
    return "";
  } catch (const scenario::ScenarioErrors& e) {
    return e.what();
  }
}

nlohmann::json market_world() {
  return {{"name", "governed"},
          {"seed", 11},
          {"epoch", "1d"},
          {"horizon", "16d"},
          {"emission", {{"schedule", "exponential_decay"}, {"params", {{"initial", "1000"}, {"factor", 0.99}}}}},
          {"agents",
           {{{"role", "data_provider"}, {"model", "contributor"}, {"count", 6}},
            {{"name", "team"}, {"role", "developer"}, {"model", "contributor"}, {"count", 3}},
            {{"role", "compute_provider"}, {"model", "contributor"}, {"count", 6}, {"params", {{"initial_stake", "10"}}}}}},
          {"entry", {{"rate", 0.5}}},
          {"rewards",
           {{"data_provider", {{"share", 0.3}, {"rule", "proportional"}}},
            {"developer", {{"share", 0.3}, {"rule", "proportional"}}},
            {"compute_provider", {{"share", 0.4}, {"rule", "proportional"}}}}},
          {"market",
           {{"model", "compute"}, {"params", {{"arrival_rate", 6}, {"time_unit", "1h"}, {"fee", "0.5"}, {"burn_share", 0}}}}}};
}

// Proposal at epoch 5, voting over epochs 5 and 6, one epoch of delay: in effect from epoch 8.
nlohmann::json burn_proposal(const char* vote_rule) {
  return {{"voting", "token"},      {"quorum", 0.1},        {"voting_period_epochs", 2},
          {"delay_epochs", 1},      {"vote_rule", vote_rule},
          {"proposals", {{{"epoch", 5}, {"parameter", "market.params.burn_share"}, {"value", 0.5}}}}};
}

using Table = std::vector<std::map<std::string, std::string>>;

Table table(const std::vector<std::string>& columns, const io::CsvBuffer& body) {
  Table out;
  for (const auto& r : io::parse_csv(body.text())) {
    REQUIRE(r.size() == columns.size());
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < columns.size(); ++c) row[columns[c]] = r[c];
    out.push_back(std::move(row));
  }
  return out;
}

struct Run {
  Table epochs;
  Table agents;
  Table runs;
};

Run run(const scenario::Scenario& s) {
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, test::builtin_catalog()), {});
  const io::RunOutput out = models::run_contributor_economy(s, test::builtin_catalog(), {0, s.name, 0, s.seed});
  return {table(schema.epochs, out.epochs), table(schema.agents, out.agents), table(schema.runs, out.run)};
}

u128 units(const std::string& text) { return ledger::TokenAmount::parse_decimal(text, 18)->base_units(); }

}  // namespace

TEST_CASE("a passed burn_share proposal burns fees from exactly epoch e + v + d", "[models][governance]") {
  nlohmann::json j = market_world();
  j["governance"] = burn_proposal("always_for");
  const Run r = run(load_json(j));
  REQUIRE(r.epochs.size() == 16);
  for (const auto& row : r.epochs) {
    const int epoch = std::stoi(row.at("epoch"));
    INFO("epoch " << epoch);
    CHECK(std::stoi(row.at("proposals_passed")) == (epoch == 6 ? 1 : 0));
    CHECK(std::stoi(row.at("proposals_executed")) == (epoch == 8 ? 1 : 0));
    if (epoch < 8) CHECK(units(row.at("fees_burned_tokens")) == 0);
    else CHECK(units(row.at("fees_burned_tokens")) > 0);
  }
  CHECK(r.runs.at(0).at("proposals_passed_total") == "1");
  int votes = 0;
  for (const auto& a : r.agents) votes += std::stoi(a.at("votes"));
  CHECK(votes > 0);
}

TEST_CASE("a rejected proposal leaves every other column as a run without governance", "[models][governance]") {
  nlohmann::json governed = market_world();
  governed["governance"] = burn_proposal("always_against");
  const Run with = run(load_json(governed));
  const Run without = run(load_json(market_world()));
  REQUIRE(with.epochs.size() == without.epochs.size());
  for (std::size_t e = 0; e < with.epochs.size(); ++e) {
    CHECK(with.epochs[e].at("proposals_passed") == "0");
    for (const auto& [column, value] : without.epochs[e]) {
      INFO(column << " at epoch " << e);
      CHECK(with.epochs[e].at(column) == value);
    }
  }
  CHECK(with.runs.at(0).at("fingerprint") == without.runs.at(0).at("fingerprint"));
}

TEST_CASE("an emission proposal decided by vote-escrow power changes the emission from its effective epoch",
          "[models][governance][locks]") {
  nlohmann::json j = market_world();
  j["locks"] = {{"vote_escrow", {{"max_lock_epochs", 10}, {"lock_share", 0.5}, {"lock_epochs", 8}}}};
  j["governance"] = {{"voting", "vote_escrow"}, {"voting_period_epochs", 2}, {"delay_epochs", 0},
                     {"proposals", {{{"epoch", 3}, {"parameter", "emission.params.initial"}, {"value", "2000"}}}}};
  const Run r = run(load_json(j));
  // exponential_decay: initial * factor^epoch; from epoch 5 on the initial is doubled.
  for (const auto& row : r.epochs) {
    const int epoch = std::stoi(row.at("epoch"));
    INFO("epoch " << epoch);
    const double emission = std::stod(row.at("emission_tokens"));
    CHECK(emission == Approx((epoch < 5 ? 1000.0 : 2000.0) * std::pow(0.99, epoch)).epsilon(1e-9));
  }
}

TEST_CASE("vesting releases from the cliff exactly, and locked tokens and vote-escrow power add up",
          "[models][locks]") {
  nlohmann::json j = market_world();
  j["locks"] = {{"vesting", {{{"population", "team"}, {"amount", "100"}, {"cliff_epochs", 4}, {"duration_epochs", 10}}}},
                {"vote_escrow", {{"max_lock_epochs", 12}, {"lock_share", 0.5}, {"lock_epochs", 6}}}};
  const Run r = run(load_json(j));
  const u128 whole = units("1");
  for (const auto& row : r.epochs) {
    const int epoch = std::stoi(row.at("epoch"));
    INFO("epoch " << epoch);
    // Three team members, each floor(100 t / 10) vested by epoch t >= 4: 40 at the cliff, then 10 an epoch.
    const u128 expected = epoch < 4 ? 0 : epoch == 4 ? 3 * 40 * whole : epoch <= 10 ? 3 * 10 * whole : 0;
    CHECK(units(row.at("vested_released_tokens")) == expected);
  }
  u128 locked = 0;
  u128 power = 0;
  for (const auto& a : r.agents) {
    locked += units(a.at("locked_tokens"));
    power += units(a.at("ve_power"));
  }
  CHECK(locked == units(r.epochs.back().at("locked_tokens")));
  CHECK(power == units(r.epochs.back().at("ve_power_total")));
  CHECK(power > 0);
}

TEST_CASE("governance and locks sections are checked against the scenario when it loads", "[models][governance]") {
  nlohmann::json j = market_world();
  j["governance"] = burn_proposal("always_for");
  j["governance"]["proposals"][0]["parameter"] = "market.params.burn_shares";
  CHECK_THAT(load_errors(j), Catch::Contains("/governance/proposals/0/parameter: expected a governable parameter of "
                                             "this scenario (\"market.params.burn_share\"") &&
                                 Catch::Contains("did you mean \"market.params.burn_share\"?"));
  j["governance"]["proposals"][0]["parameter"] = "market.params.burn_share";
  j["governance"]["proposals"][0]["value"] = 1.5;
  CHECK_THAT(load_errors(j), Catch::Contains("/governance/proposals/0/value: expected a number in [0, 1]"));
  j["governance"]["proposals"][0]["value"] = 0.5;
  j["governance"]["proposals"][0]["epoch"] = 16;
  CHECK_THAT(load_errors(j), Catch::Contains("expected an epoch within the horizon (0 to 15), found 16"));
  j["governance"]["proposals"][0]["epoch"] = 5;
  j["governance"]["voting"] = "vote_escrow";
  CHECK_THAT(load_errors(j), Catch::Contains("/governance/voting: expected a \"locks\" section with \"vote_escrow\""));
  j["governance"]["voting"] = "quadratic";
  j["locks"] = {{"vesting", {{{"population", "founders"}, {"amount", "1"}, {"duration_epochs", 2}}}}};
  CHECK_THAT(load_errors(j), Catch::Contains("/locks/vesting/0/population: expected the name of a population"));
  j["locks"]["vesting"][0]["population"] = "team";
  CHECK(load_errors(j).empty());
  // The resolved scenario keeps both sections.
  const nlohmann::json resolved = scenario::to_json(load_json(j));
  CHECK(resolved.at("governance").at("voting") == "quadratic");
  CHECK(resolved.at("locks").at("vesting").at(0).at("population") == "team");
}
