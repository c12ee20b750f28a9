#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "amount_strings.hpp"
#include "sim/ledger/ledger.hpp"

// Declared a friend of Ledger: reaches the private state so tests can corrupt it on purpose and read the
// unbonding queue. Defined only here.
namespace dais::ledger {
struct LedgerTestAccess {
  struct Pending {
    std::int64_t release_at = 0;
    AccountId account = 0;
    u128 amount = 0;
    bool operator==(const Pending&) const = default;
  };
  static void add_to_balance(Ledger& l, AccountId a, u128 delta) {
    l.balance_[a] = TokenAmount::from_base_units(l.balance_[a].base_units() + delta);
  }
  static void add_to_staked(Ledger& l, AccountId a, u128 delta) {
    l.staked_[a] = TokenAmount::from_base_units(l.staked_[a].base_units() + delta);
  }
  static void set_total_staked(Ledger& l, u128 v) { l.total_staked_ = TokenAmount::from_base_units(v); }
  static void set_burned(Ledger& l, u128 v) { l.burned_ = TokenAmount::from_base_units(v); }
  static void add_to_first_pending(Ledger& l, u128 delta) {
    auto& e = l.unbonding_queue_.front();
    e.amount = TokenAmount::from_base_units(e.amount.base_units() + delta);
  }
  static std::vector<Pending> queue(const Ledger& l) {
    std::vector<Pending> out;
    for (const auto& e : l.unbonding_queue_) out.push_back({e.release_at.ticks(), e.account, e.amount.base_units()});
    return out;
  }
};
}  // namespace dais::ledger

using dais::u128;
using dais::core::SimTime;
using dais::ledger::AccountId;
using dais::ledger::ConservationError;
using dais::ledger::JournalEntry;
using dais::ledger::Ledger;
using dais::ledger::LedgerError;
using dais::ledger::LedgerTestAccess;
using dais::ledger::no_account;
using dais::ledger::Operation;
using dais::ledger::TokenAmount;
using dais::ledger::u128_to_string;
using Catch::Matchers::Contains;

namespace {

constexpr u128 kMax = ~u128{0};

TokenAmount amt(u128 v) { return TokenAmount::from_base_units(v); }

// Everything observable about a ledger, as text, so a failed comparison shows what differs.
std::string state_of(const Ledger& l) {
  std::ostringstream s;
  s << "accounts " << l.account_count() << ";";
  for (AccountId a = 0; a < l.account_count(); ++a) {
    s << " [" << a << "] bal " << u128_to_string(l.balance(a).base_units()) << " stk "
      << u128_to_string(l.staked(a).base_units()) << " unb " << u128_to_string(l.unbonding(a).base_units())
      << " lck " << u128_to_string(l.locked(a).base_units()) << ";";
  }
  s << " minted " << u128_to_string(l.total_minted().base_units()) << " burned "
    << u128_to_string(l.total_burned().base_units()) << " staked " << u128_to_string(l.total_staked().base_units())
    << "; queue";
  for (const auto& p : LedgerTestAccess::queue(l))
    s << " (" << p.release_at << " " << p.account << " " << u128_to_string(p.amount) << ")";
  s << "; journal";
  for (const JournalEntry& e : l.journal())
    s << " #" << e.sequence << "@" << e.epoch << " " << dais::ledger::to_string(e.op) << " " << e.from << "->" << e.to
      << " " << u128_to_string(e.amount.base_units()) << " " << e.reason << ";";
  return s.str();
}

// Runs f, which must throw LedgerError; returns its message.
template <class F>
std::string ledger_error(F&& f) {
  try {
    f();
  } catch (const LedgerError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL_CHECK("expected a LedgerError, got another exception: " << e.what());
    return {};
  }
  FAIL_CHECK("expected a LedgerError, nothing was thrown");
  return {};
}

std::string conservation_error(const Ledger& l) {
  try {
    l.check_conservation();
  } catch (const ConservationError& e) {
    return e.what();
  }
  FAIL_CHECK("expected a ConservationError, nothing was thrown");
  return {};
}

SimTime days(std::int64_t d) { return SimTime::days(d); }
SimTime hours(std::int64_t h) { return SimTime::seconds(3600 * h); }

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Single operations

TEST_CASE("opened accounts get contiguous ids and start with empty buckets", "[ledger]") {
  Ledger l;
  CHECK(l.account_count() == 0);
  CHECK(l.open_accounts(3) == 0);
  CHECK(l.open_account() == 3);
  CHECK(l.open_accounts(2) == 4);
  CHECK(l.account_count() == 6);
  for (AccountId a = 0; a < 6; ++a) {
    CHECK(l.balance(a).is_zero());
    CHECK(l.staked(a).is_zero());
    CHECK(l.unbonding(a).is_zero());
    CHECK(l.locked(a).is_zero());
  }
  CHECK(l.supply().is_zero());
  CHECK(l.total_staked().is_zero());
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("mint credits a balance and raises minted and supply", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(1, amt(700));
  l.mint(1, amt(300));
  l.mint(0, amt(5));
  CHECK(l.balance(0) == amt(5));
  CHECK(l.balance(1) == amt(1000));
  CHECK(l.total_minted() == amt(1005));
  CHECK(l.total_burned().is_zero());
  CHECK(l.supply() == amt(1005));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("burn debits a balance and lowers supply, down to zero", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.burn(0, amt(30));
  CHECK(l.balance(0) == amt(70));
  CHECK(l.total_burned() == amt(30));
  CHECK(l.supply() == amt(70));
  l.burn(0, amt(70));
  CHECK(l.balance(0).is_zero());
  CHECK(l.supply().is_zero());
  CHECK(l.total_minted() == amt(100));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("transfer moves tokens between accounts; to oneself it changes nothing", "[ledger]") {
  Ledger l;
  l.open_accounts(3);
  l.mint(0, amt(100));
  l.transfer(0, 2, amt(40));
  CHECK(l.balance(0) == amt(60));
  CHECK(l.balance(2) == amt(40));
  l.transfer(0, 0, amt(60));
  CHECK(l.balance(0) == amt(60));
  l.transfer(2, 1, amt(0));
  CHECK(l.balance(2) == amt(40));
  CHECK(l.balance(1).is_zero());
  l.transfer(2, 1, amt(40));
  CHECK(l.balance(1) == amt(40));
  CHECK(l.balance(2).is_zero());
  CHECK(l.supply() == amt(100));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("stake moves balance to staked and raises the staked total", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(100));
  l.mint(1, amt(50));
  l.stake(0, amt(60));
  l.stake(1, amt(50));
  CHECK(l.balance(0) == amt(40));
  CHECK(l.staked(0) == amt(60));
  CHECK(l.balance(1).is_zero());
  CHECK(l.staked(1) == amt(50));
  CHECK(l.total_staked() == amt(110));
  CHECK(l.supply() == amt(150));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("unstaked tokens wait out the delay, then release_matured returns them to the balance", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.stake(0, amt(80));
  l.unstake(0, amt(30), days(10), days(7));  // due at day 17
  CHECK(l.staked(0) == amt(50));
  CHECK(l.unbonding(0) == amt(30));
  CHECK(l.balance(0) == amt(20));
  CHECK(l.total_staked() == amt(50));
  CHECK_NOTHROW(l.check_conservation());

  l.release_matured(days(17) - SimTime::from_ticks(1));
  CHECK(l.unbonding(0) == amt(30));
  CHECK(l.balance(0) == amt(20));
  l.release_matured(days(17));
  CHECK(l.unbonding(0).is_zero());
  CHECK(l.balance(0) == amt(50));
  CHECK(l.staked(0) == amt(50));
  // Nothing left to release.
  l.release_matured(days(100));
  CHECK(l.balance(0) == amt(50));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("release_matured releases exactly the entries due by then, whatever order they were made in", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(100));
  l.mint(1, amt(100));
  l.stake(0, amt(100));
  l.stake(1, amt(100));
  l.unstake(0, amt(10), days(0), days(5));  // due 5
  l.unstake(1, amt(20), days(0), days(2));  // due 2
  l.unstake(0, amt(30), days(1), days(0));  // due 1, no delay
  l.unstake(1, amt(40), days(1), days(8));  // due 9
  CHECK(l.unbonding(0) == amt(40));
  CHECK(l.unbonding(1) == amt(60));

  l.release_matured(days(1));
  CHECK(l.balance(0) == amt(30));
  CHECK(l.balance(1).is_zero());
  l.release_matured(days(4));
  CHECK(l.balance(0) == amt(30));
  CHECK(l.balance(1) == amt(20));
  l.release_matured(days(8));
  CHECK(l.balance(0) == amt(40));
  CHECK(l.unbonding(0).is_zero());
  CHECK(l.unbonding(1) == amt(40));
  l.release_matured(days(9));
  CHECK(l.balance(1) == amt(60));
  CHECK(l.unbonding(1).is_zero());
  CHECK(l.total_staked() == amt(100));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("lock and unlock move tokens between balance and locked", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.lock(0, amt(70));
  CHECK(l.balance(0) == amt(30));
  CHECK(l.locked(0) == amt(70));
  l.unlock(0, amt(20));
  CHECK(l.balance(0) == amt(50));
  CHECK(l.locked(0) == amt(50));
  l.unlock(0, amt(50));
  CHECK(l.locked(0).is_zero());
  CHECK(l.balance(0) == amt(100));
  CHECK(l.total_staked().is_zero());
  CHECK(l.supply() == amt(100));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("slash takes stake first, then the latest unbonding, and burns it", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(200));
  l.mint(1, amt(100));
  l.stake(0, amt(100));
  l.stake(1, amt(100));
  l.unstake(0, amt(30), days(0), days(7));  // due 7
  l.unstake(1, amt(25), days(0), days(8));  // another account's, due 8: never touched
  l.unstake(0, amt(20), days(2), days(7));  // due 9: the latest of account 0
  // Account 0: staked 50, unbonding 30 (day 7) + 20 (day 9).

  CHECK(l.slash(0, amt(65)) == amt(65));  // 50 from stake, 15 from the day-9 entry
  CHECK(l.staked(0).is_zero());
  CHECK(l.unbonding(0) == amt(35));
  CHECK(l.total_staked() == amt(75));
  CHECK(l.total_burned() == amt(65));
  CHECK(l.supply() == amt(235));
  CHECK(l.balance(0) == amt(100));
  CHECK_NOTHROW(l.check_conservation());

  l.release_matured(days(7));  // the day-7 entry is whole
  CHECK(l.balance(0) == amt(130));
  CHECK(l.unbonding(0) == amt(5));
  l.release_matured(days(9));  // 5 left of the day-9 entry; account 1's 25 came at day 8
  CHECK(l.balance(0) == amt(135));
  CHECK(l.unbonding(0).is_zero());
  CHECK(l.balance(1) == amt(25));
  CHECK(l.staked(1) == amt(75));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("slash reaches an earlier unbonding entry only when the later ones are used up", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.stake(0, amt(100));
  l.unstake(0, amt(30), days(0), days(3));  // due 3
  l.unstake(0, amt(20), days(1), days(3));  // due 4
  l.unstake(0, amt(10), days(2), days(3));  // due 5
  // staked 40, unbonding 60.
  CHECK(l.slash(0, amt(75)) == amt(75));  // 40 stake + 10 (day 5) + 20 (day 4) + 5 (day 3)
  CHECK(l.unbonding(0) == amt(25));
  l.release_matured(days(3));
  CHECK(l.balance(0) == amt(25));
  l.release_matured(days(5));
  CHECK(l.balance(0) == amt(25));
  CHECK(l.unbonding(0).is_zero());
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("slash takes the later of two entries due at the same time first", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.stake(0, amt(100));
  l.unstake(0, amt(30), days(1), days(2));
  l.unstake(0, amt(20), days(1), days(2));  // same due time, made later
  CHECK(l.slash(0, amt(50 + 15)) == amt(65));  // all 50 staked, then 15 of the 20
  CHECK(l.unbonding(0) == amt(35));
  l.release_matured(days(3));
  CHECK(l.balance(0) == amt(35));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("slash of more than is at stake takes all there is and says how much", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.stake(0, amt(60));
  l.unstake(0, amt(15), days(0), days(1));
  CHECK(l.slash(0, amt(1000)) == amt(60));
  CHECK(l.staked(0).is_zero());
  CHECK(l.unbonding(0).is_zero());
  CHECK(l.balance(0) == amt(40));  // the free balance is never slashed
  CHECK(l.total_burned() == amt(60));
  CHECK(l.supply() == amt(40));
  l.release_matured(days(1));
  CHECK(l.balance(0) == amt(40));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("slash of an account with nothing at stake burns nothing and writes no journal entry", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.enable_journal(true);
  l.mint(0, amt(100));
  l.lock(0, amt(10));
  CHECK(l.slash(0, amt(50)).is_zero());
  CHECK(l.slash(0, amt(0)).is_zero());
  CHECK(l.total_burned().is_zero());
  CHECK(l.balance(0) == amt(90));
  CHECK(l.locked(0) == amt(10));
  CHECK(l.journal().size() == 2);
  CHECK_NOTHROW(l.check_conservation());
}

// ---------------------------------------------------------------------------------------------------------
// Errors

TEST_CASE("an operation beyond an account's means throws LedgerError naming the account and amounts", "[ledger]") {
  Ledger l;
  l.open_accounts(3);
  l.enable_journal(true);
  l.mint(1, amt(300));
  l.stake(1, amt(100));   // balance 200, staked 100
  l.lock(1, amt(50));     // balance 150, locked 50
  l.mint(2, amt(10));
  const std::string before = state_of(l);

  const auto names = [](const std::string& msg, const char* account, const char* wanted, const char* has) {
    CHECK_THAT(msg, Contains(account) && Contains(wanted) && Contains(has));
  };
  names(ledger_error([&] { l.burn(1, amt(151)); }), "account 1", "151", "150");
  names(ledger_error([&] { l.transfer(1, 2, amt(987)); }), "account 1", "987", "150");
  names(ledger_error([&] { l.transfer(2, 1, amt(11)); }), "account 2", "11", "10");
  names(ledger_error([&] { l.stake(1, amt(160)); }), "account 1", "160", "150");
  names(ledger_error([&] { l.unstake(1, amt(101), days(0), days(1)); }), "account 1", "101", "100");
  names(ledger_error([&] { l.unstake(0, amt(1), days(0), days(1)); }), "account 0", "1", "0");
  names(ledger_error([&] { l.lock(1, amt(151)); }), "account 1", "151", "150");
  names(ledger_error([&] { l.unlock(1, amt(51)); }), "account 1", "51", "50");
  names(ledger_error([&] { l.unlock(2, amt(1)); }), "account 2", "1", "0");
  CHECK(state_of(l) == before);
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("an operation on an unknown account throws LedgerError naming it and changes nothing", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.enable_journal(true);
  l.mint(0, amt(100));
  l.stake(0, amt(10));
  const std::string before = state_of(l);
  const auto names = [](const std::string& msg, const char* id) { CHECK_THAT(msg, Contains(id)); };

  names(ledger_error([&] { l.mint(2, amt(1)); }), "account 2");
  names(ledger_error([&] { l.mint(no_account, amt(1)); }), "account 4294967295");
  names(ledger_error([&] { l.burn(7, amt(1)); }), "account 7");
  names(ledger_error([&] { l.transfer(0, 9, amt(1)); }), "account 9");
  names(ledger_error([&] { l.transfer(9, 0, amt(1)); }), "account 9");
  names(ledger_error([&] { l.stake(3, amt(0)); }), "account 3");
  names(ledger_error([&] { l.unstake(3, amt(0), days(0), days(1)); }), "account 3");
  names(ledger_error([&] { (void)l.slash(5, amt(1)); }), "account 5");
  names(ledger_error([&] { l.lock(2, amt(0)); }), "account 2");
  names(ledger_error([&] { l.unlock(2, amt(0)); }), "account 2");
  names(ledger_error([&] { (void)l.balance(2); }), "account 2");
  names(ledger_error([&] { (void)l.staked(2); }), "account 2");
  names(ledger_error([&] { (void)l.unbonding(2); }), "account 2");
  names(ledger_error([&] { (void)l.locked(2); }), "account 2");
  CHECK(state_of(l) == before);
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("a mint past 2^128 - 1 tokens minted changes nothing", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.enable_journal(true);
  l.mint(0, amt(kMax - 10));
  const std::string before = state_of(l);
  CHECK_THROWS(l.mint(1, amt(11)));
  CHECK_THROWS(l.mint(0, amt(kMax)));
  CHECK(state_of(l) == before);
  l.mint(1, amt(10));  // exactly up to the limit is fine
  CHECK(l.total_minted() == amt(kMax));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("a mint past 2^128 - 1 tokens minted throws LedgerError naming the account and amount", "[ledger]") {
  // ledger.hpp: LedgerError is "raised by an operation that cannot be done (insufficient funds, unknown
  // account, overflow)".
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(kMax - 10));
  const std::string msg = ledger_error([&] { l.mint(1, amt(11)); });
  CHECK_THAT(msg, Contains("account 1") && Contains("11"));
}

// ---------------------------------------------------------------------------------------------------------
// Conservation

TEST_CASE("check_conservation names the epoch and the last operations when a balance is corrupted", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.set_epoch(42);
  l.mint(0, amt(100), "genesis");
  l.transfer(0, 1, amt(25), "pay");
  CHECK_NOTHROW(l.check_conservation());
  LedgerTestAccess::add_to_balance(l, 1, 1);
  const std::string msg = conservation_error(l);
  CHECK_THAT(msg, Contains("epoch 42"));
  CHECK_THAT(msg, Contains("transfer") && Contains("pay") && Contains("25"));
  CHECK_THAT(msg, Contains("mint") && Contains("genesis"));
}

TEST_CASE("the conservation report lists the most recent operations, oldest first", "[ledger]") {
  static const char* const reasons[] = {"r00", "r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10", "r11"};
  Ledger l;
  l.open_accounts(1);
  for (std::int64_t i = 0; i < 12; ++i) {
    l.set_epoch(i);
    l.mint(0, amt(static_cast<u128>(1000 + i)), reasons[i]);
  }
  LedgerTestAccess::add_to_balance(l, 0, 7);
  const std::string msg = conservation_error(l);
  CHECK_THAT(msg, Contains("epoch 11"));
  const auto r9 = msg.find("r09");
  const auto r10 = msg.find("r10");
  const auto r11 = msg.find("r11");
  REQUIRE(r9 != std::string::npos);
  REQUIRE(r10 != std::string::npos);
  REQUIRE(r11 != std::string::npos);
  CHECK(r9 < r10);
  CHECK(r10 < r11);
  CHECK_THAT(msg, Contains("1011"));  // the amount of the last mint
}

TEST_CASE("the conservation report names the mints of a mint_many, oldest first", "[ledger][mint_many]") {
  Ledger l;
  l.open_accounts(3);
  l.set_epoch(8);
  l.mint(1, amt(5), "genesis");
  const std::vector<AccountId> accounts{0, 1, 2, 0, 1};
  const std::vector<TokenAmount> amounts{amt(1111), amt(0), amt(3333), amt(4444), amt(0)};
  l.mint_many(accounts, amounts, "reward");
  LedgerTestAccess::add_to_balance(l, 2, 1);
  const std::string msg = conservation_error(l);
  CHECK_THAT(msg, Contains("epoch 8") && Contains("reward") && Contains("genesis"));
  const auto a = msg.find("1111");
  const auto b = msg.find("3333");
  const auto c = msg.find("4444");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  REQUIRE(c != std::string::npos);
  CHECK(a < b);
  CHECK(b < c);
}

TEST_CASE("check_conservation catches a staked total, a queue or a burned total out of line", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.set_epoch(3);
  l.mint(0, amt(100));
  l.stake(0, amt(40));
  l.unstake(0, amt(10), days(0), days(1));
  REQUIRE_NOTHROW(l.check_conservation());

  SECTION("staked total on record differs from the staked buckets") {
    LedgerTestAccess::set_total_staked(l, 31);
    CHECK_THAT(conservation_error(l), Contains("epoch 3"));
  }
  SECTION("a staked bucket grew from nothing") {
    LedgerTestAccess::add_to_staked(l, 1, 5);
    CHECK_THAT(conservation_error(l), Contains("epoch 3"));
  }
  SECTION("the unbonding queue holds more than the unbonding buckets") {
    LedgerTestAccess::add_to_first_pending(l, 1);
    CHECK_THAT(conservation_error(l), Contains("epoch 3"));
  }
  SECTION("more burned than the accounts account for") {
    LedgerTestAccess::set_burned(l, 1);
    CHECK_THAT(conservation_error(l), Contains("epoch 3"));
  }
  SECTION("more burned than minted") {
    LedgerTestAccess::set_burned(l, 101);
    CHECK_THROWS_AS(l.check_conservation(), ConservationError);
  }
}

TEST_CASE("check_conservation names the epoch even before any operation", "[ledger]") {
  Ledger l;
  l.open_accounts(1);
  l.set_epoch(-5);
  LedgerTestAccess::add_to_balance(l, 0, 5);
  CHECK_THAT(conservation_error(l), Contains("epoch -5"));
}

TEST_CASE("the conservation report leaves out operations that were rolled back", "[ledger]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(100), "genesis");
  const auto c = l.checkpoint();
  l.transfer(0, 1, amt(10), "ghost one");
  l.transfer(0, 1, amt(11), "ghost two");
  l.transfer(0, 1, amt(12), "ghost three");
  l.rollback(c);
  l.transfer(0, 1, amt(5), "real");
  LedgerTestAccess::add_to_balance(l, 0, 1);
  const std::string msg = conservation_error(l);
  CHECK_THAT(msg, Contains("genesis") && Contains("real"));
  CHECK_THAT(msg, !Contains("ghost"));
}

// ---------------------------------------------------------------------------------------------------------
// Checkpoints

TEST_CASE("rollback of nested checkpoints restores balances, buckets and totals at each level", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(3);
  l.mint(0, amt(1000));
  l.stake(0, amt(100));
  const std::string s0 = state_of(l);

  const auto c1 = l.checkpoint();
  l.transfer(0, 1, amt(300));
  l.burn(0, amt(50));
  l.stake(1, amt(100));
  const std::string s1 = state_of(l);

  const auto c2 = l.checkpoint();
  l.mint(2, amt(70));
  l.unstake(1, amt(40), days(0), days(1));
  l.lock(0, amt(10));
  CHECK(l.slash(0, amt(30)) == amt(30));
  CHECK(l.balance(2) == amt(70));
  CHECK(l.total_staked() == amt(130));
  CHECK(l.total_burned() == amt(80));

  l.rollback(c2);
  CHECK(state_of(l) == s1);
  CHECK(l.balance(0) == amt(550));
  CHECK(l.balance(1) == amt(200));
  CHECK(l.staked(1) == amt(100));
  CHECK(l.unbonding(1).is_zero());
  CHECK(l.locked(0).is_zero());
  CHECK(l.total_staked() == amt(200));
  CHECK(l.total_minted() == amt(1000));
  CHECK(l.total_burned() == amt(50));
  CHECK_NOTHROW(l.check_conservation());

  l.rollback(c1);
  CHECK(state_of(l) == s0);
  CHECK(l.balance(0) == amt(900));
  CHECK(l.balance(1).is_zero());
  CHECK(l.total_staked() == amt(100));
  CHECK(l.total_burned().is_zero());
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("rollback restores the unbonding queue emptied by release_matured", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(1);
  l.enable_journal(true);
  l.mint(0, amt(100));
  l.stake(0, amt(100));
  l.unstake(0, amt(40), days(0), days(1));
  l.unstake(0, amt(20), days(0), days(2));
  const std::string before = state_of(l);

  const auto c = l.checkpoint();
  l.release_matured(days(2));
  CHECK(l.balance(0) == amt(60));
  CHECK(l.unbonding(0).is_zero());
  l.rollback(c);
  CHECK(state_of(l) == before);
  CHECK(l.balance(0).is_zero());
  CHECK(l.unbonding(0) == amt(60));

  // The restored entries are still due at their own times.
  l.release_matured(days(1));
  CHECK(l.balance(0) == amt(40));
  CHECK(l.unbonding(0) == amt(20));
  l.release_matured(days(2));
  CHECK(l.balance(0) == amt(60));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("rollback restores unbonding entries that slash reduced", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(100));
  l.stake(0, amt(100));
  l.unstake(0, amt(30), days(0), days(1));
  l.unstake(0, amt(20), days(0), days(2));
  const std::string before = state_of(l);

  const auto c = l.checkpoint();
  CHECK(l.slash(0, amt(90)) == amt(90));  // 50 stake + 20 + 20 of the 30
  l.release_matured(days(1));
  CHECK(l.balance(0) == amt(10));
  l.rollback(c);
  CHECK(state_of(l) == before);
  CHECK(l.staked(0) == amt(50));
  CHECK(l.unbonding(0) == amt(50));
  CHECK(l.total_burned().is_zero());
  CHECK(l.total_staked() == amt(50));

  l.release_matured(days(2));
  CHECK(l.balance(0) == amt(50));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("rollback restores an unbonding queue that grew and shrank in between", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(100));
  l.mint(1, amt(100));
  l.stake(0, amt(100));
  l.stake(1, amt(100));
  l.unstake(0, amt(10), days(0), days(3));
  l.unstake(1, amt(10), days(0), days(6));
  const std::string before = state_of(l);
  const auto c = l.checkpoint();
  l.unstake(1, amt(5), days(0), days(1));   // inserted at the front
  l.unstake(0, amt(7), days(0), days(4));   // inserted in the middle
  l.unstake(0, amt(9), days(0), days(9));   // appended
  l.release_matured(days(3));               // pops the first two entries
  (void)l.slash(1, amt(95));                // 85 stake + 10 of the day-6 entry
  l.unstake(0, amt(1), days(3), days(0));   // inserted at the front again
  l.release_matured(days(5));
  l.rollback(c);
  CHECK(state_of(l) == before);
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("rollback restores the export journal and the sequence numbers that follow", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.enable_journal(true);
  l.mint(0, amt(100), "genesis");
  const auto c = l.checkpoint();
  l.transfer(0, 1, amt(10), "undone");
  l.burn(0, amt(5), "undone");
  REQUIRE(l.journal().size() == 3);
  l.rollback(c);
  REQUIRE(l.journal().size() == 1);
  CHECK(std::strcmp(l.journal()[0].reason, "genesis") == 0);
  l.transfer(0, 1, amt(20), "kept");
  REQUIRE(l.journal().size() == 2);
  CHECK(l.journal()[1].sequence == 1);
  CHECK(l.journal()[1].amount == amt(20));
  CHECK(std::strcmp(l.journal()[1].reason, "kept") == 0);
}

TEST_CASE("rollback closes the accounts opened since the checkpoint", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(1, amt(5));
  const std::string before = state_of(l);
  const auto c = l.checkpoint();
  CHECK(l.open_accounts(3) == 2);
  l.mint(4, amt(9));
  l.stake(4, amt(4));        // first use of the staked bucket
  l.lock(3, amt(0));         // first use of the locked bucket
  l.transfer(4, 1, amt(2));
  l.unstake(4, amt(4), days(0), days(1));
  l.rollback(c);
  CHECK(l.account_count() == 2);
  CHECK(state_of(l) == before);
  CHECK_THROWS_AS(l.balance(2), LedgerError);
  CHECK_THROWS_AS(l.mint(4, amt(1)), LedgerError);
  CHECK_NOTHROW(l.check_conservation());
  // Ids are handed out again, to empty accounts.
  CHECK(l.open_accounts(3) == 2);
  for (AccountId a = 2; a < 5; ++a) {
    CHECK(l.balance(a).is_zero());
    CHECK(l.staked(a).is_zero());
    CHECK(l.unbonding(a).is_zero());
    CHECK(l.locked(a).is_zero());
  }
  l.release_matured(days(10));  // the rolled-back unstake must not come back
  CHECK(l.balance(4).is_zero());
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("commit of an inner checkpoint then rollback of the outer undoes both", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.enable_journal(true);
  l.mint(0, amt(100));
  const std::string before = state_of(l);
  const auto outer = l.checkpoint();
  l.transfer(0, 1, amt(10));
  const auto inner = l.checkpoint();
  l.open_account();
  l.mint(2, amt(3));
  l.stake(1, amt(10));
  l.unstake(1, amt(4), days(0), days(2));
  l.commit(inner);
  CHECK(l.balance(2) == amt(3));
  CHECK(l.staked(1) == amt(6));
  l.rollback(outer);
  CHECK(state_of(l) == before);
  CHECK(l.account_count() == 2);
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("commit of the outermost checkpoint keeps every change", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(100));
  const auto c = l.checkpoint();
  l.transfer(0, 1, amt(30));
  l.stake(1, amt(10));
  l.commit(c);
  CHECK(l.balance(0) == amt(70));
  CHECK(l.balance(1) == amt(20));
  CHECK(l.staked(1) == amt(10));
  const std::string committed = state_of(l);

  // A later checkpoint rolls back to the committed state, not past it.
  const auto d = l.checkpoint();
  l.burn(0, amt(70));
  l.rollback(d);
  CHECK(state_of(l) == committed);
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("a checkpoint with no change in between rolls back to the same state", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(8));
  const std::string before = state_of(l);
  const auto c = l.checkpoint();
  l.rollback(c);
  CHECK(state_of(l) == before);
  const auto d = l.checkpoint();
  l.commit(d);
  CHECK(state_of(l) == before);
}

TEST_CASE("closing checkpoints out of order throws std::logic_error and changes nothing", "[ledger][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(100));
  CHECK_THROWS_AS(l.rollback(Ledger::Checkpoint{}), std::logic_error);  // none open
  CHECK_THROWS_AS(l.commit(Ledger::Checkpoint{}), std::logic_error);

  const auto outer = l.checkpoint();
  l.transfer(0, 1, amt(10));
  const auto inner = l.checkpoint();
  l.transfer(0, 1, amt(20));
  const std::string during = state_of(l);
  CHECK_THROWS_AS(l.rollback(outer), std::logic_error);
  CHECK_THROWS_AS(l.commit(outer), std::logic_error);
  CHECK(state_of(l) == during);

  l.rollback(inner);
  CHECK(l.balance(1) == amt(10));
  CHECK_THROWS_AS(l.rollback(inner), std::logic_error);  // already closed; `outer` is innermost now
  l.rollback(outer);
  CHECK(l.balance(1).is_zero());
  CHECK(l.balance(0) == amt(100));
  CHECK_NOTHROW(l.check_conservation());
}

// ---------------------------------------------------------------------------------------------------------
// mint_many

TEST_CASE("mint_many mints each amount to its account and journals only non-zero amounts", "[ledger][mint_many]") {
  Ledger l;
  l.open_accounts(3);
  l.enable_journal(true);
  l.set_epoch(4);
  const std::vector<AccountId> accounts{0, 1, 0, 2};
  const std::vector<TokenAmount> amounts{amt(5), amt(0), amt(7), amt(1)};
  l.mint_many(accounts, amounts, "reward");
  CHECK(l.balance(0) == amt(12));
  CHECK(l.balance(1).is_zero());
  CHECK(l.balance(2) == amt(1));
  CHECK(l.total_minted() == amt(13));
  REQUIRE(l.journal().size() == 3);
  const AccountId to[] = {0, 0, 2};
  const u128 amount[] = {5, 7, 1};
  for (std::size_t i = 0; i < 3; ++i) {
    const JournalEntry& e = l.journal()[i];
    CHECK(e.sequence == i);
    CHECK(e.epoch == 4);
    CHECK(e.op == Operation::mint);
    CHECK(e.from == no_account);
    CHECK(e.to == to[i]);
    CHECK(e.amount == amt(amount[i]));
    CHECK(std::strcmp(e.reason, "reward") == 0);
  }
  CHECK_NOTHROW(l.check_conservation());

  l.mint_many({}, {}, "nothing");
  CHECK(l.total_minted() == amt(13));
  CHECK(l.journal().size() == 3);
  const std::vector<AccountId> one{1};
  const std::vector<TokenAmount> zero{amt(0)};
  l.mint_many(one, zero, "zero");
  CHECK(l.journal().size() == 3);
  CHECK(l.total_minted() == amt(13));
}

TEST_CASE("mint_many with an unknown account throws LedgerError and mints nothing", "[ledger][mint_many]") {
  Ledger l;
  l.open_accounts(3);
  l.enable_journal(true);
  l.mint(0, amt(1));
  const std::string before = state_of(l);
  const std::vector<AccountId> accounts{0, 1, 3, 2};  // 3 does not exist, and comes after valid ones
  const std::vector<TokenAmount> amounts{amt(5), amt(6), amt(7), amt(8)};
  CHECK_THAT(ledger_error([&] { l.mint_many(accounts, amounts, "reward"); }), Contains("account 3"));
  CHECK(state_of(l) == before);
}

TEST_CASE("mint_many with spans of different sizes throws LedgerError and mints nothing", "[ledger][mint_many]") {
  Ledger l;
  l.open_accounts(2);
  const std::string before = state_of(l);
  const std::vector<AccountId> accounts{0, 1};
  const std::vector<TokenAmount> amounts{amt(5)};
  (void)ledger_error([&] { l.mint_many(accounts, amounts, "reward"); });
  CHECK(state_of(l) == before);
}

TEST_CASE("mint_many that would overflow mints nothing", "[ledger][mint_many]") {
  Ledger l;
  l.open_accounts(3);
  l.enable_journal(true);
  l.mint(2, amt(kMax - 10));
  const std::string before = state_of(l);
  SECTION("the amounts alone sum past 2^128 - 1") {
    const std::vector<AccountId> accounts{0, 1};
    const std::vector<TokenAmount> amounts{amt(kMax), amt(1)};
    CHECK_THROWS(l.mint_many(accounts, amounts, "reward"));
  }
  SECTION("the amounts fit but minted + amounts does not") {
    const std::vector<AccountId> accounts{0, 1, 0};
    const std::vector<TokenAmount> amounts{amt(5), amt(0), amt(6)};
    CHECK_THROWS(l.mint_many(accounts, amounts, "reward"));
  }
  CHECK(state_of(l) == before);
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("mint_many that would overflow throws LedgerError", "[ledger][mint_many]") {
  // ledger.hpp: LedgerError is "raised by an operation that cannot be done (insufficient funds, unknown
  // account, overflow)".
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(kMax - 10));
  const std::vector<AccountId> accounts{0, 1};
  const std::vector<TokenAmount> amounts{amt(5), amt(6)};
  (void)ledger_error([&] { l.mint_many(accounts, amounts, "reward"); });
}

TEST_CASE("mint_many inside a checkpoint is undone by rollback", "[ledger][mint_many][checkpoint]") {
  Ledger l;
  l.open_accounts(2);
  l.enable_journal(true);
  const std::string before = state_of(l);
  const auto c = l.checkpoint();
  const std::vector<AccountId> accounts{0, 1};
  const std::vector<TokenAmount> amounts{amt(5), amt(6)};
  l.mint_many(accounts, amounts, "reward");
  CHECK(l.total_minted() == amt(11));
  l.rollback(c);
  CHECK(state_of(l) == before);
  CHECK(l.total_minted().is_zero());
}

// ---------------------------------------------------------------------------------------------------------
// Export journal

TEST_CASE("the export journal is off by default", "[ledger][journal]") {
  Ledger l;
  l.open_accounts(2);
  l.mint(0, amt(10));
  l.transfer(0, 1, amt(3));
  CHECK(l.journal().empty());
}

TEST_CASE("the export journal records sequence, epoch, operation, accounts, amount and reason", "[ledger][journal]") {
  Ledger l;
  l.open_accounts(3);
  l.enable_journal(true);
  l.set_epoch(1);
  l.mint(0, amt(1000), "genesis");
  l.transfer(0, 1, amt(300), "pay");
  l.set_epoch(2);
  l.stake(1, amt(200), "bond");
  l.unstake(1, amt(50), days(2), days(7), "unbond");
  l.release_matured(days(9));
  l.lock(0, amt(100), "vest");
  l.set_epoch(3);
  l.unlock(0, amt(40), "vested");
  CHECK(l.slash(1, amt(30), "fault") == amt(30));
  l.burn(0, amt(10), "fee");

  struct Expected {
    std::int64_t epoch;
    Operation op;
    AccountId from, to;
    u128 amount;
    const char* reason;
  };
  const Expected expected[] = {
      {1, Operation::mint, no_account, 0, 1000, "genesis"},
      {1, Operation::transfer, 0, 1, 300, "pay"},
      {2, Operation::stake, 1, 1, 200, "bond"},
      {2, Operation::unstake, 1, 1, 50, "unbond"},
      {2, Operation::release, 1, 1, 50, "unbonded"},
      {2, Operation::lock, 0, 0, 100, "vest"},
      {3, Operation::unlock, 0, 0, 40, "vested"},
      {3, Operation::slash, 1, no_account, 30, "fault"},
      {3, Operation::burn, 0, no_account, 10, "fee"},
  };
  REQUIRE(l.journal().size() == std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    INFO("entry " << i);
    const JournalEntry& e = l.journal()[i];
    CHECK(e.sequence == i);
    CHECK(e.epoch == expected[i].epoch);
    CHECK(e.op == expected[i].op);
    CHECK(e.from == expected[i].from);
    CHECK(e.to == expected[i].to);
    CHECK(e.amount == amt(expected[i].amount));
    CHECK(std::string(e.reason) == expected[i].reason);
  }
  CHECK(l.balance(0) == amt(630));
  CHECK(l.locked(0) == amt(60));
  CHECK(l.balance(1) == amt(150));
  CHECK(l.staked(1) == amt(120));
  CHECK(l.supply() == amt(960));
  CHECK_NOTHROW(l.check_conservation());
}

TEST_CASE("operation names are the words used in transfers.csv", "[ledger][journal]") {
  using dais::ledger::to_string;
  CHECK(std::string(to_string(Operation::mint)) == "mint");
  CHECK(std::string(to_string(Operation::burn)) == "burn");
  CHECK(std::string(to_string(Operation::transfer)) == "transfer");
  CHECK(std::string(to_string(Operation::stake)) == "stake");
  CHECK(std::string(to_string(Operation::unstake)) == "unstake");
  CHECK(std::string(to_string(Operation::release)) == "release");
  CHECK(std::string(to_string(Operation::slash)) == "slash");
  CHECK(std::string(to_string(Operation::lock)) == "lock");
  CHECK(std::string(to_string(Operation::unlock)) == "unlock");
}

TEST_CASE("sequence numbers count operations made while the journal was off", "[ledger][journal]") {
  Ledger l;
  l.open_accounts(1);
  l.mint(0, amt(1));
  l.mint(0, amt(2));
  l.enable_journal(true);
  l.mint(0, amt(3));
  REQUIRE(l.journal().size() == 1);
  CHECK(l.journal()[0].sequence == 2);
  l.enable_journal(false);
  l.mint(0, amt(4));
  CHECK(l.journal().size() == 1);
  l.enable_journal(true);
  l.clear_journal();
  CHECK(l.journal().empty());
  l.burn(0, amt(1));
  REQUIRE(l.journal().size() == 1);
  CHECK(l.journal()[0].sequence == 4);
  CHECK(l.journal()[0].op == Operation::burn);
}

TEST_CASE("failed operations leave no journal entry", "[ledger][journal]") {
  Ledger l;
  l.open_accounts(2);
  l.enable_journal(true);
  l.mint(0, amt(10));
  CHECK_THROWS_AS(l.burn(0, amt(11)), LedgerError);
  CHECK_THROWS_AS(l.transfer(0, 1, amt(11)), LedgerError);
  CHECK_THROWS_AS(l.stake(1, amt(1)), LedgerError);
  CHECK_THROWS_AS(l.mint(5, amt(1)), LedgerError);
  REQUIRE(l.journal().size() == 1);
  l.transfer(0, 1, amt(10));
  REQUIRE(l.journal().size() == 2);
  CHECK(l.journal()[1].sequence == 1);
}

// ---------------------------------------------------------------------------------------------------------
// Property: random operations against a shadow model

namespace {

// The ledger as plain maps and vectors, written from the header's contract alone.
struct Model {
  struct Buckets {
    u128 balance = 0, staked = 0, unbonding = 0, locked = 0;
  };
  struct Entry {
    std::int64_t epoch;
    Operation op;
    AccountId from, to;
    u128 amount;
  };
  std::map<AccountId, Buckets> accounts;
  std::vector<LedgerTestAccess::Pending> queue;  // in release order; ties in the order made
  u128 minted = 0, burned = 0;
  std::vector<Entry> journal;

  [[nodiscard]] bool has(AccountId a) const { return accounts.count(a) != 0; }
  [[nodiscard]] u128 staked_total() const {
    u128 s = 0;
    for (const auto& [id, b] : accounts) s += b.staked;
    return s;
  }
};

std::string mismatch(const Ledger& l, const Model& m) {
  std::ostringstream out;
  if (l.account_count() != m.accounts.size())
    out << "account count " << l.account_count() << " vs model " << m.accounts.size() << "; ";
  for (const auto& [a, b] : m.accounts) {
    if (a >= l.account_count()) break;
    const auto cmp = [&](const char* what, TokenAmount got, u128 want) {
      if (got.base_units() != want)
        out << what << "(" << a << ") " << u128_to_string(got.base_units()) << " vs model " << u128_to_string(want) << "; ";
    };
    cmp("balance", l.balance(a), b.balance);
    cmp("staked", l.staked(a), b.staked);
    cmp("unbonding", l.unbonding(a), b.unbonding);
    cmp("locked", l.locked(a), b.locked);
  }
  if (l.total_minted().base_units() != m.minted) out << "minted differs; ";
  if (l.total_burned().base_units() != m.burned) out << "burned differs; ";
  if (l.total_staked().base_units() != m.staked_total()) out << "staked total differs; ";
  if (LedgerTestAccess::queue(l) != m.queue) out << "unbonding queue differs; ";
  const auto& j = l.journal();
  if (j.size() != m.journal.size()) {
    out << "journal size " << j.size() << " vs model " << m.journal.size() << "; ";
  } else {
    for (std::size_t i = 0; i < j.size(); ++i) {
      const auto& e = j[i];
      const auto& w = m.journal[i];
      if (e.sequence != i || e.epoch != w.epoch || e.op != w.op || e.from != w.from || e.to != w.to ||
          e.amount.base_units() != w.amount) {
        out << "journal entry " << i << " is #" << e.sequence << " " << dais::ledger::to_string(e.op) << " " << e.from
            << "->" << e.to << " " << u128_to_string(e.amount.base_units()) << " at epoch " << e.epoch
            << ", model says " << dais::ledger::to_string(w.op) << " " << w.from << "->" << w.to << " "
            << u128_to_string(w.amount) << " at epoch " << w.epoch << "; ";
        break;
      }
    }
  }
  return out.str();
}

void run_random_operations(std::uint64_t seed, int steps) {
  std::mt19937_64 rng(seed);
  const auto below = [&](std::uint64_t n) { return n == 0 ? std::uint64_t{0} : rng() % n; };
  Ledger l;
  Model m;
  l.enable_journal(true);
  const AccountId first = l.open_accounts(5);
  REQUIRE(first == 0);
  for (AccountId a = 0; a < 5; ++a) m.accounts[a] = {};
  std::vector<std::pair<Ledger::Checkpoint, Model>> open;  // checkpoints with the model as it was then
  SimTime now = SimTime::zero();
  std::int64_t epoch = 0;
  int failures_expected = 0;
  int checkpoints_taken = 0;
  int rollbacks = 0;

  const auto pick_account = [&]() -> AccountId {
    const auto n = static_cast<AccountId>(m.accounts.size());
    switch (below(40)) {
      case 0: return n + static_cast<AccountId>(below(3));
      case 1: return no_account;
      default: return static_cast<AccountId>(below(n));
    }
  };
  // Mostly what is there, sometimes all of it, nothing, or a little more than there is.
  const auto pick_amount = [&](u128 available) -> u128 {
    const auto avail = static_cast<std::uint64_t>(available);
    switch (below(10)) {
      case 0: return 0;
      case 1: return available;
      case 2: return available + 1 + below(100);
      default: return below(avail + 1);
    }
  };
  const auto bucket = [&](AccountId a) -> Model::Buckets {
    const auto it = m.accounts.find(a);
    return it == m.accounts.end() ? Model::Buckets{} : it->second;
  };
  const auto expect = [&](bool valid, auto&& op) {
    if (valid) {
      REQUIRE_NOTHROW(op());
    } else {
      ++failures_expected;
      REQUIRE_THROWS_AS(op(), LedgerError);
    }
  };
  const auto log = [&](Operation op, AccountId from, AccountId to, u128 amount) {
    m.journal.push_back({epoch, op, from, to, amount});
  };

  for (int step = 0; step < steps; ++step) {
    const std::uint64_t dice = below(100);
    const char* what = "";
    if (dice < 10) {
      what = "mint";
      const AccountId a = pick_account();
      const u128 x = below(4) == 0 ? 0 : below(1'000'000);
      const bool ok = m.has(a);
      expect(ok, [&] { l.mint(a, amt(x), "mint"); });
      if (ok) {
        m.accounts[a].balance += x;
        m.minted += x;
        log(Operation::mint, no_account, a, x);
      }
    } else if (dice < 16) {
      what = "burn";
      const AccountId a = pick_account();
      const u128 x = pick_amount(bucket(a).balance);
      const bool ok = m.has(a) && x <= m.accounts[a].balance;
      expect(ok, [&] { l.burn(a, amt(x), "burn"); });
      if (ok) {
        m.accounts[a].balance -= x;
        m.burned += x;
        log(Operation::burn, a, no_account, x);
      }
    } else if (dice < 28) {
      what = "transfer";
      const AccountId a = pick_account();
      const AccountId b = pick_account();
      const u128 x = pick_amount(bucket(a).balance);
      const bool ok = m.has(a) && m.has(b) && x <= m.accounts[a].balance;
      expect(ok, [&] { l.transfer(a, b, amt(x), "transfer"); });
      if (ok) {
        m.accounts[a].balance -= x;
        m.accounts[b].balance += x;
        log(Operation::transfer, a, b, x);
      }
    } else if (dice < 36) {
      what = "stake";
      const AccountId a = pick_account();
      const u128 x = pick_amount(bucket(a).balance);
      const bool ok = m.has(a) && x <= m.accounts[a].balance;
      expect(ok, [&] { l.stake(a, amt(x), "stake"); });
      if (ok) {
        m.accounts[a].balance -= x;
        m.accounts[a].staked += x;
        log(Operation::stake, a, a, x);
      }
    } else if (dice < 44) {
      what = "unstake";
      const AccountId a = pick_account();
      const u128 x = pick_amount(bucket(a).staked);
      const SimTime delay = hours(static_cast<std::int64_t>(below(4)) * 24);
      const bool ok = m.has(a) && x <= m.accounts[a].staked;
      expect(ok, [&] { l.unstake(a, amt(x), now, delay, "unstake"); });
      if (ok) {
        m.accounts[a].staked -= x;
        m.accounts[a].unbonding += x;
        const std::int64_t due = (now + delay).ticks();
        const auto at = std::find_if(m.queue.begin(), m.queue.end(), [&](const auto& p) { return p.release_at > due; });
        m.queue.insert(at, LedgerTestAccess::Pending{due, a, x});
        log(Operation::unstake, a, a, x);
      }
    } else if (dice < 50) {
      what = "release_matured";
      REQUIRE_NOTHROW(l.release_matured(now));
      while (!m.queue.empty() && m.queue.front().release_at <= now.ticks()) {
        const auto p = m.queue.front();
        m.queue.erase(m.queue.begin());
        m.accounts[p.account].unbonding -= p.amount;
        m.accounts[p.account].balance += p.amount;
        log(Operation::release, p.account, p.account, p.amount);
      }
    } else if (dice < 55) {
      what = "slash";
      const AccountId a = pick_account();
      const u128 x = pick_amount(bucket(a).staked + bucket(a).unbonding);
      const bool ok = m.has(a);
      TokenAmount got;
      expect(ok, [&] { got = l.slash(a, amt(x), "slash"); });
      if (ok) {
        auto& b = m.accounts[a];
        u128 taken = std::min(b.staked, x);
        b.staked -= taken;
        for (std::size_t k = m.queue.size(); k-- > 0 && taken < x;) {
          if (m.queue[k].account != a) continue;
          const u128 t = std::min(m.queue[k].amount, x - taken);
          m.queue[k].amount -= t;
          b.unbonding -= t;
          taken += t;
          // An emptied entry leaves the queue, so it releases nothing later.
          if (m.queue[k].amount == 0) m.queue.erase(m.queue.begin() + static_cast<std::ptrdiff_t>(k));
        }
        m.burned += taken;
        if (taken != 0) log(Operation::slash, a, no_account, taken);
        REQUIRE(got == amt(taken));
      }
    } else if (dice < 60) {
      what = "lock";
      const AccountId a = pick_account();
      const u128 x = pick_amount(bucket(a).balance);
      const bool ok = m.has(a) && x <= m.accounts[a].balance;
      expect(ok, [&] { l.lock(a, amt(x), "lock"); });
      if (ok) {
        m.accounts[a].balance -= x;
        m.accounts[a].locked += x;
        log(Operation::lock, a, a, x);
      }
    } else if (dice < 65) {
      what = "unlock";
      const AccountId a = pick_account();
      const u128 x = pick_amount(bucket(a).locked);
      const bool ok = m.has(a) && x <= m.accounts[a].locked;
      expect(ok, [&] { l.unlock(a, amt(x), "unlock"); });
      if (ok) {
        m.accounts[a].locked -= x;
        m.accounts[a].balance += x;
        log(Operation::unlock, a, a, x);
      }
    } else if (dice < 71) {
      what = "mint_many";
      const std::size_t k = below(5);
      std::vector<AccountId> accounts;
      std::vector<TokenAmount> amounts;
      bool ok = true;
      for (std::size_t i = 0; i < k; ++i) {
        accounts.push_back(pick_account());
        amounts.push_back(amt(below(3) == 0 ? 0 : below(100'000)));
        ok = ok && m.has(accounts.back());
      }
      if (below(30) == 0) {
        amounts.push_back(amt(1));  // sizes differ
        ok = false;
      }
      expect(ok, [&] { l.mint_many(accounts, amounts, "mint_many"); });
      if (ok) {
        for (std::size_t i = 0; i < k; ++i) {
          const u128 x = amounts[i].base_units();
          m.minted += x;
          if (x == 0) continue;
          m.accounts[accounts[i]].balance += x;
          log(Operation::mint, no_account, accounts[i], x);
        }
      }
    } else if (dice < 73) {
      what = "open_account";
      if (m.accounts.size() < 40) {
        const auto id = static_cast<AccountId>(m.accounts.size());
        REQUIRE(l.open_account() == id);
        m.accounts[id] = {};
      }
    } else if (dice < 81) {
      what = "advance";
      now += hours(static_cast<std::int64_t>(below(48)));
      l.set_epoch(++epoch);
    } else if (dice < 87) {
      what = "checkpoint";
      if (open.size() < 6) {
        open.emplace_back(l.checkpoint(), m);
        ++checkpoints_taken;
      }
    } else if (dice < 93) {
      what = "rollback";
      if (!open.empty()) {
        REQUIRE_NOTHROW(l.rollback(open.back().first));
        m = open.back().second;
        open.pop_back();
        ++rollbacks;
      }
    } else {
      what = "commit";
      if (!open.empty()) {
        REQUIRE_NOTHROW(l.commit(open.back().first));
        open.pop_back();
      }
    }

    try {
      l.check_conservation();
    } catch (const ConservationError& e) {
      FAIL("seed " << seed << ", step " << step << " (" << what << "): " << e.what());
    }
    const std::string diff = mismatch(l, m);
    if (!diff.empty()) FAIL("seed " << seed << ", step " << step << " (" << what << "): " << diff);
  }

  // Unwind what is still open, innermost first, and land on the model of the outermost.
  while (!open.empty()) {
    l.rollback(open.back().first);
    m = open.back().second;
    open.pop_back();
  }
  CHECK(mismatch(l, m).empty());
  CHECK_NOTHROW(l.check_conservation());
  // The run exercised what it is meant to.
  CHECK(failures_expected > steps / 50);
  CHECK(checkpoints_taken > steps / 50);
  CHECK(rollbacks > steps / 100);
  CHECK(m.journal.size() > static_cast<std::size_t>(steps / 20));
}

}  // namespace

TEST_CASE("property: 10,000 random operations keep the books and match a shadow model", "[ledger][property]") {
  run_random_operations(1, 10'000);
}

TEST_CASE("property: more random operation sequences keep the books and match a shadow model", "[ledger][property][long]") {
  for (std::uint64_t seed = 2; seed <= 21; ++seed) run_random_operations(seed, 10'000);
}
