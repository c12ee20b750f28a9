// Batch scaling (issue: batch runs at scale): the wall time of a whole `dais run` of a scenario with --jobs 1
// and with --jobs J, end to end (loading, runs, part files, merge, manifest), best of R repetitions, and the
// parallel efficiency T1 / (J * TJ).
//
//   bench_batch [--scenario FILE] [--replicates N] [--jobs J] [--repeat R]
// Default: scenarios/b1_small.json x 16 replicates, J = 2, R = 3.

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

double run_seconds(const std::string& scenario, int replicates, int jobs, const std::filesystem::path& out) {
  std::filesystem::remove_all(out);
  const std::string command = fmt::format("'{}' run '{}' --replicates {} --jobs {} --quiet --out '{}'", DAIS_BINARY,
                                          scenario, replicates, jobs, out.string());
  const auto start = std::chrono::steady_clock::now();
  if (std::system(command.c_str()) != 0) throw std::runtime_error("dais run failed: " + command);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = DAIS_SOURCE_DIR "/scenarios/b1_small.json";
  int replicates = 16;
  int jobs = 2;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--scenario") scenario = next();
    else if (a == "--replicates") replicates = std::stoi(next());
    else if (a == "--jobs") jobs = std::stoi(next());
    else if (a == "--repeat") repeat = std::stoi(next());
    else {
      fmt::print(stderr, "usage: bench_batch [--scenario FILE] [--replicates N] [--jobs J] [--repeat R]\n");
      return 2;
    }
  }
  const auto out = std::filesystem::temp_directory_path() / "dais_bench_batch";
  double one = 1e300;
  double many = 1e300;
  for (int r = 0; r < repeat; ++r) {
    one = std::min(one, run_seconds(scenario, replicates, 1, out));
    many = std::min(many, run_seconds(scenario, replicates, jobs, out));
  }
  std::filesystem::remove_all(out);
  fmt::print("batch: {} x {} replicates, best of {}\n", scenario, replicates, repeat);
  fmt::print("  --jobs 1: {:.3f} s\n  --jobs {}: {:.3f} s\n", one, jobs, many);
  fmt::print("speed-up {:.2f}x on {} cores: parallel efficiency {:.1f}%\n", one / many, jobs, 100.0 * one / (jobs * many));
  return 0;
}
