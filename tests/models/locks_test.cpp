// Locks: vesting amounts at the schedule's edges with their rounding, vesting and vote-escrow tokens kept by the
// ledger (conservation checked), vote-escrow power decay and its total over random lock sets, and the "locks"
// section reader.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/locks/locks_config.hpp"
#include "models/locks/vesting.hpp"
#include "models/locks/vote_escrow.hpp"
#include "sim/core/random.hpp"
#include "tests/models/section_errors_fixture.hpp"

using namespace dais;
using ledger::AccountId;
using ledger::TokenAmount;
using models::locks::VestingBook;
using models::locks::VestingGrant;
using models::locks::VoteEscrow;

namespace {

TokenAmount units(u128 n) { return TokenAmount::from_base_units(n); }

// A ledger with `count` accounts, each minted `each` base units.
ledger::Ledger funded_ledger(std::uint32_t count, u128 each) {
  ledger::Ledger l;
  const AccountId first = l.open_accounts(count);
  for (AccountId a = first; a < first + count; ++a) l.mint(a, units(each));
  return l;
}

// A uniform integer in [low, high] from a stream (the tests' own randomness, reproducible).
std::int64_t draw(core::RandomStream& rng, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
}

}  // namespace

// ---- vesting ----

TEST_CASE("a grant vests nothing before its cliff, then A (t - s) / d rounded down, then all of it",
          "[models][locks][vesting]") {
  const VestingGrant g{0, units(1000), 10, 3, 7};  // start 10, cliff at 13, fully vested at 17
  CHECK(vested_amount(g, 9) == units(0));
  CHECK(vested_amount(g, 12) == units(0));    // cliff - 1
  CHECK(vested_amount(g, 13) == units(428));  // 3000 / 7 = 428.57
  CHECK(vested_amount(g, 15) == units(714));  // 5000 / 7 = 714.29
  CHECK(vested_amount(g, 16) == units(857));  // 6000 / 7 = 857.14
  CHECK(vested_amount(g, 17) == units(1000));
  CHECK(vested_amount(g, 1000) == units(1000));
}

TEST_CASE("vesting is exact for amounts whose product with the elapsed epochs overflows 128 bits",
          "[models][locks][vesting]") {
  const u128 all = ~u128{0};  // 2^128 - 1, divisible by 3
  const VestingGrant g{0, units(all), 0, 0, 3};
  CHECK(vested_amount(g, 1) == units(all / 3));
  CHECK(vested_amount(g, 2) == units(all / 3 * 2));
  CHECK(vested_amount(g, 3) == units(all));
}

TEST_CASE("a zero duration vests everything at the start; a cliff equal to the duration vests all at once",
          "[models][locks][vesting]") {
  const VestingGrant instant{0, units(50), 4, 0, 0};
  CHECK(vested_amount(instant, 3) == units(0));
  CHECK(vested_amount(instant, 4) == units(50));
  const VestingGrant cliff_only{0, units(50), 0, 5, 5};
  CHECK(vested_amount(cliff_only, 4) == units(0));
  CHECK(vested_amount(cliff_only, 5) == units(50));
}

TEST_CASE("the vesting book locks a grant from the balance and releases what vested, by account",
          "[models][locks][vesting]") {
  ledger::Ledger l = funded_ledger(3, 10'000);
  VestingBook book(l);
  book.grant({2, units(700), 0, 0, 7});
  book.grant({0, units(1000), 0, 2, 4});
  book.grant({2, units(300), 1, 0, 3});
  CHECK(l.balance(2) == units(9000));
  CHECK(l.locked(2) == units(1000));
  CHECK(book.still_locked() == units(2000));
  l.check_conservation();

  auto first = book.release_due(1);  // account 2: 100 from its first grant, 0 from the second (just started)
  REQUIRE(first.size() == 1);
  CHECK(first[0].account == 2);
  CHECK(first[0].amount == units(100));

  auto second = book.release_due(2);  // account 0 reaches its cliff: 500; account 2: 100 + 100
  REQUIRE(second.size() == 2);
  CHECK(second[0].account == 0);
  CHECK(second[0].amount == units(500));
  CHECK(second[1].account == 2);
  CHECK(second[1].amount == units(200));
  CHECK(book.release_due(2).empty());  // the same epoch again releases nothing more
  l.check_conservation();

  book.release_due(100);
  CHECK(l.locked(0) == units(0));
  CHECK(l.locked(2) == units(0));
  CHECK(l.balance(2) == units(10'000));
  CHECK(book.still_locked() == units(0));
  CHECK(book.released(0) == units(700));
  l.check_conservation();
}

TEST_CASE("random grants and releases keep the ledger's books and each account's locked tokens right",
          "[models][locks][vesting]") {
  core::RandomStream rng({5, 0, 0, 0});
  constexpr std::uint32_t accounts = 12;
  ledger::Ledger l = funded_ledger(accounts, 1'000'000'000);
  VestingBook book(l);
  std::vector<TokenAmount> granted(accounts);
  for (int i = 0; i < 40; ++i) {
    const auto account = static_cast<AccountId>(draw(rng, 0, accounts - 1));
    const std::int64_t duration = draw(rng, 0, 30);
    const VestingGrant g{account, units(static_cast<u128>(draw(rng, 0, 10'000'000))), draw(rng, 0, 20),
                         draw(rng, 0, duration), duration};
    book.grant(g);
    granted[account] += g.amount;
  }
  std::vector<TokenAmount> released(accounts);
  for (std::int64_t epoch = 0; epoch <= 60; ++epoch) {
    for (const auto& r : book.release_due(epoch)) released[r.account] += r.amount;
    l.check_conservation();
    for (AccountId a = 0; a < accounts; ++a) {
      TokenAmount vested;
      for (std::size_t id = 0; id < book.grant_count(); ++id)
        if (book.grant_terms(id).beneficiary == a) vested += vested_amount(book.grant_terms(id), epoch);
      INFO("account " << a << " at epoch " << epoch);
      CHECK(released[a] == vested);
      CHECK(l.locked(a) == granted[a] - vested);
    }
  }
  CHECK(book.still_locked() == units(0));
}

TEST_CASE("the vesting book refuses a cliff beyond the duration, an unfunded grant and time going back",
          "[models][locks][vesting]") {
  ledger::Ledger l = funded_ledger(1, 100);
  VestingBook book(l);
  CHECK_THROWS_AS(book.grant({0, units(10), 0, 5, 4}), std::invalid_argument);
  CHECK_THROWS_AS(book.grant({0, units(101), 0, 0, 4}), ledger::LedgerError);
  book.release_due(5);
  CHECK_THROWS_AS(book.release_due(4), std::invalid_argument);
}

// ---- vote escrow ----

TEST_CASE("vote-escrow power is floor(a / max_lock) * (end - t), decaying to zero at the end",
          "[models][locks][vote_escrow]") {
  ledger::Ledger l = funded_ledger(3, 100'000);
  VoteEscrow ve(l, 100);
  ve.create_lock(0, units(1000), 50, 0);  // slope 10
  ve.create_lock(1, units(1050), 50, 0);  // slope 10 too: the slope is rounded down once, as Curve's
  ve.create_lock(2, units(99), 50, 0);    // below max_lock base units: no power
  CHECK(ve.power(0, 0) == 500);
  CHECK(ve.power(0, 25) == 250);
  CHECK(ve.power(0, 49) == 10);
  CHECK(ve.power(0, 50) == 0);
  CHECK(ve.power(0, 80) == 0);
  CHECK(ve.power(1, 0) == 500);
  CHECK(ve.power(2, 0) == 0);
  CHECK(ve.total_power(0) == 1000);
  CHECK(ve.total_power(49) == 20);
  CHECK(ve.total_power(50) == 0);
  CHECK(l.locked(1) == units(1050));
  CHECK(ve.total_locked() == units(2149));
  l.check_conservation();
}

TEST_CASE("a lock grows, lasts longer, and comes back only once it has ended", "[models][locks][vote_escrow]") {
  ledger::Ledger l = funded_ledger(1, 100'000);
  VoteEscrow ve(l, 100);
  ve.create_lock(0, units(1000), 40, 0);
  ve.increase_amount(0, units(1050), 10);  // 2050: slope 20, recomputed from the sum
  CHECK(ve.power(0, 10) == 20 * 30);
  ve.extend_lock(0, 110, 10);              // at most now + max_lock
  CHECK(ve.power(0, 10) == 20 * 100);
  CHECK(ve.total_power(60) == 20 * 50);
  CHECK_THROWS_AS(ve.withdraw(0, 109), std::invalid_argument);
  CHECK(l.locked(0) == units(2050));
  CHECK(ve.withdraw(0, 110) == units(2050));
  CHECK(l.balance(0) == units(100'000));
  CHECK(l.locked(0) == units(0));
  CHECK(ve.total_power(110) == 0);
  l.check_conservation();
}

TEST_CASE("the escrow refuses what Curve's contract refuses", "[models][locks][vote_escrow]") {
  ledger::Ledger l = funded_ledger(2, 10'000);
  VoteEscrow ve(l, 100);
  CHECK_THROWS_AS(ve.create_lock(0, units(0), 10, 0), std::invalid_argument);      // nothing to lock
  CHECK_THROWS_AS(ve.create_lock(0, units(500), 0, 0), std::invalid_argument);     // ends now
  CHECK_THROWS_AS(ve.create_lock(0, units(500), 101, 0), std::invalid_argument);   // beyond max_lock
  CHECK_THROWS_AS(ve.create_lock(0, units(20'000), 10, 0), ledger::LedgerError);   // more than the balance
  ve.create_lock(0, units(500), 10, 0);
  CHECK_THROWS_AS(ve.create_lock(0, units(500), 20, 1), std::invalid_argument);    // one lock per account
  CHECK_THROWS_AS(ve.extend_lock(0, 10, 1), std::invalid_argument);                // not later
  CHECK_THROWS_AS(ve.extend_lock(0, 102, 1), std::invalid_argument);               // beyond now + max_lock
  CHECK_THROWS_AS(ve.increase_amount(1, units(5), 1), std::invalid_argument);      // no lock
  CHECK_THROWS_AS(ve.withdraw(0, 9), std::invalid_argument);                       // before the end
  CHECK_THROWS_AS(ve.increase_amount(0, units(5), 10), std::invalid_argument);     // expired
  CHECK_THROWS_AS(ve.extend_lock(0, 20, 10), std::invalid_argument);               // expired
  CHECK_THROWS_AS(ve.total_power(5), std::invalid_argument);                       // history
  CHECK_THROWS_AS(VoteEscrow(l, 0), std::invalid_argument);
  ve.withdraw(0, 10);
  CHECK_THROWS_AS(ve.withdraw(0, 11), std::invalid_argument);                      // nothing left
  l.check_conservation();
}

TEST_CASE("total vote-escrow power equals the sum of the locks' powers at every epoch, over random locks",
          "[models][locks][vote_escrow]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    core::RandomStream rng({seed, 0, 0, 0});
    constexpr std::uint32_t accounts = 16;
    const std::int64_t max_lock = draw(rng, 1, 60);
    ledger::Ledger l = funded_ledger(accounts, u128{1} << 100);
    VoteEscrow ve(l, max_lock);
    for (std::int64_t now = 0; now < 200; ++now) {
      for (AccountId a = 0; a < accounts; ++a) {
        const auto& lock = ve.lock_of(a);
        const auto amount = units(static_cast<u128>(draw(rng, 1, 1'000'000)) << draw(rng, 0, 60));
        switch (draw(rng, 0, 5)) {
          case 0:
            if (lock.amount.is_zero()) ve.create_lock(a, amount, now + draw(rng, 1, max_lock), now);
            break;
          case 1:
            if (!lock.amount.is_zero() && lock.end > now) ve.increase_amount(a, amount, now);
            break;
          case 2:
            if (!lock.amount.is_zero() && lock.end > now && lock.end < now + max_lock)
              ve.extend_lock(a, draw(rng, lock.end + 1, now + max_lock), now);
            break;
          case 3:
            if (!lock.amount.is_zero() && lock.end <= now) ve.withdraw(a, now);
            break;
          default: break;
        }
      }
      if (draw(rng, 0, 2) == 0) ve.checkpoint(now);  // the line may lag: total_power walks the ends it skipped
      // The total now and ahead (before anything changes) against the sum of the individual lines.
      for (const std::int64_t ahead : {std::int64_t{0}, std::int64_t{1}, max_lock / 2, max_lock + 1}) {
        u128 sum = 0;
        for (AccountId a = 0; a < accounts; ++a) sum += ve.power(a, now + ahead);
        INFO("seed " << seed << ", epoch " << now << " + " << ahead);
        REQUIRE(ve.total_power(now + ahead) == sum);
      }
      TokenAmount locked;
      for (AccountId a = 0; a < accounts; ++a) {
        REQUIRE(l.locked(a) == ve.lock_of(a).amount);
        locked += l.locked(a);
      }
      REQUIRE(ve.total_locked() == locked);
      l.check_conservation();
    }
  }
}

TEST_CASE("the escrow's operations refuse an epoch before one already passed", "[models][locks][vote_escrow]") {
  ledger::Ledger l = funded_ledger(2, 10'000);
  VoteEscrow ve(l, 100);
  ve.create_lock(0, units(5000), 50, 10);
  CHECK_THROWS_AS(ve.create_lock(1, units(5000), 50, 9), std::invalid_argument);
  CHECK_THROWS_AS(ve.power(0, 9), std::invalid_argument);  // before the lock's last change: no history kept
  CHECK(l.locked(1) == units(0));
}

// ---- the "locks" section ----

TEST_CASE("the locks section reads vesting grants and the vote escrow", "[models][locks][config]") {
  const nlohmann::json section = nlohmann::json::parse(R"({
    "vesting": [{"population": "team", "amount": "1000.5", "cliff_epochs": 90, "duration_epochs": 365},
                {"population": "investors", "amount": 20, "start_epoch": 30, "duration_epochs": 0}],
    "vote_escrow": {"max_lock_epochs": 1460, "lock_share": 0.5, "lock_epochs": 365}})");
  const auto c = models::locks::read_locks(section, "s.json", "/locks", 18);
  REQUIRE(c.vesting.size() == 2);
  CHECK(c.vesting[0].population == "team");
  CHECK(c.vesting[0].amount == TokenAmount::parse_decimal("1000.5", 18));
  CHECK(c.vesting[0].start_epoch == 0);
  CHECK(c.vesting[0].cliff_epochs == 90);
  CHECK(c.vesting[0].duration_epochs == 365);
  CHECK(c.vesting[1].amount == TokenAmount::whole_tokens(20, 18));
  CHECK(c.vesting[1].start_epoch == 30);
  REQUIRE(c.vote_escrow.has_value());
  CHECK(c.vote_escrow->max_lock_epochs == 1460);
  CHECK(c.vote_escrow->lock_share == 0.5);
  CHECK(c.vote_escrow->lock_epochs == 365);
  CHECK_FALSE(models::locks::read_locks(nlohmann::json::object(), "s.json", "/locks", 18).vote_escrow.has_value());
}

TEST_CASE("the locks section reports every problem with its JSON pointer", "[models][locks][config]") {
  const nlohmann::json section = nlohmann::json::parse(R"({
    "vesting": [{"population": "team", "amount": 0.5, "cliff_epochs": 9, "duration_epochs": 5},
                {"population": "", "amount": "1", "duration_epochs": 5, "clif_epochs": 1},
                {"amount": "1.0000000000000000001", "cliff_epochs": 10, "duration_epochs": 5}],
    "vote_escrow": {"max_lock_epochs": 100, "lock_share": 1.5, "lock_epochs": 101},
    "escrow": {}})");
  const auto messages = test::error_messages([&] { models::locks::read_locks(section, "s.json", "/locks", 18); });
  const std::vector<std::string> expected{
      "/locks/escrow: unknown key \"escrow\"; expected one of \"vesting\" or \"vote_escrow\"",
      "/locks/vesting/0/amount: expected a token amount (a decimal string such as \"10.5\", or a whole number), "
      "found 0.5 (write it as a string: a binary float cannot hold most decimals exactly)",
      "/locks/vesting/1/clif_epochs: unknown key \"clif_epochs\"; expected one of \"population\", \"amount\", "
      "\"start_epoch\", \"cliff_epochs\" or \"duration_epochs\"",
      "/locks/vesting/1/population: expected a population name, found \"\"",
      "/locks/vesting/2: expected the key \"population\", found none",
      "/locks/vesting/2/amount: expected a token amount (a decimal string such as \"10.5\", or a whole number), "
      "found \"1.0000000000000000001\" (the token has 18 decimals)",
      "/locks/vote_escrow/lock_share: expected a number in [0, 1], found 1.5",
  };
  CHECK(messages == expected);
}

TEST_CASE("the locks section refuses a cliff after the end and a lock longer than the maximum",
          "[models][locks][config]") {
  const nlohmann::json section = nlohmann::json::parse(R"({
    "vesting": [{"population": "team", "amount": "1", "cliff_epochs": 9, "duration_epochs": 5}],
    "vote_escrow": {"max_lock_epochs": 100, "lock_epochs": 101}})");
  const auto messages = test::error_messages([&] { models::locks::read_locks(section, "s.json", "/locks", 18); });
  const std::vector<std::string> expected{
      "/locks/vesting/0/cliff_epochs: expected cliff_epochs <= duration_epochs, found 9 > 5",
      "/locks/vote_escrow/lock_epochs: expected lock_epochs <= max_lock_epochs, found 101 > 100",
  };
  CHECK(messages == expected);
}
