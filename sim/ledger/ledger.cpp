#include "sim/ledger/ledger.hpp"

#include <algorithm>

namespace dais::ledger {

namespace {

std::string units(TokenAmount a) { return u128_to_string(a.base_units()); }

[[noreturn, gnu::cold]] void refuse_funds(const char* operation, const char* preposition, AccountId a,
                                          TokenAmount amount, TokenAmount held, const char* bucket) {
  const std::string has = std::string_view(bucket) == "balance" ? "its balance is only " + units(held)
                                                                : "it has only " + units(held) + " " + bucket;
  throw LedgerError(std::string(operation) + " of " + units(amount) + " base units " + preposition + " account " +
                    std::to_string(a) + ": " + has);
}

// Refuses an operation that takes more than a bucket holds, naming the operation, the account and both amounts.
// The message is built out of line, so the check inlines into every operation.
inline void require_funds(const char* operation, const char* preposition, AccountId a, TokenAmount amount,
                          TokenAmount held, const char* bucket) {
  if (held < amount) refuse_funds(operation, preposition, a, amount, held, bucket);
}

}  // namespace

const char* to_string(Operation op) noexcept {
  switch (op) {
    case Operation::mint: return "mint";
    case Operation::burn: return "burn";
    case Operation::transfer: return "transfer";
    case Operation::stake: return "stake";
    case Operation::unstake: return "unstake";
    case Operation::release: return "release";
    case Operation::slash: return "slash";
    case Operation::lock: return "lock";
    case Operation::unlock: return "unlock";
  }
  return "?";
}

AccountId Ledger::open_accounts(std::uint32_t count) {
  const std::size_t first = balance_.size();
  if (first + count >= no_account) throw LedgerError("too many accounts for 32-bit account ids");
  const std::size_t n = first + count;
  balance_.resize(n);
  for (auto* b : {&staked_, &unbonding_, &locked_})
    if (!b->empty()) b->resize(n);
  return static_cast<AccountId>(first);
}

void Ledger::refuse_account(AccountId a, const char* what) const {
  throw LedgerError(std::string(what) + ": no account " + std::to_string(a) + " (the ledger has " +
                    std::to_string(balance_.size()) + ")");
}

std::vector<TokenAmount>& Ledger::bucket(Bucket b) noexcept {
  switch (b) {
    case Bucket::balance: return balance_;
    case Bucket::staked: return staked_;
    case Bucket::unbonding: return unbonding_;
    case Bucket::locked: break;
  }
  return locked_;
}

TokenAmount Ledger::get(Bucket b, AccountId a) const noexcept {
  const std::vector<TokenAmount>& v = const_cast<Ledger*>(this)->bucket(b);
  return a < v.size() ? v[a] : TokenAmount{};
}

TokenAmount Ledger::balance(AccountId a) const {
  require_account(a, "balance");
  return balance_[a];
}
TokenAmount Ledger::staked(AccountId a) const {
  require_account(a, "staked");
  return get(Bucket::staked, a);
}
TokenAmount Ledger::unbonding(AccountId a) const {
  require_account(a, "unbonding");
  return get(Bucket::unbonding, a);
}
TokenAmount Ledger::locked(AccountId a) const {
  require_account(a, "locked");
  return get(Bucket::locked, a);
}

// The rare parts of set() out of line, so that set() inlines: a bucket's first use, and an undo record.
void Ledger::allocate_bucket(std::vector<TokenAmount>& v) { v.resize(balance_.size()); }
void Ledger::keep_undo(Bucket b, AccountId a, TokenAmount old_amount) {
  undo_.push_back(Undo{Undo::Kind::bucket, b, a, 0, old_amount, {}});
}

inline void Ledger::set(Bucket b, AccountId a, TokenAmount value) {
  std::vector<TokenAmount>& v = bucket(b);
  if (v.size() != balance_.size()) [[unlikely]] allocate_bucket(v);
  if (recording()) [[unlikely]] keep_undo(b, a, v[a]);
  v[a] = value;
}

void Ledger::set_total(Undo::Kind kind, TokenAmount& total, TokenAmount value) {
  if (recording()) undo_.push_back(Undo{kind, Bucket::balance, 0, 0, total, {}});
  total = value;
}

inline void Ledger::record(Operation op, AccountId from, AccountId to, TokenAmount amount, const char* reason) {
  const JournalEntry e{sequence_++, epoch_, op, from, to, amount, reason};
  recent_[e.sequence % recent_capacity] = e;
  if (journal_on_) journal_.push_back(e);
}

// minted + amount, or a LedgerError saying what could not be minted.
TokenAmount Ledger::minted_after(TokenAmount amount, const char* what) const {
  u128 sum = 0;
  if (__builtin_add_overflow(minted_.base_units(), amount.base_units(), &sum))
    throw LedgerError(std::string(what) + " of " + units(amount) + " base units: the supply would pass 2^128 - 1 (" +
                      units(minted_) + " minted so far)");
  return TokenAmount::from_base_units(sum);
}

void Ledger::mint(AccountId to, TokenAmount amount, const char* reason) {
  require_account(to, "mint");
  const TokenAmount minted = minted_after(amount, ("mint to account " + std::to_string(to)).c_str());
  set(Bucket::balance, to, balance_[to] + amount);
  set_total(Undo::Kind::minted, minted_, minted);
  record(Operation::mint, no_account, to, amount, reason);
}

void Ledger::mint_many(std::span<const AccountId> accounts, std::span<const TokenAmount> amounts,
                       const char* reason) {
  if (accounts.size() != amounts.size()) throw LedgerError("mint_many: accounts and amounts differ in size");
  u128 total = 0;
  bool overflow = false;
  AccountId highest = 0;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    highest = std::max(highest, accounts[i]);
    overflow |= __builtin_add_overflow(total, amounts[i].base_units(), &total);
  }
  if (!accounts.empty()) require_account(highest, "mint");
  if (overflow) throw LedgerError("mint of " + std::to_string(accounts.size()) + " amounts: their sum passes 2^128 - 1");
  // Every balance is at most the supply, so once minted + total fits, no balance below can overflow.
  const TokenAmount minted = minted_after(TokenAmount::from_base_units(total), "mint");
  const std::uint64_t first_sequence = sequence_;
  if (!recording() && !journal_on_) {
    // Nothing to record per operation: a branch-free pass (adding a zero amount changes nothing, and only
    // non-zero amounts count as operations).
    std::uint64_t operations = 0;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
      const u128 amount = amounts[i].base_units();
      TokenAmount& balance = balance_[accounts[i]];
      balance = TokenAmount::from_base_units(balance.base_units() + amount);
      operations += amount != 0;
    }
    sequence_ += operations;
  } else {
    for (std::size_t i = 0; i < accounts.size(); ++i) {
      if (amounts[i].is_zero()) continue;
      const AccountId a = accounts[i];
      if (recording()) undo_.push_back(Undo{Undo::Kind::bucket, Bucket::balance, a, 0, balance_[a], {}});
      balance_[a] = TokenAmount::from_base_units(balance_[a].base_units() + amounts[i].base_units());
      if (journal_on_) journal_.push_back({sequence_, epoch_, Operation::mint, no_account, a, amounts[i], reason});
      ++sequence_;
    }
  }
  // The ring of recent operations needs only the last few of them.
  std::uint64_t s = sequence_;
  for (std::size_t i = accounts.size(); i-- > 0 && s > first_sequence && sequence_ - s < recent_capacity;) {
    if (amounts[i].is_zero()) continue;
    --s;
    recent_[s % recent_capacity] = {s, epoch_, Operation::mint, no_account, accounts[i], amounts[i], reason};
  }
  set_total(Undo::Kind::minted, minted_, minted);
}

void Ledger::burn(AccountId from, TokenAmount amount, const char* reason) {
  require_account(from, "burn");
  require_funds("burn", "from", from, amount, balance_[from], "balance");
  set(Bucket::balance, from, balance_[from] - amount);
  set_total(Undo::Kind::burned, burned_, burned_ + amount);
  record(Operation::burn, from, no_account, amount, reason);
}

void Ledger::transfer(AccountId from, AccountId to, TokenAmount amount, const char* reason) {
  require_account(from, "transfer");
  require_account(to, "transfer");
  require_funds("transfer", "from", from, amount, balance_[from], "balance");
  set(Bucket::balance, from, balance_[from] - amount);
  set(Bucket::balance, to, balance_[to] + amount);
  record(Operation::transfer, from, to, amount, reason);
}

void Ledger::stake(AccountId a, TokenAmount amount, const char* reason) {
  require_account(a, "stake");
  require_funds("stake", "by", a, amount, balance_[a], "balance");
  set(Bucket::balance, a, balance_[a] - amount);
  set(Bucket::staked, a, get(Bucket::staked, a) + amount);
  set_total(Undo::Kind::total_staked, total_staked_, total_staked_ + amount);
  record(Operation::stake, a, a, amount, reason);
}

void Ledger::insert_unbonding(const Unbonding& entry) {
  const auto later = [](const Unbonding& x, const Unbonding& y) {
    return x.release_at != y.release_at ? x.release_at < y.release_at : x.sequence < y.sequence;
  };
  const auto at = std::upper_bound(unbonding_queue_.begin(), unbonding_queue_.end(), entry, later);
  const auto position = static_cast<std::size_t>(at - unbonding_queue_.begin());
  unbonding_queue_.insert(at, entry);
  if (recording()) undo_.push_back(Undo{Undo::Kind::queue_insert, Bucket::balance, 0, position, {}, {}});
}

void Ledger::unstake(AccountId a, TokenAmount amount, core::SimTime now, core::SimTime delay, const char* reason) {
  require_account(a, "unstake");
  const TokenAmount staked_now = get(Bucket::staked, a);
  require_funds("unstake", "by", a, amount, staked_now, "staked");
  const core::SimTime release_at = now + delay;
  set(Bucket::staked, a, staked_now - amount);
  set(Bucket::unbonding, a, get(Bucket::unbonding, a) + amount);
  set_total(Undo::Kind::total_staked, total_staked_, total_staked_ - amount);
  insert_unbonding(Unbonding{release_at, unbonding_sequence_++, a, amount});
  record(Operation::unstake, a, a, amount, reason);
}

void Ledger::release_matured(core::SimTime now) {
  while (!unbonding_queue_.empty() && unbonding_queue_.front().release_at <= now) {
    const Unbonding due = unbonding_queue_.front();
    set(Bucket::unbonding, due.account, get(Bucket::unbonding, due.account) - due.amount);
    set(Bucket::balance, due.account, balance_[due.account] + due.amount);
    if (recording()) undo_.push_back(Undo{Undo::Kind::queue_erase, Bucket::balance, 0, 0, {}, due});  // position 0
    unbonding_queue_.pop_front();
    record(Operation::release, due.account, due.account, due.amount, "unbonded");
  }
}

TokenAmount Ledger::slash(AccountId a, TokenAmount amount, const char* reason) {
  require_account(a, "slash");
  const TokenAmount staked_now = get(Bucket::staked, a);
  const TokenAmount from_stake = std::min(staked_now, amount);
  TokenAmount slashed = from_stake;
  if (!from_stake.is_zero()) {
    set(Bucket::staked, a, staked_now - from_stake);
    set_total(Undo::Kind::total_staked, total_staked_, total_staked_ - from_stake);
  }
  // Then from what is unbonding, latest first: slashing still applies during the unbonding delay.
  for (std::size_t k = unbonding_queue_.size(); k-- > 0 && slashed < amount;) {
    Unbonding& entry = unbonding_queue_[k];
    if (entry.account != a) continue;
    const TokenAmount take = std::min(entry.amount, amount - slashed);
    set(Bucket::unbonding, a, get(Bucket::unbonding, a) - take);
    slashed += take;
    if (take == entry.amount) {  // emptied: gone from the queue, so it releases nothing later
      if (recording()) undo_.push_back(Undo{Undo::Kind::queue_erase, Bucket::balance, 0, k, {}, entry});
      unbonding_queue_.erase(unbonding_queue_.begin() + static_cast<std::ptrdiff_t>(k));
      continue;
    }
    if (recording()) undo_.push_back(Undo{Undo::Kind::queue_amount, Bucket::balance, 0, k, entry.amount, {}});
    entry.amount -= take;
  }
  if (slashed.is_zero()) return slashed;
  set_total(Undo::Kind::burned, burned_, burned_ + slashed);
  record(Operation::slash, a, no_account, slashed, reason);
  return slashed;
}

void Ledger::lock(AccountId a, TokenAmount amount, const char* reason) {
  require_account(a, "lock");
  require_funds("lock", "by", a, amount, balance_[a], "balance");
  set(Bucket::balance, a, balance_[a] - amount);
  set(Bucket::locked, a, get(Bucket::locked, a) + amount);
  record(Operation::lock, a, a, amount, reason);
}

void Ledger::unlock(AccountId a, TokenAmount amount, const char* reason) {
  require_account(a, "unlock");
  const TokenAmount locked_now = get(Bucket::locked, a);
  require_funds("unlock", "by", a, amount, locked_now, "locked");
  set(Bucket::locked, a, locked_now - amount);
  set(Bucket::balance, a, balance_[a] + amount);
  record(Operation::unlock, a, a, amount, reason);
}

void Ledger::check_conservation() const {
  // Sums in u128 without overflow checks: each bucket sum is at most the supply when the books are right,
  // and a wrapped sum cannot match minted - burned by accident except in a corrupted state we report anyway.
  const auto sum = [](const std::vector<TokenAmount>& v) {
    u128 s = 0;
    for (TokenAmount x : v) s += x.base_units();
    return s;
  };
  const u128 balances = sum(balance_);
  const u128 staked = sum(staked_);
  const u128 unbonding = sum(unbonding_);
  const u128 locked = sum(locked_);
  u128 queued = 0;
  for (const Unbonding& u : unbonding_queue_) queued += u.amount.base_units();
  const u128 held = balances + staked + unbonding + locked;
  const bool supply_ok = burned_ <= minted_ && held == minted_.base_units() - burned_.base_units();
  if (supply_ok && staked == total_staked_.base_units() && queued == unbonding) return;

  std::string report = "conservation violated at epoch " + std::to_string(epoch_) + ": accounts hold " +
                       u128_to_string(held) + " base units (balances " + u128_to_string(balances) + ", staked " +
                       u128_to_string(staked) + ", unbonding " + u128_to_string(unbonding) + ", locked " +
                       u128_to_string(locked) + ") against minted " + units(minted_) + " - burned " +
                       units(burned_) + "; staked total on record " + units(total_staked_) +
                       ", unbonding queue " + u128_to_string(queued) + "; last operations:";
  const std::uint64_t first = sequence_ > recent_capacity ? sequence_ - recent_capacity : 0;
  for (std::uint64_t s = first; s < sequence_; ++s) {
    const JournalEntry& e = recent_[s % recent_capacity];
    if (e.sequence != s) continue;  // a slot last written by an operation that was rolled back
    const auto who = [](AccountId id) { return id == no_account ? std::string("-") : std::to_string(id); };
    report += " #" + std::to_string(e.sequence) + " " + to_string(e.op) + " " + who(e.from) + "->" + who(e.to) +
              " " + units(e.amount) + " (" + e.reason + ");";
  }
  if (sequence_ == 0) report += " none";
  throw ConservationError(report);
}

Ledger::Checkpoint Ledger::checkpoint() {
  const Checkpoint c{undo_.size(), journal_.size(), sequence_, account_count(), next_checkpoint_id_++};
  open_checkpoints_.push_back(c.id);
  return c;
}

void Ledger::close(const Checkpoint& c) {
  if (open_checkpoints_.empty() || open_checkpoints_.back() != c.id)
    throw std::logic_error("ledger checkpoints must be closed once each, innermost first");
  open_checkpoints_.pop_back();
}

void Ledger::rollback(const Checkpoint& c) {
  close(c);
  while (undo_.size() > c.undo_size) {
    const Undo u = undo_.back();
    undo_.pop_back();
    switch (u.kind) {
      case Undo::Kind::bucket: bucket(u.bucket)[u.account] = u.old_amount; break;
      case Undo::Kind::minted: minted_ = u.old_amount; break;
      case Undo::Kind::burned: burned_ = u.old_amount; break;
      case Undo::Kind::total_staked: total_staked_ = u.old_amount; break;
      case Undo::Kind::queue_insert:
        unbonding_queue_.erase(unbonding_queue_.begin() + static_cast<std::ptrdiff_t>(u.position));
        break;
      case Undo::Kind::queue_erase:
        unbonding_queue_.insert(unbonding_queue_.begin() + static_cast<std::ptrdiff_t>(u.position), u.erased);
        break;
      case Undo::Kind::queue_amount: unbonding_queue_[u.position].amount = u.old_amount; break;
    }
  }
  const std::size_t n = c.accounts;
  balance_.resize(n);
  for (auto* b : {&staked_, &unbonding_, &locked_})
    if (b->size() > n) b->resize(n);
  journal_.resize(c.journal_size);
  sequence_ = c.sequence;
}

void Ledger::commit(const Checkpoint& c) {
  close(c);
  if (!recording()) undo_.clear();  // an outer checkpoint still needs the records to roll back past this one
}

}  // namespace dais::ledger
