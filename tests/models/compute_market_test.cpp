// The compute market against queueing theory and probability: M/M/1 waiting time, geometric detection of
// cheaters, exact token accounting and reproducibility.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
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
  models::ComputeMarket m(c, ledger, consumers, treasury, ledger::no_account, ledger.open_accounts(4), TokenAmount{},
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
  CHECK_THROWS_WITH(models::ComputeMarket(c, ledger, consumers, treasury, ledger::no_account, 2, TokenAmount{}, day, 1, 0),
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

namespace {

// A market on a ledger of its own, driven event by event, with consumers funded for every job it can serve.
struct DrivenMarket {
  ledger::Ledger ledger;
  ledger::AccountId consumers = ledger.open_account();
  ledger::AccountId treasury = ledger.open_account();
  ledger::AccountId first;
  models::ComputeMarket market;
  core::EventQueue queue;
  DrivenMarket(const models::ComputeMarketConfig& c, std::uint32_t providers, double horizon)
      : first(ledger.open_accounts(providers)),
        market(c, ledger, consumers, treasury, ledger::no_account, first, TokenAmount{},
               core::SimTime::from_ticks(static_cast<std::int64_t>(horizon * static_cast<double>(c.time_unit.ticks()))), 7, 0) {
    ledger.mint(consumers, TokenAmount::whole_tokens(1'000'000'000, 18), "consumer funds");
    for (std::uint32_t p = 0; p < providers; ++p) market.join(p, TokenAmount{}, true);
    market.start(queue, core::SimTime::zero());
  }
};

// The share of a run's arrivals that were dropped.
double dropped_share(const models::B2Result& r) {
  return static_cast<double>(r.totals.dropped) / static_cast<double>(r.totals.arrivals);
}

}  // namespace

TEST_CASE("least_loaded gives each job to the provider with the most free slots, ties to the lower number",
          "[models][market]") {
  models::ComputeMarketConfig c;
  c.dispatch = models::Dispatch::least_loaded;
  c.slots = 3;
  c.dishonest_fraction = 0.0;
  c.verify_probability = 0.0;
  c.arrival_rate = 0.9 * 7 * 3;  // busy: every count of free slots occurs, and the queue too
  constexpr std::uint32_t providers = 7;
  DrivenMarket m(c, providers, 2000);
  std::uint64_t checked = 0;
  std::uint64_t queued = 0;
  core::Event e;
  while (m.queue.pop(e)) {
    if (e.data.kind != models::ComputeMarket::arrival) {
      m.market.handle(e, m.queue);
      continue;
    }
    std::uint32_t expected = providers;  // none free
    std::array<std::uint32_t, providers> before{};
    for (std::uint32_t p = 0; p < providers; ++p) {
      before[p] = m.market.free_slots(p);
      if (before[p] > 0 && (expected == providers || before[p] > before[expected])) expected = p;
    }
    const std::size_t waiting = m.market.queued();
    m.market.handle(e, m.queue);
    for (std::uint32_t p = 0; p < providers; ++p)
      REQUIRE(m.market.free_slots(p) == before[p] - (p == expected ? 1 : 0));
    if (expected == providers) {
      REQUIRE(m.market.queued() == waiting + 1);
      ++queued;
    }
    ++checked;
  }
  CHECK(checked > 30'000);
  CHECK(queued > 1'000);
  m.ledger.check_conservation();
}

TEST_CASE("a full queue drops arrivals: the blocking probabilities of M/M/1/K and Erlang's loss formula",
          "[models][market]") {
  models::ComputeMarketConfig c;
  c.dishonest_fraction = 0.0;
  c.verify_probability = 0.0;
  models::B2Options o;
  o.horizon = 200'000;
  SECTION("one provider and room for two waiting: M/M/1/3 blocks (1 - rho) rho^3 / (1 - rho^4)") {
    c.arrival_rate = 0.8;
    c.queue_capacity = 2;
    o.providers = 1;
    const auto r = models::run_b2(c, o, 21, 0);
    CHECK(dropped_share(r) == Approx(0.2 * 0.512 / (1.0 - 0.4096)).margin(0.01));  // 0.1734
    CHECK(r.max_queue == 2);
    // Every arrival started, was dropped or is waiting.
    CHECK(r.totals.arrivals == r.totals.started + r.totals.dropped + r.queued_at_end);
  }
  SECTION("five providers and no waiting room: Erlang B(5, 4)") {
    c.arrival_rate = 4.0;
    c.queue_capacity = 0;
    o.providers = 5;
    const auto r = models::run_b2(c, o, 22, 0);
    // B(c, a) = (a^c / c!) / sum_k a^k / k!: 8.533 / 42.867.
    CHECK(dropped_share(r) == Approx((1024.0 / 120.0) / (1 + 4 + 8 + 64.0 / 6 + 256.0 / 24 + 1024.0 / 120)).margin(0.01));
    CHECK(r.max_queue == 0);
    CHECK(r.totals.arrivals == r.totals.started + r.totals.dropped);
  }
  SECTION("unlimited by default: nothing is dropped") {
    c.arrival_rate = 1.5;
    o.providers = 1;
    o.horizon = 2000;
    const auto r = models::run_b2(c, o, 3, 0);
    CHECK(r.totals.dropped == 0);
    CHECK(r.queued_at_end > 700);
  }
}

// Runs 20,000 lazy providers under a light load and returns the share of them caught within their first n jobs,
// with its standard error under the law `expected`.
struct CaughtWithin {
  double observed = 0.0;
  double standard_error = 0.0;
};
CaughtWithin caught_within(const models::ComputeMarketConfig& c, std::uint64_t n, double expected) {
  models::B2Options o;
  o.providers = 20'000;
  o.horizon = 300;  // ~15 jobs each, unless caught first
  const auto r = models::run_b2(c, o, 17, 0);
  std::size_t eligible = 0;
  std::size_t caught = 0;
  for (const auto& p : r.providers) {
    REQUIRE(p.lazy);
    if (p.caught || p.jobs >= n) ++eligible;
    if (p.caught && p.jobs <= n) ++caught;
  }
  REQUIRE(eligible > 19'900);
  CHECK(r.totals.caught == static_cast<std::uint64_t>(std::count_if(r.providers.begin(), r.providers.end(),
                                                                    [](const auto& p) { return p.caught; })));
  return {static_cast<double>(caught) / static_cast<double>(eligible),
          std::sqrt(expected * (1.0 - expected) / static_cast<double>(eligible))};
}

TEST_CASE("a lazy provider skipping a fraction f of its jobs is caught within N with probability 1 - (1 - q)^(f N)",
          "[models][market]") {
  models::ComputeMarketConfig c;
  c.dishonest_fraction = 0.0;
  c.lazy_fraction = 1.0;
  c.lazy_skip = 0.5;
  c.verify_probability = 0.5;
  c.arrival_rate = 0.05 * 20'000;  // a light load: a freed provider never finds a queue
  const std::uint64_t n = 4;
  const double q = c.verify_probability;
  const double f = c.lazy_skip;
  // Evenly spread skips: exactly f N of the first N jobs are skipped, each verified with probability q.
  const double spread = 1.0 - std::pow(1.0 - q, f * static_cast<double>(n));  // 0.75
  // Skips at random: the job a lazy provider is caught on is geometric with parameter f q; the same share of
  // skipped work is found less often (Jensen).
  const double random = 1.0 - std::pow(1.0 - f * q, static_cast<double>(n));  // 0.6836
  // Binomial z-tests at 4.5 standard errors (0.003); the two laws are 20 of them apart.
  SECTION("evenly spread skips") {
    const CaughtWithin r = caught_within(c, n, spread);
    CHECK(std::abs(r.observed - spread) < 4.5 * r.standard_error);
    CHECK(std::abs(r.observed - random) > 10 * r.standard_error);
  }
  SECTION("skips at random") {
    c.lazy_skips_at_random = true;
    const CaughtWithin r = caught_within(c, n, random);
    CHECK(std::abs(r.observed - random) < 4.5 * r.standard_error);
    CHECK(std::abs(r.observed - spread) > 10 * r.standard_error);
  }
}

TEST_CASE("a cheater is a lazy provider with f = 1; lazy providers are a lazy_fraction of the others", "[models][market]") {
  models::ComputeMarketConfig c;  // workload B2, shortened
  c.arrival_rate = 0.8 * 100;
  models::B2Options o;
  o.providers = 100;
  o.horizon = 500;
  SECTION("everyone cheating and everyone lazy with f = 1 run the same events and catch the same providers") {
    c.dishonest_fraction = 1.0;
    const auto cheaters = models::run_b2(c, o, 9, 2);
    c.dishonest_fraction = 0.0;
    c.lazy_fraction = 1.0;
    c.lazy_skip = 1.0;
    const auto lazy = models::run_b2(c, o, 9, 2);
    CHECK(lazy.fingerprint == cheaters.fingerprint);
    CHECK(lazy.totals.slashed == cheaters.totals.slashed);
    for (std::size_t p = 0; p < lazy.providers.size(); ++p) CHECK(lazy.providers[p].caught == cheaters.providers[p].caught);
  }
  SECTION("a provider is lazy with probability lazy_fraction unless it cheats") {
    c.dishonest_fraction = 0.2;
    c.lazy_fraction = 0.3;
    c.arrival_rate = 0.0;
    o.providers = 10'000;
    const auto r = models::run_b2(c, o, 2, 0);
    std::size_t lazy = 0;
    for (const auto& p : r.providers) {
      CHECK_FALSE((p.lazy && !p.honest));
      lazy += p.lazy ? 1 : 0;
    }
    const double expected = 0.3 * 8'000;
    CHECK(std::abs(static_cast<double>(lazy) - expected) < 4.5 * std::sqrt(expected * 0.7));
  }
}

TEST_CASE("refereed replication: the consumers pay both replicas, and a dispute slashes the replica that skipped",
          "[models][market]") {
  models::ComputeMarketConfig c;
  c.dishonest_fraction = 0.1;
  c.verify_probability = 0.0;  // only the referee catches anyone
  c.replication_probability = 1.0;
  c.referee_reward_share = 0.25;
  c.arrival_rate = 0.1 * 200;  // light: a second free provider is always there
  models::B2Options o;
  o.providers = 200;
  o.horizon = 500;
  const auto r = models::run_b2(c, o, 31, 0);
  const auto& t = r.totals;
  CHECK(t.replicated == t.started);
  // Both replicas served and paid (up to the pairs still running at the horizon).
  CHECK(t.completions <= 2 * t.started);
  CHECK(t.completions + 2 * 200 >= 2 * t.started);
  CHECK(t.fees == TokenAmount::whole_tokens(t.completions, 18));
  TokenAmount rewards;
  TokenAmount balances;
  std::uint64_t caught = 0;
  for (const auto& p : r.providers) {
    balances += p.balance;
    if (!p.caught) continue;
    ++caught;
    CHECK_FALSE(p.honest);
    const TokenAmount slash = p.initial_stake - p.stake;
    CHECK(slash == TokenAmount::from_base_units(p.initial_stake.base_units() / 2));
    rewards += TokenAmount::from_base_units(slash.base_units() / 4);  // a quarter, rounded down
  }
  // Each cheater faces ~50 honest twins: every one is caught, each on its first dispute.
  CHECK(caught == 20);
  CHECK(t.caught == 20);
  CHECK(t.disputes >= caught);
  CHECK(t.referee_rewards == rewards);
  // What the providers hold: their fees and the referee rewards to the honest twins.
  CHECK(balances == t.fees + t.referee_rewards);
}

TEST_CASE("two replicas that both skip agree, and no referee is called", "[models][market]") {
  models::ComputeMarketConfig c;
  c.dishonest_fraction = 1.0;
  c.verify_probability = 0.0;
  c.replication_probability = 1.0;
  c.arrival_rate = 5.0;
  models::B2Options o;
  o.providers = 50;
  o.horizon = 200;
  const auto r = models::run_b2(c, o, 32, 0);
  CHECK(r.totals.replicated > 500);
  CHECK(r.totals.disputes == 0);
  CHECK(r.totals.caught == 0);
}

TEST_CASE("forced errors: verifications find them at the rate injected and the bounty is minted to the verifiers",
          "[models][market]") {
  models::ComputeMarketConfig c;
  c.dishonest_fraction = 0.0;
  c.verify_probability = 0.3;
  c.forced_error_rate = 0.2;
  c.forced_error_bounty = TokenAmount::whole_tokens(5, 18);
  c.replication_probability = 0.5;  // the protocol knows its forced errors: they start no dispute
  c.arrival_rate = 0.5 * 100;
  models::B2Options o;
  o.providers = 100;
  o.horizon = 400;
  const auto r = models::run_b2(c, o, 33, 0);
  const auto& t = r.totals;
  const double e = c.forced_error_rate;
  const auto z_ok = [](std::uint64_t hits, std::uint64_t trials, double p) {
    const double n = static_cast<double>(trials);
    return std::abs(static_cast<double>(hits) - p * n) < 4.5 * std::sqrt(n * p * (1.0 - p));
  };
  REQUIRE(t.verifications > 5'000);
  CHECK(z_ok(t.forced_errors, t.completions, e));
  CHECK(z_ok(t.forced_errors_found, t.verifications, e));
  CHECK(t.bounties == TokenAmount::whole_tokens(5 * t.forced_errors_found, 18));
  CHECK(r.verifiers_balance == t.bounties);
  CHECK(t.replicated > 0);
  CHECK(t.disputes == 0);
  CHECK(t.caught == 0);
  CHECK(t.slashed.is_zero());
}

TEST_CASE("the new mechanisms cost nothing when off: B2's event sequence is the one it always was", "[models][market]") {
  models::ComputeMarketConfig c;  // workload B2, shortened
  c.arrival_rate = 0.8 * 100;
  models::B2Options o;
  o.providers = 100;
  o.horizon = 500;
  const auto before = models::run_b2(c, o, 9, 2);
  CHECK(before.fingerprint == "801851157ea5e895");  // as before the mechanisms existed
  // Their other parameters do nothing while the mechanism they tune is off.
  c.lazy_skip = 0.9;
  c.referee_reward_share = 0.5;
  c.forced_error_bounty = TokenAmount::whole_tokens(3, 18);
  c.queue_capacity = 1'000'000;
  const auto after = models::run_b2(c, o, 9, 2);
  CHECK(after.fingerprint == before.fingerprint);
  CHECK(after.totals.fees == before.totals.fees);
  CHECK(after.totals.slashed == before.totals.slashed);
}

TEST_CASE("retune: a new fee scales every bid with its markup kept, and new shares split the next jobs' fees",
          "[models][market][governance]") {
  models::ComputeMarketConfig c;
  c.dispatch = models::Dispatch::lowest_bid;
  c.bid_spread = 0.5;
  c.dishonest_fraction = 0.0;
  c.arrival_rate = 0.0;
  DrivenMarket m(c, 5, 10);
  std::array<TokenAmount, 5> before{};
  for (std::uint32_t p = 0; p < 5; ++p) before[p] = m.market.bid(p);
  models::ComputeMarketConfig terms = c;
  models::set_market_term(terms, "fee", TokenAmount::whole_tokens(2, 18));
  models::set_market_term(terms, "burn_share", 0.25);
  m.market.retune(terms);
  CHECK(m.market.burn_share() == 0.25);
  // Each bid is fee + floor(fee * markup millionths / 10^6): doubling the fee doubles it, to a base unit.
  for (std::uint32_t p = 0; p < 5; ++p) {
    const u128 twice = before[p].base_units() * 2;
    CHECK(m.market.bid(p).base_units() >= twice - 1);
    CHECK(m.market.bid(p).base_units() <= twice + 1);
  }
  terms.burn_share = 0.9;
  terms.treasury_share = 0.2;
  CHECK_THROWS_AS(m.market.retune(terms), std::invalid_argument);
  CHECK_THROWS_AS(models::set_market_term(terms, "arrival_rate", 1.0), std::invalid_argument);
}
