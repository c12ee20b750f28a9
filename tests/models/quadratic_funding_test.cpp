// quadratic_funding: the integer formula on hand-computed donations, the donor model's draws, and the rule.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "models/catalog.hpp"
#include "tests/models/catalog_fixture.hpp"
#include "models/rewards/quadratic_funding.hpp"

using namespace dais;
using ledger::TokenAmount;

namespace {

models::Donations donations_of(const std::vector<std::uint32_t>& project, const std::vector<std::uint64_t>& units,
                               std::size_t projects) {
  models::Donations d;
  d.project = project;
  d.units = units;
  d.count.assign(projects, 0);
  for (std::uint32_t p : project) ++d.count[p];
  return d;
}

std::unique_ptr<models::RewardRule> make_rule(const std::string& rounding, std::int64_t donors) {
  const models::ModelCatalog& catalog = test::builtin_catalog();
  scenario::Params p;
  for (const scenario::ParamSpec& s : catalog.rules.find("quadratic_funding")->params) p.set(s.name, *s.default_value);
  p.set("rounding", rounding);
  p.set("donors", donors);
  models::RuleEnvironment env;
  env.random = {7, 0, 99, 0};
  return catalog.rules.factory("quadratic_funding")(p, env);
}

}  // namespace

TEST_CASE("quadratic funding matches broad support: n donations of c weigh c*n*(n-1)", "[models][rewards][quadratic_funding]") {
  // Project 0: two donations of 4; project 1: one of 16; project 2: four of 1.
  // M = (Σ√c)² − Σc: 2·1·4 = 8, 0, 4·3·1 = 12 (here times 2^32, the integers' scale).
  const auto d = donations_of({0, 0, 1, 2, 2, 2, 2}, {4, 4, 16, 1, 1, 1, 1}, 3);
  std::vector<std::uint64_t> w(3);
  REQUIRE(models::quadratic_funding_weights(d, w));
  CHECK(w == std::vector<std::uint64_t>{8ull << 32, 0, 12ull << 32});

  // Nobody with two donations: linear funding, pro rata to what was donated.
  const auto single = donations_of({0, 2}, {5, 7}, 3);
  REQUIRE(models::quadratic_funding_weights(single, w));
  CHECK(w == std::vector<std::uint64_t>{5, 0, 7});

  // No donations: nothing to pay.
  CHECK_FALSE(models::quadratic_funding_weights(donations_of({}, {}, 3), w));
  CHECK(w == std::vector<std::uint64_t>{0, 0, 0});

  // The largest matchings are shifted right until they sum below 2^62, keeping their ratios.
  std::vector<std::uint32_t> many(65536, 0);
  many.resize(131072, 1);
  const auto big = donations_of(many, std::vector<std::uint64_t>(131072, std::uint64_t{1} << 20), 2);
  REQUIRE(models::quadratic_funding_weights(big, w));
  CHECK(w[0] == w[1]);
  CHECK(w[0] + w[1] < std::uint64_t{1} << 62);
  CHECK(w[0] + w[1] >= std::uint64_t{1} << 61);
}

TEST_CASE("donors back projects in proportion to their contribution, from their own stream",
          "[models][rewards][quadratic_funding]") {
  const models::DonorModel model{60000, 1.0};
  const std::vector<double> q{1.0, 0.0, 3.0};
  models::Donations a;
  models::draw_donations(model, {7, 0, 99, 0}, 5, q, {}, a);
  REQUIRE(a.project.size() == 60000);
  CHECK(a.count[1] == 0);  // no work, no support
  CHECK(std::accumulate(a.count.begin(), a.count.end(), std::uint32_t{0}) == 60000);
  CHECK(std::is_sorted(a.project.begin(), a.project.end()));
  // 3/4 of the donors back project 2: 45,000 ± 4.5 standard deviations (106).
  CHECK(std::abs(static_cast<double>(a.count[2]) - 45000.0) < 480.0);
  CHECK(std::all_of(a.units.begin(), a.units.end(), [](std::uint64_t u) { return u >= 1 && u <= (1u << 20); }));
  // The median donation is 1024 units (LogNormal(0, sigma) has median 1).
  std::vector<std::uint64_t> sorted = a.units;
  std::nth_element(sorted.begin(), sorted.begin() + 30000, sorted.end());
  CHECK(std::abs(static_cast<double>(sorted[30000]) - 1024.0) < 30.0);

  // The same key and epoch give the same donations; another epoch, other ones.
  models::Donations again;
  models::draw_donations(model, {7, 0, 99, 0}, 5, q, {}, again);
  CHECK(again.project == a.project);
  CHECK(again.units == a.units);
  models::draw_donations(model, {7, 0, 99, 0}, 6, q, {}, again);
  CHECK(again.units != a.units);

  // Nobody worked: nobody is backed.
  models::draw_donations(model, {7, 0, 99, 0}, 5, std::vector<double>{0.0, 0.0}, {}, again);
  CHECK(again.project.empty());
}

TEST_CASE("the quadratic_funding rule pays the whole pool by largest remainder, or rounds down",
          "[models][rewards][quadratic_funding]") {
  const std::vector<ledger::AccountId> accounts{1, 2, 3, 4};
  const std::vector<double> q{1.0, 2.0, 0.0, 4.0};
  const TokenAmount budget = TokenAmount::from_base_units(1'000'000'007);
  for (const std::string rounding : {"largest_remainder", "down"}) {
    INFO(rounding);
    auto rule = make_rule(rounding, 500);
    std::vector<TokenAmount> out(4);
    rule->allocate({3, budget, accounts, q, {}}, out);
    TokenAmount sum;
    for (TokenAmount a : out) sum += a;
    if (rounding == "down") {
      CHECK(sum <= budget);
      CHECK(budget - sum < TokenAmount::from_base_units(4));
    } else {
      CHECK(sum == budget);
    }
    CHECK(out[2].is_zero());
    // Broad support is matched more than proportionally: the top contributor's share exceeds 4/7.
    CHECK(static_cast<double>(out[3].base_units()) / static_cast<double>(budget.base_units()) > 4.0 / 7.0);
  }
}
