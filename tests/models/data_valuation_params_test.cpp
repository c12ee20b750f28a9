// The parameters of the data-valuation rule (data_shapley): their table, their reading, and their checks by the
// real scenario loader.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "models/catalog.hpp"
#include "tests/models/catalog_fixture.hpp"
#include "models/rewards/data_valuation/params.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"

using namespace dais;
using namespace dais::models::data_valuation;
namespace fs = std::filesystem;

namespace {

scenario::Params defaults() {
  scenario::Params p;
  for (const scenario::ParamSpec& s : param_specs()) p.set(s.name, *s.default_value);
  return p;
}

const models::ModelCatalog& catalog() { return test::builtin_catalog(); }

// Loads a small scenario whose data providers are paid by data_shapley with `params`; returns the loader's
// messages ("" when it loaded) and the parameters read.
std::pair<std::vector<std::string>, scenario::Params> load_with(const nlohmann::json& params) {
  nlohmann::json doc = {
      {"name", "probe"},
      {"epoch", "1d"},
      {"horizon", "2d"},
      {"emission", {{"schedule", "fixed"}, {"params", {{"amount", "100"}}}}},
      {"agents", {{{"role", "data_provider"}, {"model", "contributor"}, {"count", 3}}}},
      {"rewards", {{"data_provider", {{"share", 1}, {"rule", "data_shapley"}, {"params", params}}}}}};
  const fs::path dir = fs::temp_directory_path() / ("dais_data_valuation_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "probe.json";
  io::write_file_atomically(file, doc.dump());
  std::vector<std::string> messages;
  scenario::Params read;
  try {
    const scenario::Scenario s = scenario::load_scenario(file, catalog().view());
    read = s.rewards.front().rule.params;
  } catch (const scenario::ScenarioErrors& e) {
    for (const scenario::ScenarioError& error : e.errors()) messages.push_back(error.pointer + ": " + error.message);
  }
  fs::remove_all(dir);
  return {messages, read};
}

}  // namespace

TEST_CASE("every data-valuation parameter is declared once, documented, with its default in range",
          "[models][data_valuation]") {
  std::set<std::string> names;
  for (const scenario::ParamSpec& s : param_specs()) {
    INFO(s.name);
    CHECK(names.insert(s.name).second);
    CHECK_FALSE(s.description.empty());
    REQUIRE(s.default_value.has_value());
    if (s.type == scenario::ParamType::text) {
      const auto& d = std::get<std::string>(*s.default_value);
      CHECK(std::find(s.choices.begin(), s.choices.end(), d) != s.choices.end());
    } else {
      const double d = s.type == scenario::ParamType::integer ? static_cast<double>(std::get<std::int64_t>(*s.default_value))
                                                              : std::get<double>(*s.default_value);
      REQUIRE(s.min.has_value());
      REQUIRE(s.max.has_value());
      CHECK(d >= *s.min);
      CHECK(d <= *s.max);
    }
  }
  for (const char* n : {"method", "players", "utility", "k", "vote_ties", "empty_utility", "truncation_tolerance",
                        "truncation_steps", "max_permutations", "convergence_window", "convergence_threshold",
                        "points_per_provider", "label_noise_min", "label_noise_max", "dimensions", "classes",
                        "class_separation", "validation_size"})
    CHECK(names.count(n) == 1);
}

TEST_CASE("the declared defaults read back as the default settings", "[models][data_valuation]") {
  const Settings s = settings_from_params(defaults());
  const Settings d;
  CHECK(s.model.dims == d.model.dims);
  CHECK(s.model.classes == d.model.classes);
  CHECK(s.model.class_separation == d.model.class_separation);
  CHECK(s.model.validation_size == d.model.validation_size);
  CHECK(s.points_per_provider == d.points_per_provider);
  CHECK(s.label_noise_min == d.label_noise_min);
  CHECK(s.label_noise_max == d.label_noise_max);
  CHECK(s.valuation.method == d.valuation.method);
  CHECK(s.valuation.players == d.valuation.players);
  CHECK(s.valuation.utility.k == d.valuation.utility.k);
  CHECK(s.valuation.utility.score == d.valuation.utility.score);
  CHECK(s.valuation.utility.ties == d.valuation.utility.ties);
  CHECK(s.valuation.utility.empty == d.valuation.utility.empty);
  CHECK(s.valuation.tmc.truncation_tolerance == d.valuation.tmc.truncation_tolerance);
  CHECK(s.valuation.tmc.truncation_steps == d.valuation.tmc.truncation_steps);
  CHECK(s.valuation.tmc.max_permutations == d.valuation.tmc.max_permutations);
  CHECK(s.valuation.tmc.convergence_window == d.valuation.tmc.convergence_window);
  CHECK(s.valuation.tmc.convergence_threshold == d.valuation.tmc.convergence_threshold);
  CHECK(check_params(defaults()).empty());
}

TEST_CASE("every choice a parameter declares reads back as its setting", "[models][data_valuation]") {
  for (const scenario::ParamSpec& spec : param_specs()) {
    for (const std::string& choice : spec.choices) {
      scenario::Params p = defaults();
      p.set(spec.name, choice);
      const Settings s = settings_from_params(p);
      const std::string back = spec.name == "method"          ? to_string(s.valuation.method)
                               : spec.name == "players"       ? to_string(s.valuation.players)
                               : spec.name == "utility"       ? to_string(s.valuation.utility.score)
                               : spec.name == "vote_ties"     ? to_string(s.valuation.utility.ties)
                               : spec.name == "empty_utility" ? to_string(s.valuation.utility.empty)
                                                              : "?";
      CHECK(back == choice);
    }
  }
}

TEST_CASE("check_params refuses what no single range can", "[models][data_valuation]") {
  scenario::Params p = defaults();
  p.set("players", std::string("providers"));
  CHECK_THAT(check_params(p), Catch::Contains("expected players \"points\" with method \"knn_shapley\""));
  p = defaults();
  p.set("utility", std::string("majority_vote"));
  CHECK_THAT(check_params(p), Catch::Contains("expected utility \"soft_label\""));
  p.set("method", std::string("tmc_shapley"));
  p.set("players", std::string("providers"));
  CHECK(check_params(p).empty());
  p.set("label_noise_min", 0.5);
  CHECK(check_params(p) == "expected label_noise_min <= label_noise_max, found 0.5 > 0.3");
}

TEST_CASE("the scenario loader validates a rule's data-valuation parameters by their declarations",
          "[models][data_valuation]") {
  const auto [ok, read] = load_with({{"method", "tmc_shapley"}, {"k", 7}, {"max_permutations", 200}});
  CHECK(ok.empty());
  const Settings s = settings_from_params(read);
  CHECK(s.valuation.method == Method::tmc_shapley);
  CHECK(s.valuation.utility.k == 7);
  CHECK(s.valuation.tmc.max_permutations == 200);
  CHECK(s.points_per_provider == Settings{}.points_per_provider);

  const auto [bad, unused] = load_with({{"method", "tmc"}, {"k", 0}, {"label_noise_max", 1.5}, {"dimension", 3}});
  REQUIRE(bad.size() == 4);
  // In file order (nlohmann::json writes keys sorted): dimension, k, label_noise_max, method.
  CHECK_THAT(bad[0], Catch::Contains("/rewards/data_provider/params/dimension") && Catch::Contains("did you mean \"dimensions\"?"));
  CHECK_THAT(bad[1], Catch::Contains("/rewards/data_provider/params/k") && Catch::Contains("[1, 1000]"));
  CHECK_THAT(bad[2], Catch::Contains("/rewards/data_provider/params/label_noise_max"));
  CHECK_THAT(bad[3], Catch::Contains("/rewards/data_provider/params/method") && Catch::Contains("knn_shapley"));

  const auto [combination, unused2] = load_with({{"players", "providers"}});
  REQUIRE(combination.size() == 1);
  CHECK_THAT(combination[0], Catch::Contains("with method \"knn_shapley\""));
}
