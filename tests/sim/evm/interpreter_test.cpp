// The interpreter against a mocked host: each opcode family, its gas, and what it asks of the host.

#include <algorithm>
#include <catch2/catch.hpp>

#include "sim/evm/opcodes.hpp"
#include "tests/sim/evm/mocked_host.hpp"

using namespace dais::evm;
using dais::evm::test::execute;
using dais::evm::test::MockedHost;

namespace {

// Hex with spaces for readability.
Bytes code(std::string hex) {
  hex.erase(std::remove(hex.begin(), hex.end(), ' '), hex.end());
  return from_hex(hex);
}

// Runs code that ends with "PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN" (appended), returning the word.
uint256 eval(const std::string& hex) {
  MockedHost host;
  const Result r = execute(host, code(hex + "60005260206000f3"), 1'000'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(r.output.size() == 32);
  return uint256::from_be(r.output.data(), 32);
}

std::int64_t gas_used(const std::string& hex, std::int64_t gas = 1'000'000) {
  MockedHost host;
  const Result r = execute(host, code(hex), gas);
  REQUIRE(r.status == Status::success);
  return gas - r.gas_left;
}

}  // namespace

TEST_CASE("the traits table describes the Cancun instruction set", "[evm][interpreter]") {
  REQUIRE(opcode_traits[OP_ADD].name == "ADD");
  REQUIRE(opcode_traits[OP_PUSH32].immediate_size == 32);
  REQUIRE(opcode_traits[OP_SWAP16].stack_in == 17);
  REQUIRE(opcode_traits[OP_CALL].stack_in == 7);
  REQUIRE(opcode_traits[OP_STATICCALL].stack_in == 6);
  REQUIRE(opcode_traits[OP_MCOPY].defined);
  REQUIRE_FALSE(opcode_traits[0x0c].defined);
  int defined = 0;
  for (const OpcodeTraits& t : opcode_traits) defined += t.defined ? 1 : 0;
  REQUIRE(defined == 149);
}

TEST_CASE("arithmetic opcodes compute modulo 2^256", "[evm][interpreter]") {
  REQUIRE(eval("6002600301") == uint256(5));                              // 3 + 2
  REQUIRE(eval("60017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff01") == uint256{});  // wraps
  REQUIRE(eval("6003600203") == uint256::max());                          // 2 - 3
  REQUIRE(eval("6000600704") == uint256{});                               // 7 / 0
  REQUIRE(eval("6003600a06") == uint256(1));                              // 10 % 3
  REQUIRE(eval("6002 6007 6000 03 05") == uint256(0) - 3);               // -7 / 2 truncates to -3
  REQUIRE(eval("6005 6003 0a") == uint256(243));                          // 3 ** 5 (EXP pops the base first)
  REQUIRE(eval("6003 6002 6002 08") == uint256(1));                       // (2 + 2) % 3
  REQUIRE(eval("6005 6003 6004 09") == uint256(2));                       // (4 * 3) % 5
  REQUIRE(eval("60ff 6000 0b") == uint256::max());                         // SIGNEXTEND byte 0 of 0xff
}

TEST_CASE("comparison, bitwise and shift opcodes", "[evm][interpreter]") {
  REQUIRE(eval("6002600110") == uint256(1));  // 1 < 2
  REQUIRE(eval("6002600111") == uint256(0));  // 1 > 2
  REQUIRE(eval("6001 6001 6000 03 12") == uint256(1));  // -1 <s 1
  REQUIRE(eval("600015") == uint256(1));
  REQUIRE(eval("60ff600f16") == uint256(0x0f));
  REQUIRE(eval("600160041b") == uint256(16));   // 1 << 4
  REQUIRE(eval("601060041c") == uint256(1));    // 16 >> 4
  REQUIRE(eval("6000196004 1d") == uint256::max());  // SAR of -1
  REQUIRE(eval("60ff 601f 1a") == uint256(0xff));  // BYTE 31 is the least significant
  REQUIRE(eval("601f 60ff 1a") == uint256{});      // index 255 is past the word
}

TEST_CASE("base gas follows the traits and memory grows quadratically", "[evm][interpreter]") {
  REQUIRE(gas_used("6001600201") == 3 + 3 + 3);
  REQUIRE(gas_used("5f") == 2);                          // PUSH0
  REQUIRE(gas_used("600160005200") == 3 + 3 + 3 + 3);    // MSTORE at 0: one word of memory
  // MSTORE at 1024: 33 words, 3*33 + 33*33/512 = 101 gas of memory.
  REQUIRE(gas_used("6001610400 52") == 3 + 3 + 3 + 101);
  REQUIRE(gas_used("6001600052 59") == 3 + 3 + 3 + 3 + 2);  // MSIZE
  REQUIRE(gas_used("60ff 6002 0a") == 3 + 3 + 10 + 50);  // EXP with a one-byte exponent
}

TEST_CASE("stack underflow, overflow and invalid code halt with all gas used", "[evm][interpreter]") {
  MockedHost host;
  REQUIRE(execute(host, code("01"), 100).status == Status::stack_underflow);
  Bytes pushes;
  for (int i = 0; i < 1025; ++i) pushes.push_back(OP_PUSH0);
  const Result overflow = execute(host, pushes, 1'000'000);
  REQUIRE(overflow.status == Status::stack_overflow);
  REQUIRE(overflow.gas_left == 0);
  REQUIRE(execute(host, code("fe"), 100).status == Status::invalid_instruction);
  REQUIRE(execute(host, code("0c"), 100).status == Status::undefined_instruction);
  REQUIRE(execute(host, code("6001"), 2).status == Status::out_of_gas);
}

TEST_CASE("jumps go only to JUMPDEST outside push data", "[evm][interpreter]") {
  MockedHost host;
  REQUIRE(execute(host, code("6003565b00"), 100).status == Status::success);          // JUMP to a JUMPDEST
  REQUIRE(execute(host, code("6002 56"), 100).status == Status::bad_jump_destination);   // a JUMP, not a JUMPDEST
  REQUIRE(execute(host, code("6006 56 6000 605b 00"), 100).status == Status::bad_jump_destination);  // 0x5b in push data
  REQUIRE(execute(host, code("6000600657005b00"), 100).status == Status::success);     // JUMPI not taken
}

TEST_CASE("SSTORE and SLOAD charge EIP-2929 and EIP-2200 gas and record refunds", "[evm][interpreter]") {
  MockedHost host;
  // SSTORE(0, 1) on a cold, empty slot: 2100 + 20000.
  Result r = execute(host, code("6001600055"), 100'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(100'000 - r.gas_left == 3 + 3 + 22100);
  // Clearing it again in the same frame: warm, dirty 0 -> 1 -> 0: 100 gas, refund 19900.
  MockedHost h2;
  r = execute(h2, code("60016000556000600055"), 100'000);
  REQUIRE(100'000 - r.gas_left == 3 + 3 + 22100 + 3 + 3 + 100);
  REQUIRE(r.gas_refund == 19900);
  // SLOAD cold then warm.
  MockedHost h3;
  r = execute(h3, code("6000546000545050"), 10'000);
  REQUIRE(10'000 - r.gas_left == 3 + 2100 + 3 + 100 + 2 + 2);
  // EIP-2200's sentry: SSTORE with no more than the stipend left fails.
  MockedHost h4;
  REQUIRE(execute(h4, code("6001600055"), 2306).status == Status::out_of_gas);
}

TEST_CASE("state changes in a static call are refused", "[evm][interpreter]") {
  MockedHost host;
  REQUIRE(execute(host, code("6001600055"), 100'000, {}, true).status == Status::static_mode_violation);
  REQUIRE(execute(host, code("600160005d"), 100'000, {}, true).status == Status::static_mode_violation);
  REQUIRE(execute(host, code("60006000a0"), 100'000, {}, true).status == Status::static_mode_violation);
  REQUIRE(execute(host, code("6000ff"), 100'000, {}, true).status == Status::static_mode_violation);
}

TEST_CASE("transient storage is read back and costs 100 gas", "[evm][interpreter]") {
  MockedHost host;
  const Result r = execute(host, code("602a60075d60075c60005260206000f3"), 100'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(uint256::from_be(r.output.data(), 32) == uint256(42));
}

TEST_CASE("CALL applies the 63/64 rule and the stipend, and the host sees the message", "[evm][interpreter]") {
  MockedHost host;
  const Address target = Address::from_u64(0xbeef);
  host.accounts[target] = {};
  host.accounts[Address::from_u64(0xc0de)].balance = 1000;
  // CALL(gas=0xffff.., to=0xbeef, value=1, in 0..0, out 0..0)
  const Result r = execute(host, code("60006000600060006001 61beef 7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff f1"), 1'000'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(host.calls.size() == 1);
  const auto& c = host.calls[0];
  REQUIRE(c.recipient == target);
  REQUIRE(c.value == uint256(1));
  REQUIRE(c.depth == 1);
  // Before the call: 7 pushes (21 gas), then 100 warm... the target is cold: 2600, value: 9000.
  const std::int64_t left = 1'000'000 - 21 - 2600 - 9000;
  REQUIRE(c.gas == left - left / 64 + 2300);
}

TEST_CASE("STATICCALL marks the message static; DELEGATECALL keeps the caller's context", "[evm][interpreter]") {
  MockedHost host;
  execute(host, code("6000600060006000 61beef 61ffff fa"), 100'000);
  execute(host, code("6000600060006000 61beef 61ffff f4"), 100'000);
  REQUIRE(host.calls.size() == 2);
  REQUIRE(host.calls[0].is_static);
  REQUIRE(host.calls[1].kind == CallKind::delegatecall);
  REQUIRE(host.calls[1].recipient == Address::from_u64(0xc0de));
  REQUIRE(host.calls[1].sender == Address::from_u64(0xca11));
}

TEST_CASE("LOG records data and topics with the host", "[evm][interpreter]") {
  MockedHost host;
  // MSTORE8(0, 0xab); LOG2(offset 0, size 1, topics 7, 9)
  const Result r = execute(host, code("60ab600053 6009 6007 6001 6000 a2"), 100'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(host.logs.size() == 1);
  REQUIRE(host.logs[0].data == Bytes{0xab});
  REQUIRE(host.logs[0].topics.size() == 2);
  REQUIRE(host.logs[0].topics[0].to_word() == uint256(7));
  REQUIRE(host.logs[0].topics[1].to_word() == uint256(9));
}

TEST_CASE("CREATE2 hands the init code and salt to the host and charges hashing", "[evm][interpreter]") {
  MockedHost host;
  host.call_result.create_address = Address::from_u64(0x1234);
  // MSTORE8(0, 0x00); CREATE2(value 0, offset 0, size 1, salt 5)
  const Result r = execute(host, code("6000600053 6005 6001 6000 6000 f5 60005260206000f3"), 1'000'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(host.calls.size() == 1);
  REQUIRE(host.calls[0].kind == CallKind::create2);
  REQUIRE(host.calls[0].input == Bytes{0x00});
  REQUIRE(uint256::from_be(r.output.data(), 32) == uint256(0x1234));
}

TEST_CASE("RETURNDATACOPY past the end of the return data is an exceptional halt", "[evm][interpreter]") {
  MockedHost host;
  REQUIRE(execute(host, code("600160006000 3e"), 10'000).status == Status::invalid_memory_access);
}

TEST_CASE("MCOPY copies overlapping memory and charges copy and expansion gas", "[evm][interpreter]") {
  MockedHost host;
  // MSTORE(0, 0x0102..), MCOPY(dst 1, src 0, size 32), return 64 bytes
  const Result r = execute(host, code("7f0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20600052"
                                      "6020600060015e 60406000f3"),
                           100'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(r.output[0] == 0x01);
  REQUIRE(r.output[1] == 0x01);
  REQUIRE(r.output[2] == 0x02);
  REQUIRE(r.output[32] == 0x20);
}

TEST_CASE("SELFDESTRUCT charges a cold beneficiary and tells the host", "[evm][interpreter]") {
  MockedHost host;
  host.accounts[Address::from_u64(0xbeef)] = {};
  const Result r = execute(host, code("61beefff"), 100'000);
  REQUIRE(r.status == Status::success);
  REQUIRE(100'000 - r.gas_left == 3 + 5000 + 2600);
  REQUIRE(host.selfdestructs.size() == 1);
  REQUIRE(host.selfdestructs[0].second == Address::from_u64(0xbeef));
}

TEST_CASE("block and transaction context opcodes read the host's context", "[evm][interpreter]") {
  MockedHost host;
  host.tx.number = 100;
  host.tx.chain_id = 5;
  host.tx.blob_base_fee = 7;
  Bytes32 blob;
  blob.bytes[0] = 1;
  host.tx.blob_hashes = &blob;
  host.tx.blob_hashes_count = 1;
  auto word = [&](const std::string& hex) {
    const Result r = execute(host, code(hex + "60005260206000f3"), 100'000);
    REQUIRE(r.status == Status::success);
    return uint256::from_be(r.output.data(), 32);
  };
  REQUIRE(word("43") == uint256(100));
  REQUIRE(word("46") == uint256(5));
  REQUIRE(word("4a") == uint256(7));
  REQUIRE(word("600049") == blob.to_word());
  REQUIRE(word("600149") == uint256{});
  REQUIRE(word("606340") == uint256(99 + 1000));  // the mocked host's hash of block 99
  REQUIRE(word("606440") == uint256{});           // the current block has no hash yet
}
