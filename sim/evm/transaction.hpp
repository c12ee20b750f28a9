#pragma once
// Transactions under Cancun rules: validation (nonce, fees, intrinsic gas, blobs), execution against the
// state, fees and refunds, and the state root and logs hash a block header commits to.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/evm/state.hpp"
#include "sim/evm/state_host.hpp"

namespace dais::evm {

struct AccessListEntry {
  Address address;
  std::vector<uint256> storage_keys;
};

struct Transaction {
  enum class Type : std::uint8_t { legacy = 0, access_list = 1, eip1559 = 2, blob = 3 };
  Type type = Type::legacy;
  std::uint64_t nonce = 0;
  Address sender;
  std::optional<Address> to;  // none: contract creation
  uint256 value;
  Bytes data;
  uint256 gas_limit;
  uint256 gas_price;  // legacy and access-list transactions
  uint256 max_fee_per_gas;
  uint256 max_priority_fee_per_gas;
  uint256 max_fee_per_blob_gas;
  std::vector<AccessListEntry> access_list;
  std::vector<Bytes32> blob_hashes;
};

struct BlockInfo {
  std::int64_t number = 0;
  std::int64_t timestamp = 0;
  std::int64_t gas_limit = 0;
  Address coinbase;
  uint256 prev_randao;
  uint256 base_fee;
  std::uint64_t excess_blob_gas = 0;
  uint256 chain_id = 1;
};

struct TransactionReceipt {
  Status status = Status::success;
  std::int64_t gas_used = 0;
  std::vector<Log> logs;
  Bytes output;                   // return data, or the revert data
  std::optional<Address> created; // the new contract's address, for a successful creation
};

// Why a transaction is not valid; the state is then unchanged. The names follow the test suites'
// TransactionException names.
struct TransactionError {
  std::string name;
};

inline constexpr std::uint64_t blob_gas_per_blob = 131072;
inline constexpr std::size_t max_blobs_per_block = 6;

std::int64_t intrinsic_gas(const Transaction& tx) noexcept;
uint256 blob_gas_price(std::uint64_t excess_blob_gas) noexcept;

// Validates and executes tx on state (all of it, or nothing when invalid).
std::variant<TransactionReceipt, TransactionError> apply_transaction(State& state, const BlockInfo& block,
                                                                     const Transaction& tx, Vm& vm,
                                                                     const BlockHashFn& block_hash);

// Runs a call against the state as a read (eth_call): no fee, no nonce, and every change rolled back.
// Returns the call's result (status, output, gas left).
Result call_view(State& state, const BlockInfo& block, const Address& from, const Address& to, BytesView data,
                 std::int64_t gas, Vm& vm, const BlockHashFn& block_hash);

// The Merkle-Patricia root of the whole state, and keccak256 of the RLP list of logs.
Bytes32 state_root(const State& state);
Bytes32 logs_hash(const std::vector<Log>& logs);

}  // namespace dais::evm
