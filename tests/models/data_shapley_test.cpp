// data_shapley: the rule on a hand-computed case, against the data-valuation library it promises to apply, and
// its economics (noisy data earns less, the budget is paid exactly or not at all, nothing depends on order).

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <vector>

#include "models/catalog.hpp"
#include "tests/models/catalog_fixture.hpp"
#include "models/rewards/data_valuation/params.hpp"
#include "models/rewards/pipeline.hpp"

using namespace dais;
using ledger::TokenAmount;
namespace dv = dais::models::data_valuation;

namespace {

TokenAmount units(std::uint64_t n) { return TokenAmount::from_base_units(n); }

const models::ModelCatalog& catalog() { return test::builtin_catalog(); }

// The rule's parameters: its defaults, then `changes`.
scenario::Params params(const std::map<std::string, scenario::ParamValue>& changes = {}) {
  scenario::Params p;
  for (const scenario::ParamSpec& s : catalog().rules.find("data_shapley")->params) p.set(s.name, *s.default_value);
  for (const auto& [name, value] : changes) p.set(name, value);
  return p;
}

// A small, fast world: 2 dimensions, 8 points per provider, 40 validation points, K = 3.
scenario::Params small(std::map<std::string, scenario::ParamValue> changes = {}) {
  changes.emplace("points_per_provider", std::int64_t{8});
  changes.emplace("validation_size", std::int64_t{40});
  changes.emplace("k", std::int64_t{3});
  return params(changes);
}

std::unique_ptr<models::RewardRule> make_rule(const scenario::Params& p, std::uint64_t seed, std::uint64_t replicate = 0) {
  models::RuleEnvironment env;
  env.random = {seed, replicate, 77, 0};
  return catalog().rules.factory("data_shapley")(p, env);
}

// One epoch's contributors: agent ids, their accounts (any numbering) and contributions.
struct Contributors {
  std::vector<std::uint32_t> agents;
  std::vector<double> q;
  std::vector<ledger::AccountId> accounts;

  static Contributors of(std::vector<std::uint32_t> agents, std::vector<double> q = {}) {
    Contributors c{std::move(agents), std::move(q), {}};
    if (c.q.empty()) c.q.assign(c.agents.size(), 1.0);
    for (std::uint32_t a : c.agents) c.accounts.push_back(a + 1);
    return c;
  }
  [[nodiscard]] models::EpochContext context(std::int64_t epoch, TokenAmount budget) const {
    return {epoch, budget, accounts, q, {}, agents};
  }
};

std::vector<TokenAmount> allocate(models::RewardRule& rule, const Contributors& c, std::int64_t epoch, TokenAmount budget) {
  std::vector<TokenAmount> out(c.agents.size());
  rule.allocate(c.context(epoch, budget), out);
  return out;
}

std::vector<std::uint64_t> as_units(const std::vector<TokenAmount>& v) {
  std::vector<std::uint64_t> out;
  for (TokenAmount a : v) out.push_back(static_cast<std::uint64_t>(a.base_units()));
  return out;
}

TokenAmount sum(const std::vector<TokenAmount>& v) {
  TokenAmount s;
  for (TokenAmount a : v) s += a;
  return s;
}

// What the rule's header promises, stated with the library: the contributors with q > 0 in ascending agent id,
// their data generate_world's for StreamBase {seed, replicate, 0} with the noise rates providers_with_noise_range
// draws there, valued by value_data (its permutations keyed by the epoch), the budget apportioned by the values
// above 1e-9.
std::vector<TokenAmount> promised(const scenario::Params& p, std::uint64_t seed, const Contributors& c,
                                  std::int64_t epoch, TokenAmount budget) {
  const dv::Settings s = dv::settings_from_params(p);
  std::vector<std::size_t> present;
  for (std::size_t k = 0; k < c.agents.size(); ++k)
    if (c.q[k] > 0.0) present.push_back(k);
  std::sort(present.begin(), present.end(), [&](std::size_t a, std::size_t b) { return c.agents[a] < c.agents[b]; });
  std::vector<std::uint64_t> entities;
  for (std::size_t k : present) entities.push_back(c.agents[k]);
  const dv::StreamBase data{seed, 0, 0};
  const auto providers =
      dv::providers_with_noise_range(entities, s.points_per_provider, s.label_noise_min, s.label_noise_max, data);
  const dv::World world = dv::generate_world(s.model, providers, data);
  const dv::Valuation v =
      dv::value_data(world.train, world.validation, s.valuation, {seed, 0, static_cast<std::uint64_t>(epoch)});
  std::vector<double> weights(c.agents.size(), 0.0);
  for (std::size_t j = 0; j < present.size(); ++j)
    if (v.provider_values[j] > 1e-9) weights[present[j]] = v.provider_values[j];
  std::vector<TokenAmount> out(c.agents.size());
  ledger::ApportionScratch scratch;
  ledger::apportion_real(budget, weights, out, scratch);
  return out;
}

// The label-noise rate of each agent, as the rule draws it.
std::vector<double> noise_rates(const scenario::Params& p, std::uint64_t seed, const std::vector<std::uint32_t>& agents) {
  const dv::Settings s = dv::settings_from_params(p);
  const std::vector<std::uint64_t> entities(agents.begin(), agents.end());
  std::vector<double> out;
  for (const dv::ProviderData& d :
       dv::providers_with_noise_range(entities, 1, s.label_noise_min, s.label_noise_max, {seed, 0, 0}))
    out.push_back(d.label_noise);
  return out;
}

std::vector<std::uint32_t> agents_from(std::uint32_t first, std::uint32_t count) {
  std::vector<std::uint32_t> a(count);
  std::iota(a.begin(), a.end(), first);
  return a;
}

}  // namespace

TEST_CASE("data_shapley declares the data-valuation parameters and refuses what their combination cannot value",
          "[models][rewards][data_shapley]") {
  const scenario::ComponentInfo* info = catalog().rules.find("data_shapley");
  REQUIRE(info != nullptr);
  CHECK(info->params.size() == dv::param_specs().size());
  REQUIRE(info->check);
  CHECK(info->check(params()).empty());
  CHECK_THAT(info->check(params({{"players", std::string("providers")}})),
             Catch::Contains("expected players \"points\" with method \"knn_shapley\""));
  CHECK(info->check(params({{"players", std::string("providers")}, {"method", std::string("exact_shapley")}})).empty());
}

TEST_CASE("three one-point providers and one validation point: the KNN-Shapley values by hand", "[models][rewards][data_shapley]") {
  // Seed 17, agents 3, 5 and 8, clean labels, 1 dimension, K = 1. The validation point (x = -0.457) has label 1;
  // by distance its neighbours are agent 3's point (x = 1.279, label 1), agent 8's (x = -2.682, label 0) and
  // agent 5's (x = 2.805, label 1): c = (1, 0, 1). With K = 1, s_3 = c_3 / 3 and s_r = s_{r+1} + (c_r - c_{r+1}) / r:
  //   agent 5: 1/3,  agent 8: 1/3 - 1/2 = -1/6,  agent 3: -1/6 + 1 = 5/6   (sum 1 = U(all) - U(none)).
  // Agent 8's mislabelled point is worth less than nothing and is paid nothing; 700 units go 5 : 2.
  const auto p = params({{"points_per_provider", std::int64_t{1}}, {"validation_size", std::int64_t{1}},
                         {"k", std::int64_t{1}}, {"dimensions", std::int64_t{1}}, {"label_noise_max", 0.0}});
  const Contributors c = Contributors::of({3, 5, 8});
  const dv::World w = dv::generate_world(dv::settings_from_params(p).model,
                                         std::vector<dv::ProviderData>{{3, 1, 0.0}, {5, 1, 0.0}, {8, 1, 0.0}}, {17, 0, 0});
  REQUIRE(w.validation.labels[0] == 1);
  REQUIRE(w.train.labels == std::vector<std::uint32_t>{1, 1, 0});
  REQUIRE(w.validation.features[0] == Approx(-0.457).margin(5e-4));
  REQUIRE(w.train.features[0] == Approx(1.279).margin(5e-4));
  REQUIRE(w.train.features[1] == Approx(2.805).margin(5e-4));
  REQUIRE(w.train.features[2] == Approx(-2.682).margin(5e-4));
  const auto rule = make_rule(p, 17);
  CHECK(as_units(allocate(*rule, c, 0, units(700))) == std::vector<std::uint64_t>{500, 200, 0});
}

TEST_CASE("data_shapley pays what the library values: its own data per agent, the budget by positive value",
          "[models][rewards][data_shapley]") {
  // Noise up to 1: some providers' data is worth less than nothing. Contributors out of agent order, one of them
  // withholding its data.
  const Contributors c = Contributors::of({12, 4, 30, 7, 19, 2, 25}, {1.0, 2.5, 0.7, 0.0, 1.2, 0.3, 1.0});
  const TokenAmount budget = units(1'000'000'000'000'000'007);
  using Case = std::map<std::string, scenario::ParamValue>;
  std::size_t worthless = 0;  // providers who offered data and were paid nothing
  for (const Case& method : {Case{{"method", std::string("knn_shapley")}},
                             Case{{"method", std::string("knn_shapley")}, {"empty_utility", std::string("chance")}},
                             Case{{"method", std::string("leave_one_out")}},
                             Case{{"method", std::string("leave_one_out")}, {"players", std::string("providers")},
                                  {"utility", std::string("majority_vote")}},
                             Case{{"method", std::string("tmc_shapley")}, {"players", std::string("providers")},
                                  {"max_permutations", std::int64_t{30}}},
                             Case{{"method", std::string("exact_shapley")}, {"players", std::string("providers")}}}) {
    Case changes = method;
    changes.emplace("label_noise_max", 1.0);
    const auto p = small(changes);
    INFO(p.text("method") << " " << p.text("players") << " " << p.text("utility") << " " << p.text("empty_utility"));
    const auto rule = make_rule(p, 5);
    for (std::int64_t epoch : {0, 1}) {
      const auto paid = allocate(*rule, c, epoch, budget);
      CHECK(paid == promised(p, 5, c, epoch, budget));
      CHECK(paid[3].is_zero());
      worthless += static_cast<std::size_t>(std::count(paid.begin(), paid.end(), TokenAmount{})) - 1;
    }
  }
  CHECK(worthless > 0);
}

TEST_CASE("knn_shapley's closed form pays what exact Shapley over the same points pays", "[models][rewards][data_shapley]") {
  // 3 providers x 5 points: 15 players, few enough to enumerate every coalition.
  const Contributors c = Contributors::of({1, 2, 3});
  const TokenAmount budget = units(1'000'000'000'000'000'000);
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    const auto knn = small({{"points_per_provider", std::int64_t{5}}});
    const auto exact = small({{"points_per_provider", std::int64_t{5}}, {"method", std::string("exact_shapley")}});
    const auto a = as_units(allocate(*make_rule(knn, seed), c, 0, budget));
    const auto b = as_units(allocate(*make_rule(exact, seed), c, 0, budget));
    // The two sum the same values in different orders: equal to a millionth of a millionth of the budget.
    for (std::size_t k = 0; k < a.size(); ++k) CHECK(std::max(a[k], b[k]) - std::min(a[k], b[k]) <= 1'000'000);
  }
}

TEST_CASE("providers of noisy data earn less than providers of clean data", "[models][rewards][data_shapley]") {
  // 45 providers with noise rates spread over [0, 0.5] (0.5: labels no better than coin flips), 20 points each,
  // in 8 worlds: the third with the least noise earns more than twice what the third with the most earns.
  const auto p = params({{"points_per_provider", std::int64_t{20}}, {"validation_size", std::int64_t{100}},
                         {"label_noise_max", 0.5}});
  const Contributors c = Contributors::of(agents_from(100, 45));
  double clean = 0.0;
  double noisy = 0.0;
  for (std::uint64_t seed = 11; seed < 19; ++seed) {
    const auto paid = allocate(*make_rule(p, seed), c, 0, units(1'000'000'000));
    const std::vector<double> noise = noise_rates(p, seed, c.agents);
    std::vector<std::size_t> by_noise(c.agents.size());
    std::iota(by_noise.begin(), by_noise.end(), std::size_t{0});
    std::sort(by_noise.begin(), by_noise.end(), [&](std::size_t a, std::size_t b) { return noise[a] < noise[b]; });
    for (std::size_t i = 0; i < 15; ++i) {
      clean += static_cast<double>(static_cast<std::uint64_t>(paid[by_noise[i]].base_units()));
      noisy += static_cast<double>(static_cast<std::uint64_t>(paid[by_noise[44 - i]].base_units()));
    }
  }
  CHECK(clean > 2.0 * noisy);
}

TEST_CASE("data_shapley pays every base unit of the budget whenever a value is positive", "[models][rewards][data_shapley]") {
  const auto p = small({{"label_noise_max", 0.8}});
  const Contributors c = Contributors::of(agents_from(0, 12));
  const auto rule = make_rule(p, 3);
  for (std::uint64_t budget : {std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{999'999'937},
                               std::uint64_t{1'000'000'000'000'000'003}, ~std::uint64_t{0}}) {
    const auto paid = allocate(*rule, c, 0, units(budget));
    CHECK(sum(paid) == units(budget));
  }
}

TEST_CASE("when no value is positive nothing is paid, and the budget stays unpaid", "[models][rewards][data_shapley]") {
  // One provider whose every label is flipped, classes 1000 apart, K = 1: each validation point's nearest neighbour
  // is of its class and carries the other label, so U(data) = 0 = U(none) and the data is worth exactly nothing
  // (its points' values, summed in doubles, come to about 2e-16: rounding, not value).
  ledger::Ledger l;
  l.open_accounts(8);
  const Contributors one = Contributors::of({4});
  const auto wrong = make_rule(small({{"label_noise_min", 1.0}, {"label_noise_max", 1.0}, {"k", std::int64_t{1}},
                                      {"class_separation", 1000.0}}),
                               9);
  std::vector<TokenAmount> shares(1);
  CHECK(models::pay_rewards("data_shapley", *wrong, one.context(0, units(1000)), shares, l).is_zero());
  CHECK(shares[0].is_zero());
  CHECK(l.total_minted().is_zero());

  // Nobody contributed this epoch: no data, nothing to pay.
  const auto rule = make_rule(small(), 9);
  const Contributors idle = Contributors::of(agents_from(0, 6), std::vector<double>(6, 0.0));
  CHECK(sum(allocate(*rule, idle, 0, units(1000))).is_zero());
  CHECK(allocate(*rule, Contributors::of({}), 1, units(1000)).empty());
}

TEST_CASE("a provider that contributed nothing withholds its data: paid nothing, the others valued without it",
          "[models][rewards][data_shapley]") {
  const auto p = small({{"label_noise_max", 0.4}});
  const auto paid = allocate(*make_rule(p, 21), Contributors::of({1, 2, 3, 4, 5}, {1, 1, 0, 1, 1}), 0, units(10'000'000));
  const auto without = allocate(*make_rule(p, 21), Contributors::of({1, 2, 4, 5}), 0, units(10'000'000));
  CHECK(as_units(paid) == std::vector<std::uint64_t>{as_units(without)[0], as_units(without)[1], 0,
                                                     as_units(without)[2], as_units(without)[3]});
}

TEST_CASE("data_shapley's rewards depend on the seed and on who contributes, not on order, accounts or history",
          "[models][rewards][data_shapley]") {
  const TokenAmount budget = units(123'456'789'012'345);
  for (const std::string method : {"knn_shapley", "tmc_shapley"}) {
    INFO(method);
    const auto p = small({{"method", method}, {"max_permutations", std::int64_t{20}}});
    // A run whose providers come and go: its epoch 5 against a fresh rule that sees only epoch 5.
    const auto warm = make_rule(p, 8);
    const std::vector<Contributors> history{Contributors::of({0, 1, 2, 3}), Contributors::of({0, 1, 2, 3}),
                                            Contributors::of({0, 2, 3, 4, 5}), Contributors::of({2, 3, 4, 5}),
                                            Contributors::of({2, 3, 4, 5, 6}, {1, 1, 0, 1, 1})};
    for (std::size_t e = 0; e < history.size(); ++e) allocate(*warm, history[e], static_cast<std::int64_t>(e), budget);
    const Contributors now = Contributors::of({1, 3, 4, 6, 7});
    const auto paid = allocate(*warm, now, 5, budget);
    CHECK(allocate(*make_rule(p, 8), now, 5, budget) == paid);

    // Listed in another order, under other accounts: each agent is paid the same.
    Contributors shuffled = Contributors::of({6, 1, 7, 4, 3});
    for (auto& a : shuffled.accounts) a += 1000;
    const auto paid_shuffled = allocate(*make_rule(p, 8), shuffled, 5, budget);
    for (std::size_t k = 0; k < now.agents.size(); ++k) {
      const auto at = std::find(shuffled.agents.begin(), shuffled.agents.end(), now.agents[k]) - shuffled.agents.begin();
      CHECK(paid_shuffled[static_cast<std::size_t>(at)] == paid[k]);
    }
    // Another seed or replicate draws other data.
    CHECK(allocate(*make_rule(p, 9), now, 5, budget) != paid);
    CHECK(allocate(*make_rule(p, 8, 1), now, 5, budget) != paid);
  }
}

TEST_CASE("tmc_shapley's estimate is redrawn each epoch, the other methods' values kept while the data stay",
          "[models][rewards][data_shapley]") {
  const Contributors c = Contributors::of(agents_from(0, 6));
  const TokenAmount budget = units(1'000'000'000'000);
  const auto tmc = make_rule(small({{"method", std::string("tmc_shapley")}, {"max_permutations", std::int64_t{10}}}), 4);
  CHECK(allocate(*tmc, c, 0, budget) != allocate(*tmc, c, 1, budget));
  const auto knn = make_rule(small(), 4);
  CHECK(allocate(*knn, c, 0, budget) == allocate(*knn, c, 1, budget));
}
