#pragma once
// One interface to a blockchain, whatever runs it: deploy, transact, call, logs, gas used, with block number
// and timestamp following simulated time. Backends: embedded (the in-process EVM, the default) and rpc (any
// Ethereum JSON-RPC node, such as anvil). Both give the same results for the same transactions: every
// transaction is mined in a block of its own whose number and timestamp the caller sets (see BlockClock).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/evm/state.hpp"
#include "sim/evm/types.hpp"

namespace dais::chain {

using evm::Address;
using evm::Bytes;
using evm::uint256;

// The chain could not do what was asked: a node that does not answer, a transaction it refuses.
class ChainError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Receipt {
  bool success = false;
  std::string status;            // "success", "revert", "out_of_gas", ...
  std::int64_t gas_used = 0;
  std::vector<evm::Log> logs;
  Bytes output;                  // return data, or revert data
  std::optional<Address> created;
  std::int64_t block_number = 0;
};

// Where the next transaction's block sits. Each transaction is mined in a block of its own; block numbers
// count blocks from genesis (block 0); blocks are block_time apart, and when the simulation moves to time t the
// next block's timestamp jumps to genesis_time + t if that is later. So timestamps follow simulated time and
// the two backends see the same numbers and times (a real node cannot skip block numbers cheaply: mining
// thousands of empty blocks per epoch made anvil 40 times slower).
class BlockClock {
 public:
  BlockClock(std::int64_t block_time_seconds, std::int64_t genesis_time) noexcept
      : block_time_(block_time_seconds), genesis_time_(genesis_time), next_timestamp_(genesis_time + block_time_seconds) {}
  // Moves the clock to simulated second t (never back).
  void advance_to(std::int64_t t_seconds) noexcept;
  // The block the next transaction goes into, and its timestamp; then moves one block on.
  std::pair<std::int64_t, std::int64_t> next_block() noexcept;
  [[nodiscard]] std::int64_t block_time() const noexcept { return block_time_; }

 private:
  std::int64_t block_time_;
  std::int64_t genesis_time_;
  std::int64_t next_number_ = 1;  // block 0 is genesis
  std::int64_t next_timestamp_;
};

class Chain {
 public:
  virtual ~Chain() = default;
  // "embedded", "rpc http://127.0.0.1:8545 (anvil 1.7.1)"
  [[nodiscard]] virtual std::string describe() const = 0;
  // Gives an account native currency, to pay for gas on nodes that charge for it.
  virtual void fund(const Address& account, const uint256& wei) = 0;
  // Mines a transaction from `from` (to nobody: a contract creation) in block `block` at `timestamp`.
  // A transaction the chain refuses (not one that reverts: that is a receipt) is a ChainError.
  virtual Receipt send(const Address& from, const std::optional<Address>& to, const Bytes& data,
                       std::int64_t block, std::int64_t timestamp, const uint256& value = {}) = 0;
  // Runs a read-only call on the latest state; a revert is a ChainError with the revert data explained.
  virtual Bytes call(const Address& from, const Address& to, const Bytes& data) = 0;
};

inline constexpr std::int64_t transaction_gas_limit = 30'000'000;

}  // namespace dais::chain
