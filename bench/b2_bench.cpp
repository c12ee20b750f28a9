// Workload B2 (../shared/BENCH.md): the compute market, event-driven, on one core. Prints events per second
// (arrivals + completions + verifications over wall seconds), the peak of live events and peak memory.
//
//   bench_b2 [--providers P] [--horizon H] [--replicates R]

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "models/market/compute_market.hpp"

int main(int argc, char** argv) {
  dais::models::ComputeMarketConfig config;
  dais::models::B2Options options;
  std::int64_t replicates = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::stod(argv[++i]) : throw std::invalid_argument(a + " needs a value"); };
    if (a == "--providers") options.providers = static_cast<std::int64_t>(next());
    else if (a == "--horizon") options.horizon = next();
    else if (a == "--replicates") replicates = static_cast<std::int64_t>(next());
    else {
      fmt::print(stderr, "usage: bench_b2 [--providers P] [--horizon H] [--replicates R]\n");
      return 2;
    }
  }
  config.arrival_rate = 0.8 * static_cast<double>(options.providers);
  fmt::print("B2: P={} H={} replicates={}\n", options.providers, options.horizon, replicates);
  double seconds = 0;
  std::uint64_t events = 0;
  for (std::int64_t r = 0; r < replicates; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = dais::models::run_b2(config, options, 1, static_cast<std::uint64_t>(r));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto& t = result.totals;
    seconds += s;
    events += result.events;
    fmt::print("  replicate {}: {} events ({} arrivals, {} completions, {} verifications) in {:.3f} s = {:.1f} M events/s;"
               " {} cheaters caught, mean wait {:.4f}, peak live events {} (fingerprint {})\n",
               r, result.events, t.arrivals, t.completions, t.verifications, s,
               static_cast<double>(result.events) / s / 1e6, t.caught, result.mean_wait, result.max_live_events,
               result.fingerprint);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print("events/s: {:.1f} M\npeak RSS: {:.1f} MiB\n", static_cast<double>(events) / seconds / 1e6,
             static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
