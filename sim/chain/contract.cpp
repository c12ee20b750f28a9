#include "sim/chain/contract.hpp"

#include <fmt/format.h>

namespace dais::chain {

Contract Contract::deploy(Chain& chain, BlockClock& clock, const Address& from, const Artifact& artifact,
                          const std::vector<AbiValue>& args, Receipt* receipt) {
  ContractAbi abi(artifact.abi);
  Bytes code = artifact.bytecode;
  const Bytes encoded = abi.encode_constructor(args);
  code.insert(code.end(), encoded.begin(), encoded.end());
  const auto [block, timestamp] = clock.next_block();
  Receipt r = chain.send(from, std::nullopt, code, block, timestamp);
  if (!r.success || !r.created)
    throw ChainError(fmt::format("deploying {} ({}) failed: {}", artifact.name, artifact.file,
                                 r.status == "revert" ? abi.explain_revert(r.output) : r.status));
  if (receipt != nullptr) *receipt = r;
  return Contract(chain, clock, *r.created, std::move(abi));
}

Receipt Contract::try_transact(const Address& from, std::string_view function, const std::vector<AbiValue>& args) {
  const Bytes data = abi_.encode_call(function, args);
  const auto [block, timestamp] = clock_->next_block();
  return chain_->send(from, address_, data, block, timestamp);
}

Receipt Contract::transact(const Address& from, std::string_view function, const std::vector<AbiValue>& args) {
  Receipt r = try_transact(from, function, args);
  if (!r.success)
    throw ChainError(fmt::format("{} from {} to {} failed: {}", abi_.signature_of(function), evm::to_hex(from),
                                 evm::to_hex(address_), r.status == "revert" ? abi_.explain_revert(r.output) : r.status));
  return r;
}

std::vector<AbiValue> Contract::call(const Address& from, std::string_view function,
                                     const std::vector<AbiValue>& args) const {
  return abi_.decode_output(function, chain_->call(from, address_, abi_.encode_call(function, args)));
}

}  // namespace dais::chain
