#pragma once
// Which ledger accounts belong to which agent. Usually agent i owns exactly account first + i (agents open
// their accounts one after the other), and the map stores nothing: both lookups are one subtraction, which
// saves 8 bytes per agent and a memory load on every lookup. The first agent that breaks the pattern (a
// Sybil's identities, an account opened between two agents) switches the map to explicit tables.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/ledger/ledger.hpp"

namespace dais::models {

class AgentAccounts {
 public:
  using AccountId = ledger::AccountId;

  // Agents' accounts start at `first`; `capacity` agents are expected (reserved if the tables are needed).
  void open(AccountId first, std::size_t capacity) {
    first_ = first;
    capacity_ = capacity;
  }

  // Agent `agent` (the next id) owns accounts [own, end): its own, then its Sybil identities'.
  void add(std::uint32_t agent, AccountId own, AccountId end) {
    if (identity_ && own == first_ + agent && end == own + 1 && agent == agents_) {
      ++agents_;
      return;
    }
    if (identity_) materialize();
    agent_account_.push_back(own);
    if (account_agent_.size() < end - first_) account_agent_.resize(end - first_);
    for (AccountId a = own; a < end; ++a) account_agent_[a - first_] = agent;
    ++agents_;
  }

  [[nodiscard]] AccountId account_of(std::uint32_t agent) const noexcept {
    return identity_ ? first_ + agent : agent_account_[agent];
  }
  // `account` must be one of the agents' accounts.
  [[nodiscard]] std::uint32_t agent_of(AccountId account) const noexcept {
    return identity_ ? account - first_ : account_agent_[account - first_];
  }
  // The agents' accounts are [first(), first() + accounts()), every one an agent's.
  [[nodiscard]] AccountId first() const noexcept { return first_; }
  [[nodiscard]] std::size_t accounts() const noexcept { return identity_ ? agents_ : account_agent_.size(); }
  [[nodiscard]] bool tabulated() const noexcept { return !identity_; }

 private:
  void materialize() {
    identity_ = false;
    agent_account_.reserve(capacity_);
    account_agent_.reserve(capacity_);
    for (std::uint32_t i = 0; i < agents_; ++i) {
      agent_account_.push_back(first_ + i);
      account_agent_.push_back(i);
    }
  }

  AccountId first_ = 0;
  std::size_t capacity_ = 0;
  std::uint32_t agents_ = 0;
  bool identity_ = true;
  std::vector<AccountId> agent_account_;     // by agent id, once tabulated
  std::vector<std::uint32_t> account_agent_;  // by account - first, once tabulated
};

}  // namespace dais::models
