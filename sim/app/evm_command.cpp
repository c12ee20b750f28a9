#include "sim/app/evm_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "sim/evm/statetest/statetest.hpp"

namespace po = boost::program_options;

namespace dais::app {

const char* const evm_help = R"(usage: dais evm statetest PATH... [--fork NAME] [--skip FILE] [--verbose] [--dump]
       dais evm bench PATH... [--min-time SECONDS]

statetest  Runs Ethereum state tests (the GeneralStateTests JSON format) from files or folders
           (searched recursively for .json). Each post-state case of the fork (default Cancun)
           executes its transaction and compares the state root and the logs hash. Prints one
           line per failure and a last line "N passed, M failed"; exits 0 only when none failed.
bench      Runs each state test of the given files or folders repeatedly and prints the gas per
           second of its execution: gas used less intrinsic gas, over the thread's CPU time for the
           transaction in its fastest run (at least 5 runs and --min-time seconds per case), so
           other work on the machine does not count. Uses each test's first fork's cases, under
           Cancun rules.

options:
  --fork NAME         statetest: the post-state fork to check (default Cancun)
  --verbose           statetest: also print a line per passing case
  --dump              statetest: after a failure, print the post-state it computed
  --skip FILE         statetest: tests to skip, "NAME REASON" a line; an entry without a
                      reason, or matching no test, is an error
  --min-time SECONDS  bench: measure each case for at least this long (default 1)

exit codes: 0 all passed, 1 some case failed, 2 bad input (missing path, malformed file)

examples:
  dais evm statetest ../shared/evm-tests/GeneralStateTests
  dais evm statetest ../shared/evm-tests/GeneralStateTests/stExample/add11.json --verbose
  dais evm bench ../shared/evm-tests/benchmarks/main
  dais evm bench ../shared/evm-tests/benchmarks/main/snailtracer.json --min-time 3
)";

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failed = 1;
constexpr int exit_bad_input = 2;

struct Options {
  std::string sub;
  std::vector<std::string> paths;
  std::string fork = "Cancun";
  bool verbose = false;
  bool dump = false;
  std::string skip_file;
  double min_time = 1.0;
};

struct SkipEntry {
  std::string reason;
  bool used = false;
};

// The skip list: "TEST-NAME REASON" a line, '#' comments. A line without a reason is bad input.
std::map<std::string, SkipEntry> read_skip_list(const std::string& file) {
  std::map<std::string, SkipEntry> entries;
  if (file.empty()) return entries;
  std::ifstream in(file);
  if (!in) throw evm::statetest::LoadError(file + ": cannot open the skip list");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream words(line);
    std::string name;
    if (!(words >> name) || name[0] == '#') continue;
    std::string reason;
    std::getline(words >> std::ws, reason);
    if (reason.empty())
      throw evm::statetest::LoadError(fmt::format("{}:{}: skipped test \"{}\" has no reason", file, n, name));
    entries[name] = {reason, false};
  }
  return entries;
}

int run_statetest(const Options& o) {
  namespace st = evm::statetest;
  const auto files = st::collect_files(o.paths);
  auto skips = read_skip_list(o.skip_file);
  evm::Vm vm;
  std::size_t passed = 0, failed = 0, skipped = 0;
  bool bad_input = false;
  for (const auto& file : files) {
    std::vector<st::StateTest> tests;
    try {
      tests = st::load_file(file, o.fork);
    } catch (const st::LoadError& e) {
      std::cout << "error: " << e.what() << '\n';
      bad_input = true;
      continue;
    }
    for (const st::StateTest& t : tests) {
      if (const auto skip = skips.find(t.name); skip != skips.end()) {
        skip->second.used = true;
        skipped += t.cases.size();
        if (o.verbose) std::cout << "skip " << file.string() << ": " << t.name << ": " << skip->second.reason << '\n';
        continue;
      }
      for (const st::TestCase& c : t.cases) {
        const st::CaseResult r = st::run_case(t, c, vm);
        if (r.passed) {
          ++passed;
          if (o.verbose) std::cout << "ok " << file.string() << ": " << c.label << '\n';
        } else {
          ++failed;
          std::cout << "FAIL " << file.string() << ": " << c.label << ": " << r.message << '\n';
          if (o.dump) std::cout << st::dump_post_state(t, c, vm);
        }
      }
    }
  }
  for (const auto& [name, entry] : skips) {
    if (entry.used) continue;
    ++failed;
    std::cout << "FAIL " << o.skip_file << ": skipped test \"" << name << "\" matched no test\n";
  }
  if (o.skip_file.empty()) std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
  else std::cout << fmt::format("{} passed, {} failed, {} skipped\n", passed, failed, skipped);
  if (bad_input) return exit_bad_input;
  return failed == 0 ? exit_ok : exit_failed;
}

int run_bench(const Options& o) {
  namespace st = evm::statetest;
  const auto files = st::collect_files(o.paths);
  evm::Vm vm;
  bool bad = false;
  std::cout << fmt::format("{:<44} {:>14} {:>12} {:>10}\n", "benchmark", "gas", "cpu time", "Ggas/s");
  for (const auto& file : files) {
    std::vector<st::StateTest> tests;
    try {
      tests = st::load_file(file, "");
    } catch (const st::LoadError& e) {
      std::cout << "error: " << e.what() << '\n';
      bad = true;
      continue;
    }
    for (const st::StateTest& t : tests) {
      for (const st::TestCase& c : t.cases) {
        const st::BenchResult r = st::bench_case(t, c, vm, o.min_time);
        if (!r.valid) {
          std::cout << fmt::format("{:<44} invalid transaction: {}\n", c.label, r.status);
          bad = true;
          continue;
        }
        const double gps = static_cast<double>(r.execution_gas) / r.seconds_per_run;
        std::cout << fmt::format("{:<44} {:>14} {:>10.3f}ms {:>10.3f}{}\n", c.label, r.execution_gas,
                                 r.seconds_per_run * 1e3, gps / 1e9, r.status == "success" ? "" : "  (" + r.status + ")");
      }
    }
  }
  return bad ? exit_failed : exit_ok;
}

}  // namespace

int run_evm_command(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << evm_help;
      return exit_ok;
    }
  }
  Options o;
  try {
    po::options_description options("evm options");
    options.add_options()("fork", po::value<std::string>(&o.fork))("verbose", po::bool_switch(&o.verbose))("dump", po::bool_switch(&o.dump))("skip", po::value<std::string>(&o.skip_file))(
        "min-time", po::value<double>(&o.min_time))("sub", po::value<std::string>(&o.sub))(
        "paths", po::value<std::vector<std::string>>(&o.paths));
    po::positional_options_description positional;
    positional.add("sub", 1).add("paths", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dais evm: " << e.what() << "\n(see dais evm --help)\n";
    return exit_bad_input;
  }
  if (o.sub != "statetest" && o.sub != "bench") {
    std::cerr << (o.sub.empty() ? std::string("dais evm: expected a subcommand: statetest or bench")
                                : "dais evm: unknown subcommand \"" + o.sub + "\"; expected statetest or bench")
              << "\n(see dais evm --help)\n";
    return exit_bad_input;
  }
  if (o.paths.empty()) {
    std::cerr << "dais evm " << o.sub << ": expected at least one file or folder\n(see dais evm --help)\n";
    return exit_bad_input;
  }
  if (o.min_time < 0 || o.min_time > 3600) {
    std::cerr << "dais evm bench: --min-time: expected 0..3600 seconds\n";
    return exit_bad_input;
  }
  try {
    return o.sub == "statetest" ? run_statetest(o) : run_bench(o);
  } catch (const evm::statetest::LoadError& e) {
    std::cerr << "dais evm: " << e.what() << '\n';
    return exit_bad_input;
  }
}

}  // namespace dais::app
