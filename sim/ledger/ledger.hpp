#pragma once
// The exact token ledger: accounts holding integer amounts in four buckets (balance, staked, unbonding,
// locked). Tokens enter only by mint and leave only by burn; every other operation moves them between
// buckets or accounts. Invariant, checked by check_conservation():
//     sum(balance + staked + unbonding + locked) == minted - burned
// A violation is a bug: it throws ConservationError naming the epoch and the last operations.
// checkpoint()/rollback() undo everything since a checkpoint from a journal of old values, so a rejected
// reward allocation leaves no trace. The optional export journal is the audit trail behind transfers.csv.

#include <cstdint>
#include <deque>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"

namespace dais::ledger {

using AccountId = std::uint32_t;

enum class Operation : std::uint8_t { mint, burn, transfer, stake, unstake, release, slash, lock, unlock };
const char* to_string(Operation op) noexcept;

// Raised by an operation that cannot be done (insufficient funds, unknown account, overflow).
class LedgerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Raised when the conservation invariant fails: a bug in the code that moved tokens.
class ConservationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One ledger operation as written to the export journal. `from`/`to` are no_account where not applicable
// (mint has no source, burn no destination). `reason` is a short static label given by the caller.
struct JournalEntry {
  std::uint64_t sequence = 0;
  std::int64_t epoch = 0;
  Operation op = Operation::mint;
  AccountId from = 0;
  AccountId to = 0;
  TokenAmount amount;
  const char* reason = "";
};

inline constexpr AccountId no_account = 0xffffffffu;

class Ledger {
 public:
  // Opens `count` accounts with empty buckets; returns the id of the first (ids are contiguous).
  AccountId open_accounts(std::uint32_t count);
  AccountId open_account() { return open_accounts(1); }
  // Capacity for `count` accounts, so opening them later moves no memory.
  void reserve_accounts(std::uint32_t count) { balance_.reserve(count); }
  [[nodiscard]] std::uint32_t account_count() const noexcept { return static_cast<std::uint32_t>(balance_.size()); }

  [[nodiscard]] TokenAmount balance(AccountId a) const;
  [[nodiscard]] TokenAmount staked(AccountId a) const;
  [[nodiscard]] TokenAmount unbonding(AccountId a) const;
  [[nodiscard]] TokenAmount locked(AccountId a) const;

  // The epoch stamped on journal entries and named in conservation reports.
  void set_epoch(std::int64_t epoch) noexcept { epoch_ = epoch; }
  [[nodiscard]] std::int64_t epoch() const noexcept { return epoch_; }

  void mint(AccountId to, TokenAmount amount, const char* reason = "mint");
  void burn(AccountId from, TokenAmount amount, const char* reason = "burn");
  void transfer(AccountId from, AccountId to, TokenAmount amount, const char* reason = "transfer");
  // balance -> staked
  void stake(AccountId a, TokenAmount amount, const char* reason = "stake");
  // staked -> unbonding; released to balance by release_matured() once `now + delay` is reached.
  void unstake(AccountId a, TokenAmount amount, core::SimTime now, core::SimTime delay,
               const char* reason = "unstake");
  // Moves every unbonding amount due at or before `now` back to its balance.
  void release_matured(core::SimTime now);
  // Takes up to `amount` from staked, then from unbonding (latest first), and burns it.
  // Returns what was actually slashed.
  TokenAmount slash(AccountId a, TokenAmount amount, const char* reason = "slash");
  // balance <-> locked (vesting, vote-escrow)
  void lock(AccountId a, TokenAmount amount, const char* reason = "lock");
  void unlock(AccountId a, TokenAmount amount, const char* reason = "unlock");

  [[nodiscard]] TokenAmount total_minted() const noexcept { return minted_; }
  [[nodiscard]] TokenAmount total_burned() const noexcept { return burned_; }
  [[nodiscard]] TokenAmount supply() const noexcept { return minted_ - burned_; }
  [[nodiscard]] TokenAmount total_staked() const noexcept { return total_staked_; }

  // Recomputes every bucket's sum from the accounts and compares with minted - burned.
  void check_conservation() const;

  // Undo support. Checkpoints nest; rollback(c) undoes every change made after checkpoint c was taken,
  // commit(c) keeps them and closes c. Checkpoints must be closed innermost first. Outside any checkpoint
  // no undo record is kept, so plain operations cost nothing extra.
  struct Checkpoint {
    std::size_t undo_size = 0;
    std::size_t journal_size = 0;
    std::uint64_t sequence = 0;
    std::uint32_t accounts = 0;
    std::uint64_t id = 0;
  };
  Checkpoint checkpoint();
  void rollback(const Checkpoint& c);
  void commit(const Checkpoint& c);

  // Mints amounts[i] to accounts[i] for every i, all or nothing: everything is checked before any bucket
  // changes. The reward pipeline's one call per role and epoch.
  void mint_many(std::span<const AccountId> accounts, std::span<const TokenAmount> amounts, const char* reason);

  // The export journal: off by default; when on, every operation is appended.
  void enable_journal(bool on) noexcept { journal_on_ = on; }
  [[nodiscard]] const std::vector<JournalEntry>& journal() const noexcept { return journal_; }
  void clear_journal() noexcept { journal_.clear(); }

 private:
  friend struct LedgerTestAccess;  // lets tests corrupt state to exercise the conservation report

  enum class Bucket : std::uint8_t { balance, staked, unbonding, locked };
  struct Unbonding {
    core::SimTime release_at;
    std::uint64_t sequence;
    AccountId account;
    TokenAmount amount;
  };
  // One change to undo: an old bucket value, an old total, or a change of the unbonding queue.
  struct Undo {
    enum class Kind : std::uint8_t { bucket, minted, burned, total_staked, queue_insert, queue_erase, queue_amount };
    Kind kind;
    Bucket bucket;
    AccountId account;
    std::size_t position;  // in unbonding_queue_
    TokenAmount old_amount;
    Unbonding erased;      // for queue_erase
  };

  void record(Operation op, AccountId from, AccountId to, TokenAmount amount, const char* reason);
  // The check inline, the message out of line: every operation checks its accounts.
  void require_account(AccountId a, const char* what) const {
    if (a >= balance_.size()) [[unlikely]] refuse_account(a, what);
  }
  [[noreturn, gnu::cold]] void refuse_account(AccountId a, const char* what) const;
  std::vector<TokenAmount>& bucket(Bucket b) noexcept;
  // Sets a bucket of an account, keeping an undo record inside a checkpoint.
  void set(Bucket b, AccountId a, TokenAmount value);
  void allocate_bucket(std::vector<TokenAmount>& v);
  void keep_undo(Bucket b, AccountId a, TokenAmount old_amount);
  void set_total(Undo::Kind kind, TokenAmount& total, TokenAmount value);
  [[nodiscard]] TokenAmount get(Bucket b, AccountId a) const noexcept;
  void insert_unbonding(const Unbonding& entry);
  [[nodiscard]] TokenAmount minted_after(TokenAmount amount, const char* what) const;
  void close(const Checkpoint& c);
  [[nodiscard]] bool recording() const noexcept { return !open_checkpoints_.empty(); }

  std::vector<TokenAmount> balance_;
  // Allocated on first use, so a world without staking or locks pays nothing for them.
  std::vector<TokenAmount> staked_;
  std::vector<TokenAmount> unbonding_;
  std::vector<TokenAmount> locked_;
  // Pending releases ordered by (release_at, sequence).
  std::deque<Unbonding> unbonding_queue_;
  TokenAmount minted_;
  TokenAmount burned_;
  TokenAmount total_staked_;
  std::int64_t epoch_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t unbonding_sequence_ = 0;
  std::vector<std::uint64_t> open_checkpoints_;  // ids, innermost last; undo records are kept while any is open
  std::uint64_t next_checkpoint_id_ = 0;
  std::vector<Undo> undo_;
  bool journal_on_ = false;
  std::vector<JournalEntry> journal_;
  // The most recent operations, a ring kept for the conservation report.
  static constexpr std::size_t recent_capacity = 8;
  JournalEntry recent_[recent_capacity];
};

}  // namespace dais::ledger
