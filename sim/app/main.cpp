// The `dais` command: the composition root, the one place that wires the engine (sim/) and the models.

#include <fmt/format.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "models/catalog.hpp"
#include "models/economy/contributor_economy.hpp"
#include "sim/app/evm_command.hpp"
#include "sim/batch/batch.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/manifest.hpp"
#include "sim/scenario/scenario.hpp"

namespace po = boost::program_options;

namespace dais::app {

namespace {

// Exit codes: 0 success, 1 a run failed (a broken invariant or an internal error), 2 bad input.
constexpr int exit_ok = 0;
constexpr int exit_run_failed = 1;
constexpr int exit_bad_input = 2;

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr const char* overview = R"(dais — the Decentralized-AI Incentive Simulator

usage: dais <command> [options]

commands:
  validate SCENARIO...   check scenario files; every problem is reported, exit 2 if any
  run SCENARIO           run all replicates of a scenario, write CSV and a manifest
  list WHAT              registered rules, schedules, agents or roles, with their parameters
  evm statetest|bench    run Ethereum state tests, or time the EVM on benchmark tests
  help COMMAND           options and examples of a command

options:
  -h, --help             this text
  --version              the version and git revision

examples:
  dais validate scenarios/*.json
  dais run scenarios/baseline.json
  dais run scenarios/b1_small.json --replicates 8 --jobs 2 --out results/b1
  dais list rules
  dais evm statetest ../shared/evm-tests/GeneralStateTests
)";

constexpr const char* validate_help = R"(usage: dais validate SCENARIO...

Loads each scenario file (resolving `extends`) and checks every key, type, range and combination.
Prints one line per problem as  FILE: JSON-POINTER: expected ..., found ...  and exits 2 if there was
any; prints "ok" per valid file and exits 0 otherwise. Nothing is written.

examples:
  dais validate scenarios/baseline.json
  dais validate scenarios/*.json
)";

constexpr const char* run_help = R"(usage: dais run SCENARIO [options]

Runs every replicate of the scenario and writes runs.csv, epochs.csv, agents.csv (and transfers.csv
when the scenario asks for it) plus manifest.json into the output folder. Each file is written
atomically. The same scenario and seed give byte-identical CSV whatever --jobs is.

options:
  --out DIR           output folder (default: results/<scenario name>)
  --replicates N      override the scenario's replicates
  --seed S            override the scenario's seed
  --jobs N            runs in parallel (default: all cores; one run is always single-threaded)
  --quiet             no progress line

examples:
  dais run scenarios/baseline.json
  dais run scenarios/b1_small.json --replicates 16 --jobs 2 --out results/b1_small
  dais run scenarios/baseline.json --seed 7 --quiet
)";

constexpr const char* list_help = R"(usage: dais list rules|schedules|agents|roles

Lists the registered names with a one-line description and their parameters (type, default, unit).

examples:
  dais list rules
  dais list schedules
)";

const char* help_for(const std::string& command) {
  if (command == "validate") return validate_help;
  if (command == "run") return run_help;
  if (command == "list") return list_help;
  if (command == "evm") return evm_help;
  return nullptr;
}

std::string command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i != 0) line.push_back(' ');
    line += argv[i];
  }
  return line;
}

void print_errors(const scenario::ScenarioErrors& e) {
  for (const scenario::ScenarioError& error : e.errors()) std::cerr << error.to_string() << '\n';
}

int cmd_validate(const std::vector<std::string>& args, const models::ModelCatalog& catalog) {
  if (args.empty()) throw UsageError("validate needs at least one scenario file");
  bool all_ok = true;
  for (const std::string& file : args) {
    try {
      scenario::load_scenario(file, catalog.view());
      std::cout << file << ": ok\n";
    } catch (const scenario::ScenarioErrors& e) {
      print_errors(e);
      all_ok = false;
    }
  }
  return all_ok ? exit_ok : exit_bad_input;
}

int cmd_run(const std::vector<std::string>& args, const models::ModelCatalog& catalog, const std::string& invocation) {
  po::options_description options("run options");
  options.add_options()("out", po::value<std::string>())("replicates", po::value<std::int64_t>())(
      "seed", po::value<std::uint64_t>())("jobs", po::value<unsigned>())("quiet", po::bool_switch())(
      "scenario", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  if (!vm.count("scenario")) throw UsageError("run needs a scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("run takes exactly one scenario file");

  scenario::Scenario s = scenario::load_scenario(files[0], catalog.view());
  if (vm.count("replicates")) {
    const auto n = vm["replicates"].as<std::int64_t>();
    if (n < 1 || n > 1'000'000) throw UsageError(fmt::format("--replicates: expected 1..1000000, found {}", n));
    s.replicates = n;
  }
  if (vm.count("seed")) s.seed = vm["seed"].as<std::uint64_t>();
  const unsigned jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : batch::default_jobs();
  if (jobs == 0) throw UsageError("--jobs: expected at least 1, found 0");
  const std::filesystem::path out = vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>())
                                                   : std::filesystem::path("results") / s.name;
  const bool quiet = vm["quiet"].as<bool>();

  std::vector<io::RunIdentity> runs;
  for (std::int64_t r = 0; r < s.replicates; ++r) runs.push_back({r, s.name, r, s.seed});

  const io::BuildInfo build = io::build_info();
  const nlohmann::json resolved = scenario::to_json(s);
  nlohmann::json manifest = {
      {"dais", {{"version", build.version}, {"git_revision", build.git_revision}, {"build_type", build.build_type},
                {"compiler", build.compiler}}},
      {"scenario", {{"name", s.name}, {"file", files[0]}, {"hash_fnv1a64", io::content_hash(resolved.dump())},
                    {"resolved", resolved}}},
      {"seed", s.seed},
      {"replicates", s.replicates},
      {io::manifest_invocation_key,
       {{"command_line", invocation}, {"jobs", jobs}, {"started_at", io::iso8601_utc(io::unix_now())}}}};

  const io::OutputSchema schema = models::contributor_economy_schema(s, catalog);
  const batch::RunFunction run = [&](const io::RunIdentity& id) {
    return models::run_contributor_economy(s, catalog, id);
  };
  const bool progress = !quiet && ::isatty(STDERR_FILENO) != 0;
  if (!quiet) std::cerr << fmt::format("dais: {} runs of {} ({} epochs each) on {} threads\n", runs.size(), s.name, s.epochs(), jobs);
  const batch::BatchResult result = batch::run_batch(
      runs, run, schema, {s.outputs.epochs, s.outputs.agents, s.outputs.transfers}, out, {jobs, progress}, manifest);
  if (!quiet) std::cerr << fmt::format("dais: wrote {} in {:.2f}s\n", out.string(), result.seconds);
  return exit_ok;
}

std::string type_column(const scenario::ParamSpec& p) {
  std::string type = scenario::to_string(p.type);
  if (!p.choices.empty()) {
    type += " {";
    for (std::size_t i = 0; i < p.choices.size(); ++i) type += (i ? "|" : "") + p.choices[i];
    type += "}";
  }
  return type;
}

int cmd_list(const std::vector<std::string>& args, const models::ModelCatalog& catalog) {
  if (args.size() != 1) throw UsageError("list takes one of: rules, schedules, agents, roles");
  const std::string& what = args[0];
  if (what == "roles") {
    for (const std::string& role : catalog.roles) std::cout << role << '\n';
    return exit_ok;
  }
  const scenario::Catalog view = catalog.view();
  const scenario::ComponentIndex* index = what == "rules"       ? view.rules
                                          : what == "schedules" ? view.schedules
                                          : what == "agents"    ? view.agents
                                                                : nullptr;
  if (index == nullptr) throw UsageError(fmt::format("list: expected rules, schedules, agents or roles, found \"{}\"", what));
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
      std::cout << fmt::format("  {:<18} {:<9} {:<12} {:<15} {}\n", "parameter", "type", "default", "unit", "description");
      for (const scenario::ParamSpec& p : info->params)
        std::cout << fmt::format("  {:<18} {:<9} {:<12} {:<15} {}\n", p.name, type_column(p), scenario::describe_default(p),
                                 p.unit.empty() ? "-" : p.unit, p.description);
    }
    std::cout << '\n';
  }
  return exit_ok;
}

int dispatch(int argc, char** argv) {
  models::ModelCatalog catalog;
  models::register_builtin_models(catalog);
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
  if (help == nullptr) throw UsageError(fmt::format("unknown command \"{}\"; expected validate, run, list or help", command));
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << help;
      return exit_ok;
    }
  }
  if (command == "validate") return cmd_validate(args, catalog);
  if (command == "run") return cmd_run(args, catalog, command_line(argc, argv));
  return cmd_list(args, catalog);
}

}  // namespace

}  // namespace dais::app

int main(int argc, char** argv) {
  using namespace dais;
  try {
    return app::dispatch(argc, argv);
  } catch (const scenario::ScenarioErrors& e) {
    app::print_errors(e);
    return app::exit_bad_input;
  } catch (const app::UsageError& e) {
    std::cerr << "dais: " << e.what() << "\n(see dais --help)\n";
    return app::exit_bad_input;
  } catch (const po::error& e) {
    std::cerr << "dais: " << e.what() << "\n(see dais --help)\n";
    return app::exit_bad_input;
  } catch (const io::IoError& e) {
    std::cerr << "dais: " << e.what() << '\n';
    return app::exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "dais: error: " << e.what() << '\n';
    return app::exit_run_failed;
  }
}
