// Data valuation (models/rewards/data_valuation) at scale, on one core: KNN-Shapley's closed form, the
// neighbour orders every other method starts from, leave-one-out, TMC-Shapley per permutation (with and
// without truncation) and exact Shapley over providers; then one epoch of the data_shapley rule with its
// default parameters. Prints wall-clock figures and peak memory.
//
//   bench_data_valuation [--points N] [--validation V] [--dims D] [--k K] [--providers P] [--permutations T]
//                        [--repeat R] [--exact-providers E]
//
// Defaults: N = 10,000 training points from P = 100 providers (noise Uniform[0, 0.3]), D = 10, K = 5,
// V = 1,000 validation points. The target, "KNN-Shapley for 10,000 points in under 100 ms", is read
// as N = 10,000 and V = 1,000; the figure at V = 100 is printed too, each with the cost per validation point.
// The rule's epoch is timed at 100 and 1,000 providers (its defaults: 50 points each, V = 200, D = 2, K = 5).

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/rewards/data_shapley.hpp"
#include "models/rewards/data_valuation/data_model.hpp"
#include "models/rewards/data_valuation/knn_utility.hpp"
#include "models/rewards/data_valuation/neighbours.hpp"
#include "models/rewards/data_valuation/params.hpp"
#include "models/rewards/data_valuation/valuation.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace dv = dais::models::data_valuation;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

// The median and the fastest of `repeat` runs of f, in ms.
template <class F>
std::pair<double, double> time_ms(int repeat, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < repeat; ++r) {
    const auto start = Clock::now();
    f();
    t.push_back(ms_since(start));
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t.front()};
}

volatile double sink = 0.0;  // keeps results alive

// One epoch of the data_shapley rule (its default parameters) over `providers` contributors: the first, which
// draws every provider's points; then epochs whose providers differ from the last (one joins or leaves), which
// value everything again; then epochs with the same providers, whose values are kept.
void time_rule_epoch(std::size_t providers, int repeat) {
  using dais::ledger::TokenAmount;
  dais::scenario::Registry<dais::models::RuleFactory> rules("reward rule");
  dais::models::register_data_shapley(rules);
  dais::scenario::Params params;
  for (const auto& spec : rules.find("data_shapley")->params) params.set(spec.name, *spec.default_value);
  dais::models::RuleEnvironment env;
  env.random = {1, 0, 0, 0};
  const auto rule = rules.factory("data_shapley")(params, env);

  std::vector<std::uint32_t> agents(providers + 1);
  std::iota(agents.begin(), agents.end(), 0U);
  std::vector<dais::ledger::AccountId> accounts(agents.begin(), agents.end());
  const std::vector<double> q(providers + 1, 1.0);
  std::vector<TokenAmount> out(providers + 1);
  const TokenAmount budget = TokenAmount::whole_tokens(1000, 18);
  std::int64_t epoch = 0;
  // Epoch e pays providers 0 ... providers - 1, or 1 ... providers: every epoch's providers differ from the last's.
  const auto run = [&](bool shift) {
    const std::size_t from = shift ? 1 : 0;
    rule->allocate({epoch++, budget, std::span(accounts).subspan(from, providers), std::span(q).subspan(from, providers),
                    {}, std::span(agents).subspan(from, providers)},
                   std::span(out).subspan(from, providers));
  };
  auto start = Clock::now();
  run(false);
  const double first = ms_since(start);
  const auto [changed, changed_fastest] = time_ms(repeat, [&] { run(epoch % 2 == 1); });
  run(false);
  const auto [kept, kept_fastest] = time_ms(repeat, [&] { run(false); });
  const dais::models::data_valuation::Settings s = dais::models::data_valuation::settings_from_params(params);
  fmt::print("  data_shapley epoch, {} providers x {} points, V={}: first {:.1f} ms, new providers {:.1f} ms median "
             "({:.1f} fastest), same providers {:.3f} ms\n",
             providers, s.points_per_provider, s.model.validation_size, first, changed, changed_fastest, kept);
  sink = static_cast<double>(out[1].base_units() & 1U);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t points = 10'000;
  std::size_t validation = 1'000;
  std::size_t dims = 10;
  std::size_t k = 5;
  std::size_t providers = 100;
  std::size_t permutations = 3;
  int repeat = 5;
  std::size_t exact_providers = 16;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::stoull(argv[++i]) : throw std::invalid_argument(a + " needs a value"); };
    if (a == "--points") points = next();
    else if (a == "--validation") validation = next();
    else if (a == "--dims") dims = next();
    else if (a == "--k") k = next();
    else if (a == "--providers") providers = next();
    else if (a == "--permutations") permutations = next();
    else if (a == "--repeat") repeat = static_cast<int>(next());
    else if (a == "--exact-providers") exact_providers = next();
    else {
      fmt::print(stderr,
                 "usage: bench_data_valuation [--points N] [--validation V] [--dims D] [--k K] [--providers P] "
                 "[--permutations T] [--repeat R] [--exact-providers E]\n");
      return 2;
    }
  }

  dv::DataModel model;
  model.dims = dims;
  model.validation_size = validation;
  std::vector<std::uint64_t> entities(providers);
  std::iota(entities.begin(), entities.end(), 0U);
  const dv::StreamBase streams{1, 0, 0};
  const auto providers_data = dv::providers_with_noise_range(entities, points / providers, 0.0, 0.3, streams);
  auto start = Clock::now();
  const dv::World world = dv::generate_world(model, providers_data, streams);
  fmt::print("data valuation: N={} training points from {} providers, V={} validation points, D={}, K={}\n",
             world.train.size(), providers, validation, dims, k);
  fmt::print("  generate world                 {:9.2f} ms\n", ms_since(start));

  dv::UtilityConfig utility;
  utility.k = k;

  {
    // The sort behind every neighbour order: the radix sort against std::sort of (distance, number) pairs.
    const dv::FeatureColumns columns(world.train);
    const std::size_t queries = std::min<std::size_t>(validation, 100);
    std::vector<std::vector<double>> distances(queries, std::vector<double>(world.train.size()));
    for (std::size_t v = 0; v < queries; ++v) columns.squared_distances(world.validation.point(v), distances[v]);
    std::vector<std::uint32_t> order(world.train.size());
    dv::NeighbourSorter sorter;
    const auto [radix, radix_fastest] = time_ms(repeat, [&] {
      for (const auto& d : distances) sorter.sort(d, order);
      sink = order[0];
    });
    std::vector<std::pair<double, std::uint32_t>> pairs(world.train.size());
    const auto [comparison, comparison_fastest] = time_ms(repeat, [&] {
      for (const auto& d : distances) {
        for (std::size_t i = 0; i < d.size(); ++i) pairs[i] = {d[i], static_cast<std::uint32_t>(i)};
        std::sort(pairs.begin(), pairs.end());
        sink = pairs[0].second;
      }
    });
    const auto [dist, dist_fastest] = time_ms(repeat, [&] {
      for (std::size_t v = 0; v < queries; ++v) columns.squared_distances(world.validation.point(v), distances[v]);
    });
    const double per = 1000.0 / static_cast<double>(queries);
    fmt::print("  one neighbour order of N points: distances {:.1f} us, radix sort {:.1f} us, std::sort {:.1f} us (median)\n",
               dist * per, radix * per, comparison * per);
  }

  // KNN-Shapley at V = 100 and at the full V (the target's).
  for (std::size_t v : {std::size_t{100}, validation}) {
    if (v > validation) continue;
    dv::Dataset val = world.validation;
    val.features.resize(v * dims);
    val.labels.resize(v);
    val.providers.resize(v);
    val.flipped.resize(v);
    const auto [median, fastest] = time_ms(repeat, [&] { sink = dv::knn_shapley(world.train, val, utility).point_values[0]; });
    fmt::print("  knn_shapley, V={:<6}          {:9.2f} ms median, {:.2f} fastest of {}  ({:.1f} us per validation point)\n",
               v, median, fastest, repeat, 1000.0 * median / static_cast<double>(v));
    if (v == validation) break;
  }

  start = Clock::now();
  const dv::KnnUtility knn(world.train, world.validation, utility);
  fmt::print("  neighbour orders (KnnUtility)  {:9.2f} ms  ({} MiB of orders)\n", ms_since(start),
             world.train.size() * validation * 4 / (1 << 20));

  const auto [loo_median, loo_fastest] = time_ms(repeat, [&] {
    sink = dv::leave_one_out(knn, dv::Players::points).point_values[0];
  });
  fmt::print("  leave_one_out, points          {:9.2f} ms median, {:.2f} fastest (after the orders)\n", loo_median, loo_fastest);
  const auto [loop_median, loop_fastest] = time_ms(repeat, [&] {
    sink = dv::leave_one_out(knn, dv::Players::providers).provider_values[0];
  });
  fmt::print("  leave_one_out, providers       {:9.2f} ms median, {:.2f} fastest (after the orders)\n", loop_median,
             loop_fastest);

  // TMC: the rank table, then whole permutations.
  for (double tolerance : {0.0, 0.01}) {
    dv::TmcConfig tmc;
    tmc.truncation_tolerance = tolerance;
    start = Clock::now();
    dv::TmcSampler sampler(knn, dv::Players::points, tmc, streams);
    const double setup = ms_since(start);
    std::vector<double> marginals(sampler.player_count());
    std::size_t steps = 0;
    start = Clock::now();
    for (std::size_t t = 0; t < permutations; ++t) steps += sampler.walk(t, marginals);
    const double walk = ms_since(start);
    if (tolerance == 0.0) fmt::print("  tmc rank table                 {:9.2f} ms\n", setup);
    fmt::print("  tmc permutation, truncation {:<4} {:9.2f} ms each ({} of {} steps computed, {:.3f} us per step)\n",
               tolerance, walk / static_cast<double>(permutations), steps / permutations, sampler.player_count(),
               1000.0 * walk / static_cast<double>(steps));
    sink = marginals[0];
  }
  {
    // The convergence check's share: a full tmc_shapley run of a few permutations with the default window.
    dv::TmcConfig tmc;
    tmc.max_permutations = 200;
    tmc.convergence_threshold = 1e-9;  // never met: measures every check
    tmc.truncation_tolerance = 0.01;
    start = Clock::now();
    const dv::Valuation v = dv::tmc_shapley(knn, dv::Players::points, tmc, streams);
    fmt::print("  tmc_shapley, {} permutations, truncation 0.01, window 100: {:.1f} ms ({:.2f} ms per permutation, "
               "{} marginals)\n",
               v.permutations, ms_since(start), ms_since(start) / static_cast<double>(v.permutations), v.marginals);
  }

  if (exact_providers > 0 && exact_providers <= dv::exact_shapley_max_players) {
    const auto few = dv::providers_with_noise_range(std::span<const std::uint64_t>(entities.data(), exact_providers), 10,
                                                    0.0, 0.3, streams);
    dv::DataModel small = model;
    small.validation_size = 100;
    const dv::World w = dv::generate_world(small, few, streams);
    const dv::KnnUtility u(w.train, w.validation, utility);
    start = Clock::now();
    sink = dv::exact_shapley(u, dv::Players::providers).provider_values[0];
    fmt::print("  exact_shapley, {} providers x 10 points, V=100: {:.1f} ms ({} coalitions)\n", exact_providers,
               ms_since(start), std::size_t{1} << exact_providers);
  }
  for (std::size_t p : {100, 1000}) time_rule_epoch(p, repeat);
  fmt::print("  peak memory                    {:9} MiB\n", peak_rss_mib());
  return 0;
}
