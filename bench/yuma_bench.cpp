// Yuma epochs per second: V validators x N miners (default 64 x 256), random stakes and dense random weights,
// each version. Prints microseconds per epoch (best and median of several timed rounds), with every output and
// with payouts only (YumaEpoch::pair_outputs off: no V x N outputs written).
//
//   bench_yuma [--validators V] [--miners N] [--epochs E] [--rounds R] [--same-weights] [--version NAME]
//              [--kernel baseline|avx2] [--payouts-only]
//
// Weights come from a pool of 16 independent random matrices used in turn, the worst case: no epoch resembles the
// last; --same-weights reuses one matrix (a network in steady state). --kernel picks a build of the epoch (the
// widest this processor runs by default; Debian 12's valgrind cannot decode every instruction of the AVX2 one, so
// callgrind takes --kernel baseline); --payouts-only skips the runs with every output, for profiling. Time is the
// thread's CPU time, so other processes on a shared machine do not inflate it (their cache pollution still can).
// Figures only, never a test; a malformed command line is an error, before any work.

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "models/rewards/yuma/yuma.hpp"

namespace {

constexpr const char* usage =
    "usage: bench_yuma [--validators V] [--miners N] [--epochs E] [--rounds R] [--same-weights] [--version NAME]\n"
    "                  [--kernel baseline|avx2] [--payouts-only]\n";

struct Options {
  long validators = 64, miners = 256, epochs = 2000, rounds = 7;
  bool same_weights = false, payouts_only = false;
  std::string version, kernel;
};

// The command line, or a message saying what is wrong with it.
std::variant<Options, std::string> parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 < argc) return std::string(argv[++i]);
      return std::nullopt;
    };
    const auto count = [&](long& into) -> std::string {
      const auto text = value();
      if (!text) return a + " needs a value";
      char* end = nullptr;
      errno = 0;
      const long n = std::strtol(text->c_str(), &end, 10);
      if (text->empty() || *end != '\0' || errno != 0 || n < 1)
        return a + ": expected a whole number of at least 1, found '" + *text + "'";
      into = n;
      return "";
    };
    const auto word = [&](std::string& into) -> std::string {
      const auto text = value();
      if (!text) return a + " needs a value";
      into = *text;
      return "";
    };
    std::string error;
    if (a == "--validators") error = count(o.validators);
    else if (a == "--miners") error = count(o.miners);
    else if (a == "--epochs") error = count(o.epochs);
    else if (a == "--rounds") error = count(o.rounds);
    else if (a == "--version") error = word(o.version);
    else if (a == "--kernel") error = word(o.kernel);
    else if (a == "--same-weights") o.same_weights = true;
    else if (a == "--payouts-only") o.payouts_only = true;
    else error = a == "--help" ? "" : "unknown option '" + a + "'";
    if (a == "--help" || !error.empty()) return error;
  }
  return o;
}

double cpu_microseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dais;
  const auto parsed = parse(argc, argv);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    if (!error->empty()) fmt::print(stderr, "bench_yuma: {}\n", *error);
    fmt::print(error->empty() ? stdout : stderr, "{}", usage);
    return error->empty() ? 0 : 2;
  }
  const Options& options = std::get<Options>(parsed);
  const Eigen::Index nv = options.validators;
  const Eigen::Index nm = options.miners;
  const long epochs = options.epochs;
  const long rounds = options.rounds;
  const bool same = options.same_weights;
  const std::string& only = options.version;
  const std::string& kernel_name = options.kernel;
  models::YumaKernel kernel = models::yuma_kernel_available(models::YumaKernel::avx2) ? models::YumaKernel::avx2
                                                                                     : models::YumaKernel::baseline;
  if (!kernel_name.empty()) {
    if (kernel_name == "avx2") kernel = models::YumaKernel::avx2;
    else if (kernel_name == "baseline") kernel = models::YumaKernel::baseline;
    else {
      fmt::print(stderr, "bench_yuma: --kernel: expected baseline or avx2, found {}\n", kernel_name);
      return 2;
    }
    if (!models::yuma_kernel_available(kernel)) {
      fmt::print(stderr, "bench_yuma: this processor cannot run the {} kernel\n", kernel_name);
      return 2;
    }
  }
  if (!only.empty() && std::none_of(std::begin(models::all_yuma_versions), std::end(models::all_yuma_versions),
                                    [&](models::YumaVersion v) { return only == models::to_string(v); })) {
    fmt::print(stderr, "bench_yuma: --version: expected one of yuma1, yuma2, yuma2b, yuma2c, yuma3, yuma3_liquid, "
                       "found {}\n", only);
    return 2;
  }
  const std::size_t pool = same ? 1 : 16;

  std::mt19937_64 rng(20251125);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::lognormal_distribution<double> stake_draw(0.0, 1.5);  // a few large validators, many small
  std::vector<Eigen::VectorXd> stakes(pool);
  std::vector<Eigen::MatrixXd> weights(pool);
  for (std::size_t k = 0; k < pool; ++k) {
    stakes[k] = Eigen::VectorXd::NullaryExpr(nv, [&] { return stake_draw(rng); });
    weights[k] = Eigen::MatrixXd::NullaryExpr(nv, nm, [&] { return uniform(rng); });
  }

  fmt::print("yuma epoch, {} validators x {} miners, {} epochs x {} rounds, {} weight matrices\n", nv, nm, epochs, rounds,
             pool);
  fmt::print("{:<14} {:>14} {:>14} {:>18} {:>18}\n", "version", "all best us", "all median us", "payouts best us",
             "payouts median us");
  double checksum = 0.0;
  const bool payouts_only = options.payouts_only;
  for (models::YumaVersion version : models::all_yuma_versions) {
    if (!only.empty() && only != models::to_string(version)) continue;
    std::vector<double> figures;
    for (const bool pairs : {true, false}) {
      if (pairs && payouts_only) {
        figures.insert(figures.end(), 2, -1.0);  // not run
        continue;
      }
      models::YumaParams params;
      params.version = version;
      models::YumaState state;
      models::YumaEpoch out;
      out.pair_outputs = pairs;
      for (std::size_t k = 0; k < 2 * pool; ++k)
        models::yuma_epoch(params, stakes[k % pool], weights[k % pool], state, out, kernel);  // warm-up
      std::vector<double> per_epoch;
      for (long r = 0; r < rounds; ++r) {
        const double start = cpu_microseconds();
        for (long e = 0; e < epochs; ++e) {
          const std::size_t k = static_cast<std::size_t>(e) % pool;
          models::yuma_epoch(params, stakes[k], weights[k], state, out, kernel);
          checksum += out.dividends[0];
        }
        per_epoch.push_back((cpu_microseconds() - start) / static_cast<double>(epochs));
      }
      std::sort(per_epoch.begin(), per_epoch.end());
      figures.push_back(per_epoch.front());
      figures.push_back(per_epoch[per_epoch.size() / 2]);
    }
    const auto shown = [](double us) { return us < 0.0 ? std::string("-") : fmt::format("{:.1f}", us); };
    fmt::print("{:<14} {:>14} {:>14} {:>18} {:>18}\n", models::to_string(version), shown(figures[0]),
               shown(figures[1]), shown(figures[2]), shown(figures[3]));
  }
  fmt::print("(checksum {:.6f})\n", checksum);
  return 0;
}
