// Sweeps: expansion in grid and zip modes, ranges, and every variant through the strict loader.

#include <catch2/catch.hpp>

#include "tests/sim/scenario/scenario_fixture.hpp"

using namespace dais::scenario;
using namespace dais::scenario::testing;

namespace {

Batch load_sweep(const TempDir& dir, const ojson& doc) { return load_batch(dir.write("s.json", doc), test_catalog()); }

std::vector<std::string> labels(const Batch& b) {
  std::vector<std::string> out;
  for (const Variant& v : b.variants) out.push_back(v.label);
  return out;
}

std::vector<std::string> batch_errors(const TempDir& dir, const ojson& doc) {
  try {
    (void)load_sweep(dir, doc);
  } catch (const ScenarioErrors& e) {
    std::vector<std::string> out;
    for (const ScenarioError& error : e.errors()) out.push_back(error.to_string());
    return out;
  }
  return {loaded_without_errors};
}

ojson swept(const ojson& parameters, const char* mode = nullptr) {
  ojson doc = three_role_scenario();
  doc["sweep"] = {{"parameters", parameters}};
  if (mode != nullptr) doc["sweep"]["mode"] = mode;
  return doc;
}

}  // namespace

TEST_CASE("a scenario without a sweep is one variant named after the scenario", "[scenario][sweep]") {
  const TempDir dir;
  const Batch b = load_sweep(dir, three_role_scenario());
  REQUIRE(b.variants.size() == 1);
  CHECK(b.variants[0].label == "three");
  CHECK(b.variants[0].values.empty());
  CHECK(b.sweep.parameters.empty());
}

TEST_CASE("a grid sweep runs every combination, the first parameter varying slowest", "[scenario][sweep]") {
  const TempDir dir;
  ojson parameters = ojson::object();
  parameters["/rewards/compute_provider/rule"] = {"proportional", "tiered"};
  parameters["/agents/0/count"] = {1, 2, 3};
  const Batch b = load_sweep(dir, swept(parameters));
  CHECK(labels(b) == std::vector<std::string>{
                         "rewards.compute_provider.rule=proportional, agents.0.count=1",
                         "rewards.compute_provider.rule=proportional, agents.0.count=2",
                         "rewards.compute_provider.rule=proportional, agents.0.count=3",
                         "rewards.compute_provider.rule=tiered, agents.0.count=1",
                         "rewards.compute_provider.rule=tiered, agents.0.count=2",
                         "rewards.compute_provider.rule=tiered, agents.0.count=3"});
  CHECK(b.variants[4].values == std::vector<std::string>{"tiered", "2"});
  CHECK(b.variants[4].scenario.populations[0].count == 2);
  CHECK(b.variants[4].scenario.rewards[2].rule.name == "tiered");
  CHECK(b.variants[4].scenario.rewards[2].rule.params.real("high") == 0.9);  // the new rule's defaults
  REQUIRE(b.sweep.parameters.size() == 2);
  CHECK(b.sweep.parameters[0].column == "rewards.compute_provider.rule");
}

TEST_CASE("a zip sweep pairs the i-th values and refuses lists of different lengths", "[scenario][sweep]") {
  const TempDir dir;
  ojson parameters = ojson::object();
  parameters["/rewards/data_provider/share"] = {0.2, 0.4};
  parameters["/rewards/compute_provider/share"] = {0.5, 0.3};
  const Batch b = load_sweep(dir, swept(parameters, "zip"));
  REQUIRE(b.variants.size() == 2);
  CHECK(b.variants[1].scenario.rewards[0].share_parts == 400'000'000'000'000'000ULL);
  CHECK(b.variants[1].scenario.rewards[2].share_parts == 300'000'000'000'000'000ULL);
  parameters["/rewards/compute_provider/share"] = {0.5, 0.3, 0.1};
  CHECK(batch_errors(dir, swept(parameters, "zip")) ==
        std::vector<std::string>{in(dir.path() / "s.json") +
                                 "/sweep/parameters/~1rewards~1compute_provider~1share: expected 2 values, as many as "
                                 "\"/rewards/data_provider/share\" has (zip pairs them one to one), found 3"});
}

TEST_CASE("ranges give evenly spaced values, exact decimals where the ends allow", "[scenario][sweep]") {
  const TempDir dir;
  ojson parameters = ojson::object();
  parameters["/agents/0/params/exit_probability"] = {{"from", 0.1}, {"to", 0.5}, {"steps", 5}};
  parameters["/agents/1/count"] = {{"values", {2, 4}}};
  const Batch b = load_sweep(dir, swept(parameters));
  REQUIRE(b.variants.size() == 10);
  std::vector<std::string> first;
  for (std::size_t v = 0; v < 10; v += 2) first.push_back(b.variants[v].values[0]);
  CHECK(first == std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});
  CHECK(b.variants[5].scenario.populations[0].model.params.real("exit_probability") == 0.3);
  ojson integers = ojson::object();
  integers["/agents/0/count"] = {{"from", 10}, {"to", 40}, {"steps", 4}};
  CHECK(load_sweep(dir, swept(integers)).variants[3].values[0] == "40");
}

TEST_CASE("every variant goes through the strict loader and its errors name the variants", "[scenario][sweep]") {
  const TempDir dir;
  const std::string file = in(dir.path() / "s.json");
  ojson parameters = ojson::object();
  parameters["/agents/0/count"] = {4, -1, -2};
  CHECK(batch_errors(dir, swept(parameters)) ==
        std::vector<std::string>{file + "variant 1 (agents.0.count=-1): /agents/0/count: expected an "
                                        "integer in [0, 100000000], found -1",
                                 file + "variant 2 (agents.0.count=-2): /agents/0/count: expected an integer in "
                                        "[0, 100000000], found -2"});
  ojson rules = ojson::object();
  rules["/rewards/developer/rule"] = {"proportional", "tierd"};
  CHECK(batch_errors(dir, swept(rules)) ==
        std::vector<std::string>{file + "variant 1 (rewards.developer.rule=tierd): /rewards/developer/rule: expected "
                                        "one of \"proportional\" or \"tiered\", found \"tierd\"; did you mean \"tiered\"?"});
  // A problem every variant has is reported once, without naming variants.
  ojson doc = swept(ojson{{"/agents/0/count", {1, 2}}});
  doc["seed"] = -1;
  CHECK(batch_errors(dir, doc) ==
        std::vector<std::string>{file + "/seed: expected an integer in [0, 18446744073709551615], found -1"});
}

TEST_CASE("a sweep may not vary the batch's name, seed or replicates, and its pointers must reach the scenario",
          "[scenario][sweep]") {
  const TempDir dir;
  const std::string file = in(dir.path() / "s.json");
  CHECK(batch_errors(dir, swept(ojson{{"/seed", {1, 2}}})) ==
        std::vector<std::string>{file + "/sweep/parameters/~1seed: expected a value a sweep may vary, found \"/seed\": "
                                        "every variant runs the same seed and replicates, so that designs compare paired"});
  CHECK(batch_errors(dir, swept(ojson{{"rewards/developer/rule", {"tiered"}}})) ==
        std::vector<std::string>{file + "/sweep/parameters/rewards~1developer~1rule: expected a JSON pointer to a "
                                        "scenario value such as \"/rewards/developer/rule\", found "
                                        "\"rewards/developer/rule\""});
  CHECK(batch_errors(dir, swept(ojson{{"/agents/9/count", {1}}})) ==
        std::vector<std::string>{file + "/sweep/parameters/~1agents~19~1count: expected a pointer to a place in the "
                                        "scenario, found \"/agents/9/count\", which goes through a missing array element "
                                        "or a value that is not an object"});
  CHECK(batch_errors(dir, swept(ojson{{"/agents/0/count", ojson::array()}})) ==
        std::vector<std::string>{file + "/sweep/parameters/~1agents~10~1count: expected a non-empty list of values, "
                                        "found an empty array"});
  ojson doc = swept(ojson{{"/agents/0/count", {1}}});
  doc["sweep"]["mode"] = "cartesian";
  CHECK(batch_errors(dir, doc) ==
        std::vector<std::string>{file + "/sweep/mode: expected one of \"grid\" or \"zip\", found \"cartesian\""});
}

TEST_CASE("load_scenario refuses a sweep, which only load_batch expands", "[scenario][sweep]") {
  const TempDir dir;
  const fs::path f = dir.write("s.json", swept(ojson{{"/agents/0/count", {1, 2}}}));
  CHECK(errors_of(f) == std::vector<std::string>{in(f) + "/sweep: expected a single scenario here, found a sweep of 2 variants"});
}

TEST_CASE("expand and column_name work on their own", "[scenario][sweep]") {
  Sweep s;
  s.parameters = {{"/a", "a", {1, 2}}, {"/b~1c", column_name("/b~1c"), {"x", "y", "z"}}};
  CHECK(s.parameters[1].column == "b/c");
  CHECK(variant_count(s) == 6);
  const auto grid = expand(s);
  CHECK(grid[5] == std::vector<nlohmann::json>{2, "z"});
  s.mode = SweepMode::zip;
  s.parameters[1].values.pop_back();
  CHECK(variant_count(s) == 2);
  CHECK(expand(s)[1] == std::vector<nlohmann::json>{2, "y"});
  CHECK(variant_label(s, expand(s)[0]) == "a=1, b/c=x");
}
