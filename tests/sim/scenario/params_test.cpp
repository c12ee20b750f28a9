#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/params.hpp"
#include "sim/scenario/registry.hpp"
#include "scenario_fixture.hpp"

using dais::core::SimTime;
using dais::ledger::TokenAmount;
using namespace dais::scenario;
using dais::scenario::testing::Factory;

namespace {

Params every_type() {
  Params p;
  p.set("count", std::int64_t{-7});
  p.set("rate", 0.25);
  p.set("on", true);
  p.set("mode", std::string("greedy"));
  p.set("cost", TokenAmount::from_base_units(2'500'000));
  p.set("wait", SimTime::seconds(90));
  return p;
}

}  // namespace

TEST_CASE("each getter returns the value set under its name and type", "[scenario][params]") {
  const Params p = every_type();
  CHECK(p.integer("count") == -7);
  CHECK(p.real("rate") == 0.25);
  CHECK(p.boolean("on"));
  CHECK(p.text("mode") == "greedy");
  CHECK(p.tokens("cost") == TokenAmount::from_base_units(2'500'000));
  CHECK(p.duration("wait") == SimTime::seconds(90));
  CHECK(p.has("rate"));
  CHECK_FALSE(p.has("missing"));
  CHECK(p.values().size() == 6);
  CHECK(p.values().begin()->first == "cost");  // sorted by name
}

TEST_CASE("setting a parameter again replaces its value", "[scenario][params]") {
  Params p;
  p.set("rate", 0.25);
  p.set("rate", 0.5);
  CHECK(p.real("rate") == 0.5);
  CHECK(p.values().size() == 1);
}

TEST_CASE("a getter for an undeclared name throws logic_error naming the parameter", "[scenario][params]") {
  const Params p = every_type();
  CHECK_THROWS_AS(p.integer("counts"), std::logic_error);
  CHECK_THROWS_WITH(p.integer("counts"), "parameter 'counts' was not declared or not set");
  CHECK_THROWS_WITH(p.real("x"), "parameter 'x' was not declared or not set");
  CHECK_THROWS_WITH(p.boolean("x"), "parameter 'x' was not declared or not set");
  CHECK_THROWS_WITH(p.text("x"), "parameter 'x' was not declared or not set");
  CHECK_THROWS_WITH(p.tokens("x"), "parameter 'x' was not declared or not set");
  CHECK_THROWS_WITH(p.duration("x"), "parameter 'x' was not declared or not set");
  CHECK_THROWS_WITH(Params().real("rate"), "parameter 'rate' was not declared or not set");
}

TEST_CASE("a getter of the wrong type throws logic_error naming the parameter and the type asked for",
          "[scenario][params]") {
  const Params p = every_type();
  CHECK_THROWS_AS(p.real("count"), std::logic_error);
  CHECK_THROWS_WITH(p.real("count"), "parameter 'count' is not of type real");
  CHECK_THROWS_WITH(p.integer("rate"), "parameter 'rate' is not of type integer");
  CHECK_THROWS_WITH(p.boolean("mode"), "parameter 'mode' is not of type boolean");
  CHECK_THROWS_WITH(p.text("on"), "parameter 'on' is not of type text");
  CHECK_THROWS_WITH(p.tokens("wait"), "parameter 'wait' is not of type tokens");
  CHECK_THROWS_WITH(p.duration("cost"), "parameter 'cost' is not of type duration");
}

TEST_CASE("every parameter type has a name", "[scenario][params]") {
  CHECK(std::string(to_string(ParamType::integer)) == "integer");
  CHECK(std::string(to_string(ParamType::real)) == "real");
  CHECK(std::string(to_string(ParamType::boolean)) == "boolean");
  CHECK(std::string(to_string(ParamType::text)) == "text");
  CHECK(std::string(to_string(ParamType::tokens)) == "tokens");
  CHECK(std::string(to_string(ParamType::duration)) == "duration");
}

TEST_CASE("the parameter builders fill in type, default, unit, bounds and choices", "[scenario][params]") {
  const ParamSpec i = integer_param("n", 3, "agents", "how many", 1, 10);
  CHECK(i.name == "n");
  CHECK(i.type == ParamType::integer);
  REQUIRE(i.default_value);
  CHECK(std::get<std::int64_t>(*i.default_value) == 3);
  CHECK(i.unit == "agents");
  CHECK(i.description == "how many");
  CHECK(i.min == 1.0);
  CHECK(i.max == 10.0);

  const ParamSpec r = real_param("f", std::nullopt, "", "a factor", 0.0);
  CHECK(r.type == ParamType::real);
  CHECK_FALSE(r.default_value);  // required
  CHECK(r.min == 0.0);
  CHECK_FALSE(r.max);

  const ParamSpec b = boolean_param("on", true, "switch");
  CHECK(b.type == ParamType::boolean);
  REQUIRE(b.default_value);
  CHECK(std::get<bool>(*b.default_value));

  const ParamSpec x = text_param("mode", "a", {"a", "b"}, "a mode");
  CHECK(x.type == ParamType::text);
  CHECK(x.choices == std::vector<std::string>{"a", "b"});
  CHECK(std::get<std::string>(*x.default_value) == "a");

  const ParamSpec t = tokens_param("cost", "2.5", "tokens/epoch", "a cost");
  CHECK(t.type == ParamType::tokens);
  CHECK(std::get<std::string>(*t.default_value) == "2.5");  // converted when the decimals are known
  CHECK_FALSE(t.min.has_value());  // amounts are never negative: no bound needed
  CHECK(t.unit == "tokens/epoch");

  const ParamSpec d = duration_param("wait", SimTime::days(1), "a wait", 60.0);
  CHECK(d.type == ParamType::duration);
  CHECK(std::get<SimTime>(*d.default_value) == SimTime::days(1));
  CHECK(d.min == 60.0);
  CHECK_FALSE(d.max);
}

TEST_CASE("describe writes each value in its short human form", "[scenario][params]") {
  CHECK(describe(ParamValue{std::int64_t{12}}) == "12");
  CHECK(describe(ParamValue{std::int64_t{-3}}) == "-3");
  CHECK(describe(ParamValue{0.5}) == "0.5");
  CHECK(describe(ParamValue{0.1}) == "0.1");
  CHECK(describe(ParamValue{2.0}) == "2");
  CHECK(describe(ParamValue{true}) == "true");
  CHECK(describe(ParamValue{false}) == "false");
  CHECK(describe(ParamValue{std::string("greedy")}) == "greedy");
  CHECK(describe(ParamValue{TokenAmount::from_base_units(10'500'000'000'000'000'000ULL)}) == "10.5");
  CHECK(describe(ParamValue{TokenAmount::from_base_units(10'500'000)}, 6) == "10.5");
  CHECK(describe(ParamValue{TokenAmount::from_base_units(1)}) == "0.000000000000000001");
  CHECK(describe(ParamValue{TokenAmount::from_base_units(7)}, 0) == "7");
  CHECK(describe(ParamValue{SimTime::days(1)}) == "1d");
  CHECK(describe(ParamValue{SimTime::seconds(5400)}) == "90min");
}

TEST_CASE("describe_default shows the default or that the parameter is required", "[scenario][params]") {
  CHECK(describe_default(integer_param("n", 10, "", "")) == "10");
  CHECK(describe_default(integer_param("n", std::nullopt, "", "")) == "(required)");
  CHECK(describe_default(real_param("f", 0.05, "", "")) == "0.05");
  CHECK(describe_default(boolean_param("on", false, "")) == "false");
  CHECK(describe_default(text_param("mode", "greedy", {"greedy", "random"}, "")) == "greedy");
  CHECK(describe_default(text_param("mode", std::nullopt, {}, "")) == "(required)");
  CHECK(describe_default(tokens_param("cost", "2.5", "tokens", "")) == "2.5");
  CHECK(describe_default(tokens_param("cost", std::nullopt, "tokens", "")) == "(required)");
  CHECK(describe_default(duration_param("wait", SimTime::days(7), "")) == "1w");
  CHECK(describe_default(duration_param("wait", std::nullopt, "")) == "(required)");
}

TEST_CASE("a registry finds its components by name and lists them sorted", "[scenario][registry]") {
  Registry<Factory> rules("rule");
  CHECK(rules.kind() == "rule");
  CHECK(rules.all().empty());
  CHECK(rules.names_list().empty());
  CHECK(rules.find("zeta") == nullptr);
  rules.add({"zeta", "last", {}}, [] { return 26; });
  CHECK(rules.names_list() == "\"zeta\"");
  rules.add({"alpha", "first", {real_param("x", 1.0, "", "")}}, [] { return 1; });
  CHECK(rules.names_list() == "\"alpha\" or \"zeta\"");
  rules.add({"mu", "middle", {}}, [] { return 12; });
  CHECK(rules.names_list() == "\"alpha\", \"mu\" or \"zeta\"");

  REQUIRE(rules.find("alpha") != nullptr);
  CHECK(rules.find("alpha")->description == "first");
  CHECK(rules.find("alpha")->params.size() == 1);
  CHECK(rules.find("Alpha") == nullptr);
  const auto all = rules.all();
  REQUIRE(all.size() == 3);
  CHECK(all[0]->name == "alpha");
  CHECK(all[1]->name == "mu");
  CHECK(all[2]->name == "zeta");
  CHECK(rules.factory("mu")() == 12);
  CHECK(rules.factory("zeta")() == 26);
}

TEST_CASE("a registry refuses a name registered twice", "[scenario][registry]") {
  Registry<Factory> schedules("schedule");
  schedules.add({"fixed", "constant", {}}, [] { return 0; });
  CHECK_THROWS_AS(schedules.add({"fixed", "again", {}}, [] { return 1; }), std::logic_error);
  CHECK_THROWS_WITH(schedules.add({"fixed", "again", {}}, [] { return 1; }), "schedule 'fixed' registered twice");
  CHECK(schedules.all().size() == 1);
  CHECK(schedules.factory("fixed")() == 0);
}

TEST_CASE("asking a registry for an unknown factory names the valid ones", "[scenario][registry]") {
  Registry<Factory> models("agent model");
  models.add({"worker", "", {}}, [] { return 0; });
  models.add({"builder", "", {}}, [] { return 0; });
  CHECK_THROWS_AS(models.factory("trader"), std::out_of_range);
  CHECK_THROWS_WITH(models.factory("trader"), "no agent model named 'trader'; valid names: \"builder\" or \"worker\"");
}
