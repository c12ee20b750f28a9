#pragma once
// A deployed contract on a Chain: calls by function name with ABI-encoded arguments, reverts explained with
// the contract's own errors, each transaction in the next block of a BlockClock.

#include <string_view>

#include "sim/chain/abi.hpp"
#include "sim/chain/artifact.hpp"
#include "sim/chain/chain.hpp"

namespace dais::chain {

class Contract {
 public:
  Contract(Chain& chain, BlockClock& clock, Address address, ContractAbi abi)
      : chain_(&chain), clock_(&clock), address_(address), abi_(std::move(abi)) {}

  // Deploys `artifact` from `from` with constructor arguments; a failed creation is a ChainError.
  static Contract deploy(Chain& chain, BlockClock& clock, const Address& from, const Artifact& artifact,
                         const std::vector<AbiValue>& args, Receipt* receipt = nullptr);

  // Sends a transaction calling `function`; a revert is a ChainError naming the function, the sender and why.
  Receipt transact(const Address& from, std::string_view function, const std::vector<AbiValue>& args);
  // The same, returning the receipt of a revert instead of throwing.
  Receipt try_transact(const Address& from, std::string_view function, const std::vector<AbiValue>& args);
  // A read-only call's decoded outputs.
  std::vector<AbiValue> call(const Address& from, std::string_view function, const std::vector<AbiValue>& args) const;

  [[nodiscard]] const Address& address() const noexcept { return address_; }
  [[nodiscard]] const ContractAbi& abi() const noexcept { return abi_; }
  [[nodiscard]] Chain& chain() const noexcept { return *chain_; }

 private:
  Chain* chain_;
  BlockClock* clock_;
  Address address_;
  ContractAbi abi_;
};

}  // namespace dais::chain
