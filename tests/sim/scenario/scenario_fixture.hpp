#pragma once
// Shared by the scenario tests: a small catalog of components built here (the scenario library must not know
// models/), a temporary folder for scenario files, and helpers that load a file and collect its errors.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/params.hpp"
#include "sim/scenario/registry.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::scenario::testing {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;  // keeps keys in the order written, so files read as their tests do

// The factories are never called by the loader; any callable type will do.
using Factory = std::function<int()>;

// Roles and components declaring parameters of every type, bounds, choices, defaults and cross-checks.
//
// agents:    builder  (developer only): team_size integer [1, 50] required (people), budget tokens required
//            worker   (any role):       capacity integer [1, 100] = 10, exit_probability real [0, 1] = 0.05,
//                                       staking boolean = false, strategy text {greedy cautious random} = greedy,
//                                       cost tokens = "2.5", patience duration >= 1h = 7d
// rules:     proportional (no parameters)
//            tiered: low real [0, 1] = 0.1, high real [0, 1] = 0.9, offset integer [-10, -1] = -5; check low <= high
// schedules: bounded: min_rate real [0, 1] = 0.01, max_rate real [0, 1] = 0.1; check min_rate <= max_rate
//            decay:   initial tokens required, factor real [0, 1] required, period duration >= 3600 s required
//            fixed:   per_epoch tokens required (tokens/epoch)
struct TestCatalog {
  Registry<Factory> agents{"agent model"};
  Registry<Factory> rules{"rule"};
  Registry<Factory> schedules{"schedule"};
  Catalog catalog;

  TestCatalog() {
    const Factory none = [] { return 0; };
    agents.add({"worker",
                "works for rewards",
                {integer_param("capacity", 10, "units", "work per epoch", 1, 100),
                 real_param("exit_probability", 0.05, "1/epoch", "chance of leaving each epoch", 0.0, 1.0),
                 boolean_param("staking", false, "whether it stakes its rewards"),
                 text_param("strategy", "greedy", {"greedy", "cautious", "random"}, "how it picks work"),
                 tokens_param("cost", "2.5", "tokens/epoch", "running cost"),
                 duration_param("patience", core::SimTime::days(7), "how long it waits for a profit", 3600.0)},
                {}},
               none);
    agents.add({"builder",
                "builds models",
                {integer_param("team_size", std::nullopt, "people", "size of the team", 1, 50),
                 tokens_param("budget", std::nullopt, "tokens", "money to spend")},
                {"developer"}},
               none);
    rules.add({"proportional", "pays in proportion to contribution", {}}, none);
    ComponentInfo tiered{"tiered",
                         "pays in tiers",
                         {real_param("low", 0.1, "", "lower threshold", 0.0, 1.0),
                          real_param("high", 0.9, "", "upper threshold", 0.0, 1.0),
                          integer_param("offset", -5, "", "a negative offset", -10, -1)},
                         {}};
    tiered.check = [](const Params& p) -> std::string {
      if (p.real("low") <= p.real("high")) return "";
      return "expected low <= high, found " + describe(p.real("low")) + " > " + describe(p.real("high"));
    };
    rules.add(std::move(tiered), none);
    ComponentInfo bounded{"bounded",
                          "an emission between two rates",
                          {real_param("min_rate", 0.01, "1/epoch", "lowest rate", 0.0, 1.0),
                           real_param("max_rate", 0.1, "1/epoch", "highest rate", 0.0, 1.0)},
                          {}};
    bounded.check = [](const Params& p) -> std::string {
      if (p.real("min_rate") <= p.real("max_rate")) return "";
      return "expected min_rate <= max_rate, found " + describe(p.real("min_rate")) + " > " +
             describe(p.real("max_rate"));
    };
    schedules.add(std::move(bounded), none);
    schedules.add({"fixed", "the same every epoch", {tokens_param("per_epoch", std::nullopt, "tokens/epoch", "emission")}},
                  none);
    schedules.add({"decay",
                   "shrinks by a factor every period",
                   {tokens_param("initial", std::nullopt, "tokens/epoch", "first emission"),
                    real_param("factor", std::nullopt, "", "shrink factor", 0.0, 1.0),
                    duration_param("period", std::nullopt, "how often it shrinks", 3600.0)}},
                  none);
    catalog.roles = {"data_provider", "developer", "compute_provider"};
    catalog.agents = &agents;
    catalog.rules = &rules;
    catalog.schedules = &schedules;
  }
};

inline const Catalog& test_catalog() {
  static const TestCatalog instance;
  return instance.catalog;
}

// A fresh folder under the system's temporary directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    const std::string name = "dais-scenario-test-" + std::to_string(random()) + "-" + std::to_string(counter++);
    path_ = fs::temp_directory_path() / name;
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const fs::path& path() const noexcept { return path_; }

  // Writes `text` to `relative` (folders created as needed) and returns the file's full path.
  fs::path write(const fs::path& relative, const std::string& text) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }
  fs::path write(const fs::path& relative, const ojson& doc) const { return write(relative, doc.dump(2)); }
  fs::path write(const fs::path& relative, const nlohmann::json& doc) const { return write(relative, doc.dump(2)); }

 private:
  fs::path path_;
};

// The smallest valid scenario of the test catalog: one population of data providers paid everything.
inline ojson minimal_scenario() {
  return ojson::parse(R"({
    "name": "mini",
    "epoch": "1d",
    "horizon": "10d",
    "emission": {"schedule": "fixed", "params": {"per_epoch": "100"}},
    "agents": [{"role": "data_provider", "model": "worker", "count": 4}],
    "rewards": {"data_provider": {"share": 1, "rule": "proportional"}}
  })");
}

// A valid scenario with all three roles, shares 0.3 / 0.3 / 0.4.
inline ojson three_role_scenario() {
  return ojson::parse(R"({
    "name": "three",
    "epoch": "1d",
    "horizon": "30d",
    "emission": {"schedule": "fixed", "params": {"per_epoch": "1000"}},
    "agents": [
      {"role": "data_provider", "model": "worker", "count": 4},
      {"role": "developer", "model": "worker", "count": 2},
      {"role": "compute_provider", "model": "worker", "count": 3}
    ],
    "rewards": {
      "data_provider": {"share": 0.3, "rule": "proportional"},
      "developer": {"share": 0.3, "rule": "proportional"},
      "compute_provider": {"share": 0.4, "rule": "proportional"}
    }
  })");
}

// `doc` with the value at `pointer` set (parents created as needed).
inline ojson with(ojson doc, const std::string& pointer, ojson value) {
  doc[ojson::json_pointer(pointer)] = std::move(value);
  return doc;
}

// `doc` without the value at `pointer`.
inline ojson without(ojson doc, const std::string& pointer) {
  const ojson::json_pointer p(pointer);
  ojson& parent = doc[p.parent_pointer()];
  if (parent.is_array()) parent.erase(static_cast<std::size_t>(std::stoul(p.back())));
  else parent.erase(p.back());
  return doc;
}

inline Scenario load(const fs::path& file) { return load_scenario(file, test_catalog()); }

// Every error of loading `file`, as "<file>: <pointer>: <message>" lines; one marker line when it loads.
inline const std::string loaded_without_errors = "(loaded without errors)";
inline std::vector<std::string> errors_of(const fs::path& file) {
  try {
    (void)load(file);
  } catch (const ScenarioErrors& e) {
    std::vector<std::string> out;
    for (const ScenarioError& error : e.errors()) out.push_back(error.to_string());
    return out;
  }
  return {loaded_without_errors};
}

// Writes `doc` as `name` in `dir` and returns its errors.
template <class Doc>
std::vector<std::string> errors_of(const TempDir& dir, const Doc& doc, const std::string& name = "s.json") {
  return errors_of(dir.write(name, doc));
}

// `prefix` of the errors: "<file>: " for the messages written out by hand in the tests.
inline std::string in(const fs::path& file) { return file.string() + ": "; }

}  // namespace dais::scenario::testing
