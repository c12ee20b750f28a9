// libFuzzer target: the input is split into contract code and call data, then run as a transaction
// through the real state, host and interpreter. Any crash, leak, hang or sanitizer report is a bug.
// Build: see README.md (`dais evm`), e.g.
//   CXX=clang++-14 cmake -B build/fuzz -G Ninja -DDAIS_EVM_FUZZER=ON -DDAIS_SANITIZE=ON -DDAIS_BUILD_BENCH=OFF
//   cmake --build build/fuzz --target evm_fuzz && build/fuzz/tests/sim/evm/evm_fuzz -max_total_time=60

#include <cstddef>
#include <cstdint>

#include "sim/evm/transaction.hpp"

using namespace dais::evm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // First byte: how much of the rest is code (in 1/255ths); second: flags.
  const std::uint8_t split = data[0], flags = data[1];
  data += 2;
  size -= 2;
  const std::size_t code_size = size * split / 255;
  static Vm vm;
  State state;
  const Address sender = Address::from_u64(0x5e4de4);
  const Address target = Address::from_u64(0x7a46e7);
  Account s;
  s.balance = uint256(1) << 100;
  state.put(sender, std::move(s));
  Account t;
  t.code = make_code(Bytes(data, data + code_size));
  t.balance = flags;
  state.put(target, std::move(t));

  BlockInfo block;
  block.number = 10;
  block.gas_limit = 30'000'000;
  block.coinbase = Address::from_u64(0xc0);
  Transaction tx;
  tx.type = Transaction::Type::eip1559;
  tx.sender = sender;
  if ((flags & 1) == 0) tx.to = target;  // otherwise the code is init code of a create
  tx.data = (flags & 1) == 0 ? Bytes(data + code_size, data + size) : Bytes(data, data + code_size);
  tx.gas_limit = 1'000'000;
  tx.max_fee_per_gas = 1;
  tx.value = flags >> 4;
  const auto out = apply_transaction(state, block, tx, vm, {});
  if (const auto* receipt = std::get_if<TransactionReceipt>(&out)) {
    if (receipt->gas_used > 1'000'000) __builtin_trap();
    (void)state_root(state);
  }
  return 0;
}
