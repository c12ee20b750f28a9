// Random bytecode and random call data through the whole stack (state, host, interpreter): bounded in
// count and gas, it must never crash, hang or break the gas accounting. Run under the asan preset it
// also checks for memory errors and undefined behaviour.

#include <catch2/catch.hpp>
#include <random>

#include "sim/evm/opcodes.hpp"
#include "sim/evm/transaction.hpp"

using namespace dais::evm;

namespace {

// Bytecode biased towards defined opcodes with small immediates, so programs get past the first
// instructions; a few calls back into the contract itself make nested frames.
Bytes random_code(std::mt19937_64& rng) {
  Bytes code;
  const std::size_t n = rng() % 200;
  for (std::size_t i = 0; i < n; ++i) {
    const auto kind = rng() % 10;
    if (kind < 4) {
      code.push_back(OP_PUSH1);
      code.push_back(static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() : rng() % 64));
    } else if (kind < 9) {
      std::uint8_t op;
      do op = static_cast<std::uint8_t>(rng());
      while (!opcode_traits[op].defined && rng() % 8 != 0);
      code.push_back(op);
    } else {
      code.push_back(static_cast<std::uint8_t>(rng()));
    }
  }
  return code;
}

}  // namespace

TEST_CASE("random bytecode and call data never crash and keep gas within the limit", "[evm][random]") {
  std::mt19937_64 rng(42);
  Vm vm;
  const Address sender = Address::from_u64(0x5e4de4);
  const Address target = Address::from_u64(0x7a46e7);
  const Address other = Address::from_u64(0x07e4);
  BlockInfo block;
  block.number = 10;
  block.timestamp = 100;
  block.gas_limit = 10'000'000;
  block.coinbase = Address::from_u64(0xc0);
  for (int i = 0; i < 3000; ++i) {
    State state;
    Account s;
    s.balance = uint256(1) << 100;
    state.put(sender, std::move(s));
    Account t;
    t.code = make_code(random_code(rng));
    t.balance = rng() % 1000;
    if (rng() % 2) t.storage[rng() % 4] = StorageSlot{rng() % 3, rng() % 3, false};
    state.put(target, std::move(t));
    Account o;
    o.code = make_code(random_code(rng));
    state.put(other, std::move(o));

    Transaction tx;
    tx.type = Transaction::Type::eip1559;
    tx.sender = sender;
    tx.to = rng() % 10 == 0 ? std::nullopt : std::optional<Address>(target);
    tx.data = random_code(rng);  // doubles as init code for a create
    tx.gas_limit = 100'000 + rng() % 400'000;
    tx.max_fee_per_gas = 1;
    tx.value = rng() % 3;
    const auto out = apply_transaction(state, block, tx, vm, {});
    REQUIRE(std::holds_alternative<TransactionReceipt>(out));
    const auto& receipt = std::get<TransactionReceipt>(out);
    REQUIRE(receipt.gas_used >= intrinsic_gas(tx));
    REQUIRE(receipt.gas_used <= static_cast<std::int64_t>(tx.gas_limit.w[0]));
    (void)state_root(state);
  }
}
