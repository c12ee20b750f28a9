#pragma once
// The built-in model catalog, built once per test program, and scenarios loaded through it from JSON.

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "models/catalog.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::test {

inline const models::ModelCatalog& builtin_catalog() {
  static const models::ModelCatalog catalog = [] {
    models::ModelCatalog m;
    models::register_builtin_models(m);
    return m;
  }();
  return catalog;
}

// Loads `j` as the scenario file <name>.json of a temporary folder (`folder` plus the process id), with the
// loader's checks.
inline scenario::Scenario load_scenario_json(const nlohmann::json& j, const std::string& folder = "dais_test_scenario",
                                             const std::string& name = "scenario") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / (folder + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / (name + ".json");
  io::write_file_atomically(file, j.dump());
  scenario::Scenario s = scenario::load_scenario(file, builtin_catalog().view());
  std::filesystem::remove(file);
  return s;
}

}  // namespace dais::test
