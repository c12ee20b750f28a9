// Data valuation (models/rewards/data_valuation): the data model, the KNN utility and the four methods.

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "models/rewards/data_valuation/data_model.hpp"
#include "models/rewards/data_valuation/knn_utility.hpp"
#include "models/rewards/data_valuation/neighbours.hpp"
#include "models/rewards/data_valuation/valuation.hpp"
#include "tests/models/data_valuation_fixture.hpp"

using namespace dais;
using namespace dais::models::data_valuation;
using namespace dais::models::data_valuation::testing;

namespace {

double sum(std::span<const double> x) { return std::accumulate(x.begin(), x.end(), 0.0); }

double max_abs_difference(std::span<const double> a, std::span<const double> b) {
  REQUIRE(a.size() == b.size());
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

std::vector<ProviderData> providers_with(const std::vector<double>& noise, std::size_t points) {
  std::vector<ProviderData> out;
  for (std::size_t p = 0; p < noise.size(); ++p) out.push_back({p, points, noise[p]});
  return out;
}

// Four clean providers and four whose labels flip with probability 0.4, 20 points each.
World mixed_quality_world(std::uint64_t seed, std::size_t points = 20) {
  DataModel model;
  model.validation_size = 100;
  return generate_world(model, providers_with({0, 0, 0, 0, 0.4, 0.4, 0.4, 0.4}, points), {seed, 0, 0});
}

double mean_of(std::span<const double> x, std::size_t from, std::size_t to) {
  double s = 0.0;
  for (std::size_t i = from; i < to; ++i) s += x[i];
  return s / static_cast<double>(to - from);
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](double x, double y) { return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y); });
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// The data model

TEST_CASE("a provider's points come from its own stream, whoever else provides data", "[models][data_valuation]") {
  const DataModel model;
  const World two = generate_world(model, providers_with({0.1, 0.2}, 30), {7, 1, 3});
  const World three = generate_world(model, std::vector<ProviderData>{{5, 10, 0.0}, {0, 30, 0.1}, {1, 30, 0.2}}, {7, 1, 3});
  // Providers 0 and 1 (entities 0 and 1) are the last 60 points of the second world.
  REQUIRE(three.train.size() == 70);
  CHECK(std::equal(two.train.features.begin(), two.train.features.end(), three.train.features.begin() + 10 * 2));
  CHECK(std::equal(two.train.labels.begin(), two.train.labels.end(), three.train.labels.begin() + 10));
  CHECK(two.validation.features == three.validation.features);
  CHECK(two.train.providers[29] == 0);
  CHECK(two.train.providers[30] == 1);
  CHECK(three.train.provider_count == 3);
}

TEST_CASE("the same seed gives the same world, another seed or epoch another", "[models][data_valuation]") {
  const DataModel model;
  const auto providers = providers_with({0.0, 0.3}, 25);
  const World a = generate_world(model, providers, {11, 2, 0});
  const World b = generate_world(model, providers, {11, 2, 0});
  CHECK(a.train.features == b.train.features);
  CHECK(a.train.labels == b.train.labels);
  CHECK(a.validation.features == b.validation.features);
  CHECK(generate_world(model, providers, {12, 2, 0}).train.features != a.train.features);
  CHECK(generate_world(model, providers, {11, 3, 0}).train.features != a.train.features);
  CHECK(generate_world(model, providers, {11, 2, 1}).train.features != a.train.features);
}

TEST_CASE("label noise flips about its share of a provider's labels and never the validation set's",
          "[models][data_valuation]") {
  DataModel model;
  model.classes = 3;
  model.validation_size = 5000;
  const World w = generate_world(model, providers_with({0.0, 0.3}, 20000), {3, 0, 0});
  std::size_t flipped[2] = {0, 0};
  for (std::size_t i = 0; i < w.train.size(); ++i) flipped[w.train.providers[i]] += w.train.flipped[i];
  CHECK(flipped[0] == 0);
  // Binomial(20000, 0.3): sd 65; 5 sd is 0.016.
  CHECK(std::abs(static_cast<double>(flipped[1]) / 20000.0 - 0.3) < 0.016);
  CHECK(std::count(w.validation.flipped.begin(), w.validation.flipped.end(), 1) == 0);
  // Every class appears in about a third of the validation set.
  for (std::uint32_t c = 0; c < 3; ++c)
    CHECK(std::abs(static_cast<double>(std::count(w.validation.labels.begin(), w.validation.labels.end(), c)) / 5000.0 -
                   1.0 / 3.0) < 0.035);
}

TEST_CASE("a higher noise rate flips a superset of the labels of the same points", "[models][data_valuation]") {
  const DataModel model;
  const World low = generate_world(model, providers_with({0.1}, 2000), {5, 0, 0});
  const World high = generate_world(model, providers_with({0.4}, 2000), {5, 0, 0});
  CHECK(low.train.features == high.train.features);
  std::size_t low_flips = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    if (low.train.flipped[i] == 0) continue;
    ++low_flips;
    CHECK(high.train.flipped[i] == 1);
    CHECK(high.train.labels[i] == low.train.labels[i]);
  }
  CHECK(low_flips > 100);
}

TEST_CASE("class means lie on the first axis, class_separation apart, with unit spread", "[models][data_valuation]") {
  DataModel model;
  model.classes = 3;
  model.dims = 3;
  model.class_separation = 4.0;
  const World w = generate_world(model, providers_with({0.0}, 30000), {9, 0, 0});
  std::vector<double> mean(9, 0.0);
  std::vector<double> count(3, 0.0);
  double square = 0.0;
  for (std::size_t i = 0; i < w.train.size(); ++i) {
    const auto c = w.train.labels[i];
    count[c] += 1.0;
    for (std::size_t j = 0; j < 3; ++j) mean[c * 3 + j] += w.train.point(i)[j];
    square += w.train.point(i)[1] * w.train.point(i)[1];
  }
  for (std::size_t c = 0; c < 3; ++c) {
    CHECK(mean[c * 3 + 0] / count[c] == Approx((static_cast<double>(c) - 1.0) * 4.0).margin(0.05));
    CHECK(mean[c * 3 + 1] / count[c] == Approx(0.0).margin(0.05));
    CHECK(mean[c * 3 + 2] / count[c] == Approx(0.0).margin(0.05));
  }
  CHECK(square / 30000.0 == Approx(1.0).margin(0.05));
}

TEST_CASE("noise rates drawn in a range come from each provider's own stream", "[models][data_valuation]") {
  const std::vector<std::uint64_t> entities{4, 9, 2};
  const auto a = providers_with_noise_range(entities, 12, 0.1, 0.3, {1, 0, 0});
  const auto b = providers_with_noise_range(std::vector<std::uint64_t>{9}, 12, 0.1, 0.3, {1, 0, 0});
  REQUIRE(a.size() == 3);
  CHECK(a[1].label_noise == b[0].label_noise);
  for (const ProviderData& p : a) {
    CHECK(p.points == 12);
    CHECK(p.label_noise >= 0.1);
    CHECK(p.label_noise <= 0.3);
  }
  CHECK(a[0].label_noise != a[2].label_noise);
  CHECK_THROWS_AS(providers_with_noise_range(entities, 12, 0.4, 0.3, {}), std::invalid_argument);
}

TEST_CASE("impossible data models are refused with a message", "[models][data_valuation]") {
  const auto one = providers_with({0.0}, 3);
  DataModel m;
  m.dims = 0;
  CHECK_THROWS_WITH(generate_world(m, one, {}), Catch::Contains("dimension"));
  m = DataModel{};
  m.classes = 1;
  CHECK_THROWS_WITH(generate_world(m, one, {}), Catch::Contains("classes"));
  m = DataModel{};
  m.validation_size = 0;
  CHECK_THROWS_WITH(generate_world(m, one, {}), Catch::Contains("validation"));
  CHECK_THROWS_WITH(generate_world(DataModel{}, providers_with({1.5}, 3), {}), Catch::Contains("label_noise"));
}

// ---------------------------------------------------------------------------------------------------------------
// Neighbours and the KNN utility

TEST_CASE("neighbours are sorted by distance, equal distances by point number, whatever bits they share", "[models][data_valuation]") {
  core::RandomStream rng({1, 0, 0, 0});
  NeighbourSorter sorter;
  for (int round = 0; round < 100; ++round) {
    const std::size_t n = draw_count(rng, 0, round < 90 ? 300 : 20000);
    std::vector<double> d(n);
    // Even rounds mix every kind (the widest range of high bits: the most passes), odd rounds take one (narrow
    // ranges: fewer passes, or none, and digits every point shares).
    const std::size_t only = round % 2 == 1 ? draw_count(rng, 0, 6) : 7;
    for (double& x : d) {
      switch (only < 7 ? only : draw_count(rng, 0, 6)) {
        case 0: x = static_cast<double>(draw_count(rng, 0, 20)) * 0.25; break;  // equal distances, zeros
        case 1: x = 1.0 + static_cast<double>(draw_count(rng, 0, 7)) * 0x1p-50; break;  // differ in low bits only
        case 2: x = core::draw_uniform(rng, 0.0, 1e6); break;
        case 3: x = draw_count(rng, 0, 9) == 0 ? std::numeric_limits<double>::infinity() : 1e300; break;
        case 4: x = core::draw_uniform(rng, 1.0, 8.0); break;  // a few powers of two, as data sets' distances
        case 5: x = core::draw_uniform(rng, 1.0, 1.0 + 0x1p-8); break;  // high bits differ in 12 bits at most
        default: x = 1.0 + static_cast<double>(draw_count(rng, 0, 20)) * 0.25; break;  // low digits all zero
      }
    }
    std::vector<std::uint32_t> order(n);
    sorter.sort(d, order);
    std::vector<std::uint32_t> expected(n);
    std::iota(expected.begin(), expected.end(), 0U);
    std::stable_sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) { return d[a] < d[b]; });
    CHECK(order == expected);
  }
}

TEST_CASE("the distances' AVX2 build gives the baseline's bits", "[models][data_valuation]") {
  core::RandomStream rng({3, 0, 0, 0});
  for (int round = 0; round < 50; ++round) {
    // Point counts on and off the vector widths; coordinates whose differences and squares round.
    Dataset train;
    train.dims = draw_count(rng, 1, 12);
    train.classes = 2;
    std::vector<double> x(train.dims);
    for (std::size_t i = draw_count(rng, 0, 1000); i > 0; --i) {
      for (double& c : x) c = core::draw_uniform(rng, -1e3, 1e3) * core::draw_uniform(rng, 0.0, 1.0);
      train.add(x, 0);
    }
    for (double& c : x) c = core::draw_uniform(rng, -1e3, 1e3);
    const FeatureColumns columns(train);
    std::vector<double> widest(train.size());
    std::vector<double> baseline(train.size());
    columns.squared_distances(x, widest);  // AVX2 where the processor has it
    columns.squared_distances_baseline(x, baseline);
    REQUIRE(same_bits(widest, baseline));
  }
#if defined(__x86_64__) && defined(__GNUC__)
  if (!__builtin_cpu_supports("avx2")) WARN("this processor has no AVX2: only the baseline build ran here");
#endif
}

TEST_CASE("the KNN utility agrees with a naive sort-and-vote on random subsets", "[models][data_valuation]") {
  core::RandomStream rng({2, 0, 0, 0});
  for (int round = 0; round < 200; ++round) {
    const std::size_t dims = draw_count(rng, 1, 3);
    const std::size_t classes = draw_count(rng, 2, 4);
    const Dataset train = random_dataset(rng, draw_count(rng, 1, 12), dims, classes, 3);
    const Dataset validation = random_dataset(rng, draw_count(rng, 1, 5), dims, classes, 1);
    UtilityConfig config;
    config.k = draw_count(rng, 1, 6);
    config.score = round % 2 == 0 ? Score::soft_label : Score::majority_vote;
    config.ties = round % 4 == 1 ? VoteTies::split : VoteTies::nearest;
    config.empty = static_cast<EmptyUtility>(round % 3);
    const KnnUtility u(train, validation, config);
    for (int s = 0; s < 10; ++s) {
      std::vector<std::uint8_t> member(train.size());
      for (auto& m : member) m = static_cast<std::uint8_t>(draw_count(rng, 0, 1));
      CHECK(u(member) == Approx(naive_utility(train, validation, config, member)).margin(1e-12));
    }
    CHECK(u.full() == Approx(naive_utility(train, validation, config, std::vector<std::uint8_t>(train.size(), 1))).margin(1e-12));
  }
}

TEST_CASE("the empty set's utility is zero, chance or the validation set's majority share", "[models][data_valuation]") {
  Dataset validation = one_dimensional({{0.0, 1}, {1.0, 1}, {2.0, 0}});
  validation.classes = 3;
  UtilityConfig c;
  CHECK(empty_utility_value(c, validation) == 0.0);
  c.empty = EmptyUtility::chance;
  CHECK(empty_utility_value(c, validation) == Approx(1.0 / 3.0));
  c.empty = EmptyUtility::majority;
  CHECK(empty_utility_value(c, validation) == Approx(2.0 / 3.0));
  Dataset train = one_dimensional({{0.0, 0}});
  train.classes = 3;
  const KnnUtility u(train, validation, c);
  CHECK(u(std::vector<std::uint8_t>{0}) == Approx(2.0 / 3.0));
  CHECK(u.empty() == Approx(2.0 / 3.0));
}

TEST_CASE("of two training points at the same distance, the lower-numbered is the nearer", "[models][data_valuation]") {
  // Validation point at 0; training points at -1 (label 1) and +1 (label 0): a tie broken by number.
  const Dataset validation = one_dimensional({{0.0, 0}});
  UtilityConfig c;
  c.k = 1;
  CHECK(KnnUtility(one_dimensional({{-1.0, 1}, {1.0, 0}}), validation, c).full() == 0.0);
  CHECK(KnnUtility(one_dimensional({{1.0, 0}, {-1.0, 1}}), validation, c).full() == 1.0);
}

TEST_CASE("the KNN utility refuses inconsistent data", "[models][data_valuation]") {
  const Dataset train = one_dimensional({{0.0, 0}});
  UtilityConfig c;
  Dataset nothing;
  nothing.dims = 1;
  nothing.classes = 2;
  CHECK_THROWS_AS(KnnUtility(train, nothing, c), std::invalid_argument);  // no validation point
  c.k = 0;
  CHECK_THROWS_AS(KnnUtility(train, train, c), std::invalid_argument);
  Dataset bad = train;
  bad.labels[0] = 2;
  CHECK_THROWS_WITH(KnnUtility(bad, train, UtilityConfig{}), Catch::Contains("label 2"));
  Dataset wide = train;
  wide.dims = 2;
  wide.features = {0.0, 0.0};
  CHECK_THROWS_WITH(KnnUtility(wide, train, UtilityConfig{}), Catch::Contains("dimensions"));
}

// ---------------------------------------------------------------------------------------------------------------
// Leave-one-out

TEST_CASE("leave-one-out matches hand-computed values", "[models][data_valuation]") {
  // 1-NN on a line. Training: 0 (label 0), 1 (label 0), 5 (label 1); validation: 0.2 (0), 4 (1), 0.9 (1).
  // U(D) = 2/3 (0.9 is misread by the point at 1). Without 0 or without 1 the other label-0 point stands in:
  // still 2/3. Without 5, the validation point at 4 sees the point at 1: U = 1/3.
  const Dataset train = one_dimensional({{0.0, 0}, {1.0, 0}, {5.0, 1}}, {0, 0, 1});
  const Dataset validation = one_dimensional({{0.2, 0}, {4.0, 1}, {0.9, 1}});
  UtilityConfig c;
  c.k = 1;
  const KnnUtility u(train, validation, c);
  const Valuation points = leave_one_out(u, Players::points);
  CHECK(points.point_values[0] == Approx(0.0).margin(1e-15));
  CHECK(points.point_values[1] == Approx(0.0).margin(1e-15));
  CHECK(points.point_values[2] == Approx(1.0 / 3.0));
  CHECK(points.provider_values == std::vector<double>{points.point_values[0] + points.point_values[1], points.point_values[2]});
  CHECK(points.full_utility == Approx(2.0 / 3.0));
  // Providers: without provider 0 only the point at 5 is left, right for 4 and 0.9: U = 2/3, so its value is 0
  // too, though its two points are all the label-0 data; LOO misses redundancy.
  const Valuation providers = leave_one_out(u, Players::providers);
  CHECK(providers.point_values.empty());
  CHECK(providers.provider_values[0] == Approx(0.0).margin(1e-15));
  CHECK(providers.provider_values[1] == Approx(1.0 / 3.0));
}

TEST_CASE("leave-one-out of a K=2 classifier under each score and tie rule matches hand-computed values",
          "[models][data_valuation]") {
  // Training a: 0 (label 0), b: 1 (label 1), c: 3 (label 0); validation 0.4 (label 0); order a, b, c.
  const Dataset train = one_dimensional({{0.0, 0}, {1.0, 1}, {3.0, 0}});
  const Dataset validation = one_dimensional({{0.4, 0}});
  UtilityConfig c;
  c.k = 2;
  // soft: U(D) = 1/2 (a, b); without a: b, c -> 1/2; without b: a, c -> 1; without c: 1/2.
  CHECK(leave_one_out(KnnUtility(train, validation, c), Players::points).point_values ==
        std::vector<double>{0.0, -0.5, 0.0});
  // vote, nearest wins ties: D: a, b tie -> a's 0, right: 1; without a: b, c tie -> b's 1: 0; without b: 1.
  c.score = Score::majority_vote;
  CHECK(leave_one_out(KnnUtility(train, validation, c), Players::points).point_values ==
        std::vector<double>{1.0, 0.0, 0.0});
  // vote, split ties: D: 1/2; without a: 1/2; without b: 1; without c: 1/2.
  c.ties = VoteTies::split;
  CHECK(leave_one_out(KnnUtility(train, validation, c), Players::points).point_values ==
        std::vector<double>{0.0, -0.5, 0.0});
}

TEST_CASE("leave-one-out equals U(D) - U(D without the player) computed from scratch", "[models][data_valuation]") {
  core::RandomStream rng({3, 0, 0, 0});
  for (int round = 0; round < 100; ++round) {
    const auto [train, validation, c] = random_game(rng, round, 15, 4, 5, 5);
    const KnnUtility u(train, validation, c);
    const Valuation points = leave_one_out(u, Players::points);
    const Valuation providers = leave_one_out(u, Players::providers);
    for (std::size_t i = 0; i < train.size(); ++i) {
      std::vector<std::uint8_t> member(train.size(), 1);
      member[i] = 0;
      CHECK(points.point_values[i] == Approx(u.full() - u(member)).margin(1e-12));
    }
    for (std::size_t p = 0; p < train.provider_count; ++p) {
      std::vector<std::uint8_t> member(train.size());
      for (std::size_t i = 0; i < train.size(); ++i) member[i] = train.providers[i] != p ? 1 : 0;
      CHECK(providers.provider_values[p] == Approx(u.full() - u(member)).margin(1e-12));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Exact Shapley

TEST_CASE("exact Shapley of two points matches the hand computation, for each empty-set utility",
          "[models][data_valuation]") {
  // 1-NN. a: 0 (label 0), b: 2 (label 1); validation 0.5 (label 0). U({a}) = 1, U({b}) = 0, U({a, b}) = 1.
  const Dataset train = one_dimensional({{0.0, 0}, {2.0, 1}});
  const Dataset validation = one_dimensional({{0.5, 0}});
  UtilityConfig c;
  c.k = 1;
  // U(empty) = 0: phi_a = (1 + 1) / 2 = 1, phi_b = (0 + 0) / 2 = 0.
  CHECK(exact_shapley(KnnUtility(train, validation, c), Players::points).point_values == std::vector<double>{1.0, 0.0});
  // U(empty) = 1/2: phi_a = ((1 - 1/2) + 1) / 2 = 3/4, phi_b = ((0 - 1/2) + 0) / 2 = -1/4.
  c.empty = EmptyUtility::chance;
  CHECK(exact_shapley(KnnUtility(train, validation, c), Players::points).point_values == std::vector<double>{0.75, -0.25});
}

TEST_CASE("exact Shapley is the average marginal contribution over every order of the players",
          "[models][data_valuation]") {
  core::RandomStream rng({4, 0, 0, 0});
  for (int round = 0; round < 30; ++round) {
    const Dataset train = random_dataset(rng, draw_count(rng, 1, 6), 2, 2, 2);
    const Dataset validation = random_dataset(rng, draw_count(rng, 1, 4), 2, 2, 1);
    UtilityConfig c;
    c.k = draw_count(rng, 1, 4);
    c.score = round % 2 == 0 ? Score::soft_label : Score::majority_vote;
    c.ties = round % 3 == 0 ? VoteTies::split : VoteTies::nearest;
    c.empty = static_cast<EmptyUtility>(round % 3);
    const Valuation exact = exact_shapley(KnnUtility(train, validation, c), Players::points);
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0U);
    std::vector<double> total(train.size(), 0.0);
    double orders = 0.0;
    do {
      std::vector<std::uint8_t> member(train.size(), 0);
      double before = naive_utility(train, validation, c, member);
      for (std::size_t i : order) {
        member[i] = 1;
        const double after = naive_utility(train, validation, c, member);
        total[i] += after - before;
        before = after;
      }
      orders += 1.0;
    } while (std::next_permutation(order.begin(), order.end()));
    for (double& t : total) t /= orders;
    CHECK(max_abs_difference(exact.point_values, total) < 1e-12);
  }
}

TEST_CASE("exact Shapley values of points and of providers each sum to U(all) - U(empty)", "[models][data_valuation]") {
  core::RandomStream rng({5, 0, 0, 0});
  for (int round = 0; round < 50; ++round) {
    const auto [train, validation, c] = random_game(rng, round, 10, 4, 6, 5);
    const KnnUtility u(train, validation, c);
    const Valuation points = exact_shapley(u, Players::points);
    const Valuation providers = exact_shapley(u, Players::providers);
    CHECK(sum(points.point_values) == Approx(u.full() - u.empty()).margin(1e-12));
    CHECK(sum(points.provider_values) == Approx(u.full() - u.empty()).margin(1e-12));
    CHECK(sum(providers.provider_values) == Approx(u.full() - u.empty()).margin(1e-12));
  }
}

TEST_CASE("exact Shapley refuses more than 20 players", "[models][data_valuation]") {
  const World w = generate_world(DataModel{}, providers_with({0.0}, 21), {1, 0, 0});
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  CHECK_THROWS_WITH(exact_shapley(u, Players::points), Catch::Contains("at most 20 players, found 21"));
  CHECK(exact_shapley(u, Players::providers).provider_values.size() == 1);
}

// ---------------------------------------------------------------------------------------------------------------
// KNN-Shapley

namespace {

void check_knn_shapley_against_brute_force(std::uint64_t seed, int rounds, std::size_t max_points) {
  core::RandomStream rng({seed, 0, 0, 0});
  for (int round = 0; round < rounds; ++round) {
    const std::size_t dims = draw_count(rng, 1, 3);
    const std::size_t classes = draw_count(rng, 2, 3);
    const Dataset train = random_dataset(rng, draw_count(rng, 1, max_points), dims, classes, 3);
    const Dataset validation = random_dataset(rng, draw_count(rng, 1, 4), dims, classes, 1);
    UtilityConfig c;
    c.k = draw_count(rng, 1, 6);  // often more than the points
    c.empty = static_cast<EmptyUtility>(round % 3);
    const Valuation closed = knn_shapley(train, validation, c);
    const Valuation brute = exact_shapley(KnnUtility(train, validation, c), Players::points);
    INFO("round " << round << ": N=" << train.size() << " V=" << validation.size() << " K=" << c.k);
    CHECK(max_abs_difference(closed.point_values, brute.point_values) < 1e-12);
    CHECK(max_abs_difference(closed.provider_values, brute.provider_values) < 1e-12);
    CHECK(closed.full_utility == Approx(brute.full_utility).margin(1e-12));
    CHECK(closed.empty_utility == brute.empty_utility);
  }
}

}  // namespace

TEST_CASE("KNN-Shapley equals brute-force Shapley of the soft KNN utility on many small random sets",
          "[models][data_valuation]") {
  check_knn_shapley_against_brute_force(6, 400, 10);
}

TEST_CASE("KNN-Shapley equals brute-force Shapley on larger random sets", "[models][data_valuation][long]") {
  check_knn_shapley_against_brute_force(7, 200, 15);
}

namespace {

// KNN-Shapley's recursion the obvious way, with the library's arithmetic in the library's order: distances
// summed over dimensions in order, a stable sort, s_r from r = N down, each validation point's s added in turn.
std::vector<double> reference_knn_shapley(const Dataset& train, const Dataset& validation, const UtilityConfig& c) {
  const std::size_t n = train.size();
  std::vector<double> sum(n, 0.0);
  std::vector<double> d(n);
  std::vector<std::uint32_t> order(n);
  for (std::size_t v = 0; v < validation.size(); ++v) {
    for (std::size_t i = 0; i < n; ++i) {
      d[i] = 0.0;
      for (std::size_t j = 0; j < train.dims; ++j) {
        const double t = train.point(i)[j] - validation.point(v)[j];
        d[i] += t * t;
      }
    }
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return d[a] < d[b]; });
    const auto match = [&](std::size_t r) { return train.labels[order[r]] == validation.labels[v] ? 1.0 : 0.0; };
    const auto step = [&](std::size_t r) {  // min(K, r) / (K r), r counted from 1
      return r <= c.k ? 1.0 / static_cast<double>(c.k) : 1.0 / static_cast<double>(r);
    };
    double s = match(n - 1) * step(n);
    sum[order[n - 1]] += s;
    for (std::size_t r = n - 1; r-- > 0;) {
      s += (match(r) - match(r + 1)) * step(r + 1);
      sum[order[r]] += s;
    }
  }
  const double shift = empty_utility_value(c, validation) / static_cast<double>(n);
  for (double& x : sum) x = x / static_cast<double>(validation.size()) - shift;
  return sum;
}


}  // namespace

TEST_CASE("KNN-Shapley gives the bits of the recursion computed the obvious way", "[models][data_valuation]") {
  core::RandomStream rng({8, 0, 0, 0});
  // Small sets with integer coordinates: many equal distances.
  for (int round = 0; round < 100; ++round) {
    const std::size_t classes = draw_count(rng, 2, 4);
    const std::size_t dims = draw_count(rng, 1, 12);
    const Dataset train = random_dataset(rng, draw_count(rng, 1, 300), dims, classes, 3);
    const Dataset validation = random_dataset(rng, draw_count(rng, 1, 5), dims, classes, 1);
    UtilityConfig c;
    c.k = draw_count(rng, 1, 8);
    c.empty = static_cast<EmptyUtility>(round % 3);
    INFO("round " << round << ": N=" << train.size() << " D=" << dims << " K=" << c.k);
    CHECK(same_bits(knn_shapley(train, validation, c).point_values, reference_knn_shapley(train, validation, c)));
  }
  // Gaussian classes in 10 dimensions, as the benchmark draws them.
  DataModel model;
  model.dims = 10;
  model.validation_size = 20;
  const World w = generate_world(model, providers_with({0.0, 0.1, 0.2, 0.3}, 1001), {9, 0, 0});
  for (std::size_t k : {1, 5, 40}) {
    UtilityConfig c;
    c.k = k;
    CHECK(same_bits(knn_shapley(w.train, w.validation, c).point_values, reference_knn_shapley(w.train, w.validation, c)));
  }
}

TEST_CASE("KNN-Shapley values sum to U(all) - U(empty), by point and by provider", "[models][data_valuation]") {
  for (EmptyUtility empty : {EmptyUtility::zero, EmptyUtility::majority}) {
    const World w = mixed_quality_world(1, 60);
    UtilityConfig c;
    c.empty = empty;
    const Valuation v = knn_shapley(w.train, w.validation, c);
    CHECK(v.point_values.size() == 480);
    CHECK(v.provider_values.size() == 8);
    CHECK(sum(v.point_values) == Approx(v.full_utility - v.empty_utility).margin(1e-12));
    CHECK(sum(v.provider_values) == Approx(v.full_utility - v.empty_utility).margin(1e-12));
    CHECK(v.full_utility == Approx(KnnUtility(w.train, w.validation, c).full()).margin(1e-15));
  }
}

TEST_CASE("KNN-Shapley refuses the majority-vote utility, whose values have no such closed form",
          "[models][data_valuation]") {
  const World w = mixed_quality_world(1);
  UtilityConfig c;
  c.score = Score::majority_vote;
  CHECK_THROWS_WITH(knn_shapley(w.train, w.validation, c), Catch::Contains("soft_label"));
}

TEST_CASE("KNN-Shapley of an empty training set is empty", "[models][data_valuation]") {
  const World w = generate_world(DataModel{}, providers_with({0.0, 0.0}, 0), {1, 0, 0});
  const Valuation v = knn_shapley(w.train, w.validation, UtilityConfig{});
  CHECK(v.point_values.empty());
  CHECK(v.provider_values == std::vector<double>{0.0, 0.0});
}

// ---------------------------------------------------------------------------------------------------------------
// TMC-Shapley

TEST_CASE("TMC-Shapley's incremental utility equals the utility of each prefix computed from scratch",
          "[models][data_valuation]") {
  core::RandomStream rng({8, 0, 0, 0});
  for (int round = 0; round < 40; ++round) {
    const auto [train, validation, c] = random_game(rng, round, 25, 5, 6, 6);
    const KnnUtility u(train, validation, c);
    TmcConfig tmc;
    tmc.truncation_tolerance = 0.0;
    for (Players players : {Players::points, Players::providers}) {
      TmcSampler sampler(u, players, tmc, {1, 2, 3});
      const auto perm = sampler.permutation(static_cast<std::uint64_t>(round));
      std::vector<double> marginals(sampler.player_count());
      CHECK(sampler.walk(static_cast<std::uint64_t>(round), marginals) == sampler.player_count());
      std::vector<std::uint8_t> member(train.size(), 0);
      double running = u.empty();
      for (std::uint32_t p : perm) {
        for (std::size_t i = 0; i < train.size(); ++i)
          if ((players == Players::points ? i : train.providers[i]) == p) member[i] = 1;
        running += marginals[p];
        CHECK(running == Approx(u(member)).margin(1e-12));
      }
    }
  }
}

TEST_CASE("permutations are uniform shuffles keyed by their number", "[models][data_valuation]") {
  const World w = generate_world(DataModel{}, providers_with({0.0}, 4), {1, 0, 0});
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  const TmcSampler sampler(u, Players::points, TmcConfig{}, {3, 0, 0});
  std::vector<int> first(4, 0);
  for (std::uint64_t t = 0; t < 8000; ++t) {
    const auto perm = sampler.permutation(t);
    CHECK(std::is_permutation(perm.begin(), perm.end(), std::vector<std::uint32_t>{0, 1, 2, 3}.begin()));
    ++first[perm[0]];
  }
  for (int f : first) CHECK(std::abs(f - 2000) < 5 * 39);  // Binomial(8000, 1/4): sd 39
  CHECK(sampler.permutation(17) == sampler.permutation(17));
  CHECK(TmcSampler(u, Players::points, TmcConfig{}, {4, 0, 0}).permutation(17) != sampler.permutation(17));
}

TEST_CASE("TMC-Shapley without truncation converges to exact Shapley on small sets", "[models][data_valuation]") {
  struct Case {
    Score score;
    VoteTies ties;
    Players players;
    std::size_t k;
  };
  for (const Case& cs : {Case{Score::soft_label, VoteTies::nearest, Players::points, 3},
                         Case{Score::majority_vote, VoteTies::nearest, Players::points, 3},
                         Case{Score::majority_vote, VoteTies::split, Players::points, 2},
                         Case{Score::majority_vote, VoteTies::nearest, Players::providers, 5}}) {
    DataModel model;
    model.validation_size = 20;
    const std::size_t per = cs.players == Players::points ? 2 : 3;
    const World w = generate_world(model, providers_with({0.0, 0.2, 0.4, 0.0}, per), {21, 0, 0});
    UtilityConfig c;
    c.k = cs.k;
    c.score = cs.score;
    c.ties = cs.ties;
    c.empty = EmptyUtility::majority;
    const KnnUtility u(w.train, w.validation, c);
    TmcConfig tmc;
    tmc.truncation_tolerance = 0.0;
    tmc.convergence_threshold = 0.0;
    tmc.max_permutations = 20000;
    const Valuation exact = exact_shapley(u, cs.players);
    const Valuation estimate = tmc_shapley(u, cs.players, tmc, {1, 0, 0});
    CHECK(estimate.permutations == 20000);
    CHECK_FALSE(estimate.converged);
    const auto e = exact.player_values();
    const auto m = estimate.player_values();
    // Within 4.5 standard errors of the estimate (4.5 sd: one chance in 10^5 per value), and within 0.01.
    for (std::size_t p = 0; p < e.size(); ++p) {
      INFO("player " << p << ": exact " << e[p] << ", estimate " << m[p] << " +- " << estimate.standard_errors[p]);
      CHECK(std::abs(m[p] - e[p]) <= 4.5 * estimate.standard_errors[p] + 1e-12);
    }
    CHECK(max_abs_difference(e, m) < 0.01);
    // Without truncation every permutation's marginals telescope to U(all) - U(empty).
    CHECK(sum(m) == Approx(u.full() - u.empty()).margin(1e-12));
  }
}

TEST_CASE("a truncated permutation's marginals sum to within the tolerance of U(all) - U(empty)",
          "[models][data_valuation]") {
  const World w = mixed_quality_world(2, 40);
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  TmcConfig tmc;
  tmc.truncation_tolerance = 0.05;
  TmcSampler sampler(u, Players::points, tmc, {1, 0, 0});
  std::vector<double> marginals(sampler.player_count());
  std::size_t computed = 0;
  for (std::uint64_t t = 0; t < 50; ++t) {
    computed += sampler.walk(t, marginals);
    CHECK(std::abs(sum(marginals) - (u.full() - u.empty())) <= 0.05 * u.full() + 1e-12);
  }
  CHECK(computed < 50 * sampler.player_count() / 2);  // truncation saves most of the work here
  const Valuation v = tmc_shapley(u, Players::points, tmc, {1, 0, 0});
  CHECK(v.marginals < v.permutations * sampler.player_count());
}

TEST_CASE("truncation trades accuracy for speed: fewer marginals, values farther from the exact ones",
          "[models][data_valuation]") {
  const World w = mixed_quality_world(4);
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  const Valuation exact = knn_shapley(w.train, w.validation, UtilityConfig{});
  const auto relative_error = [&](const Valuation& v) {
    double change = 0.0;
    double scale = 0.0;
    for (std::size_t i = 0; i < v.point_values.size(); ++i) {
      change += std::abs(v.point_values[i] - exact.point_values[i]);
      scale += std::abs(exact.point_values[i]);
    }
    return change / scale;
  };
  TmcConfig tmc;
  tmc.max_permutations = 2000;
  tmc.convergence_threshold = 0.0;
  std::vector<double> errors;
  std::vector<std::uint64_t> marginals;
  for (double tolerance : {0.0, 0.01, 0.05}) {
    tmc.truncation_tolerance = tolerance;
    const Valuation v = tmc_shapley(u, Players::points, tmc, {1, 0, 0});
    errors.push_back(relative_error(v));
    marginals.push_back(v.marginals);
  }
  CHECK(marginals[0] == 2000 * w.train.size());
  CHECK(marginals[1] < marginals[0]);
  CHECK(marginals[2] < marginals[1] / 2);
  CHECK(errors[0] < 0.06);  // sampling error only
  CHECK(errors[1] > errors[0]);
  CHECK(errors[2] > 2 * errors[1]);
}

TEST_CASE("TMC-Shapley is the mean of its permutations' marginals, whatever order they are walked in",
          "[models][data_valuation]") {
  const World w = mixed_quality_world(3, 5);
  UtilityConfig c;
  c.score = Score::majority_vote;
  const KnnUtility u(w.train, w.validation, c);
  TmcConfig tmc;
  tmc.max_permutations = 64;
  tmc.convergence_threshold = 0.0;
  const Valuation v = tmc_shapley(u, Players::points, tmc, {5, 1, 2});
  TmcSampler sampler(u, Players::points, tmc, {5, 1, 2});
  std::vector<double> total(sampler.player_count(), 0.0);
  std::vector<double> marginals(sampler.player_count());
  for (std::uint64_t t = 64; t-- > 0;) {  // backwards: each walk depends on its number only
    sampler.walk(t, marginals);
    for (std::size_t p = 0; p < total.size(); ++p) total[p] += marginals[p];
  }
  for (double& x : total) x /= 64.0;
  CHECK(max_abs_difference(v.point_values, total) < 1e-15);
}

TEST_CASE("TMC-Shapley stops once converged and reports the permutations it used", "[models][data_valuation]") {
  const World w = mixed_quality_world(4);
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  TmcConfig tmc;
  tmc.max_permutations = 5000;
  tmc.convergence_window = 50;
  tmc.convergence_threshold = 0.05;
  const Valuation v = tmc_shapley(u, Players::points, tmc, {1, 0, 0});
  CHECK(v.converged);
  CHECK(v.permutations >= 50);
  CHECK(v.permutations < 5000);
  CHECK(v.convergence_error < 0.05);
  // A tighter threshold needs more permutations; with none, the cap is used in full.
  tmc.convergence_threshold = 0.01;
  const Valuation tighter = tmc_shapley(u, Players::points, tmc, {1, 0, 0});
  CHECK(tighter.permutations > v.permutations);
  tmc.convergence_threshold = 0.0;
  tmc.max_permutations = 120;
  const Valuation capped = tmc_shapley(u, Players::points, tmc, {1, 0, 0});
  CHECK(capped.permutations == 120);
  CHECK_FALSE(capped.converged);
}

TEST_CASE("the same seed gives the same TMC values, another seed other values", "[models][data_valuation]") {
  const World w = mixed_quality_world(5);
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  const TmcConfig tmc;
  const Valuation a = tmc_shapley(u, Players::points, tmc, {9, 0, 0});
  const Valuation b = tmc_shapley(u, Players::points, tmc, {9, 0, 0});
  CHECK(a.point_values == b.point_values);
  CHECK(a.permutations == b.permutations);
  CHECK(tmc_shapley(u, Players::points, tmc, {10, 0, 0}).point_values != a.point_values);
  CHECK(tmc_shapley(u, Players::points, tmc, {9, 0, 1}).point_values != a.point_values);
}

TEST_CASE("TMC-Shapley refuses settings it cannot run", "[models][data_valuation]") {
  const World w = mixed_quality_world(5, 2);
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  TmcConfig bad;
  bad.max_permutations = 0;
  CHECK_THROWS_WITH(tmc_shapley(u, Players::points, bad, {}), Catch::Contains("max_permutations"));
  bad = TmcConfig{};
  bad.truncation_steps = 0;
  CHECK_THROWS_WITH(tmc_shapley(u, Players::points, bad, {}), Catch::Contains("truncation_steps"));
  bad = TmcConfig{};
  bad.convergence_window = 1;
  CHECK_THROWS_WITH(tmc_shapley(u, Players::points, bad, {}), Catch::Contains("convergence_window"));
}

// ---------------------------------------------------------------------------------------------------------------
// Low-quality data is worth less

namespace {

void check_noisy_providers_lose(std::uint64_t first_seed, std::uint64_t seeds) {
  TmcConfig tmc;
  tmc.max_permutations = 300;
  for (std::uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
    INFO("seed " << seed);
    const World w = mixed_quality_world(seed);
    const KnnUtility u(w.train, w.validation, UtilityConfig{});
    const Valuation knn = knn_shapley(w.train, w.validation, UtilityConfig{});
    const Valuation tmc_points = tmc_shapley(u, Players::points, tmc, {seed, 0, 0});
    const Valuation exact_providers = exact_shapley(u, Players::providers);
    const Valuation loo_providers = leave_one_out(u, Players::providers);
    // Providers 0-3 are clean, 4-7 noisy.
    for (const Valuation* v : {&knn, &tmc_points, &exact_providers, &loo_providers})
      CHECK(mean_of(v->provider_values, 0, 4) > mean_of(v->provider_values, 4, 8));
    // And point by point: flipped labels are worth less than the rest.
    double flipped = 0.0;
    double kept = 0.0;
    std::size_t n_flipped = 0;
    for (std::size_t i = 0; i < w.train.size(); ++i) {
      (w.train.flipped[i] != 0 ? flipped : kept) += knn.point_values[i];
      n_flipped += w.train.flipped[i];
    }
    CHECK(flipped / static_cast<double>(n_flipped) < kept / static_cast<double>(w.train.size() - n_flipped));
    CHECK(flipped / static_cast<double>(n_flipped) < 0.0);
  }
}

}  // namespace

TEST_CASE("noisy providers are valued below clean ones, seed after seed, by every method", "[models][data_valuation]") {
  check_noisy_providers_lose(1, 10);
}

TEST_CASE("noisy providers are valued below clean ones over many more seeds", "[models][data_valuation][long]") {
  check_noisy_providers_lose(100, 100);
}

TEST_CASE("KNN-Shapley and TMC-Shapley of the same utility agree on a few hundred points",
          "[models][data_valuation][long]") {
  const World w = mixed_quality_world(31, 40);
  const KnnUtility u(w.train, w.validation, UtilityConfig{});
  TmcConfig tmc;
  tmc.truncation_tolerance = 0.0;
  tmc.convergence_threshold = 0.0;
  tmc.max_permutations = 4000;
  const Valuation knn = knn_shapley(w.train, w.validation, UtilityConfig{});
  const Valuation estimate = tmc_shapley(u, Players::points, tmc, {1, 0, 0});
  std::size_t outside = 0;
  for (std::size_t i = 0; i < knn.point_values.size(); ++i)
    outside += std::abs(knn.point_values[i] - estimate.point_values[i]) > 4.0 * estimate.standard_errors[i] + 1e-12;
  CHECK(outside <= 1);  // 320 values at 4 standard errors: 0.02 expected outside
  CHECK(max_abs_difference(knn.provider_values, estimate.provider_values) < 0.01);
}

// ---------------------------------------------------------------------------------------------------------------
// One entry point

TEST_CASE("value_data runs the method its settings name", "[models][data_valuation]") {
  const World w = mixed_quality_world(6, 2);
  ValuationConfig config;
  config.utility.k = 3;
  const StreamBase streams{4, 0, 0};
  const KnnUtility u(w.train, w.validation, config.utility);
  CHECK(value_data(w.train, w.validation, config, streams).point_values ==
        knn_shapley(w.train, w.validation, config.utility).point_values);
  config.method = Method::leave_one_out;
  CHECK(value_data(w.train, w.validation, config, streams).point_values == leave_one_out(u, Players::points).point_values);
  config.method = Method::exact_shapley;
  config.players = Players::providers;
  CHECK(value_data(w.train, w.validation, config, streams).provider_values ==
        exact_shapley(u, Players::providers).provider_values);
  config.method = Method::tmc_shapley;
  CHECK(value_data(w.train, w.validation, config, streams).provider_values ==
        tmc_shapley(u, Players::providers, config.tmc, streams).provider_values);
  config.method = Method::knn_shapley;
  CHECK_THROWS_WITH(value_data(w.train, w.validation, config, streams), Catch::Contains("players = points"));
}
