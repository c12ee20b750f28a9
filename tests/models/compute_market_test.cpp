// The compute market against queueing theory and probability: M/M/1 waiting time, geometric detection of
// cheaters, exact token accounting and reproducibility.

#include <catch2/catch.hpp>

#include <cmath>

#include "models/market/compute_market.hpp"

using namespace dais;
using ledger::TokenAmount;

namespace {

models::B2Result single_server(double arrival_rate, double horizon, std::uint64_t seed) {
  models::ComputeMarketConfig c;
  c.arrival_rate = arrival_rate;
  c.service_rate = 1.0;
  c.dishonest_fraction = 0.0;
  c.verify_probability = 0.0;
  models::B2Options o;
  o.providers = 1;
  o.horizon = horizon;
  return models::run_b2(c, o, seed, 0);
}

}  // namespace

TEST_CASE("one provider is an M/M/1 queue: mean wait lambda / (mu (mu - lambda))", "[models][market]") {
  // rho = 0.8: Wq = 4. The standard error of the mean wait over ~800k jobs is about 0.05 (the asymptotic
  // variance of M/M/1 waits is ~2000 / N at this load); the tolerance is six of them.
  const auto r = single_server(0.8, 1e6, 11);
  CHECK(r.mean_wait == Approx(4.0).margin(0.3));
  CHECK(static_cast<double>(r.totals.arrivals) == Approx(8e5).margin(5 * std::sqrt(8e5)));
  CHECK(r.max_queue > 10);
  CHECK(r.totals.caught == 0);
  CHECK(r.totals.verifications == 0);
}

TEST_CASE("an overloaded provider builds a queue that is still there at the horizon", "[models][market]") {
  const auto r = single_server(1.5, 2000, 3);
  // About 0.5 jobs per time unit pile up.
  CHECK(r.queued_at_end > 700);
  CHECK(r.max_queue >= r.queued_at_end);
  // Every job arrived was served, is waiting, or is in service (one slot).
  CHECK(r.totals.arrivals == r.totals.completions + r.queued_at_end + 1);
}

TEST_CASE("a cheater is caught within m jobs with probability 1 - (1 - q)^m", "[models][market]") {
  models::ComputeMarketConfig c;
  c.dishonest_fraction = 1.0;
  c.verify_probability = 0.05;
  c.arrival_rate = 0.05 * 400;  // a light load: a freed provider never finds a queue
  models::B2Options o;
  o.providers = 400;
  o.horizon = 4000;  // ~200 jobs each, unless caught first
  const auto r = models::run_b2(c, o, 5, 0);
  // The job a cheater is caught on is geometric: P(caught within its first m jobs) = 1 - (1 - q)^m.
  const std::uint64_t m = 10;
  std::size_t eligible = 0;
  std::size_t caught_within = 0;
  std::size_t caught = 0;
  TokenAmount slashed;
  for (const auto& p : r.providers) {
    CHECK_FALSE(p.honest);
    if (p.caught) {
      ++caught;
      slashed += p.initial_stake - p.stake;
      // Half the stake burned, rounded down, to the base unit.
      CHECK(p.initial_stake - p.stake == TokenAmount::from_base_units(p.initial_stake.base_units() / 2));
      CHECK(p.caught_at > 0.0);
    } else {
      CHECK(p.stake == p.initial_stake);
    }
    if (p.caught || p.jobs >= m) ++eligible;
    if (p.caught && p.jobs <= m) ++caught_within;
  }
  CHECK(caught == r.totals.caught);
  CHECK(slashed == r.totals.slashed);
  REQUIRE(eligible > 390);
  const double expected = 1.0 - std::pow(1.0 - c.verify_probability, static_cast<double>(m));  // 0.401
  const double se = std::sqrt(expected * (1.0 - expected) / static_cast<double>(eligible));
  CHECK(static_cast<double>(caught_within) / static_cast<double>(eligible) == Approx(expected).margin(4.5 * se));
}

TEST_CASE("B2: fees and slashes are exact, and a run is reproducible from its seed", "[models][market]") {
  models::ComputeMarketConfig c;  // workload B2, shortened
  c.arrival_rate = 0.8 * 100;
  models::B2Options o;
  o.providers = 100;
  o.horizon = 500;
  const auto a = models::run_b2(c, o, 9, 2);
  const auto b = models::run_b2(c, o, 9, 2);
  const auto other = models::run_b2(c, o, 9, 3);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.totals.completions == b.totals.completions);
  CHECK(a.fingerprint != other.fingerprint);
  CHECK(a.events == a.totals.arrivals + a.totals.completions + a.totals.verifications);
  TokenAmount earned;
  std::size_t dishonest = 0;
  for (const auto& p : a.providers) {
    earned += p.balance;
    dishonest += p.honest ? 0 : 1;
    CHECK(p.balance == TokenAmount::whole_tokens(p.jobs, 18));
    CHECK((p.caught ? !p.honest : true));
  }
  CHECK(dishonest == 10);
  CHECK(earned == a.totals.fees);
  CHECK(a.totals.fees == TokenAmount::whole_tokens(a.totals.completions, 18));
  // Each of the 10 cheaters serves ~400 jobs, a tenth of them verified: all are caught.
  CHECK(a.totals.caught == 10);
  CHECK(a.max_live_events <= 2 * 100 + 1);
}

TEST_CASE("an impossible compute market is refused", "[models][market]") {
  models::ComputeMarketConfig c;
  models::B2Options o;
  o.providers = 0;
  CHECK_THROWS_WITH(models::run_b2(c, o, 1, 0), Catch::Contains("providers"));
  o.providers = 10;
  c.verify_probability = 1.5;
  CHECK_THROWS_WITH(models::run_b2(c, o, 1, 0), Catch::Contains("verify_probability"));
}

TEST_CASE("fees split into burn, treasury and provider parts, to the base unit", "[models][market]") {
  models::ComputeMarketConfig c;
  c.arrival_rate = 0.8 * 50;
  c.fee = TokenAmount::from_base_units(1'000'003);
  c.burn_share = 0.25;
  c.treasury_share = 0.1;
  models::B2Options o;
  o.providers = 50;
  o.horizon = 200;
  const auto r = models::run_b2(c, o, 4, 0);
  const ledger::u128 n = r.totals.completions;
  REQUIRE(n > 0);
  CHECK(r.totals.burned.base_units() == n * 250'000);    // floor(1,000,003 * 0.25)
  CHECK(r.totals.treasury.base_units() == n * 100'000);  // floor(1,000,003 * 0.1)
  CHECK(r.totals.fees.base_units() == n * 650'003);      // the rest, to the providers
  TokenAmount earned;
  for (const auto& p : r.providers) earned += p.balance;
  CHECK(earned == r.totals.fees);
}

TEST_CASE("with a target utilization the burn share moves like EIP-1559's base fee", "[models][market]") {
  models::ComputeMarketConfig c;
  c.burn_share = 0.5;
  c.treasury_share = 0.2;
  c.target_utilization = 0.5;
  c.service_rate = 1.0;
  ledger::Ledger ledger;
  const auto consumers = ledger.open_account();
  const auto treasury = ledger.open_account();
  models::ComputeMarket m(c, ledger, consumers, treasury, ledger.open_accounts(4), TokenAmount{},
                          core::SimTime::days(10), 1, 0);
  const core::SimTime day = core::SimTime::days(1);
  // 4 slots busy 3/4 of a day of seconds: (0.75 - 0.5) / (8 * 0.5) = 1/16 more.
  m.adjust_burn(day, 4, 4 * 86'400 * 3 / 4);
  CHECK(m.burn_share() == Approx(0.5 * 17.0 / 16.0).epsilon(1e-6));
  // Idle: it falls by 1/8 a period.
  const double before = m.burn_share();
  m.adjust_burn(day, 4, 0);
  CHECK(m.burn_share() == Approx(before * 7.0 / 8.0).epsilon(1e-6));
  // Saturated for long: it stops at 1 - treasury_share.
  for (int k = 0; k < 200; ++k) m.adjust_burn(day, 4, 4 * 86'400);
  CHECK(m.burn_share() == Approx(0.8));
  // A split that takes more than the fee is refused.
  c.burn_share = 0.9;
  CHECK_THROWS_WITH(models::ComputeMarket(c, ledger, consumers, treasury, 2, TokenAmount{}, day, 1, 0),
                    Catch::Contains("sum to at most 1"));
}

TEST_CASE("lowest_bid: a reverse auction gives each job to the cheapest free bid and pays it, less the take",
          "[models][market]") {
  models::ComputeMarketConfig c;
  c.dispatch = models::Dispatch::lowest_bid;
  c.bid_spread = 0.5;
  c.treasury_share = 0.2;  // Akash's take rate
  c.dishonest_fraction = 0.0;
  c.arrival_rate = 0.2;  // the cheapest is free a share 1 / (1 + 0.2) of the time (an M/M/1/1 loss system)
  models::B2Options o;
  o.providers = 20;
  o.horizon = 5000;
  const auto r = models::run_b2(c, o, 8, 0);
  std::size_t cheapest = 0;
  std::uint64_t jobs = 0;
  for (std::size_t p = 0; p < r.providers.size(); ++p) {
    jobs += r.providers[p].jobs;
    if (r.providers[p].jobs > r.providers[cheapest].jobs) cheapest = p;
  }
  REQUIRE(jobs == r.totals.completions);
  // The busiest provider, the one asking least, took the jobs that found it free: 5/6 of them.
  CHECK(static_cast<double>(r.providers[cheapest].jobs) / static_cast<double>(jobs) == Approx(5.0 / 6.0).margin(0.05));
  TokenAmount kept;
  for (const auto& p : r.providers) kept += p.balance;
  CHECK(kept == r.totals.fees);
  // Every job paid its provider's bid, from the fee up to 1.5 times it: 20% to the treasury.
  CHECK(r.totals.treasury + r.totals.fees >= TokenAmount::whole_tokens(jobs, 18));
  CHECK(r.totals.treasury + r.totals.fees <= TokenAmount::whole_tokens(jobs * 3 / 2 + 1, 18));
  CHECK(r.totals.treasury.to_tokens(18) == Approx(0.2 * (r.totals.treasury + r.totals.fees).to_tokens(18)).epsilon(1e-9));
}
