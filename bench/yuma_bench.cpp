// Yuma epochs per second: V validators x N miners (default 64 x 256), random stakes and dense random weights,
// each version. Prints microseconds per epoch (best and median of several timed rounds).
//
//   bench_yuma [--validators V] [--miners N] [--epochs E] [--rounds R] [--same-weights]
//
// Weights come from a pool of 16 random matrices used in turn, so consecutive epochs differ as they would in a
// network; --same-weights reuses one matrix (a network in steady state). Benchmarks are not tests: figures only.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "models/rewards/yuma/yuma.hpp"

namespace {

long argument(int argc, char** argv, const std::string& name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::strtol(argv[i + 1], nullptr, 10);
  return fallback;
}

bool flag(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == name) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dais;
  const Eigen::Index nv = argument(argc, argv, "--validators", 64);
  const Eigen::Index nm = argument(argc, argv, "--miners", 256);
  const long epochs = argument(argc, argv, "--epochs", 2000);
  const long rounds = argument(argc, argv, "--rounds", 7);
  const bool same = flag(argc, argv, "--same-weights");
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
  fmt::print("{:<14} {:>12} {:>12} {:>14}\n", "version", "best us", "median us", "epochs/s");
  double checksum = 0.0;
  for (models::YumaVersion version : models::all_yuma_versions) {
    models::YumaParams params;
    params.version = version;
    models::YumaState state;
    models::YumaEpoch out;
    for (std::size_t k = 0; k < 2 * pool; ++k)
      models::yuma_epoch(params, stakes[k % pool], weights[k % pool], state, out);  // warm-up
    std::vector<double> per_epoch;
    for (long r = 0; r < rounds; ++r) {
      const auto start = std::chrono::steady_clock::now();
      for (long e = 0; e < epochs; ++e) {
        const std::size_t k = static_cast<std::size_t>(e) % pool;
        models::yuma_epoch(params, stakes[k], weights[k], state, out);
        checksum += out.dividends[0];
      }
      const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
      per_epoch.push_back(took.count() / static_cast<double>(epochs));
    }
    std::sort(per_epoch.begin(), per_epoch.end());
    const double median = per_epoch[per_epoch.size() / 2];
    fmt::print("{:<14} {:>12.2f} {:>12.2f} {:>14.0f}\n", models::to_string(version), per_epoch.front(), median,
               1e6 / median);
  }
  fmt::print("(checksum {:.6f})\n", checksum);
  return 0;
}
