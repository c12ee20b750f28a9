#pragma once
// The interpreter's only window on the world: messages in, results out, and the Host interface through
// which it reads and writes accounts, storage, logs and nested calls (the shape of EVMC's host).

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/evm/types.hpp"

namespace dais::evm {

enum class Status : std::uint8_t {
  success,
  revert,
  out_of_gas,
  invalid_instruction,    // 0xFE, or code starting with 0xEF deployed
  undefined_instruction,
  stack_underflow,
  stack_overflow,
  bad_jump_destination,
  static_mode_violation,
  invalid_memory_access,  // RETURNDATACOPY past the end
  call_depth_exceeded,
  insufficient_balance,
  address_collision,
  precompile_failure,      // a precompile refused its input
  unsupported_precompile,  // a precompile this build cannot run (never silently succeeds)
  contract_validation_failure,
};

std::string_view to_string(Status s) noexcept;

enum class CallKind : std::uint8_t { call, delegatecall, callcode, create, create2 };

struct Message {
  CallKind kind = CallKind::call;
  bool is_static = false;
  int depth = 0;
  std::int64_t gas = 0;
  Address recipient;     // the account whose storage and balance the code uses
  Address sender;        // CALLER
  Address code_address;  // where the code comes from (differs from recipient for DELEGATECALL/CALLCODE)
  BytesView input;       // call data, or init code for a create
  uint256 value;
  uint256 create2_salt;
};

struct Result {
  Status status = Status::success;
  std::int64_t gas_left = 0;
  std::int64_t gas_refund = 0;
  Bytes output;
  Address create_address;  // for a successful create
};

// What the transaction and its block look like from inside the EVM.
struct TxContext {
  uint256 gas_price;
  Address origin;
  Address coinbase;
  std::int64_t number = 0;
  std::int64_t timestamp = 0;
  std::int64_t gas_limit = 0;
  uint256 prev_randao;
  uint256 chain_id;
  uint256 base_fee;
  uint256 blob_base_fee;
  const Bytes32* blob_hashes = nullptr;
  std::size_t blob_hashes_count = 0;
};

// EIP-2200 / EIP-3529 classification of an SSTORE by (original, current, new) value; the interpreter
// maps it to gas and refund (interpreter.cpp).
enum class StorageStatus : std::uint8_t {
  assigned,           // no-op or a dirty slot written again: warm cost only
  added,              // 0 -> 0 -> Z
  deleted,            // X -> X -> 0
  modified,           // X -> X -> Z
  deleted_added,      // X -> 0 -> Z
  modified_deleted,   // X -> Y -> 0
  deleted_restored,   // X -> 0 -> X
  added_deleted,      // 0 -> Y -> 0
  modified_restored,  // X -> Y -> X
};

// The status of writing `value` to a slot that held `original` at the transaction's start and holds `current`.
inline StorageStatus classify_store(const uint256& original, const uint256& current, const uint256& value) noexcept {
  if (current == value) return StorageStatus::assigned;
  if (original == current) {
    if (!original) return StorageStatus::added;
    return value ? StorageStatus::modified : StorageStatus::deleted;
  }
  // A dirty slot.
  if (original) {
    if (!current) return value == original ? StorageStatus::deleted_restored : StorageStatus::deleted_added;
    if (!value) return StorageStatus::modified_deleted;
    return value == original ? StorageStatus::modified_restored : StorageStatus::assigned;
  }
  return value ? StorageStatus::assigned : StorageStatus::added_deleted;
}

enum class AccessStatus : std::uint8_t { cold, warm };

class Host {
 public:
  virtual ~Host() = default;
  virtual bool account_exists(const Address& addr) noexcept = 0;  // exists and not empty (EIP-161)
  virtual uint256 get_storage(const Address& addr, const uint256& key) noexcept = 0;
  virtual StorageStatus set_storage(const Address& addr, const uint256& key, const uint256& value) noexcept = 0;
  virtual uint256 get_balance(const Address& addr) noexcept = 0;
  virtual std::size_t get_code_size(const Address& addr) noexcept = 0;
  virtual Bytes32 get_code_hash(const Address& addr) noexcept = 0;  // zero for an account that does not exist
  virtual std::size_t copy_code(const Address& addr, std::size_t offset, std::uint8_t* out, std::size_t size) noexcept = 0;
  virtual void selfdestruct(const Address& addr, const Address& beneficiary) noexcept = 0;
  virtual Result call(const Message& msg) noexcept = 0;
  virtual const TxContext& get_tx_context() noexcept = 0;
  virtual Bytes32 get_block_hash(std::int64_t number) noexcept = 0;
  virtual void emit_log(const Address& addr, BytesView data, const Bytes32* topics, std::size_t num_topics) noexcept = 0;
  virtual AccessStatus access_account(const Address& addr) noexcept = 0;
  virtual AccessStatus access_storage(const Address& addr, const uint256& key) noexcept = 0;
  virtual uint256 get_transient_storage(const Address& addr, const uint256& key) noexcept = 0;
  virtual void set_transient_storage(const Address& addr, const uint256& key, const uint256& value) noexcept = 0;
};

}  // namespace dais::evm
