// ocean_df: rank shares computed by hand and against df-py's own test vectors, each cap binding in turn,
// ties, who takes part, and the budget never exceeded.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "models/catalog.hpp"
#include "models/rewards/ocean_df.hpp"
#include "sim/core/random.hpp"

using namespace dais;
using ledger::TokenAmount;

namespace {

constexpr unsigned decimals = 18;

TokenAmount tokens(std::uint64_t n) { return TokenAmount::whole_tokens(n, decimals); }
TokenAmount units(std::uint64_t n) { return TokenAmount::from_base_units(n); }

// The settings `dais list rules` documents: the catalog's defaults.
models::OceanDfSettings defaults() {
  models::ModelCatalog catalog;
  models::register_builtin_models(catalog);
  scenario::Params p;
  for (const scenario::ParamSpec& s : catalog.rules.find("ocean_df")->params) {
    if (s.type == scenario::ParamType::tokens)
      p.set(s.name, *TokenAmount::parse_decimal(std::get<std::string>(*s.default_value), decimals));
    else
      p.set(s.name, *s.default_value);
  }
  return models::OceanDfSettings::from(p);
}

// No cap binds (every stake and volume large enough) and no reward is too small, even of a few base units.
models::OceanDfSettings uncapped() {
  models::OceanDfSettings s = defaults();
  s.min_reward = TokenAmount{};
  s.wpy = 1.0;
  s.dcv_multiplier = 1.0;
  s.volume_per_contribution = 1e6;
  return s;
}

std::vector<TokenAmount> pay(const models::OceanDfSettings& settings, TokenAmount budget, const std::vector<double>& q,
                             const std::vector<TokenAmount>& stakes) {
  models::OceanDfRule rule(settings, decimals);
  std::vector<ledger::AccountId> accounts(q.size());
  std::iota(accounts.begin(), accounts.end(), ledger::AccountId{0});
  std::vector<TokenAmount> out(q.size(), units(12345));  // garbage the rule must overwrite
  rule.allocate({0, budget, accounts, q, stakes}, out);
  return out;
}

TokenAmount sum(const std::vector<TokenAmount>& v) {
  TokenAmount total;
  for (TokenAmount a : v) total += a;
  return total;
}

std::vector<double> allocations(const std::vector<double>& volumes, models::RankScale scale, std::int64_t max_ranked = 100) {
  std::vector<double> out(volumes.size());
  std::vector<std::uint32_t> order;
  models::rank_allocations(volumes, scale, max_ranked, out, order);
  return out;
}

double tokens_of(TokenAmount a) { return a.to_tokens(decimals); }

}  // namespace

TEST_CASE("ocean_df is registered with df-py's defaults and needs stakes", "[models][rewards][ocean_df]") {
  const models::OceanDfSettings s = defaults();
  CHECK(s.rank);
  CHECK(s.rank_scale == models::RankScale::log);
  CHECK(s.max_ranked_assets == 100);
  CHECK(s.wpy == 0.015717);
  CHECK(s.dcv_multiplier == 0.001);
  CHECK(s.volume_per_contribution == 1.0);
  CHECK(s.min_reward == units(1'000'000'000'000));  // 1e-6 tokens
  CHECK(models::OceanDfRule(s, decimals).needs_stakes());
}

TEST_CASE("log rank shares: alloc = log10(R) - log10(r) + log10(1.5), by hand and as df-py's tests have them",
          "[models][rewards][ocean_df]") {
  // Three assets ranked 3, 1, 2 by volume; R = 3.
  const auto a = allocations({1.0, 3.0, 2.0}, models::RankScale::log);
  const double log3 = 0.47712125471966244, log2 = 0.30102999566398120, log1_5 = 0.17609125905568124;
  CHECK(a[0] == Approx(log1_5).epsilon(1e-15));
  CHECK(a[1] == Approx(log3 + log1_5).epsilon(1e-15));
  CHECK(a[2] == Approx(log3 - log2 + log1_5).epsilon(1e-15));

  // df-py's test_rank_based_allocate_3_exact: volumes 10, 99, 3.
  const auto d = allocations({10.0, 99.0, 3.0}, models::RankScale::log);
  CHECK(d[0] == Approx(0.352183).epsilon(1e-5));
  CHECK(d[1] == Approx(0.653213).epsilon(1e-5));
  CHECK(d[2] == Approx(0.176091).epsilon(1e-5));
  const double total = d[0] + d[1] + d[2];
  CHECK(d[0] / total == Approx(0.298084).epsilon(1e-5));
  CHECK(d[1] / total == Approx(0.552874).epsilon(1e-5));
  CHECK(d[2] / total == Approx(0.149042).epsilon(1e-5));
}

TEST_CASE("the other rank scales follow df-py's LIN, SQRT, POW2 and POW4", "[models][rewards][ocean_df]") {
  const std::vector<double> v{10.0, 99.0, 3.0};  // ranks 2, 1, 3
  CHECK(allocations(v, models::RankScale::linear) == std::vector<double>{2.0, 3.0, 1.0});
  CHECK(allocations(v, models::RankScale::pow2) == std::vector<double>{4.0, 9.0, 1.0});
  CHECK(allocations(v, models::RankScale::pow4) == std::vector<double>{16.0, 81.0, 1.0});
  const auto s = allocations(v, models::RankScale::sqrt);
  CHECK(s[0] == Approx(std::sqrt(3.0) - std::sqrt(2.0) + 1.0));
  CHECK(s[1] == Approx(std::sqrt(3.0)));
  CHECK(s[2] == 1.0);
}

TEST_CASE("equal volumes share the lowest rank, the cut keeps all of a tie, zero volumes are not ranked",
          "[models][rewards][ocean_df]") {
  // Ranks 1, 1, 3 (scipy's rankdata "min"); R = 3.
  CHECK(allocations({5.0, 3.0, 5.0}, models::RankScale::linear) == std::vector<double>{3.0, 1.0, 3.0});
  // Cut at 2: ranks 1, 2, 2 are in, rank 4 is out; R = 2.
  CHECK(allocations({4.0, 3.0, 3.0, 1.0}, models::RankScale::linear, 2) == std::vector<double>{2.0, 1.0, 1.0, 0.0});
  // Zero volume: no rank, and the others rank as if it were absent.
  CHECK(allocations({3.0, 0.0, 1.0}, models::RankScale::linear) == std::vector<double>{2.0, 0.0, 1.0});
  CHECK(allocations({0.0, 0.0}, models::RankScale::log) == std::vector<double>{0.0, 0.0});
  // Only the top max_ranked are paid.
  CHECK(allocations({1.0, 2.0, 3.0, 4.0}, models::RankScale::linear, 3) == std::vector<double>{0.0, 1.0, 2.0, 3.0});
}

TEST_CASE("uncapped, ocean_df pays the whole budget by rank share", "[models][rewards][ocean_df]") {
  const std::vector<TokenAmount> stakes(3, tokens(1'000'000));
  const auto out = pay(uncapped(), tokens(1000), {10.0, 99.0, 3.0}, stakes);
  CHECK(sum(out) == tokens(1000));
  CHECK(tokens_of(out[0]) == Approx(298.084).epsilon(1e-5));
  CHECK(tokens_of(out[1]) == Approx(552.874).epsilon(1e-5));
  CHECK(tokens_of(out[2]) == Approx(149.042).epsilon(1e-5));

  // 1000 base units: 298.08, 552.87, 149.04 -> floors 298, 552, 149 and the one unit left to the largest remainder.
  CHECK(pay(uncapped(), units(1000), {10.0, 99.0, 3.0}, stakes) == std::vector<TokenAmount>{units(298), units(553), units(149)});

  // Without rank, pro rata to consume volume.
  models::OceanDfSettings s = uncapped();
  s.rank = false;
  CHECK(pay(s, tokens(8), {1.0, 3.0, 4.0}, stakes) == std::vector<TokenAmount>{tokens(1), tokens(3), tokens(4)});
}

TEST_CASE("each cap binds in turn: the share, stake * wpy, dcv_multiplier * volume", "[models][rewards][ocean_df]") {
  models::OceanDfSettings s = defaults();
  s.wpy = 0.25;
  s.dcv_multiplier = 0.5;
  s.volume_per_contribution = 4.0;  // volumes 40, 396, 12 tokens: volume caps 20, 198, 6
  // Uncapped shares of 100 tokens: 29.81, 55.29, 14.90.
  const auto out = pay(s, tokens(100), {10.0, 99.0, 3.0}, {tokens(40), tokens(1'000'000), tokens(1'000'000)});
  CHECK(out[0] == tokens(10));  // stake cap: 40 * 0.25, below the volume cap 20 and the share 29.81
  CHECK(out[2] == tokens(6));   // volume cap: 0.5 * 12, below the share 14.90 and the stake cap 250,000
  // The share binds: exactly what the apportionment gave, as when nothing is capped.
  CHECK(out[1] == pay(uncapped(), tokens(100), {10.0, 99.0, 3.0}, std::vector<TokenAmount>(3, tokens(1'000'000)))[1]);
  CHECK(tokens_of(out[1]) == Approx(55.2874).epsilon(1e-5));
  // What the caps removed is not redistributed (df-py does not): it stays unpaid.
  CHECK(sum(out) < tokens(100));
  CHECK(tokens_of(sum(out)) == Approx(71.2874).epsilon(1e-5));
}

TEST_CASE("tied volumes are paid alike, the odd base unit to the earlier contributor", "[models][rewards][ocean_df]") {
  const std::vector<TokenAmount> stakes(3, tokens(1'000'000));
  const auto out = pay(uncapped(), tokens(1000), {2.0, 1.0, 2.0}, stakes);
  CHECK(sum(out) == tokens(1000));
  const TokenAmount gap = out[0] > out[2] ? out[0] - out[2] : out[2] - out[0];
  CHECK(gap <= units(1));
  CHECK(pay(uncapped(), units(3), {2.0, 2.0}, {tokens(1), tokens(1)}) == std::vector<TokenAmount>{units(2), units(1)});
  CHECK(pay(uncapped(), units(3), {2.0, 2.0}, {tokens(5), tokens(1)}) == std::vector<TokenAmount>{units(2), units(1)});
}

TEST_CASE("an asset with no consume volume or no stake gets nothing and dilutes nobody", "[models][rewards][ocean_df]") {
  const TokenAmount big = tokens(1'000'000);
  const auto without_middle = pay(uncapped(), tokens(1000), {3.0, 1.0}, {big, big});
  const auto no_volume = pay(uncapped(), tokens(1000), {3.0, 0.0, 1.0}, {big, big, big});
  const auto no_stake = pay(uncapped(), tokens(1000), {3.0, 2.0, 1.0}, {big, TokenAmount{}, big});
  for (const auto& out : {no_volume, no_stake}) {
    CHECK(out[1].is_zero());
    CHECK(out[0] == without_middle[0]);
    CHECK(out[2] == without_middle[1]);
  }
  // Nobody takes part: nothing is paid.
  CHECK(sum(pay(uncapped(), tokens(1000), {0.0, 2.0}, {big, TokenAmount{}})).is_zero());
  models::OceanDfSettings s = uncapped();
  s.volume_per_contribution = 0.0;
  CHECK(sum(pay(s, tokens(1000), {1.0, 2.0}, {big, big})).is_zero());
}

TEST_CASE("rewards below min_reward are not paid", "[models][rewards][ocean_df]") {
  models::OceanDfSettings s = uncapped();
  s.min_reward = *TokenAmount::parse_decimal("0.2", decimals);
  // Shares of 1 token: 0.298, 0.553, 0.149 -> the last is below 0.2.
  const auto out = pay(s, tokens(1), {10.0, 99.0, 3.0}, std::vector<TokenAmount>(3, tokens(1'000'000)));
  CHECK_FALSE(out[0].is_zero());
  CHECK_FALSE(out[1].is_zero());
  CHECK(out[2].is_zero());
}

TEST_CASE("ocean_df never pays more than the budget, nor more than a cap", "[models][rewards][ocean_df]") {
  for (std::uint64_t world = 0; world < 300; ++world) {
    core::RandomStream rng({11, 0, world, 0}, 0);
    models::OceanDfSettings s = defaults();
    s.rank = rng.uniform01() < 0.8;
    s.rank_scale = static_cast<models::RankScale>(world % 5);  // each of the five scales in turn
    s.max_ranked_assets = 1 + static_cast<std::int64_t>(rng.uniform01() * 20);
    s.wpy = rng.uniform01() * 0.05;
    s.dcv_multiplier = rng.uniform01() * 0.01;
    s.volume_per_contribution = rng.uniform01() * 1e4;
    const auto n = static_cast<std::size_t>(1 + rng.uniform01() * 40);
    std::vector<double> q(n);
    std::vector<TokenAmount> stakes(n);
    for (std::size_t i = 0; i < n; ++i) {
      q[i] = rng.uniform01() < 0.2 ? 0.0 : std::floor(rng.uniform01() * 8) / 2;  // zeros and ties
      stakes[i] = rng.uniform01() < 0.2 ? TokenAmount{} : units(static_cast<std::uint64_t>(rng.uniform01() * 1e22));
    }
    const TokenAmount budget = units(static_cast<std::uint64_t>(rng.uniform01() * 1e21));
    INFO("world " << world);
    const auto out = pay(s, budget, q, stakes);
    CHECK(sum(out) <= budget);
    for (std::size_t i = 0; i < n; ++i) {
      if (q[i] == 0.0 || stakes[i].is_zero()) CHECK(out[i].is_zero());
      CHECK(tokens_of(out[i]) <= tokens_of(stakes[i]) * s.wpy * (1 + 1e-12));
      CHECK(tokens_of(out[i]) <= q[i] * s.volume_per_contribution * s.dcv_multiplier * (1 + 1e-12));
    }
  }
}
