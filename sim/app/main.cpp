// The `dais` command: the composition root, the one place that wires the engine (sim/) and the models.

#include <fmt/format.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "models/catalog.hpp"
#include "sim/app/cli.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/evm_command.hpp"
#include "sim/batch/cluster.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/manifest.hpp"
#include "sim/report/results.hpp"
#include "sim/scenario/scenario.hpp"

namespace po = boost::program_options;

namespace dais::app {

namespace {

constexpr const char* overview = R"(dais — the Decentralized-AI Incentive Simulator

usage: dais <command> [options]

commands:
  validate SCENARIO...   check scenario files; every problem is reported, exit 2 if any
  run SCENARIO           run every variant and replicate of a scenario, write CSV and a manifest
  compare RESULTS_DIR    paired comparison of the designs of a sweep against a baseline
  report RESULTS_DIR     one self-contained HTML page: charts of the designs and the comparison table
  replay yuma INPUT      Yuma consensus over recorded stakes and weights, epoch by epoch, to CSV
  list WHAT              registered rules, schedules, agents, markets, token_markets or roles, with their parameters
  evm statetest|bench    run Ethereum state tests, or time the EVM on benchmark tests
  help COMMAND           options and examples of a command

options:
  -h, --help             this text
  --version              the version and git revision

examples:
  dais validate scenarios/*.json
  dais run scenarios/baseline.json
  dais run scenarios/b1_small.json --replicates 8 --jobs 2 --out results/b1
  dais run scenarios/compare_compute_rules.json && dais compare results/compare_compute_rules --by rewards.compute_provider.rule
  dais report results/compare_compute_rules
  dais list rules
  dais evm statetest ../shared/evm-tests/GeneralStateTests
)";

constexpr const char* validate_help = R"(usage: dais validate SCENARIO...

Loads each scenario file (resolving `extends`, expanding its sweep) and checks every key, type, range and
combination of every variant.
Prints one line per problem as  FILE: JSON-POINTER: expected ..., found ...  and exits 2 if there was
any; prints "ok" per valid file and exits 0 otherwise. Nothing is written.

examples:
  dais validate scenarios/baseline.json
  dais validate scenarios/*.json
)";

constexpr const char* list_help = R"(usage: dais list rules|schedules|agents|markets|token_markets|roles

Lists the registered names with a one-line description and their parameters (type, default, unit).

examples:
  dais list rules
  dais list schedules
  dais list markets
  dais list token_markets
)";

const char* help_for(const std::string& command) {
  if (command == "validate") return validate_help;
  if (command == "run") return run_help;
  if (command == "compare") return compare_help;
  if (command == "report") return report_help;
  if (command == "list") return list_help;
  if (command == "evm") return evm_help;
  if (command == "replay") return replay_help_text();
  return nullptr;
}

void print_errors(const scenario::ScenarioErrors& e) {
  for (const scenario::ScenarioError& error : e.errors()) std::cerr << error.to_string() << '\n';
}

int cmd_validate(const std::vector<std::string>& args, const models::ModelCatalog& catalog) {
  if (args.empty()) throw UsageError("validate needs at least one scenario file");
  bool all_ok = true;
  for (const std::string& file : args) {
    try {
      const scenario::Batch batch = scenario::load_batch(file, catalog.view());
      if (batch.variants.size() == 1)
        std::cout << file << ": ok\n";
      else
        std::cout << fmt::format("{}: ok ({} variants)\n", file, batch.variants.size());
    } catch (const scenario::ScenarioErrors& e) {
      print_errors(e);
      all_ok = false;
    }
  }
  return all_ok ? exit_ok : exit_bad_input;
}

int cmd_list(const std::vector<std::string>& args, const models::ModelCatalog& catalog) {
  if (args.size() != 1) throw UsageError("list takes one of: rules, schedules, agents, markets, token_markets, roles");
  const std::string& what = args[0];
  if (what == "roles") {
    for (const std::string& role : catalog.roles) std::cout << role << '\n';
    return exit_ok;
  }
  const scenario::Catalog view = catalog.view();
  const scenario::ComponentIndex* index = what == "rules"       ? view.rules
                                          : what == "schedules" ? view.schedules
                                          : what == "agents"    ? view.agents
                                          : what == "markets"   ? view.markets
                                          : what == "token_markets" ? view.token_markets
                                                                : nullptr;
  if (index == nullptr)
    throw UsageError(fmt::format("list: expected rules, schedules, agents, markets, token_markets or roles, found \"{}\"", what));
  for (const scenario::ComponentInfo* info : index->all()) {
    std::cout << fmt::format("{}\n  {}\n", info->name, info->description);
    if (!info->roles.empty()) {
      std::cout << "  roles:";
      for (const std::string& r : info->roles) std::cout << ' ' << r;
      std::cout << '\n';
    }
    if (info->params.empty()) {
      std::cout << "  (no parameters)\n";
    } else {
      std::vector<std::array<std::string, 6>> rows{{"parameter", "type", "default", "range", "unit", "description"}};
      for (const scenario::ParamSpec& p : info->params)
        rows.push_back({p.name, scenario::to_string(p.type), scenario::describe_default(p), scenario::describe_range(p),
                        p.unit.empty() ? "-" : p.unit, p.description});
      // Columns as wide as their longest entry, and at least as wide as in every other table.
      std::array<std::size_t, 5> width{18, 9, 11, 12, 13};
      for (const auto& row : rows)
        for (std::size_t c = 0; c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
      for (const auto& row : rows)
        std::cout << fmt::format("  {:<{}} {:<{}} {:<{}} {:<{}} {:<{}} {}\n", row[0], width[0], row[1], width[1], row[2],
                                 width[2], row[3], width[3], row[4], width[4], row[5]);
    }
    std::cout << '\n';
  }
  return exit_ok;
}

int dispatch(int argc, char** argv, batch::Cluster& cluster) {
  models::ModelCatalog catalog;
  models::register_builtin_models(catalog);
  catalog.builtin_contracts = DAIS_CONTRACTS_JSON;
  catalog.anvil = DAIS_ANVIL;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << overview;
    return args.empty() ? exit_bad_input : exit_ok;
  }
  if (args[0] == "--version") {
    const io::BuildInfo b = io::build_info();
    std::cout << fmt::format("dais {} (git {}, {}, {})\n", b.version, b.git_revision, b.build_type, b.compiler);
    return exit_ok;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "help") {
    const char* text = args.empty() ? overview : help_for(args[0]);
    if (text == nullptr) throw UsageError(fmt::format("help: no command \"{}\"", args[0]));
    std::cout << text;
    return exit_ok;
  }
  if (command == "evm") return run_evm_command(args);
  const char* help = help_for(command);
  if (help == nullptr) throw UsageError(fmt::format("unknown command \"{}\"; expected validate, run, compare, report, replay, list, evm or help", command));
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << help;
      return exit_ok;
    }
  }
  if (command == "validate") return cmd_validate(args, catalog);
  if (command == "run") return run_command(args, catalog, std::vector<std::string>(argv, argv + argc), cluster);
  if (command == "compare") return compare_command(args);
  if (command == "report") return report_command(args);
  if (command == "replay") return replay_command(args, std::vector<std::string>(argv, argv + argc));
  return cmd_list(args, catalog);
}

}  // namespace

}  // namespace dais::app

int main(int argc, char** argv) {
  using namespace dais;
  // Under mpirun every rank runs this; only rank 0 speaks.
  std::optional<batch::Cluster> cluster;
  try {
    cluster.emplace(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "dais: " << e.what() << '\n';
    return app::exit_bad_input;
  }
  const bool speak = cluster->is_root();
  const auto report = [&](const std::string& text, int code) {
    if (speak) std::cerr << text;
    return code;
  };
  try {
    return app::dispatch(argc, argv, *cluster);
  } catch (const scenario::ScenarioErrors& e) {
    if (speak) app::print_errors(e);
    return app::exit_bad_input;
  } catch (const app::UsageError& e) {
    return report(fmt::format("dais: {}\n(see dais --help)\n", e.what()), app::exit_bad_input);
  } catch (const po::error& e) {
    return report(fmt::format("dais: {}\n(see dais --help)\n", e.what()), app::exit_bad_input);
  } catch (const io::IoError& e) {
    return report(fmt::format("dais: {}\n", e.what()), app::exit_bad_input);
  } catch (const dais::report::ResultsError& e) {
    return report(fmt::format("dais: {}\n", e.what()), app::exit_bad_input);
  } catch (const std::exception& e) {
    return report(fmt::format("dais: error: {}\n", e.what()), app::exit_run_failed);
  }
}
