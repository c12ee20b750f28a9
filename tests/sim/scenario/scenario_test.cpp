// The scenario loader: defaults, conversions, exact shares and every class of error, message by message.
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

// One scenario file, "s.json" in a fresh folder.
struct Scratch {
  TempDir dir;
  fs::path file = dir.path() / "s.json";

  Lines errors(const ojson& doc) const { return errors_of(dir.write("s.json", doc)); }
  Lines errors(const std::string& text) const { return errors_of(dir.write("s.json", text)); }
  Scenario load(const ojson& doc) const { return testing::load(dir.write("s.json", doc)); }
  Scenario load(const std::string& text) const { return testing::load(dir.write("s.json", text)); }
  // An error line of this file: "<file>: <rest>".
  [[nodiscard]] std::string at(const std::string& rest) const { return file.string() + ": " + rest; }
};

TokenAmount base_units(u128 units) { return TokenAmount::from_base_units(units); }
constexpr u128 e18 = 1'000'000'000'000'000'000ULL;

const std::string token_amount = "a token amount (a decimal string such as \"10.5\", or a whole number)";
const std::string a_duration = "a duration with a unit (us ms s min h d w y) such as \"12s\" or \"1d\"";

}  // namespace

// ---- what a valid file gives ----------------------------------------------------------------------------------

TEST_CASE("a minimal scenario loads with every default filled in", "[scenario]") {
  const Scratch s;
  const Scenario sc = s.load(minimal_scenario());
  CHECK(sc.name == "mini");
  CHECK(sc.description.empty());
  CHECK(sc.file == s.file);
  CHECK(sc.seed == 1);
  CHECK(sc.replicates == 1);
  CHECK(sc.epoch_length == SimTime::days(1));
  CHECK(sc.horizon == SimTime::days(10));
  CHECK(sc.epochs() == 10);
  CHECK(sc.token.symbol == "TOKEN");
  CHECK(sc.token.decimals == 18);
  CHECK(sc.token.initial_supply == TokenAmount());
  CHECK(sc.emission.name == "fixed");
  CHECK(sc.emission.params.values().size() == 1);
  CHECK(sc.emission.params.tokens("per_epoch") == base_units(100 * e18));
  REQUIRE(sc.populations.size() == 1);
  const Population& p = sc.populations[0];
  CHECK(p.name == "data_provider");  // a population is named after its role by default
  CHECK(p.role == "data_provider");
  CHECK(p.count == 4);
  CHECK(p.model.name == "worker");
  // Every parameter of the model, from its declared defaults.
  CHECK(p.model.params.values().size() == 6);
  CHECK(p.model.params.integer("capacity") == 10);
  CHECK(p.model.params.real("exit_probability") == 0.05);
  CHECK_FALSE(p.model.params.boolean("staking"));
  CHECK(p.model.params.text("strategy") == "greedy");
  CHECK(p.model.params.tokens("cost") == base_units(2 * e18 + e18 / 2));
  CHECK(p.model.params.duration("patience") == SimTime::days(7));
  CHECK(sc.entry.rate == 0.0);
  CHECK(sc.entry.condition == EntryCondition::always);
  REQUIRE(sc.rewards.size() == 1);
  CHECK(sc.rewards[0].role == "data_provider");
  CHECK(sc.rewards[0].share == 1.0);
  CHECK(sc.rewards[0].share_parts == share_scale);
  CHECK(sc.rewards[0].rule.name == "proportional");
  CHECK(sc.rewards[0].rule.params.values().empty());
  CHECK(sc.outputs.epochs);
  CHECK(sc.outputs.agents);
  CHECK_FALSE(sc.outputs.transfers);
}

TEST_CASE("every top-level setting given in the file replaces its default", "[scenario]") {
  const Scratch s;
  ojson doc = three_role_scenario();
  doc["description"] = "all of it";
  doc["seed"] = 18446744073709551615ULL;
  doc["replicates"] = 1000000;
  doc["epoch"] = "90min";
  doc["horizon"] = "3d";
  doc["token"] = {{"symbol", "DAI"}, {"decimals", 6}, {"initial_supply", "1000.5"}};
  doc["entry"] = {{"rate", 2.5}, {"condition", "mean_profit_positive"}};
  doc["outputs"] = {{"epochs", false}, {"transfers", true}};
  doc["agents"][1]["name"] = "builders";
  const Scenario sc = s.load(doc);
  CHECK(sc.description == "all of it");
  CHECK(sc.seed == 18446744073709551615ULL);
  CHECK(sc.replicates == 1000000);
  CHECK(sc.epoch_length == SimTime::seconds(5400));
  CHECK(sc.horizon == SimTime::days(3));
  CHECK(sc.epochs() == 48);
  CHECK(sc.token.symbol == "DAI");
  CHECK(sc.token.decimals == 6);
  CHECK(sc.token.initial_supply == base_units(1'000'500'000));
  CHECK(sc.entry.rate == 2.5);
  CHECK(sc.entry.condition == EntryCondition::mean_profit_positive);
  CHECK_FALSE(sc.outputs.epochs);
  CHECK(sc.outputs.agents);
  CHECK(sc.outputs.transfers);
  REQUIRE(sc.populations.size() == 3);
  CHECK(sc.populations[0].name == "data_provider");
  CHECK(sc.populations[1].name == "builders");
  CHECK(sc.populations[1].role == "developer");
  CHECK(sc.populations[2].name == "compute_provider");
}

TEST_CASE("every parameter type is converted from its JSON form", "[scenario]") {
  const Scratch s;
  ojson doc = three_role_scenario();
  doc["emission"] = ojson::parse(R"({"schedule": "decay", "params": {"initial": "1000", "factor": 0.5, "period": "1.5h"}})");
  doc["agents"][0]["params"] = ojson::parse(
      R"({"capacity": 42, "exit_probability": 0.25, "staking": true, "strategy": "cautious",
          "cost": "0.000000000000000001", "patience": "2w"})");
  doc["agents"][1] = ojson::parse(
      R"({"role": "developer", "model": "builder", "count": 2, "params": {"team_size": 50, "budget": 250}})");
  doc["rewards"]["developer"] =
      ojson::parse(R"({"share": 0.3, "rule": "tiered", "params": {"low": 0.2, "high": 0.8, "offset": -3}})");
  const Scenario sc = s.load(doc);

  CHECK(sc.emission.name == "decay");
  CHECK(sc.emission.params.tokens("initial") == base_units(1000 * e18));
  CHECK(sc.emission.params.real("factor") == 0.5);
  CHECK(sc.emission.params.duration("period") == SimTime::seconds(5400));

  REQUIRE(sc.populations.size() == 3);
  const Params& worker = sc.populations[0].model.params;
  CHECK(worker.integer("capacity") == 42);
  CHECK(worker.real("exit_probability") == 0.25);
  CHECK(worker.boolean("staking"));
  CHECK(worker.text("strategy") == "cautious");
  CHECK(worker.tokens("cost") == base_units(1));  // one base unit, exactly
  CHECK(worker.duration("patience") == SimTime::days(14));

  const Params& builder = sc.populations[1].model.params;
  CHECK(sc.populations[1].model.name == "builder");
  CHECK(builder.values().size() == 2);
  CHECK(builder.integer("team_size") == 50);
  CHECK(builder.tokens("budget") == base_units(250 * e18));  // a whole number of tokens

  REQUIRE(sc.rewards.size() == 3);
  CHECK(sc.rewards[1].role == "developer");
  CHECK(sc.rewards[1].rule.name == "tiered");
  CHECK(sc.rewards[1].rule.params.real("low") == 0.2);
  CHECK(sc.rewards[1].rule.params.real("high") == 0.8);
  CHECK(sc.rewards[1].rule.params.integer("offset") == -3);
}

TEST_CASE("token amounts are exact to the base unit with the scenario's decimals", "[scenario]") {
  const Scratch s;
  SECTION("18 decimals") {
    ojson doc = minimal_scenario();
    doc["token"] = {{"initial_supply", "1000000.000000000000000001"}};
    doc["agents"][0]["params"] = {{"cost", "123456789.987654321987654321"}};
    const Scenario sc = s.load(doc);
    CHECK(sc.token.initial_supply == base_units(static_cast<u128>(1'000'000) * e18 + 1));
    CHECK(sc.populations[0].model.params.tokens("cost") ==
          base_units(static_cast<u128>(123456789) * e18 + 987654321987654321ULL));
  }
  SECTION("6 decimals, including a default declared as \"2.5\"") {
    ojson doc = minimal_scenario();
    doc["token"] = {{"decimals", 6}, {"initial_supply", 1000}};
    doc["emission"]["params"]["per_epoch"] = "0.000001";
    const Scenario sc = s.load(doc);
    CHECK(sc.token.initial_supply == base_units(1'000'000'000));
    CHECK(sc.emission.params.tokens("per_epoch") == base_units(1));
    CHECK(sc.populations[0].model.params.tokens("cost") == base_units(2'500'000));
  }
  SECTION("0 decimals") {
    ojson doc = minimal_scenario();
    doc["token"] = {{"decimals", 0}, {"initial_supply", "340282366920938463463374607431768211455"}};
    doc["agents"][0]["params"] = {{"cost", "3"}};
    const Scenario sc = s.load(doc);
    CHECK(sc.token.initial_supply == base_units(~static_cast<u128>(0)));  // 2^128 - 1, the largest amount
    CHECK(sc.populations[0].model.params.tokens("cost") == base_units(3));
  }
}

TEST_CASE("a tokens default finer than the token's decimals is a scenario error, not a crash", "[scenario]") {
  // The worker's cost defaults to "2.5", which a token with 0 decimals cannot hold. The file is wrong (it must set
  // the cost), so the loader should say so like any other problem rather than throw a programming error.
  const Scratch s;
  ojson doc = minimal_scenario();
  doc["token"] = {{"decimals", 0}};
  std::vector<ScenarioError> errors;
  try {
    (void)s.load(doc);
  } catch (const ScenarioErrors& e) {
    errors = e.errors();
  } catch (const std::exception& e) {
    FAIL("load threw something other than ScenarioErrors: " << e.what());
  }
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == s.file.string());
  CHECK(errors[0].pointer == "/agents/0");
  CHECK_THAT(errors[0].message, Catch::Contains("\"cost\"") && Catch::Contains("2.5"));
}

// ---- shares ---------------------------------------------------------------------------------------------------

TEST_CASE("role shares are held exactly as parts of 10^18", "[scenario][shares]") {
  const Scratch s;
  SECTION("0.3, 0.3 and 0.4") {
    const Scenario sc = s.load(three_role_scenario());
    REQUIRE(sc.rewards.size() == 3);
    CHECK(sc.rewards[0].role == "data_provider");
    CHECK(sc.rewards[0].share_parts == 300'000'000'000'000'000ULL);
    CHECK(sc.rewards[0].share == 0.3);
    CHECK(sc.rewards[1].role == "developer");
    CHECK(sc.rewards[1].share_parts == 300'000'000'000'000'000ULL);
    CHECK(sc.rewards[2].role == "compute_provider");
    CHECK(sc.rewards[2].share_parts == 400'000'000'000'000'000ULL);
    CHECK(sc.rewards[2].share == 0.4);
  }
  SECTION("small shares written with exponents, and a share of 0") {
    ojson doc = three_role_scenario();
    doc["rewards"]["data_provider"]["share"] = 0.0000001;  // written by the JSON library as 1e-07
    doc["rewards"]["developer"]["share"] = 0.9999999;
    doc["rewards"]["compute_provider"]["share"] = 0;
    const Scenario sc = s.load(doc);
    REQUIRE(sc.rewards.size() == 3);
    CHECK(sc.rewards[0].share_parts == 100'000'000'000ULL);
    CHECK(sc.rewards[1].share_parts == 999'999'900'000'000'000ULL);
    CHECK(sc.rewards[2].share_parts == 0);
  }
  SECTION("the smallest share, 10^-18, is one part") {
    const Lines errors = s.errors(std::string(R"({
      "name": "tiny", "epoch": "1d", "horizon": "1d",
      "emission": {"schedule": "fixed", "params": {"per_epoch": "1"}},
      "agents": [{"role": "data_provider", "model": "worker", "count": 1},
                 {"role": "developer", "model": "worker", "count": 1}],
      "rewards": {"data_provider": {"share": 0.000000000000000001, "rule": "proportional"},
                  "developer": {"share": 0.5, "rule": "proportional"}}
    })"));
    CHECK(errors == Lines{s.at("/rewards: expected shares that sum to exactly 1, found data_provider 1e-18 + developer "
                               "0.5 = 0.500000000000000001")});
  }
}

TEST_CASE("shares with 18 decimal places are read as written and may sum to exactly 1", "[scenario][shares]") {
  // Both have 18 places, within the documented limit; as doubles they become 0.12345678901234568 and
  // 0.8765432109876543, which no longer sum to 1.
  const Scratch s;
  const std::string text = R"({
    "name": "precise", "epoch": "1d", "horizon": "1d",
    "emission": {"schedule": "fixed", "params": {"per_epoch": "1"}},
    "agents": [{"role": "data_provider", "model": "worker", "count": 1},
               {"role": "developer", "model": "worker", "count": 1}],
    "rewards": {"data_provider": {"share": 0.123456789012345678, "rule": "proportional"},
                "developer": {"share": 0.876543210987654322, "rule": "proportional"}}
  })";
  const Lines errors = s.errors(text);
  CHECK(errors == Lines{loaded_without_errors});
  if (errors == Lines{loaded_without_errors}) {
    const Scenario sc = s.load(text);
    REQUIRE(sc.rewards.size() == 2);
    CHECK(sc.rewards[0].share_parts == 123'456'789'012'345'678ULL);
    CHECK(sc.rewards[1].share_parts == 876'543'210'987'654'322ULL);
  }
}

TEST_CASE("shares that do not sum to exactly 1 are refused, showing the sum", "[scenario][shares]") {
  const Scratch s;
  ojson doc = three_role_scenario();
  SECTION("0.9") {
    doc["rewards"]["compute_provider"]["share"] = 0.3;
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards: expected shares that sum to exactly 1, found data_provider 0.3 + developer 0.3 + "
                     "compute_provider 0.3 = 0.9")});
  }
  SECTION("1.2") {
    doc["rewards"]["data_provider"]["share"] = 0.5;
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards: expected shares that sum to exactly 1, found data_provider 0.5 + developer 0.3 + "
                     "compute_provider 0.4 = 1.2")});
  }
  SECTION("short by 10^-14") {
    doc["rewards"]["data_provider"]["share"] = 0.29999999999999;
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards: expected shares that sum to exactly 1, found data_provider 0.29999999999999 + "
                     "developer 0.3 + compute_provider 0.4 = 0.99999999999999")});
  }
}

TEST_CASE("a share with more than 18 decimal places is refused", "[scenario][shares]") {
  const Scratch s;
  SECTION("10^-19") {
    const ojson doc = with(minimal_scenario(), "/rewards/data_provider/share", 0.0000000000000000001);
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards/data_provider/share: expected a share with at most 18 decimal places, found 1e-19")});
  }
  SECTION("0.1000000000000000001, which a double rounds to 0.1") {
    // 19 places: 0.1000000000000000001 + 0.9 is not 1, yet both sum to 1 once rounded to doubles.
    const Lines errors = s.errors(std::string(R"({
      "name": "precise", "epoch": "1d", "horizon": "1d",
      "emission": {"schedule": "fixed", "params": {"per_epoch": "1"}},
      "agents": [{"role": "data_provider", "model": "worker", "count": 1},
                 {"role": "developer", "model": "worker", "count": 1}],
      "rewards": {"data_provider": {"share": 0.1000000000000000001, "rule": "proportional"},
                  "developer": {"share": 0.9, "rule": "proportional"}}
    })"));
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::StartsWith(s.at("/rewards/data_provider/share: expected a share with at most 18 "
                                                 "decimal places, found ")));
  }
}

TEST_CASE("a share that is not a number in [0, 1] is refused", "[scenario][shares]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/rewards/data_provider/share", "1")) ==
        Lines{s.at("/rewards/data_provider/share: expected a number in [0, 1], found \"1\"")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/share", 1.5)) ==
        Lines{s.at("/rewards/data_provider/share: expected a number in [0, 1], found 1.5")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/share", -0.5)) ==
        Lines{s.at("/rewards/data_provider/share: expected a number in [0, 1], found -0.5")});
}

// ---- errors, one class at a time ------------------------------------------------------------------------------

TEST_CASE("an unknown top-level key is reported with the nearest valid key", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(with(minimal_scenario(), "/seeed", 3)) ==
        Lines{s.at("/seeed: unknown key \"seeed\"; did you mean \"seed\"?")});
  CHECK(s.errors(with(minimal_scenario(), "/replicate", 3)) ==
        Lines{s.at("/replicate: unknown key \"replicate\"; did you mean \"replicates\"?")});
  // A misspelt key is unknown, and the key it should have been is then missing.
  CHECK(s.errors(without(with(minimal_scenario(), "/horizn", "10d"), "/horizon")) ==
        Lines{s.at("/horizn: unknown key \"horizn\"; did you mean \"horizon\"?"),
              s.at("expected the key \"horizon\" (how long the run lasts, such as \"365d\"), found none")});
}

TEST_CASE("an unknown key with no near match lists every valid key", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(with(minimal_scenario(), "/colour", "red")) ==
        Lines{s.at("/colour: unknown key \"colour\"; expected one of \"name\", \"description\", \"extends\", \"seed\", "
                   "\"replicates\", \"epoch\", \"horizon\", \"token\", \"emission\", \"agents\", \"entry\", \"rewards\", "
                   "\"outputs\", \"sweep\", \"chain\", \"market\" or \"token_market\"")});
}

TEST_CASE("unknown keys inside objects are reported at their JSON pointer", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/token", {{"decimal", 6}})) ==
        Lines{s.at("/token/decimal: unknown key \"decimal\"; did you mean \"decimals\"?")});
  CHECK(s.errors(with(doc, "/entry", {{"rate", 1}, {"conditon", "always"}})) ==
        Lines{s.at("/entry/conditon: unknown key \"conditon\"; did you mean \"condition\"?")});
  CHECK(s.errors(with(doc, "/outputs", {{"agent", true}})) ==
        Lines{s.at("/outputs/agent: unknown key \"agent\"; did you mean \"agents\"?")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/weight", 2)) ==
        Lines{s.at("/rewards/data_provider/weight: unknown key \"weight\"; expected one of \"share\", \"rule\" or "
                   "\"params\"")});
  CHECK(s.errors(with(doc, "/emission/schedules", "fixed")) ==
        Lines{s.at("/emission/schedules: unknown key \"schedules\"; did you mean \"schedule\"?")});
}

TEST_CASE("an unknown key of a population is reported once", "[scenario][errors]") {
  const Scratch s;
  // Two letters swapped count as one edit.
  CHECK(s.errors(with(minimal_scenario(), "/agents/0/nmae", "x")) ==
        Lines{s.at("/agents/0/nmae: unknown key \"nmae\"; did you mean \"name\"?")});
  CHECK(s.errors(with(minimal_scenario(), "/agents/0/size", 3)) ==
        Lines{s.at("/agents/0/size: unknown key \"size\"; expected one of \"name\", \"role\", \"model\", \"count\" or "
                   "\"params\"")});
}

TEST_CASE("a key holding '/' or '~' is escaped in the JSON pointer of its error", "[scenario][errors]") {
  const Scratch s;
  ojson doc = minimal_scenario();
  doc["outputs"] = {{"a/b~c", true}};
  CHECK(s.errors(doc) == Lines{s.at("/outputs/a~1b~0c: unknown key \"a/b~c\"; expected one of \"epochs\", \"agents\" or "
                                    "\"transfers\"")});
}

TEST_CASE("an unknown parameter is reported with the nearest declared one or the list of them", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/agents/0/params", {{"exit_probabilty", 0.1}})) ==
        Lines{s.at("/agents/0/params/exit_probabilty: unknown parameter \"exit_probabilty\" of \"worker\"; did you mean "
                   "\"exit_probability\"?")});
  CHECK(s.errors(with(doc, "/agents/0/params", {{"speed", 3}})) ==
        Lines{s.at("/agents/0/params/speed: unknown parameter \"speed\" of \"worker\"; expected one of \"capacity\", "
                   "\"exit_probability\", \"staking\", \"strategy\", \"cost\" or \"patience\"")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/params", {{"x", 1}})) ==
        Lines{s.at("/rewards/data_provider/params/x: unknown parameter \"x\" of \"proportional\" (it takes none)")});
  CHECK(s.errors(with(doc, "/emission/params/per_epch", "1")) ==
        Lines{s.at("/emission/params/per_epch: unknown parameter \"per_epch\" of \"fixed\"; did you mean \"per_epoch\"?")});
}

TEST_CASE("a top-level value of the wrong type or out of range names what was expected and what was found",
          "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  const std::string a_name = "expected a name of letters, digits, '_', '-' and '.', found ";
  CHECK(s.errors(with(doc, "/name", 5)) == Lines{s.at("/name: " + a_name + "5")});
  CHECK(s.errors(with(doc, "/name", "../elsewhere")) == Lines{s.at("/name: " + a_name + "\"../elsewhere\"")});
  CHECK(s.errors(with(doc, "/name", "")) == Lines{s.at("/name: " + a_name + "\"\"")});
  CHECK(s.errors(with(doc, "/name", "..")) == Lines{s.at("/name: " + a_name + "\"..\"")});
  CHECK(s.errors(with(doc, "/name", "my run")) == Lines{s.at("/name: " + a_name + "\"my run\"")});
  CHECK(s.errors(with(doc, "/name", "run-2_b.v1")) == Lines{loaded_without_errors});
  CHECK(s.errors(with(doc, "/description", 5)) == Lines{s.at("/description: expected a string, found 5")});

  const std::string a_seed = "/seed: expected an integer in [0, 18446744073709551615], found ";
  CHECK(s.errors(with(doc, "/seed", "one")) == Lines{s.at(a_seed + "\"one\"")});
  CHECK(s.errors(with(doc, "/seed", -1)) == Lines{s.at(a_seed + "-1")});
  CHECK(s.errors(with(doc, "/seed", 1.5)) == Lines{s.at(a_seed + "1.5")});
  CHECK(s.errors(with(doc, "/seed", nullptr)) == Lines{s.at(a_seed + "null")});

  const std::string a_count = "/replicates: expected an integer in [1, 1000000], found ";
  CHECK(s.errors(with(doc, "/replicates", 2.5)) == Lines{s.at(a_count + "2.5")});
  CHECK(s.errors(with(doc, "/replicates", 0)) == Lines{s.at(a_count + "0")});
  CHECK(s.errors(with(doc, "/replicates", 1000001)) == Lines{s.at(a_count + "1000001")});
  CHECK(s.errors(with(doc, "/replicates", 2.0)) == Lines{s.at(a_count + "2.0")});
  CHECK(s.errors(with(doc, "/replicates", true)) == Lines{s.at(a_count + "true")});
}

TEST_CASE("a long string is shortened where it is shown as found", "[scenario][errors]") {
  const Scratch s;
  const std::string long_role(70, 'a');
  CHECK(s.errors(with(minimal_scenario(), "/agents/0/role", long_role)) ==
        Lines{s.at("/agents/0/role: expected one of \"data_provider\", \"developer\" or \"compute_provider\", found \"" +
                   std::string(57, 'a') + "...\"")});
}

TEST_CASE("epoch and horizon must be durations with units, the horizon a whole number of epochs", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/epoch", 86400)) == Lines{s.at("/epoch: expected " + a_duration + ", found 86400")});
  CHECK(s.errors(with(doc, "/epoch", "1 day")) == Lines{s.at("/epoch: expected " + a_duration + ", found \"1 day\"")});
  CHECK(s.errors(with(doc, "/epoch", "0s")) == Lines{s.at("/epoch: expected a duration of at least 1us, found \"0s\"")});
  CHECK(s.errors(with(doc, "/horizon", "0s")) ==
        Lines{s.at("/horizon: expected a duration of at least 1us, found \"0s\"")});
  CHECK(s.errors(with(doc, "/horizon", "36h")) ==
        Lines{s.at("/horizon: expected a whole number of epochs (1d each), found \"36h\"")});
  CHECK(s.errors(with(with(doc, "/epoch", "90min"), "/horizon", "2h")) ==
        Lines{s.at("/horizon: expected a whole number of epochs (90min each), found \"2h\"")});
  CHECK(s.errors(with(with(doc, "/epoch", "90min"), "/horizon", "1d")) == Lines{loaded_without_errors});  // 16 epochs
  CHECK(s.errors(with(with(doc, "/epoch", "1us"), "/horizon", "1000s")) ==
        Lines{s.at("/horizon: expected at most 100000000 epochs of 1us, found \"1000s\"")});
  // Exactly the most epochs allowed.
  CHECK(s.errors(with(with(doc, "/epoch", "1us"), "/horizon", "100s")) == Lines{loaded_without_errors});
  // A bad epoch is reported once, not again as a horizon problem.
  CHECK(s.errors(with(doc, "/epoch", "7x")) == Lines{s.at("/epoch: expected " + a_duration + ", found \"7x\"")});
}

TEST_CASE("the token's symbol, decimals and initial supply are checked", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  const auto supply = [&](ojson value, int decimals = 18) {
    return s.errors(with(doc, "/token", {{"decimals", decimals}, {"initial_supply", std::move(value)}}));
  };
  const std::string found = "/token/initial_supply: expected " + token_amount + ", found ";
  CHECK(s.errors(with(doc, "/token", "TKN")) == Lines{s.at("/token: expected an object, found \"TKN\"")});
  CHECK(s.errors(with(doc, "/token/symbol", "")) ==
        Lines{s.at("/token/symbol: expected a symbol of 1 to 16 characters, found \"\"")});
  CHECK(s.errors(with(doc, "/token/symbol", "ABCDEFGHIJKLMNOPQ")) ==
        Lines{s.at("/token/symbol: expected a symbol of 1 to 16 characters, found \"ABCDEFGHIJKLMNOPQ\"")});
  CHECK(s.errors(with(doc, "/token/symbol", "ABCDEFGHIJKLMNOP")) == Lines{loaded_without_errors});
  CHECK(s.errors(with(doc, "/token/symbol", 5)) ==
        Lines{s.at("/token/symbol: expected a symbol of 1 to 16 characters, found 5")});
  CHECK(s.errors(with(doc, "/token/decimals", 31)) ==
        Lines{s.at("/token/decimals: expected an integer in [0, 30], found 31")});
  CHECK(s.errors(with(doc, "/token/decimals", -1)) ==
        Lines{s.at("/token/decimals: expected an integer in [0, 30], found -1")});
  CHECK(supply(0.5) ==
        Lines{s.at(found + "0.5 (write it as a string: a binary float cannot hold most decimals exactly)")});
  CHECK(supply("1.005", 2) == Lines{s.at(found + "\"1.005\" (the token has 2 decimals)")});
  CHECK(supply("1.0000000000000000001") == Lines{s.at(found + "\"1.0000000000000000001\" (the token has 18 decimals)")});
  CHECK(supply("-1") == Lines{s.at(found + "\"-1\" (only digits and one decimal point are allowed)")});
  CHECK(supply("1,000") == Lines{s.at(found + "\"1,000\" (only digits and one decimal point are allowed)")});
  CHECK(supply("1e3") == Lines{s.at(found + "\"1e3\" (only digits and one decimal point are allowed)")});
  CHECK(supply(" 1") == Lines{s.at(found + "\" 1\" (only digits and one decimal point are allowed)")});
  CHECK(supply("") == Lines{s.at(found + "\"\" (empty)")});
  CHECK(supply("1.") == Lines{s.at(found + "\"1.\" (no digit after the decimal point)")});
  CHECK(supply(".5") == Lines{s.at(found + "\".5\" (no digit before the decimal point)")});
  CHECK(supply("1000000000000000000000") == Lines{s.at(found + "\"1000000000000000000000\" (too large for 128 bits)")});
  CHECK(supply(-5) == Lines{s.at(found + "-5")});
  CHECK(supply(true) == Lines{s.at(found + "true")});
  CHECK(supply(18446744073709551615ULL, 30) ==
        Lines{s.at("/token/initial_supply: expected " + token_amount + " that fits 128 bits, found 18446744073709551615")});
}

TEST_CASE("the emission must name a known schedule", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/emission", "fixed")) == Lines{s.at("/emission: expected an object, found \"fixed\"")});
  CHECK(s.errors(with(doc, "/emission", {{"params", {{"per_epoch", "1"}}}})) ==
        Lines{s.at("/emission: expected a \"schedule\" naming one of \"bounded\", \"decay\" or \"fixed\", found none")});
  CHECK(s.errors(with(doc, "/emission/schedule", 5)) == Lines{s.at("/emission/schedule: expected a name, found 5")});
  CHECK(s.errors(with(doc, "/emission/schedule", "fixd")) ==
        Lines{s.at("/emission/schedule: expected one of \"bounded\", \"decay\" or \"fixed\", found \"fixd\"; did you "
                   "mean \"fixed\"?")});
  CHECK(s.errors(with(doc, "/emission/schedule", "linear")) ==
        Lines{s.at("/emission/schedule: expected one of \"bounded\", \"decay\" or \"fixed\", found \"linear\"")});
  CHECK(s.errors(without(doc, "/emission")) == Lines{s.at("expected the key \"emission\" (the emission schedule), found none")});
}

TEST_CASE("a missing required parameter is reported at the component, with what it expects", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  const std::string per_epoch = "expected a value for the required parameter \"per_epoch\" of \"fixed\" (" + token_amount +
                                ", tokens/epoch), found none";
  // Without "params" the error is at the component; with an empty "params", at the parameters.
  CHECK(s.errors(without(doc, "/emission/params")) == Lines{s.at("/emission: " + per_epoch)});
  CHECK(s.errors(with(doc, "/emission/params", ojson::object())) == Lines{s.at("/emission/params: " + per_epoch)});
  CHECK(s.errors(with(doc, "/emission", {{"schedule", "decay"}, {"params", ojson::object()}})) ==
        Lines{s.at("/emission/params: expected a value for the required parameter \"initial\" of \"decay\" (" +
                   token_amount + ", tokens/epoch), found none"),
              s.at("/emission/params: expected a value for the required parameter \"factor\" of \"decay\" (a number in "
                   "[0, 1]), found none"),
              s.at("/emission/params: expected a value for the required parameter \"period\" of \"decay\" (" + a_duration +
                   " of at least 1h), found none")});
  ojson builder = three_role_scenario();
  builder["agents"][1] = {{"role", "developer"}, {"model", "builder"}, {"count", 1}};
  CHECK(s.errors(builder) ==
        Lines{s.at("/agents/1: expected a value for the required parameter \"team_size\" of \"builder\" (an integer in "
                   "[1, 50], people), found none"),
              s.at("/agents/1: expected a value for the required parameter \"budget\" of \"builder\" (" + token_amount +
                   ", tokens), found none")});
}

TEST_CASE("a parameter of the wrong type or out of range names what its declaration expects", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  const auto param = [&](const std::string& name, ojson value) {
    return s.errors(with(doc, "/agents/0/params/" + name, std::move(value)));
  };
  const std::string p = "/agents/0/params/";
  CHECK(param("capacity", "10") == Lines{s.at(p + "capacity: expected an integer in [1, 100], found \"10\"")});
  CHECK(param("capacity", 0) == Lines{s.at(p + "capacity: expected an integer in [1, 100], found 0")});
  CHECK(param("capacity", 101) == Lines{s.at(p + "capacity: expected an integer in [1, 100], found 101")});
  CHECK(param("capacity", -1) == Lines{s.at(p + "capacity: expected an integer in [1, 100], found -1")});
  CHECK(param("capacity", 10.0) == Lines{s.at(p + "capacity: expected an integer in [1, 100], found 10.0")});
  CHECK(param("capacity", 100) == Lines{loaded_without_errors});
  CHECK(param("exit_probability", 1.5) == Lines{s.at(p + "exit_probability: expected a number in [0, 1], found 1.5")});
  CHECK(param("exit_probability", -0.1) == Lines{s.at(p + "exit_probability: expected a number in [0, 1], found -0.1")});
  CHECK(param("exit_probability", "0.1") ==
        Lines{s.at(p + "exit_probability: expected a number in [0, 1], found \"0.1\"")});
  CHECK(param("exit_probability", 1) == Lines{loaded_without_errors});  // an integer is a number
  CHECK(param("staking", 1) == Lines{s.at(p + "staking: expected true or false, found 1")});
  CHECK(param("staking", "true") == Lines{s.at(p + "staking: expected true or false, found \"true\"")});
  CHECK(param("strategy", "lazy") ==
        Lines{s.at(p + "strategy: expected one of \"greedy\", \"cautious\" or \"random\", found \"lazy\"")});
  CHECK(param("strategy", 3) ==
        Lines{s.at(p + "strategy: expected one of \"greedy\", \"cautious\" or \"random\", found 3")});
  CHECK(param("cost", 2.5) ==
        Lines{s.at(p + "cost: expected " + token_amount +
                   ", found 2.5 (write it as a string: a binary float cannot hold most decimals exactly)")});
  CHECK(param("cost", "abc") ==
        Lines{s.at(p + "cost: expected " + token_amount + ", found \"abc\" (only digits and one decimal point are allowed)")});
  CHECK(param("cost", "0.0000000000000000001") ==
        Lines{s.at(p + "cost: expected " + token_amount + ", found \"0.0000000000000000001\" (the token has 18 decimals)")});
  CHECK(param("patience", 3600) == Lines{s.at(p + "patience: expected " + a_duration + ", found 3600")});
  CHECK(param("patience", "1 h") == Lines{s.at(p + "patience: expected " + a_duration + ", found \"1 h\"")});
  CHECK(param("patience", "30min") == Lines{s.at(p + "patience: expected a duration of at least 1h, found \"30min\"")});
  CHECK(param("patience", "1h") == Lines{loaded_without_errors});  // the minimum itself
  CHECK(s.errors(with(doc, "/agents/0/params", "fast")) ==
        Lines{s.at("/agents/0/params: expected an object of parameters, found \"fast\"")});
  CHECK(s.errors(with(doc, "/emission/params", ojson::array())) ==
        Lines{s.at("/emission/params: expected an object of parameters, found an empty array")});
}

TEST_CASE("an integer parameter with negative bounds refuses values above its maximum", "[scenario][errors]") {
  // "offset" of the rule "tiered" is declared in [-10, -1].
  const Scratch s;
  const ojson doc = with(minimal_scenario(), "/rewards/data_provider/rule", "tiered");
  const std::string p = "/rewards/data_provider/params/offset: expected an integer in [-10, -1], found ";
  CHECK(s.errors(with(doc, "/rewards/data_provider/params/offset", -11)) == Lines{s.at(p + "-11")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/params/offset", -1)) == Lines{loaded_without_errors});
  CHECK(s.errors(with(doc, "/rewards/data_provider/params/offset", 0)) == Lines{s.at(p + "0")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/params/offset", 5)) == Lines{s.at(p + "5")});
}

TEST_CASE("declared bounds of token and duration parameters are enforced", "[scenario][errors]") {
  // params.hpp: "Inclusive numeric bounds (integer, real, duration in seconds, tokens in whole tokens)". A catalog of
  // its own: a schedule whose amount must lie in [1, 1000] tokens and whose period is at most a day.
  Registry<Factory> schedules("schedule");
  ParamSpec amount = tokens_param("amount", "10", "tokens/epoch", "emission");
  amount.min = 1.0;
  amount.max = 1000.0;
  ParamSpec period = duration_param("period", SimTime::days(1), "how often", 1.0);
  period.max = 86400.0;
  schedules.add({"capped", "bounded amounts", {amount, period}}, [] { return 0; });
  Catalog catalog = test_catalog();
  catalog.schedules = &schedules;

  const Scratch s;
  const auto errors = [&](ojson params) {
    std::vector<std::string> pointers;
    try {
      (void)load_scenario(s.dir.write("s.json", with(minimal_scenario(), "/emission",
                                                    {{"schedule", "capped"}, {"params", std::move(params)}})),
                          catalog);
    } catch (const ScenarioErrors& e) {
      for (const ScenarioError& error : e.errors()) pointers.push_back(error.pointer);
    }
    return pointers;
  };
  CHECK(errors({{"amount", "1000"}, {"period", "1d"}}).empty());
  CHECK(errors({{"amount", "1000.000000000000000001"}}) == Lines{"/emission/params/amount"});
  CHECK(errors({{"amount", "0.5"}}) == Lines{"/emission/params/amount"});
  CHECK(errors({{"period", "25h"}}) == Lines{"/emission/params/period"});
}

TEST_CASE("a component's own check reports a combination of parameters at its parameters", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/emission", {{"schedule", "bounded"}, {"params", {{"min_rate", 0.2}, {"max_rate", 0.1}}}})) ==
        Lines{s.at("/emission/params: expected min_rate <= max_rate, found 0.2 > 0.1")});
  // One value given, the other its default.
  CHECK(s.errors(with(doc, "/emission", {{"schedule", "bounded"}, {"params", {{"min_rate", 0.5}}}})) ==
        Lines{s.at("/emission/params: expected min_rate <= max_rate, found 0.5 > 0.1")});
  CHECK(s.errors(with(doc, "/emission", {{"schedule", "bounded"}, {"params", {{"min_rate", 0.1}, {"max_rate", 0.1}}}})) ==
        Lines{loaded_without_errors});
  CHECK(s.errors(with(doc, "/rewards/data_provider", {{"share", 1}, {"rule", "tiered"}, {"params", {{"low", 0.9}, {"high", 0.1}}}})) ==
        Lines{s.at("/rewards/data_provider/params: expected low <= high, found 0.9 > 0.1")});
  // The check runs only on parameters that are each valid: here only the range is reported.
  CHECK(s.errors(with(doc, "/emission", {{"schedule", "bounded"}, {"params", {{"min_rate", 0.2}, {"max_rate", -0.1}}}})) ==
        Lines{s.at("/emission/params/max_rate: expected a number in [0, 1], found -0.1")});
}

TEST_CASE("a population must be an object with a known role, a model and a count", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  const std::string roles = "\"data_provider\", \"developer\" or \"compute_provider\"";
  CHECK(s.errors(with(doc, "/agents", ojson::object())) ==
        Lines{s.at("/agents: expected a non-empty array of populations, found an empty object")});
  CHECK(s.errors(with(doc, "/agents", ojson::array())) ==
        Lines{s.at("/agents: expected a non-empty array of populations, found an empty array")});
  CHECK(s.errors(without(doc, "/agents")) ==
        Lines{s.at("expected the key \"agents\" (the populations of agents), found none")});
  CHECK(s.errors(without(doc, "/agents/0/role")) ==
        Lines{s.at("/agents/0: expected the key \"role\" (one of " + roles + "), found none")});
  CHECK(s.errors(without(doc, "/agents/0/count")) ==
        Lines{s.at("/agents/0: expected the key \"count\" (the number of agents at the start), found none")});
  CHECK(s.errors(without(doc, "/agents/0/model")) ==
        Lines{s.at("/agents/0: expected a \"model\" naming one of \"builder\" or \"worker\", found none")});
  CHECK(s.errors(with(doc, "/agents/0/role", "miner")) ==
        Lines{s.at("/agents/0/role: expected one of " + roles + ", found \"miner\"")});
  CHECK(s.errors(with(doc, "/agents/0/role", "data_providr")) ==
        Lines{s.at("/agents/0/role: expected one of " + roles + ", found \"data_providr\"; did you mean \"data_provider\"?")});
  CHECK(s.errors(with(doc, "/agents/0/role", 3)) == Lines{s.at("/agents/0/role: expected one of " + roles + ", found 3")});
  CHECK(s.errors(with(doc, "/agents/0/model", "trader")) ==
        Lines{s.at("/agents/0/model: expected one of \"builder\" or \"worker\", found \"trader\"")});
  CHECK(s.errors(with(doc, "/agents/0/model", "workr")) ==
        Lines{s.at("/agents/0/model: expected one of \"builder\" or \"worker\", found \"workr\"; did you mean \"worker\"?")});
  const std::string count = "/agents/0/count: expected an integer in [0, 100000000], found ";
  CHECK(s.errors(with(doc, "/agents/0/count", -5)) == Lines{s.at(count + "-5")});
  CHECK(s.errors(with(doc, "/agents/0/count", "4")) == Lines{s.at(count + "\"4\"")});
  CHECK(s.errors(with(doc, "/agents/0/count", 4.0)) == Lines{s.at(count + "4.0")});
  CHECK(s.errors(with(doc, "/agents/0/count", 100000001)) == Lines{s.at(count + "100000001")});
  CHECK(s.errors(with(doc, "/agents/0/count", 0)) == Lines{loaded_without_errors});
  CHECK(s.errors(with(doc, "/agents/0/name", "")) == Lines{s.at("/agents/0/name: expected a non-empty name, found \"\"")});
  CHECK(s.errors(with(doc, "/agents/0/name", 7)) == Lines{s.at("/agents/0/name: expected a non-empty name, found 7")});
}

TEST_CASE("a population that is not an object causes no follow-on error about the rewards", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(with(minimal_scenario(), "/agents/0", "worker")) ==
        Lines{s.at("/agents/0: expected an object, found \"worker\"")});
}

TEST_CASE("a model may only play the roles it declares", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = with(minimal_scenario(), "/agents/0",
                         {{"role", "data_provider"}, {"model", "builder"}, {"count", 1},
                          {"params", {{"team_size", 3}, {"budget", "10"}}}});
  CHECK(s.errors(doc) == Lines{s.at("/agents/0/role: expected a role the model \"builder\" can play (\"developer\"), found "
                                    "\"data_provider\"")});
}

TEST_CASE("the agents of a scenario may number at most 10^8 in all", "[scenario][errors]") {
  const Scratch s;
  ojson doc = minimal_scenario();
  doc["agents"] = {{{"role", "data_provider"}, {"model", "worker"}, {"count", 100000000}},
                   {{"role", "developer"}, {"model", "worker"}, {"count", 1}}};
  doc["rewards"] = {{"data_provider", {{"share", 0.5}, {"rule", "proportional"}}},
                    {"developer", {{"share", 0.5}, {"rule", "proportional"}}}};
  CHECK(s.errors(doc) == Lines{s.at("/agents: expected at most 100000000 agents in all, found 100000001")});
  doc["agents"][1]["count"] = 0;
  CHECK(s.errors(doc) == Lines{loaded_without_errors});
}

TEST_CASE("two populations with the same name are refused, pointing at the first", "[scenario][errors]") {
  const Scratch s;
  ojson doc = three_role_scenario();
  const std::string hint = "; give each population of a role its own \"name\"";
  SECTION("two unnamed populations of one role") {
    doc["agents"].push_back({{"role", "developer"}, {"model", "worker"}, {"count", 1}});
    CHECK(s.errors(doc) == Lines{s.at("/agents/3: expected a population name unique in the scenario, found \"developer\" "
                                      "again (as at /agents/1)" + hint)});
  }
  SECTION("two populations given the same name") {
    doc["agents"][1]["name"] = "team";
    doc["agents"].push_back({{"name", "team"}, {"role", "developer"}, {"model", "worker"}, {"count", 1}});
    CHECK(s.errors(doc) == Lines{s.at("/agents/3/name: expected a population name unique in the scenario, found \"team\" "
                                      "again (as at /agents/1)" + hint)});
  }
  SECTION("a name equal to another population's role") {
    doc["agents"].push_back({{"name", "developer"}, {"role", "compute_provider"}, {"model", "worker"}, {"count", 1}});
    CHECK(s.errors(doc) == Lines{s.at("/agents/3/name: expected a population name unique in the scenario, found "
                                      "\"developer\" again (as at /agents/1)" + hint)});
  }
  SECTION("two populations of one role, each named") {
    doc["agents"][1]["name"] = "small_labs";
    doc["agents"].push_back({{"name", "big_labs"}, {"role", "developer"}, {"model", "worker"}, {"count", 1}});
    CHECK(s.errors(doc) == Lines{loaded_without_errors});
  }
  SECTION("after an invalid population, the pointer still names the first population of that name") {
    doc["agents"] = {{{"role", "data_provider"}, {"model", "worker"}, {"count", -1}},
                     {{"role", "developer"}, {"model", "worker"}, {"count", 1}},
                     {{"role", "developer"}, {"model", "worker"}, {"count", 1}}};
    doc["rewards"] = {{"data_provider", {{"share", 0.5}, {"rule", "proportional"}}},
                      {"developer", {{"share", 0.5}, {"rule", "proportional"}}}};
    CHECK(s.errors(doc) ==
          Lines{s.at("/agents/0/count: expected an integer in [0, 100000000], found -1"),
                s.at("/agents/2: expected a population name unique in the scenario, found \"developer\" again (as at "
                     "/agents/1)" + hint)});
  }
}

TEST_CASE("the entry of newcomers takes a rate and a known condition", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  const std::string condition = "/entry/condition: expected one of \"always\" or \"mean_profit_positive\", found ";
  CHECK(s.errors(with(doc, "/entry", ojson::array())) == Lines{s.at("/entry: expected an object, found an empty array")});
  CHECK(s.errors(with(doc, "/entry/rate", -1)) == Lines{s.at("/entry/rate: expected a number in [0, 1000000], found -1")});
  CHECK(s.errors(with(doc, "/entry/rate", 1000001)) ==
        Lines{s.at("/entry/rate: expected a number in [0, 1000000], found 1000001")});
  CHECK(s.errors(with(doc, "/entry/rate", "2")) == Lines{s.at("/entry/rate: expected a number in [0, 1000000], found \"2\"")});
  CHECK(s.errors(with(doc, "/entry/condition", "when_profitable")) == Lines{s.at(condition + "\"when_profitable\"")});
  CHECK(s.errors(with(doc, "/entry/condition", 1)) == Lines{s.at(condition + "1")});
  CHECK(s.errors(with(doc, "/entry", {{"rate", 3}})) == Lines{loaded_without_errors});
}

TEST_CASE("the outputs are three switches", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(with(doc, "/outputs", true)) == Lines{s.at("/outputs: expected an object, found true")});
  CHECK(s.errors(with(doc, "/outputs/epochs", "yes")) == Lines{s.at("/outputs/epochs: expected true or false, found \"yes\"")});
  CHECK(s.errors(with(doc, "/outputs/agents", 0)) == Lines{s.at("/outputs/agents: expected true or false, found 0")});
  CHECK(s.errors(with(doc, "/outputs/transfers", nullptr)) ==
        Lines{s.at("/outputs/transfers: expected true or false, found null")});
}

TEST_CASE("each role's rewards need an object with a share and a known rule", "[scenario][errors]") {
  const Scratch s;
  const ojson doc = minimal_scenario();
  CHECK(s.errors(without(doc, "/rewards")) ==
        Lines{s.at("expected the key \"rewards\" (the share and rule of each role), found none")});
  CHECK(s.errors(with(doc, "/rewards", ojson::array())) == Lines{s.at("/rewards: expected an object, found an empty array")});
  CHECK(s.errors(with(doc, "/rewards/data_provider", 1)) == Lines{s.at("/rewards/data_provider: expected an object, found 1")});
  CHECK(s.errors(without(doc, "/rewards/data_provider/rule")) ==
        Lines{s.at("/rewards/data_provider: expected a \"rule\" naming one of \"proportional\" or \"tiered\", found none")});
  CHECK(s.errors(without(doc, "/rewards/data_provider/share")) ==
        Lines{s.at("/rewards/data_provider: expected the key \"share\" (the fraction of each epoch's emission paid to this "
                   "role), found none")});
  CHECK(s.errors(with(doc, "/rewards/data_provider/rule", "proportionnal")) ==
        Lines{s.at("/rewards/data_provider/rule: expected one of \"proportional\" or \"tiered\", found \"proportionnal\"; "
                   "did you mean \"proportional\"?")});
  CHECK(s.errors(with(doc, "/rewards/miner", {{"share", 0}, {"rule", "proportional"}})) ==
        Lines{s.at("/rewards/miner: unknown key \"miner\"; expected one of \"data_provider\", \"developer\" or "
                   "\"compute_provider\"")});
}

TEST_CASE("a rewards entry for a role no population plays is refused", "[scenario][errors]") {
  const Scratch s;
  ojson doc = three_role_scenario();
  doc["agents"].erase(2);
  CHECK(s.errors(doc) == Lines{s.at("/rewards/compute_provider: expected a role some population plays, found "
                                    "\"compute_provider\", which none of /agents does")});
}

TEST_CASE("a role some population plays needs a rewards entry", "[scenario][errors]") {
  const Scratch s;
  ojson doc = three_role_scenario();
  SECTION("one role without an entry") {
    doc["rewards"].erase("compute_provider");
    doc["rewards"]["data_provider"]["share"] = 0.7;
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards: expected an entry for the role \"compute_provider\" (played by /agents/2), found none")});
  }
  SECTION("a misspelt role in the rewards: the unknown key, then the role left without an entry") {
    doc["rewards"]["compute_providr"] = doc["rewards"]["compute_provider"];
    doc["rewards"].erase("compute_provider");
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards/compute_providr: unknown key \"compute_providr\"; did you mean \"compute_provider\"?"),
                s.at("/rewards: expected an entry for the role \"compute_provider\" (played by /agents/2), found none")});
  }
  SECTION("two roles without an entry are both reported") {
    doc["rewards"].erase("developer");
    doc["rewards"].erase("compute_provider");
    doc["rewards"]["data_provider"]["share"] = 1;
    CHECK(s.errors(doc) ==
          Lines{s.at("/rewards: expected an entry for the role \"developer\" (played by /agents/1), found none"),
                s.at("/rewards: expected an entry for the role \"compute_provider\" (played by /agents/2), found none")});
  }
  SECTION("after an invalid population, the pointer still names the population that plays the role") {
    doc["agents"] = {{{"role", "data_provider"}, {"model", "worker"}, {"count", -1}},
                     {{"role", "developer"}, {"model", "worker"}, {"count", 1}}};
    doc["rewards"] = {{"data_provider", {{"share", 1}, {"rule", "proportional"}}}};
    CHECK(s.errors(doc) ==
          Lines{s.at("/agents/0/count: expected an integer in [0, 100000000], found -1"),
                s.at("/rewards: expected an entry for the role \"developer\" (played by /agents/1), found none")});
  }
}

// ---- the file itself ------------------------------------------------------------------------------------------

TEST_CASE("a key written twice in one object is refused at its JSON pointer", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(std::string(R"({
    "name": "dup", "epoch": "1d", "horizon": "10d", "epoch": "2d",
    "emission": {"schedule": "fixed", "params": {"per_epoch": "100"}},
    "agents": [{"role": "data_provider", "model": "worker", "count": 4},
               {"name": "more", "role": "data_provider", "model": "worker", "count": 1,
                "params": {"capacity": 3, "staking": true, "capacity": 4}}],
    "rewards": {"data_provider": {"share": 1, "rule": "proportional", "share": 1}}
  })")) == Lines{s.at("/epoch: duplicate key; a key may appear once in an object"),
                 s.at("/agents/1/params/capacity: duplicate key; a key may appear once in an object"),
                 s.at("/rewards/data_provider/share: duplicate key; a key may appear once in an object")});
}

TEST_CASE("a file that is not JSON is refused with the line and column of the problem", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(std::string("{\n  \"name\": \"bad\",\n  \"epoch\": \"1d\"\n  \"horizon\": \"10d\"\n}\n")) ==
        Lines{s.at("invalid JSON: parse error at line 4, column 11: syntax error while parsing object - unexpected string "
                   "literal; expected '}'")});
  CHECK(s.errors(std::string("{\n  \"name\": \"bad\",\n}\n")) ==
        Lines{s.at("invalid JSON: parse error at line 3, column 1: syntax error while parsing object key - unexpected "
                   "'}'; expected string literal")});
  CHECK(s.errors(std::string("")) ==
        Lines{s.at("invalid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end "
                   "of input; expected '[', '{', or a literal")});
}

TEST_CASE("a file whose top level is not an object is refused", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(std::string("[1, 2]")) == Lines{s.at("expected a JSON object at the top level, found an array")});
  CHECK(s.errors(std::string("[]")) == Lines{s.at("expected a JSON object at the top level, found an empty array")});
  CHECK(s.errors(std::string("\"scenario\"")) == Lines{s.at("expected a JSON object at the top level, found \"scenario\"")});
  CHECK(s.errors(std::string("42")) == Lines{s.at("expected a JSON object at the top level, found 42")});
  CHECK(s.errors(std::string("null")) == Lines{s.at("expected a JSON object at the top level, found null")});
}

TEST_CASE("a file that does not exist or is a folder is refused", "[scenario][errors]") {
  const Scratch s;
  const fs::path missing = s.dir.path() / "missing.json";
  CHECK(errors_of(missing) == Lines{missing.string() + ": no such file"});
  const fs::path folder = s.dir.path() / "folder.json";
  fs::create_directories(folder);
  CHECK(errors_of(folder) == Lines{folder.string() + ": not a regular file"});
}

TEST_CASE("an empty object is missing every required key, each reported", "[scenario][errors]") {
  const Scratch s;
  CHECK(s.errors(std::string("{}")) ==
        Lines{s.at("expected the key \"name\" (the name of the output folder), found none"),
              s.at("expected the key \"epoch\" (the length of an epoch, such as \"1d\"), found none"),
              s.at("expected the key \"horizon\" (how long the run lasts, such as \"365d\"), found none"),
              s.at("expected the key \"emission\" (the emission schedule), found none"),
              s.at("expected the key \"agents\" (the populations of agents), found none"),
              s.at("expected the key \"rewards\" (the share and rule of each role), found none")});
}

TEST_CASE("all problems of a file are reported together, in document order", "[scenario][errors]") {
  const Scratch s;
  SECTION("keys written in the usual order") {
    CHECK(s.errors(std::string(R"({
      "name": "bad",
      "seed": "one",
      "replicates": 2.5,
      "epoch": "1d",
      "horizon": "10d",
      "emission": {"schedule": "fixed", "params": {"per_epoch": "100"}},
      "agents": [
        {"role": "data_provider", "model": "worker", "count": "4"},
        {"role": "developer", "model": "trader", "count": 2},
        {"role": "compute_provider", "model": "worker", "count": 4, "params": {"capacity": 0}}
      ],
      "rewards": {
        "data_provider": {"share": 0.3, "rule": "proportional"},
        "developer": {"share": 0.3, "rule": "proportionnal"},
        "compute_provider": {"share": 0.4, "rule": "proportional"}
      },
      "outputs": {"agent": true}
    })")) == Lines{s.at("/seed: expected an integer in [0, 18446744073709551615], found \"one\""),
                   s.at("/replicates: expected an integer in [1, 1000000], found 2.5"),
                   s.at("/agents/0/count: expected an integer in [0, 100000000], found \"4\""),
                   s.at("/agents/1/model: expected one of \"builder\" or \"worker\", found \"trader\""),
                   s.at("/agents/2/params/capacity: expected an integer in [1, 100], found 0"),
                   s.at("/rewards/developer/rule: expected one of \"proportional\" or \"tiered\", found \"proportionnal\"; "
                        "did you mean \"proportional\"?"),
                   s.at("/outputs/agent: unknown key \"agent\"; did you mean \"agents\"?")});
  }
  SECTION("keys written in another order") {
    CHECK(s.errors(std::string(R"({
      "outputs": {"agent": true},
      "name": "bad",
      "epoch": "1d",
      "horizon": "10d",
      "agents": [{"role": "data_provider", "model": "worker", "count": "4"}],
      "emission": {"schedule": "fixd", "params": {"per_epoch": "100"}},
      "rewards": {"data_provider": {"share": 1, "rule": "proportional"}},
      "seed": "one"
    })")) == Lines{s.at("/outputs/agent: unknown key \"agent\"; did you mean \"agents\"?"),
                   s.at("/agents/0/count: expected an integer in [0, 100000000], found \"4\""),
                   s.at("/emission/schedule: expected one of \"bounded\", \"decay\" or \"fixed\", found \"fixd\"; did "
                        "you mean \"fixed\"?"),
                   s.at("/seed: expected an integer in [0, 18446744073709551615], found \"one\"")});
  }
}

TEST_CASE("a failed load throws ScenarioErrors listing every error, one a line", "[scenario][errors]") {
  const Scratch s;
  ojson doc = minimal_scenario();
  doc["seed"] = -1;
  doc["replicates"] = 0;
  const fs::path file = s.dir.write("s.json", doc);
  CHECK_THROWS_AS(load(file), ScenarioErrors);
  CHECK_THROWS_AS(load(file), std::runtime_error);
  try {
    (void)load(file);
    FAIL("loaded a file with errors");
  } catch (const ScenarioErrors& e) {
    REQUIRE(e.errors().size() == 2);
    CHECK(e.errors()[0].file == file.string());
    CHECK(e.errors()[0].pointer == "/seed");
    CHECK(e.errors()[0].message == "expected an integer in [0, 18446744073709551615], found -1");
    CHECK(e.errors()[1].pointer == "/replicates");
    CHECK(std::string(e.what()) == s.at("/seed: expected an integer in [0, 18446744073709551615], found -1") + "\n" +
                                       s.at("/replicates: expected an integer in [1, 1000000], found 0"));
  }
}

TEST_CASE("an error reads as file, pointer and message, the pointer left out for the whole document",
          "[scenario][errors]") {
  CHECK(ScenarioError{"a.json", "/seed", "expected x, found y"}.to_string() == "a.json: /seed: expected x, found y");
  CHECK(ScenarioError{"dir/a.json", "", "no such file"}.to_string() == "dir/a.json: no such file");
  CHECK(std::string(ScenarioErrors({{"a.json", "/x", "m1"}, {"b.json", "", "m2"}}).what()) == "a.json: /x: m1\nb.json: m2");
}

// ---- the normal form ------------------------------------------------------------------------------------------

TEST_CASE("to_json spells out every key and parameter, amounts as decimals, durations in their shortest unit",
          "[scenario][to_json]") {
  const Scratch s;
  ojson doc = minimal_scenario();
  doc["epoch"] = "24h";
  doc["horizon"] = "240h";
  doc["token"] = {{"decimals", 6}};
  doc["agents"][0]["params"] = {{"patience", "168h"}, {"cost", "1.50"}};
  const nlohmann::json normal = to_json(s.load(doc));
  const nlohmann::json expected = nlohmann::json::parse(R"({
    "name": "mini",
    "description": "",
    "seed": 1,
    "replicates": 1,
    "epoch": "1d",
    "horizon": "10d",
    "token": {"symbol": "TOKEN", "decimals": 6, "initial_supply": "0"},
    "emission": {"schedule": "fixed", "params": {"per_epoch": "100"}},
    "agents": [{"name": "data_provider", "role": "data_provider", "model": "worker", "count": 4,
                "params": {"capacity": 10, "cost": "1.5", "exit_probability": 0.05, "patience": "1w",
                           "staking": false, "strategy": "greedy"}}],
    "entry": {"rate": 0.0, "condition": "always"},
    "rewards": {"data_provider": {"share": 1.0, "rule": "proportional", "params": {}}},
    "outputs": {"epochs": true, "agents": true, "transfers": false}
  })");
  CHECK(normal.dump(2) == expected.dump(2));
}
