#pragma once
// The world state the EVM changes: accounts with balance, nonce, code and storage, plus the per-transaction
// bookkeeping (warm sets, transient storage, logs, created and destructed accounts). Every change goes
// through the journal, so a failed call rolls back to its checkpoint and leaves no trace.

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/evm/interpreter.hpp"
#include "sim/evm/types.hpp"

namespace dais::evm {

// Code is immutable and shared: analysed once when it enters the state.
struct Code {
  explicit Code(Bytes b);
  Bytes bytes;
  Bytes32 hash;
  CodeAnalysis analysis;
};
using CodePtr = std::shared_ptr<const Code>;
CodePtr make_code(Bytes bytes);
const CodePtr& empty_code();

struct StorageSlot {
  uint256 current;
  uint256 original;  // the value at the start of the transaction (EIP-2200)
  bool warm = false;
};

struct Account {
  std::uint64_t nonce = 0;
  uint256 balance;
  CodePtr code = empty_code();
  std::unordered_map<uint256, StorageSlot, Uint256Hash> storage;
  bool touched = false;     // EIP-161: erased at the end of the transaction if empty
  bool created = false;     // created in this transaction (EIP-6780)
  bool destructed = false;  // selfdestructed and created in this transaction: erased at its end

  bool is_empty() const noexcept { return nonce == 0 && !balance && code->bytes.empty(); }
};

struct Log {
  Address address;
  std::vector<Bytes32> topics;
  Bytes data;
};

class State {
 public:
  using Accounts = std::unordered_map<Address, Account, AddressHash>;

  Account* find(const Address& a) noexcept;
  const Account* find(const Address& a) const noexcept;
  // The account, created empty (and journaled) when absent.
  Account& get_or_create(const Address& a);
  // Puts an account in place outside any transaction (loading a pre-state); not journaled.
  Account& put(const Address& a, Account acc);
  const Accounts& accounts() const noexcept { return accounts_; }

  std::size_t checkpoint() const noexcept { return journal_.size(); }
  void rollback(std::size_t checkpoint) noexcept;

  // Journaled changes.
  void set_balance(const Address& a, Account& acc, const uint256& v);
  void set_nonce(const Address& a, Account& acc, std::uint64_t n);
  void set_code(const Address& a, Account& acc, CodePtr code);
  void touch(const Address& a, Account& acc);
  void mark_created(const Address& a, Account& acc);
  void mark_destructed(const Address& a, Account& acc);
  // Writes storage and classifies the write for gas (EIP-2200/3529).
  StorageStatus set_storage(const Address& a, Account& acc, const uint256& key, const uint256& value);
  // The same on a slot the caller already holds (acc.storage[key]).
  StorageStatus set_slot(const Address& a, StorageSlot& slot, const uint256& key, const uint256& value);
  AccessStatus access_slot(const Address& a, StorageSlot& slot, const uint256& key);
  uint256 get_storage(const Account& acc, const uint256& key) const noexcept;
  AccessStatus access_account(const Address& a);
  AccessStatus access_storage(const Address& a, Account& acc, const uint256& key);
  uint256 get_transient(const Address& a, const uint256& key) const noexcept;
  void set_transient(const Address& a, const uint256& key, const uint256& value);
  void add_log(Log log);

  const std::vector<Log>& logs() const noexcept { return logs_; }
  // Ends a transaction: erases destructed and touched-empty accounts, makes current storage the new
  // original, forgets warm sets, transient storage, logs and the journal.
  void finalize_transaction();
  // Forgets the transaction's changes' bookkeeping without erasing anything (an invalid transaction).
  void discard_transaction_bookkeeping();

 private:
  enum class Kind : std::uint8_t {
    created_account, balance, nonce, code, touched, created_flag, destructed_flag, storage, storage_warm,
    account_warm, transient, log
  };
  struct Entry {
    Kind kind;
    Address address;
    uint256 key;
    uint256 value;
    std::uint64_t nonce = 0;
    CodePtr code;
  };
  struct TransientKey {
    Address address;
    uint256 key;
    friend bool operator==(const TransientKey&, const TransientKey&) = default;
  };
  struct TransientKeyHash {
    std::size_t operator()(const TransientKey& k) const noexcept {
      return AddressHash{}(k.address) ^ (Uint256Hash{}(k.key) * 31);
    }
  };

  Accounts accounts_;
  std::vector<Entry> journal_;
  std::unordered_set<Address, AddressHash> accessed_;
  std::unordered_map<TransientKey, uint256, TransientKeyHash> transient_;
  std::vector<Log> logs_;
};

}  // namespace dais::evm
