// Workload B1 (../shared/BENCH.md): the contributor economy at N agents for T epochs, one run per
// replicate on one core. Prints agent-epochs per second, peak memory and bytes per agent.
//
//   bench_b1 [--agents N] [--epochs T] [--replicates R] [--agents-csv]
//
// The scenario is scenarios/b1_small.json scaled to N (40% data, 20% developers, 40% compute; emission
// 10 N tokens at epoch 0), so the economics are the same at every size.

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <string>

#include "models/catalog.hpp"
#include "models/economy/contributor_economy.hpp"
#include "sim/scenario/scenario.hpp"

namespace {

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

long current_rss_kib() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages = 0;
  long resident = 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return resident * 4;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dais;
  std::int64_t agents = 100'000;
  std::int64_t epochs = 365;
  std::int64_t replicates = 1;
  bool agents_csv = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::stoll(argv[++i]) : throw std::invalid_argument(a + " needs a value"); };
    if (a == "--agents") agents = next();
    else if (a == "--epochs") epochs = next();
    else if (a == "--replicates") replicates = next();
    else if (a == "--agents-csv") agents_csv = true;
    else {
      fmt::print(stderr, "usage: bench_b1 [--agents N] [--epochs T] [--replicates R] [--agents-csv]\n");
      return 2;
    }
  }

  models::ModelCatalog catalog;
  models::register_builtin_models(catalog);
  scenario::Scenario s = scenario::load_scenario(DAIS_SOURCE_DIR "/scenarios/b1_small.json", catalog.view());
  const std::int64_t counts[] = {agents * 4 / 10, agents - agents * 4 / 10 - agents * 4 / 10, agents * 4 / 10};
  for (std::size_t p = 0; p < s.populations.size(); ++p) s.populations[p].count = counts[p];
  s.emission.params.set("initial", ledger::TokenAmount::whole_tokens(static_cast<std::uint64_t>(10 * agents), 18));
  s.horizon = s.epoch_length * epochs;
  s.outputs.agents = agents_csv;

  fmt::print("B1: N={} T={} replicates={} (epochs.csv rows on, agents.csv {})\n", agents, epochs, replicates,
             agents_csv ? "on" : "off");
  const long rss_before = current_rss_kib();
  double total_seconds = 0;
  std::int64_t total_agent_epochs = 0;
  for (std::int64_t r = 0; r < replicates; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const io::RunOutput out = models::run_contributor_economy(s, catalog, {r, s.name, r, s.seed});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    total_seconds += seconds;
    total_agent_epochs += out.agent_epochs;
    fmt::print("  replicate {}: {} agent-epochs in {:.3f} s = {:.1f} M agent-epochs/s (fingerprint {})\n", r,
               out.agent_epochs, seconds, static_cast<double>(out.agent_epochs) / seconds / 1e6, out.fingerprint);
  }
  const long peak = peak_rss_kib();
  fmt::print("agent-epochs/s: {:.1f} M\n", static_cast<double>(total_agent_epochs) / total_seconds / 1e6);
  fmt::print("peak RSS: {:.1f} MiB; above start: {:.1f} MiB = {:.1f} bytes per initial agent\n", static_cast<double>(peak) / 1024.0,
             static_cast<double>(peak - rss_before) / 1024.0, static_cast<double>(peak - rss_before) * 1024.0 / static_cast<double>(agents));
  return 0;
}
