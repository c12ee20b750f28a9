#include "sim/chain/embedded.hpp"

#include "sim/chain/abi.hpp"
#include "sim/evm/keccak.hpp"
#include "sim/evm/transaction.hpp"

namespace dais::chain {

namespace {

class EmbeddedChain final : public Chain {
 public:
  explicit EmbeddedChain(std::int64_t chain_id) { block_.chain_id = uint256(static_cast<std::uint64_t>(chain_id)); }

  std::string describe() const override { return "embedded"; }

  void fund(const Address& account, const uint256& wei) override {
    evm::Account& a = state_.get_or_create(account);
    state_.set_balance(account, a, a.balance + wei);
    state_.discard_transaction_bookkeeping();
  }

  Receipt send(const Address& from, const std::optional<Address>& to, const Bytes& data, std::int64_t block,
               std::int64_t timestamp, const uint256& value) override {
    block_.number = block;
    block_.timestamp = timestamp;
    evm::Transaction tx;
    tx.sender = from;
    const evm::Account* sender = state_.find(from);
    tx.nonce = sender != nullptr ? sender->nonce : 0;
    tx.to = to;
    tx.data = data;
    tx.value = value;
    tx.gas_limit = uint256(static_cast<std::uint64_t>(transaction_gas_limit));
    auto outcome = evm::apply_transaction(state_, block_, tx, vm_, block_hash);
    if (const auto* error = std::get_if<evm::TransactionError>(&outcome))
      throw ChainError("the embedded chain refused a transaction from " + evm::to_hex(from) + ": " + error->name);
    auto& r = std::get<evm::TransactionReceipt>(outcome);
    return Receipt{r.status == evm::Status::success, std::string(evm::to_string(r.status)), r.gas_used,
                   std::move(r.logs), std::move(r.output), r.created, block};
  }

  Bytes call(const Address& from, const Address& to, const Bytes& data) override {
    const evm::Result r = evm::call_view(state_, block_, from, to, data, transaction_gas_limit, vm_, block_hash);
    if (r.status != evm::Status::success)
      throw ChainError("call to " + evm::to_hex(to) + " failed: " +
                       (r.status == evm::Status::revert ? explain_revert(r.output) : std::string(evm::to_string(r.status))));
    return r.output;
  }

 private:
  static evm::Bytes32 block_hash(std::int64_t number) {
    const auto word = uint256(static_cast<std::uint64_t>(number)).to_be();
    return evm::keccak256(evm::BytesView(word));
  }

  evm::State state_;
  evm::Vm vm_;
  evm::BlockInfo block_{0, 0, transaction_gas_limit, {}, {}, {}, 0, 31337};
};

}  // namespace

std::unique_ptr<Chain> make_embedded_chain(std::int64_t chain_id) { return std::make_unique<EmbeddedChain>(chain_id); }

}  // namespace dais::chain
