// `dais run`: every run of a scenario file (each variant of its sweep times its replicates) into one folder.

#include <fmt/format.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <exception>
#include <filesystem>
#include <optional>
#include <iostream>

#include "models/economy/contributor_economy.hpp"
#include "sim/app/cli.hpp"
#include "sim/app/commands.hpp"
#include "sim/batch/batch.hpp"
#include "sim/chain/artifact.hpp"
#include "sim/io/manifest.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const char* const run_help = R"(usage: dais run SCENARIO [options]

Runs every run of the scenario file (each variant of its sweep, times its replicates) and writes
runs.csv, epochs.csv, agents.csv (and transfers.csv when the scenario asks for it) plus manifest.json
into the output folder. Replicate r of every variant uses the same random numbers, so designs compare
paired (see dais compare). The same scenario and seed give byte-identical CSV whatever --jobs is.

Each finished run is kept on disk at once. After an interruption (Ctrl-C, kill, a lost machine) the same
command with --resume runs only what is missing; the folder ends byte-identical to an uninterrupted batch.
Built with MPI, `mpirun -n K dais run ...` spreads the runs over K processes; rank 0 writes the output.

options:
  --out DIR           output folder (default: results/<scenario name>)
  --replicates N      override the scenario's replicates
  --seed S            override the scenario's seed
  --jobs N            runs in parallel on this machine (default: all cores; one run is always single-threaded)
  --resume            finish an interrupted batch in the output folder
  --quiet             no progress line

examples:
  dais run scenarios/baseline.json
  dais run scenarios/b1_small.json --replicates 16 --jobs 2 --out results/b1_small
  dais run scenarios/compare_compute_rules.json --resume
  mpirun -n 4 dais run scenarios/compare_compute_rules.json
)";

namespace {

std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:") ==
                           std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string joined(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& w : words) line += (line.empty() ? "" : " ") + shell_word(w);
  return line;
}

// The command that finishes this batch: the same one, with the output folder spelt out and --resume.
std::string resume_command(const std::vector<std::string>& command_line, const fs::path& out, bool has_out) {
  std::vector<std::string> words = command_line;
  if (!has_out) {
    words.push_back("--out");
    words.push_back(out.string());
  }
  if (std::find(words.begin(), words.end(), "--resume") == words.end()) words.push_back("--resume");
  return joined(words);
}

// Everything a batch needs before its first run: parsed options, the loaded scenario, the plan and manifest.
struct RunSetup {
  scenario::Batch batch;
  batch::BatchPlan plan;
  nlohmann::json manifest;
  fs::path out;
  bool out_given = false;
  unsigned jobs = 1;
  bool quiet = false;
  bool resume = false;
};

RunSetup set_up(const std::vector<std::string>& args, const models::ModelCatalog& catalog,
                const std::vector<std::string>& command_line, const batch::Cluster& cluster) {
  po::options_description options("run options");
  options.add_options()("out", po::value<std::string>())("replicates", po::value<std::int64_t>())(
      "seed", po::value<std::uint64_t>())("jobs", po::value<unsigned>())("quiet", po::bool_switch())(
      "resume", po::bool_switch())("scenario", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  if (!vm.count("scenario")) throw UsageError("run needs a scenario file");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) throw UsageError("run takes exactly one scenario file");

  RunSetup setup;
  setup.batch = scenario::load_batch(files[0], catalog.view());
  for (scenario::Variant& v : setup.batch.variants) {
    if (vm.count("replicates")) {
      const auto n = vm["replicates"].as<std::int64_t>();
      if (n < 1 || n > 1'000'000) throw UsageError(fmt::format("--replicates: expected 1..1000000, found {}", n));
      v.scenario.replicates = n;
    }
    if (vm.count("seed")) v.scenario.seed = vm["seed"].as<std::uint64_t>();
  }
  const scenario::Scenario& base = setup.batch.base();
  // Under MPI the ranks are the parallelism: one thread each unless asked otherwise.
  setup.jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : cluster.distributed() ? 1 : batch::default_jobs();
  if (setup.jobs == 0) throw UsageError("--jobs: expected at least 1, found 0");
  setup.out_given = vm.count("out") != 0;
  setup.out = setup.out_given ? fs::path(vm["out"].as<std::string>()) : fs::path("results") / base.name;
  setup.quiet = vm["quiet"].as<bool>() || !cluster.is_root();
  setup.resume = vm["resume"].as<bool>();

  // Runs: variant-major, so run ids are stable for a given file and replicate r of each variant shares a seed.
  std::vector<std::string> sweep_columns;
  for (const scenario::SweepParameter& p : setup.batch.sweep.parameters) sweep_columns.push_back(p.column);
  batch::BatchPlan& plan = setup.plan;
  for (const scenario::Variant& variant : setup.batch.variants) {
    for (std::int64_t r = 0; r < base.replicates; ++r) {
      const auto id = static_cast<std::int64_t>(plan.runs.size());
      plan.runs.push_back({id, variant.label, r, base.seed, variant.values});
    }
  }
  plan.schema = io::with_identity(models::contributor_economy_schema(base, catalog), sweep_columns);
  plan.selection = {base.outputs.epochs, base.outputs.agents, base.outputs.transfers};

  const io::BuildInfo build = io::build_info();
  nlohmann::json resolved_variants = nlohmann::json::array();
  for (const scenario::Variant& v : setup.batch.variants) resolved_variants.push_back(scenario::to_json(v.scenario));
  nlohmann::json sweep = nullptr;
  if (!setup.batch.sweep.parameters.empty()) {
    sweep = {{"mode", setup.batch.sweep.mode == scenario::SweepMode::grid ? "grid" : "zip"},
             {"parameters", nlohmann::json::array()}};
    for (const scenario::SweepParameter& p : setup.batch.sweep.parameters)
      sweep["parameters"].push_back({{"pointer", p.pointer}, {"column", p.column}, {"values", p.values}});
    nlohmann::json labels = nlohmann::json::array();
    for (const scenario::Variant& v : setup.batch.variants) labels.push_back(v.label);
    sweep["variants"] = labels;
  }
  const std::string scenario_hash = io::content_hash(resolved_variants.dump());
  plan.identity = io::content_hash(nlohmann::json{{"dais", build.version},
                                                  {"git", build.git_revision},
                                                  {"scenario", scenario_hash},
                                                  {"seed", base.seed},
                                                  {"replicates", base.replicates},
                                                  {"sweep", sweep}}
                                       .dump());
  // The contracts the rules run, with the compiler settings their artifacts record (EVM version, optimizer).
  nlohmann::json contracts = nlohmann::json::object();
  for (const scenario::Variant& v : setup.batch.variants) {
    for (const scenario::RoleRewards& r : v.scenario.rewards) {
      if (r.rule.name != "contract") continue;
      const std::string& artifact = r.rule.params.text("artifact");
      if (contracts.contains(artifact)) continue;
      const bool builtin = artifact.starts_with("builtin:");
      const chain::Artifact a = builtin ? chain::load_artifact(catalog.builtin_contracts, artifact.substr(8))
                                        : chain::load_artifact(base.file.parent_path() / artifact, r.rule.params.text("contract"));
      contracts[artifact] = {{"contract", a.name}, {"format", a.format}, {"file", a.file}, {"build", a.build}};
    }
  }

  setup.manifest = {
      {"dais", {{"version", build.version}, {"git_revision", build.git_revision}, {"build_type", build.build_type},
                {"compiler", build.compiler}}},
      {"scenario", {{"name", base.name}, {"file", files[0]}, {"hash_fnv1a64", scenario_hash},
                    {"resolved", scenario::to_json(base)}}},
      {"sweep", sweep},
      {"contracts", contracts},
      {"seed", base.seed},
      {"replicates", base.replicates},
      {"batch_identity", plan.identity},
      {io::manifest_invocation_key,
       {{"command_line", joined(command_line)},
        {"jobs", setup.jobs},
        {"mpi_ranks", cluster.size()},
        {"started_at", io::iso8601_utc(io::unix_now())}}}};
  return setup;
}

}  // namespace

int run_command(const std::vector<std::string>& args, const models::ModelCatalog& catalog,
                const std::vector<std::string>& command_line, batch::Cluster& cluster) {
  // Every rank of an MPI job sets the batch up; they go on only if all of them could, so none waits for a
  // rank that has stopped. Rank 0 reports the problem.
  std::optional<RunSetup> setup;
  std::exception_ptr problem;
  try {
    setup = set_up(args, catalog, command_line, cluster);
  } catch (...) {
    problem = std::current_exception();
  }
  if (!cluster.all(problem == nullptr)) {
    if (!cluster.is_root()) return exit_bad_input;
    if (problem) std::rethrow_exception(problem);
    throw UsageError("another rank of the MPI job could not load the scenario (is the file the same on every machine?)");
  }

  const scenario::Scenario& base = setup->batch.base();
  const auto replicates = static_cast<std::size_t>(base.replicates);
  const batch::RunFunction run = [&](std::size_t index) {
    return models::run_contributor_economy(setup->batch.variants[index / replicates].scenario, catalog,
                                           setup->plan.runs[index]);
  };
  const bool progress = !setup->quiet && ::isatty(STDERR_FILENO) != 0;
  if (!setup->quiet) {
    const std::size_t variants = setup->batch.variants.size();
    std::cerr << fmt::format("dais: {} runs of {} ({} variant{} x {} replicate{}, {} epochs each) on {} thread{}{}\n",
                             setup->plan.runs.size(), base.name, variants, variants == 1 ? "" : "s", replicates,
                             replicates == 1 ? "" : "s", base.epochs(), setup->jobs, setup->jobs == 1 ? "" : "s",
                             cluster.distributed() ? fmt::format(" x {} MPI ranks", cluster.size()) : "");
  }
  try {
    const batch::BatchResult result = batch::run_batch(
        setup->plan, run, setup->out, {setup->jobs, progress, setup->resume, &cluster}, setup->manifest);
    if (!cluster.is_root()) return result.follower_exit_code;
    if (!setup->quiet) {
      std::cerr << fmt::format("dais: wrote {} in {:.2f}s{}\n", setup->out.string(), result.seconds,
                               result.ran < result.runs
                                   ? fmt::format(" ({} runs resumed from disk)", result.runs - result.ran)
                                   : "");
    }
  } catch (const batch::Interrupted& e) {
    std::cerr << fmt::format("\ndais: interrupted with {} of {} runs done; they are kept in {}. To finish:\n  {}\n",
                             e.done(), e.total(), batch::state_folder(setup->out).string(),
                             resume_command(command_line, setup->out, setup->out_given));
    return exit_interrupted;
  } catch (const batch::BatchStateError& e) {
    throw UsageError(e.what());
  }
  return exit_ok;
}

}  // namespace dais::app
