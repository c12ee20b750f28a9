#pragma once
// The Host the interpreter talks to during a transaction: it reads and writes the journaled State,
// moves value, runs precompiles and nested calls and creates, with checkpoint/rollback per call.

#include <functional>

#include "sim/evm/interpreter.hpp"
#include "sim/evm/state.hpp"

namespace dais::evm {

inline constexpr std::size_t max_code_size = 24576;  // EIP-170

// The hash of a recent block by number (BLOCKHASH); the caller decides where hashes come from.
using BlockHashFn = std::function<Bytes32(std::int64_t)>;

class StateHost final : public Host {
 public:
  StateHost(State& state, Vm& vm, const TxContext& tx, BlockHashFn block_hash)
      : state_(state), vm_(vm), tx_(tx), block_hash_(std::move(block_hash)) {}

  bool account_exists(const Address& addr) noexcept override;
  uint256 get_storage(const Address& addr, const uint256& key) noexcept override;
  StorageStatus set_storage(const Address& addr, const uint256& key, const uint256& value) noexcept override;
  uint256 get_balance(const Address& addr) noexcept override;
  std::size_t get_code_size(const Address& addr) noexcept override;
  Bytes32 get_code_hash(const Address& addr) noexcept override;
  std::size_t copy_code(const Address& addr, std::size_t offset, std::uint8_t* out, std::size_t size) noexcept override;
  void selfdestruct(const Address& addr, const Address& beneficiary) noexcept override;
  Result call(const Message& msg) noexcept override;
  const TxContext& get_tx_context() noexcept override { return tx_; }
  Bytes32 get_block_hash(std::int64_t number) noexcept override;
  void emit_log(const Address& addr, BytesView data, const Bytes32* topics, std::size_t num_topics) noexcept override;
  AccessStatus access_account(const Address& addr) noexcept override;
  AccessStatus access_storage(const Address& addr, const uint256& key) noexcept override;
  uint256 get_transient_storage(const Address& addr, const uint256& key) noexcept override;
  void set_transient_storage(const Address& addr, const uint256& key, const uint256& value) noexcept override;

 private:
  Result create(const Message& msg) noexcept;
  // The storage slot of (addr, key), remembering the last one: SLOAD and SSTORE ask for the same slot
  // twice (access, then read or write). Forgotten on every rollback, which may erase accounts.
  StorageSlot& slot(const Address& addr, const uint256& key);
  void rollback(std::size_t checkpoint) noexcept;

  StorageSlot* slot_cache_ = nullptr;
  Address slot_address_;
  uint256 slot_key_;

  State& state_;
  Vm& vm_;
  const TxContext& tx_;
  BlockHashFn block_hash_;
};

// The address of a contract created by sender with the given nonce (CREATE) or salt and init code (CREATE2).
Address create_address(const Address& sender, std::uint64_t nonce);
Address create2_address(const Address& sender, const uint256& salt, BytesView init_code);

}  // namespace dais::evm
