#include <catch2/catch.hpp>

#include <cmath>

#include "models/catalog.hpp"

using namespace dais;
using ledger::TokenAmount;
using scenario::Params;

namespace {

TokenAmount tokens(std::uint64_t n) { return TokenAmount::whole_tokens(n, 18); }

std::unique_ptr<models::EmissionSchedule> make(const std::string& name, const Params& p) {
  static const models::ModelCatalog catalog = [] {
    models::ModelCatalog c;
    models::register_builtin_models(c);
    return c;
  }();
  return catalog.schedules.factory(name)(p);
}

models::EmissionContext at(std::int64_t epoch, TokenAmount supply = {}, TokenAmount staked = {}) {
  return {epoch, core::SimTime::days(1), supply, supply, staked};
}

}  // namespace

TEST_CASE("fixed emits the same amount every epoch", "[models][emission]") {
  Params p;
  p.set("amount", tokens(50));
  auto s = make("fixed", p);
  CHECK(s->emission(at(0)) == tokens(50));
  CHECK(s->emission(at(1000)) == tokens(50));
}

TEST_CASE("exponential_decay multiplies by the factor each epoch", "[models][emission]") {
  Params p;
  p.set("initial", tokens(10000));
  p.set("factor", 0.5);
  auto s = make("exponential_decay", p);
  CHECK(s->emission(at(0)) == tokens(10000));
  CHECK(s->emission(at(1)) == tokens(5000));
  CHECK(s->emission(at(3)) == tokens(1250));
  Params b1;
  b1.set("initial", tokens(10000));
  b1.set("factor", 0.999);
  auto decay = make("exponential_decay", b1);
  // B1: R_t = 10 N 0.999^t; at t = 100 that is 9047.921... tokens.
  CHECK(decay->emission(at(100)).to_tokens(18) == Approx(10000 * std::pow(0.999, 100)).epsilon(1e-15));
}

TEST_CASE("half_life halves the emission every half-life", "[models][emission]") {
  Params p;
  p.set("initial", tokens(1024));
  p.set("half_life", core::SimTime::days(10));
  auto s = make("half_life", p);
  CHECK(s->emission(at(0)) == tokens(1024));
  CHECK(s->emission(at(10)) == tokens(512));
  CHECK(s->emission(at(30)) == tokens(128));
  CHECK(s->emission(at(5)).to_tokens(18) == Approx(1024 / std::sqrt(2.0)).epsilon(1e-15));
}

TEST_CASE("halving halves exactly every N epochs", "[models][emission]") {
  Params p;
  p.set("initial", TokenAmount::from_base_units(50));
  p.set("every", std::int64_t{210});
  auto s = make("halving", p);
  CHECK(s->emission(at(209)).base_units() == 50);
  CHECK(s->emission(at(210)).base_units() == 25);
  CHECK(s->emission(at(420)).base_units() == 12);
  CHECK(s->emission(at(210 * 200)).is_zero());
}

TEST_CASE("halving_by_issuance halves at 1/2, 3/4, 7/8 of the cap and stops at the cap", "[models][emission]") {
  Params p;
  p.set("initial", tokens(8));
  p.set("cap", tokens(1000));
  auto s = make("halving_by_issuance", p);
  CHECK(s->emission(at(0, tokens(0))) == tokens(8));
  CHECK(s->emission(at(0, tokens(499))) == tokens(8));
  CHECK(s->emission(at(0, tokens(500))) == tokens(4));
  CHECK(s->emission(at(0, tokens(750))) == tokens(2));
  CHECK(s->emission(at(0, tokens(875))) == tokens(1));
  // One token short of the cap: k = floor(log2(1000 / 1)) = 9, so 8 / 2^9 tokens.
  CHECK(s->emission(at(0, tokens(999))) == TokenAmount::from_base_units(15'625'000'000'000'000ULL));
  // With a cap of 10 and 9.9 issued, k = floor(log2(100)) = 6 gives 0.125, more than the 0.1 left: trimmed.
  Params small;
  small.set("initial", tokens(8));
  small.set("cap", tokens(10));
  auto near_cap = make("halving_by_issuance", small);
  const TokenAmount issued = TokenAmount::from_base_units(9'900'000'000'000'000'000ULL);
  CHECK(near_cap->emission(at(0, issued)) == TokenAmount::from_base_units(100'000'000'000'000'000ULL));
  CHECK(s->emission(at(0, tokens(1000))).is_zero());
}

TEST_CASE("target_inflation moves the rate toward the bonded goal within its bounds", "[models][emission]") {
  Params p;
  p.set("initial_inflation", 0.13);
  p.set("goal_bonded", 0.5);
  p.set("max_change", 0.365);  // 0.001 per daily epoch at full distance from the goal
  p.set("min_inflation", 0.07);
  p.set("max_inflation", 0.20);
  p.set("year", core::SimTime::days(365));
  auto s = make("target_inflation", p);
  // Nothing staked: b = 0, so the rate rises by max_change / 365 = 0.001 to 0.131.
  const TokenAmount supply = tokens(365'000);
  CHECK(s->emission(at(0, supply)).to_tokens(18) == Approx(131.0).epsilon(1e-12));
  // Fully at the goal: no change.
  CHECK(s->emission(at(1, supply, tokens(182'500))).to_tokens(18) == Approx(131.0).epsilon(1e-12));
  // Everything staked: b / b* = 2, the rate falls by 0.001.
  CHECK(s->emission(at(2, supply, supply)).to_tokens(18) == Approx(130.0).epsilon(1e-12));
  // No supply, nothing to inflate.
  CHECK(s->emission(at(3)).is_zero());
}

TEST_CASE("target_inflation refuses a minimum above its maximum", "[models][emission]") {
  models::ModelCatalog c;
  models::register_builtin_models(c);
  const scenario::ComponentInfo* info = c.schedules.find("target_inflation");
  REQUIRE(info != nullptr);
  REQUIRE(info->check);
  Params p;
  p.set("min_inflation", 0.2);
  p.set("max_inflation", 0.1);
  CHECK(info->check(p) == "expected min_inflation <= max_inflation, found 0.2 > 0.1");
  p.set("max_inflation", 0.3);
  CHECK(info->check(p).empty());
}

TEST_CASE("the contributor's cost is cost_factor times its expected contribution plus the fixed cost", "[models][agents]") {
  models::ModelCatalog c;
  models::register_builtin_models(c);
  Params p;
  p.set("mu", 0.0);
  p.set("sigma", 0.5);
  p.set("cost_factor", 0.8);
  p.set("fixed_cost", tokens(1));
  p.set("profit_smoothing", 0.1);
  p.set("exit_probability", 0.05);
  p.set("initial_stake", tokens(0));
  const models::ContributorBehaviour b = c.agents.factory("contributor")(p, 18);
  CHECK(b.expected_contribution() == Approx(std::exp(0.125)));
  CHECK(b.cost_tokens == Approx(1.0 + 0.8 * std::exp(0.125)).epsilon(1e-15));
}
