#include <catch2/catch.hpp>

#include "models/economy/agent_accounts.hpp"

using dais::models::AgentAccounts;

TEST_CASE("agents with one account each in order need no table", "[economy][accounts]") {
  AgentAccounts map;
  map.open(10, 4);
  for (std::uint32_t i = 0; i < 4; ++i) map.add(i, 10 + i, 11 + i);
  CHECK_FALSE(map.tabulated());
  CHECK(map.accounts() == 4);
  for (std::uint32_t i = 0; i < 4; ++i) {
    CHECK(map.account_of(i) == 10 + i);
    CHECK(map.agent_of(10 + i) == i);
  }
}

TEST_CASE("a Sybil's identities switch to tables that keep every earlier agent", "[economy][accounts]") {
  AgentAccounts map;
  map.open(5, 8);
  map.add(0, 5, 6);
  map.add(1, 6, 7);
  map.add(2, 7, 10);  // its own account 7, identities 8 and 9
  map.add(3, 10, 11);
  CHECK(map.tabulated());
  CHECK(map.accounts() == 6);
  CHECK(map.account_of(0) == 5);
  CHECK(map.account_of(1) == 6);
  CHECK(map.account_of(2) == 7);
  CHECK(map.account_of(3) == 10);
  CHECK(map.agent_of(5) == 0);
  CHECK(map.agent_of(6) == 1);
  for (dais::ledger::AccountId a : {7u, 8u, 9u}) CHECK(map.agent_of(a) == 2);
  CHECK(map.agent_of(10) == 3);
}

TEST_CASE("an account opened between two agents breaks the pattern and is not an agent's", "[economy][accounts]") {
  AgentAccounts map;
  map.open(0, 4);
  map.add(0, 0, 1);
  map.add(1, 2, 3);  // account 1 went to someone else (a pool, a contract)
  CHECK(map.tabulated());
  CHECK(map.account_of(1) == 2);
  CHECK(map.agent_of(2) == 1);
  CHECK(map.agent_of(0) == 0);
}
