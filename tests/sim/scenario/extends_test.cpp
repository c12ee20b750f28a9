// `extends`: a scenario that overrides another, key by key (RFC 7386 merge patch), with errors naming the file
// that set the faulty value.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/scenario.hpp"

using dais::u128;
using dais::core::SimTime;
using dais::ledger::TokenAmount;
using namespace dais::scenario;
using namespace dais::scenario::testing;

namespace {

using Lines = std::vector<std::string>;

// A complete scenario for children to extend: 6-decimal token, a decay schedule, three roles, a tiered rule.
ojson parent_scenario() {
  return ojson::parse(R"({
    "name": "parent",
    "description": "the parent",
    "seed": 7,
    "replicates": 4,
    "epoch": "1d",
    "horizon": "30d",
    "token": {"symbol": "DAI", "decimals": 6, "initial_supply": "1000"},
    "emission": {"schedule": "decay", "params": {"initial": "100", "factor": 0.5, "period": "1w"}},
    "agents": [
      {"role": "data_provider", "model": "worker", "count": 4, "params": {"capacity": 50, "cost": "1"}},
      {"role": "developer", "model": "worker", "count": 2},
      {"role": "compute_provider", "model": "worker", "count": 3}
    ],
    "entry": {"rate": 1.5, "condition": "mean_profit_positive"},
    "rewards": {
      "data_provider": {"share": 0.3, "rule": "tiered", "params": {"low": 0.2, "high": 0.8}},
      "developer": {"share": 0.3, "rule": "proportional"},
      "compute_provider": {"share": 0.4, "rule": "proportional"}
    },
    "outputs": {"transfers": true}
  })");
}

std::string at(const fs::path& file, const std::string& rest) { return file.string() + ": " + rest; }

}  // namespace

TEST_CASE("extends is resolved against the folder of the extending file", "[scenario][extends]") {
  const TempDir dir;
  const fs::path parent = dir.write("base/parent.json", parent_scenario());
  const fs::path child = dir.write("runs/child.json", ojson{{"extends", "../base/parent.json"}, {"name", "child"}});
  const Scenario sc = load(child);
  CHECK(sc.file == child);
  CHECK(sc.name == "child");
  CHECK(sc.seed == 7);
  CHECK(sc.token.symbol == "DAI");
  CHECK(sc.populations.size() == 3);
  // A base beside the child.
  dir.write("runs/sibling.json", parent_scenario());
  const Scenario beside = load(dir.write("runs/child2.json", ojson{{"extends", "sibling.json"}, {"name", "child2"}}));
  CHECK(beside.name == "child2");
  CHECK(beside.replicates == 4);
  (void)parent;
}

TEST_CASE("a child's objects merge into the parent's key by key, arrays replace and null removes a key",
          "[scenario][extends]") {
  const TempDir dir;
  dir.write("parent.json", parent_scenario());
  const Scenario sc = load(dir.write("child.json", ojson::parse(R"({
    "extends": "parent.json",
    "name": "child",
    "description": null,
    "seed": null,
    "token": {"initial_supply": "5"},
    "emission": {"params": {"factor": 0.9}},
    "agents": [{"role": "data_provider", "model": "worker", "count": 10}],
    "entry": {"rate": 3},
    "rewards": {
      "data_provider": {"share": 1, "params": {"high": 0.7}},
      "developer": null,
      "compute_provider": null
    },
    "outputs": {"transfers": null, "epochs": false}
  })")));
  CHECK(sc.name == "child");
  CHECK(sc.description.empty());  // removed: the default
  CHECK(sc.seed == 1);            // removed: the default
  CHECK(sc.replicates == 4);      // inherited
  CHECK(sc.epoch_length == SimTime::days(1));
  CHECK(sc.horizon == SimTime::days(30));
  // token: symbol and decimals from the parent, the supply from the child, converted with the parent's decimals
  CHECK(sc.token.symbol == "DAI");
  CHECK(sc.token.decimals == 6);
  CHECK(sc.token.initial_supply == TokenAmount::from_base_units(5'000'000));
  // emission: the same schedule, its parameters merged
  CHECK(sc.emission.name == "decay");
  CHECK(sc.emission.params.tokens("initial") == TokenAmount::from_base_units(100'000'000));
  CHECK(sc.emission.params.real("factor") == 0.9);
  CHECK(sc.emission.params.duration("period") == SimTime::days(7));
  // agents: the child's array replaces the parent's, whose first population's params are not carried over
  REQUIRE(sc.populations.size() == 1);
  CHECK(sc.populations[0].count == 10);
  CHECK(sc.populations[0].model.params.integer("capacity") == 10);
  CHECK(sc.populations[0].model.params.tokens("cost") == TokenAmount::from_base_units(2'500'000));
  // entry: merged
  CHECK(sc.entry.rate == 3.0);
  CHECK(sc.entry.condition == EntryCondition::mean_profit_positive);
  // rewards: two roles removed, the third's rule kept with its parameters merged
  REQUIRE(sc.rewards.size() == 1);
  CHECK(sc.rewards[0].role == "data_provider");
  CHECK(sc.rewards[0].share_parts == share_scale);
  CHECK(sc.rewards[0].rule.name == "tiered");
  CHECK(sc.rewards[0].rule.params.real("low") == 0.2);
  CHECK(sc.rewards[0].rule.params.real("high") == 0.7);
  // outputs: transfers removed (the default, off), epochs set by the child
  CHECK_FALSE(sc.outputs.transfers);
  CHECK_FALSE(sc.outputs.epochs);
  CHECK(sc.outputs.agents);
}

TEST_CASE("removing a required key with null in the child is reported against the child", "[scenario][extends]") {
  const TempDir dir;
  dir.write("parent.json", parent_scenario());
  const fs::path child = dir.write("child.json", ojson{{"extends", "parent.json"}, {"epoch", nullptr}});
  CHECK(errors_of(child) ==
        Lines{at(child, "expected the key \"epoch\" (the length of an epoch, such as \"1d\"), found none")});
}

TEST_CASE("a child naming another schedule, rule or model does not inherit the parent's parameters",
          "[scenario][extends]") {
  const TempDir dir;
  dir.write("parent.json", parent_scenario());
  SECTION("another schedule, with parameters of its own") {
    const Scenario sc = load(dir.write(
        "child.json", ojson::parse(R"({"extends": "parent.json", "emission": {"schedule": "fixed", "params": {"per_epoch": "5"}}})")));
    CHECK(sc.emission.name == "fixed");
    CHECK(sc.emission.params.values().size() == 1);
    CHECK(sc.emission.params.tokens("per_epoch") == TokenAmount::from_base_units(5'000'000));
  }
  SECTION("another schedule, with all its defaults") {
    const Scenario sc =
        load(dir.write("child.json", ojson::parse(R"({"extends": "parent.json", "emission": {"schedule": "bounded"}})")));
    CHECK(sc.emission.name == "bounded");
    CHECK(sc.emission.params.values().size() == 2);
    CHECK(sc.emission.params.real("min_rate") == 0.01);
    CHECK(sc.emission.params.real("max_rate") == 0.1);
  }
  SECTION("the same schedule named again keeps the parent's parameters") {
    const Scenario sc = load(dir.write(
        "child.json", ojson::parse(R"({"extends": "parent.json", "emission": {"schedule": "decay", "params": {"factor": 0.25}}})")));
    CHECK(sc.emission.params.tokens("initial") == TokenAmount::from_base_units(100'000'000));
    CHECK(sc.emission.params.real("factor") == 0.25);
  }
  SECTION("another rule") {
    const Scenario sc = load(dir.write(
        "child.json", ojson::parse(R"({"extends": "parent.json", "rewards": {"data_provider": {"rule": "proportional"}}})")));
    REQUIRE(sc.rewards.size() == 3);
    CHECK(sc.rewards[0].rule.name == "proportional");
    CHECK(sc.rewards[0].rule.params.values().empty());
    CHECK(sc.rewards[0].share_parts == 300'000'000'000'000'000ULL);  // the share is still inherited
  }
  SECTION("another model") {
    ojson child = ojson::parse(R"({"extends": "parent.json"})");
    child["agents"] = parent_scenario()["agents"];
    child["agents"][0] = {{"role", "developer"}, {"model", "builder"}, {"count", 1},
                          {"params", {{"team_size", 3}, {"budget", "10"}}}};
    child["agents"][1]["name"] = "other_developers";
    child["rewards"] = {{"data_provider", nullptr}, {"developer", {{"share", 0.6}}}};
    const Scenario sc = load(dir.write("child.json", child));
    REQUIRE(sc.populations.size() == 3);
    CHECK(sc.populations[0].model.name == "builder");
    CHECK(sc.populations[0].model.params.values().size() == 2);
    CHECK(sc.populations[0].model.params.integer("team_size") == 3);
  }
}

TEST_CASE("an error in a value that came from the parent names the parent file", "[scenario][extends]") {
  const TempDir dir;
  SECTION("a top-level value") {
    const fs::path parent = dir.write("base/parent.json", with(parent_scenario(), "/seed", -1));
    const fs::path child = dir.write("child.json", ojson{{"extends", "base/parent.json"}, {"name", "child"}});
    CHECK(errors_of(child) == Lines{at(parent, "/seed: expected an integer in [0, 18446744073709551615], found -1")});
  }
  SECTION("a nested value next to ones the child sets") {
    const fs::path parent = dir.write("parent.json", with(parent_scenario(), "/emission/params/factor", 1.5));
    const fs::path child = dir.write(
        "child.json", ojson::parse(R"({"extends": "parent.json", "emission": {"params": {"initial": "5"}}})"));
    CHECK(errors_of(child) == Lines{at(parent, "/emission/params/factor: expected a number in [0, 1], found 1.5")});
  }
  SECTION("a value inside an array the child does not replace") {
    const fs::path parent = dir.write("parent.json", with(parent_scenario(), "/agents/1/count", -5));
    const fs::path child = dir.write("child.json", ojson{{"extends", "parent.json"}});
    CHECK(errors_of(child) == Lines{at(parent, "/agents/1/count: expected an integer in [0, 100000000], found -5")});
  }
  SECTION("errors from both files, each named, the loaded file's first") {
    const fs::path parent = dir.write("parent.json", with(parent_scenario(), "/seed", -1));
    const fs::path child = dir.write("child.json", ojson{{"extends", "parent.json"}, {"replicates", 0}});
    CHECK(errors_of(child) == Lines{at(child, "/replicates: expected an integer in [1, 1000000], found 0"),
                                    at(parent, "/seed: expected an integer in [0, 18446744073709551615], found -1")});
  }
  SECTION("a bad value the child overrides is no error") {
    dir.write("parent.json", with(parent_scenario(), "/seed", -1));
    CHECK(load(dir.write("child.json", ojson{{"extends", "parent.json"}, {"seed", 3}})).seed == 3);
  }
  SECTION("a bad value the child sets over a good one names the child") {
    dir.write("parent.json", parent_scenario());
    const fs::path child = dir.write("child.json", ojson::parse(R"({"extends": "parent.json", "token": {"symbol": ""}})"));
    CHECK(errors_of(child) == Lines{at(child, "/token/symbol: expected a symbol of 1 to 16 characters, found \"\"")});
  }
}

TEST_CASE("a missing base file is reported at the extends key of the file naming it", "[scenario][extends]") {
  const TempDir dir;
  const fs::path child = dir.write("runs/child.json", ojson{{"extends", "../base/none.json"}, {"name", "child"}});
  CHECK(errors_of(child) ==
        Lines{at(child, "/extends: cannot use \"" + (dir.path() / "base/none.json").string() + "\": no such file")});
}

TEST_CASE("extends must be a non-empty path", "[scenario][extends]") {
  const TempDir dir;
  const fs::path child = dir.write("child.json", ojson{{"extends", 5}});
  CHECK(errors_of(child) == Lines{at(child, "/extends: expected the path of a scenario file, found 5")});
  dir.write("child.json", ojson{{"extends", ""}});
  CHECK(errors_of(child) == Lines{at(child, "/extends: expected the path of a scenario file, found \"\"")});
}

TEST_CASE("a base that is not valid JSON or not an object is reported", "[scenario][extends]") {
  const TempDir dir;
  const fs::path child = dir.write("child.json", ojson{{"extends", "parent.json"}, {"name", "child"}});
  SECTION("not JSON: at the child's extends, with the line and column in the parent") {
    const fs::path parent = dir.write("parent.json", std::string("{\n  \"seed\": 1,\n}"));
    CHECK(errors_of(child) ==
          Lines{at(child, "/extends: cannot use \"" + parent.string() +
                              "\": invalid JSON: parse error at line 3, column 1: syntax error while parsing object key - "
                              "unexpected '}'; expected string literal")});
  }
  SECTION("not an object: in the parent") {
    const fs::path parent = dir.write("parent.json", std::string("[]"));
    CHECK(errors_of(child) == Lines{at(parent, "expected a JSON object at the top level, found an empty array")});
  }
  SECTION("a duplicate key: in the parent") {
    const fs::path parent = dir.write("parent.json", std::string(R"({"seed": 1, "seed": 2})"));
    CHECK(errors_of(child) == Lines{at(parent, "/seed: duplicate key; a key may appear once in an object")});
  }
}

TEST_CASE("an extends cycle is refused where it closes", "[scenario][extends]") {
  const TempDir dir;
  const std::string cycle = "/extends: expected a scenario that does not extend itself, found a cycle through ";
  SECTION("a file extending itself") {
    const fs::path a = dir.write("a.json", ojson{{"extends", "a.json"}});
    CHECK(errors_of(a) == Lines{at(a, cycle + a.string())});
  }
  SECTION("a file extending itself by another spelling of its path") {
    const fs::path a = dir.write("a.json", ojson{{"extends", "./sub/../a.json"}});
    fs::create_directories(dir.path() / "sub");
    CHECK(errors_of(a) == Lines{at(a, cycle + a.string())});
  }
  SECTION("two files") {
    const fs::path a = dir.write("a.json", ojson{{"extends", "b.json"}, {"name", "a"}});
    const fs::path b = dir.write("b.json", ojson{{"extends", "a.json"}, {"name", "b"}});
    CHECK(errors_of(a) == Lines{at(b, cycle + a.string())});
    CHECK(errors_of(b) == Lines{at(a, cycle + b.string())});
  }
  SECTION("three files in two folders") {
    const fs::path a = dir.write("x/a.json", ojson{{"extends", "../y/b.json"}});
    const fs::path b = dir.write("y/b.json", ojson{{"extends", "c.json"}});
    const fs::path c = dir.write("y/c.json", ojson{{"extends", "../x/a.json"}});
    CHECK(errors_of(a) == Lines{at(c, cycle + a.string())});
    CHECK(errors_of(c) == Lines{at(b, cycle + c.string())});
  }
}

TEST_CASE("a chain of three files applies each override in turn", "[scenario][extends]") {
  const TempDir dir;
  dir.write("a/grand.json", parent_scenario());
  dir.write("b/parent.json", ojson::parse(R"({
    "extends": "../a/grand.json",
    "name": "parent",
    "seed": 6,
    "emission": {"params": {"factor": 0.8}},
    "rewards": {"data_provider": {"rule": "proportional"}}
  })"));
  const fs::path child = dir.write("c/child.json", ojson::parse(R"({
    "extends": "../b/parent.json",
    "name": "child",
    "replicates": 3,
    "emission": {"params": {"initial": "50"}},
    "token": {"symbol": "GPU"}
  })"));
  const Scenario sc = load(child);
  CHECK(sc.name == "child");
  CHECK(sc.description == "the parent");  // from the grandparent
  CHECK(sc.seed == 6);                    // from the parent
  CHECK(sc.replicates == 3);              // from the child
  CHECK(sc.token.symbol == "GPU");
  CHECK(sc.token.decimals == 6);
  CHECK(sc.emission.params.tokens("initial") == TokenAmount::from_base_units(50'000'000));
  CHECK(sc.emission.params.real("factor") == 0.8);
  CHECK(sc.emission.params.duration("period") == SimTime::days(7));
  REQUIRE(sc.rewards.size() == 3);
  CHECK(sc.rewards[0].rule.name == "proportional");
  CHECK(sc.rewards[0].rule.params.values().empty());  // the grandparent's tiered parameters are dropped
}

TEST_CASE("in a chain of three files each error names the file that set the value", "[scenario][extends]") {
  const TempDir dir;
  ojson grand_doc = parent_scenario();
  grand_doc["outputs"]["epochs"] = "yes";
  grand_doc["replicates"] = 0;
  const fs::path grand = dir.write("a/grand.json", grand_doc);
  const fs::path parent = dir.write("b/parent.json", ojson::parse(R"({"extends": "../a/grand.json", "seed": -2})"));
  const fs::path child =
      dir.write("c/child.json", ojson::parse(R"({"extends": "../b/parent.json", "replicates": 2, "entry": {"rate": -1}})"));
  // Grouped by file along the chain, the loaded file first, like a compiler's diagnostics.
  CHECK(errors_of(child) == Lines{at(child, "/entry/rate: expected a number in [0, 1000000], found -1"),
                                  at(parent, "/seed: expected an integer in [0, 18446744073709551615], found -2"),
                                  at(grand, "/outputs/epochs: expected true or false, found \"yes\"")});
}

TEST_CASE("in a chain of three files a missing base is reported by the file naming it", "[scenario][extends]") {
  const TempDir dir;
  const fs::path parent = dir.write("parent.json", ojson{{"extends", "grand.json"}});
  const fs::path child = dir.write("child.json", ojson{{"extends", "parent.json"}});
  CHECK(errors_of(child) ==
        Lines{at(parent, "/extends: cannot use \"" + (dir.path() / "grand.json").string() + "\": no such file")});
}

TEST_CASE("a model's own section is inherited, checked by its model against the whole scenario, and kept",
          "[scenario][extends]") {
  // A section "ballots": {"voters": n}, valid while n is at most the scenario's agents.
  Catalog catalog = test_catalog();
  const std::vector<ScenarioSection> sections{
      {"ballots", "who votes", [](const nlohmann::json& section, const Scenario& s, const Catalog&, const std::string& file) {
         std::int64_t agents = 0;
         for (const Population& p : s.populations) agents += p.count;
         if (section.value("voters", 0) > agents)
           throw ScenarioErrors({{file, "/ballots/voters", "expected at most " + std::to_string(agents) + " voters"}});
       }}};
  catalog.sections = &sections;
  const TempDir dir;
  ojson parent = minimal_scenario();
  parent["ballots"] = {{"voters", 9}};
  const fs::path parent_file = dir.write("parent.json", parent);
  const fs::path child_file = dir.write("child.json", ojson{{"extends", "parent.json"}, {"name", "child"}});
  try {
    load_batch(child_file, catalog);
    FAIL("expected an error");
  } catch (const ScenarioErrors& e) {
    CHECK(e.errors().size() == 1);
    CHECK(e.errors().front().to_string() == parent_file.string() + ": /ballots/voters: expected at most 4 voters");
  }
  dir.write("child.json", ojson{{"extends", "parent.json"}, {"name", "child"}, {"ballots", {{"voters", 3}}}});
  const Scenario s = load_scenario(child_file, catalog);
  CHECK(s.sections.at("ballots") == nlohmann::json{{"voters", 3}});
  CHECK(to_json(s).at("ballots") == nlohmann::json{{"voters", 3}});
  CHECK_THROWS_AS(load_scenario(child_file, test_catalog()), ScenarioErrors);  // unknown without the model
}
