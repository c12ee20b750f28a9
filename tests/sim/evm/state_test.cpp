// The journaled state and the transaction rules: checkpoints roll back, transactions pay and refund,
// invalid transactions change nothing.

#include <catch2/catch.hpp>

#include "sim/evm/keccak.hpp"
#include "sim/evm/transaction.hpp"

using namespace dais::evm;

namespace {

const Address alice = Address::from_u64(0xa11ce);
const Address bob = Address::from_u64(0xb0b);
const Address miner = Address::from_u64(0xc01);
const Address contract = Address::from_u64(0xc0de);

BlockInfo block() {
  BlockInfo b;
  b.number = 1;
  b.timestamp = 1000;
  b.gas_limit = 30'000'000;
  b.coinbase = miner;
  b.base_fee = 7;
  return b;
}

State funded() {
  State s;
  Account a;
  a.balance = uint256(10) * uint256(1'000'000'000'000'000'000ULL);
  s.put(alice, std::move(a));
  return s;
}

Transaction transfer(std::uint64_t value) {
  Transaction tx;
  tx.type = Transaction::Type::eip1559;
  tx.sender = alice;
  tx.to = bob;
  tx.value = value;
  tx.gas_limit = 21000;
  tx.max_fee_per_gas = 10;
  tx.max_priority_fee_per_gas = 2;
  return tx;
}

}  // namespace

TEST_CASE("a rollback undoes every journaled change after its checkpoint", "[evm][state]") {
  State s = funded();
  Account& a = *s.find(alice);
  const std::size_t cp = s.checkpoint();
  s.set_balance(alice, a, 5);
  s.set_nonce(alice, a, 9);
  s.set_storage(alice, a, 1, 2);
  s.set_transient(alice, 3, 4);
  Account& b = s.get_or_create(bob);
  s.set_balance(bob, b, 1);
  s.add_log({alice, {}, {}});
  REQUIRE(s.access_account(bob) == AccessStatus::cold);
  s.rollback(cp);
  REQUIRE(s.find(bob) == nullptr);
  REQUIRE(s.find(alice)->balance == uint256(10) * uint256(1'000'000'000'000'000'000ULL));
  REQUIRE(s.find(alice)->nonce == 0);
  REQUIRE(s.get_storage(*s.find(alice), 1) == uint256{});
  REQUIRE(s.get_transient(alice, 3) == uint256{});
  REQUIRE(s.logs().empty());
  REQUIRE(s.access_account(bob) == AccessStatus::cold);
}

TEST_CASE("SSTORE statuses follow original, current and new values", "[evm][state]") {
  State s;
  Account acc;
  acc.storage[1] = StorageSlot{5, 5, false};
  Account& a = s.put(alice, std::move(acc));
  REQUIRE(s.set_storage(alice, a, 1, 5) == StorageStatus::assigned);
  REQUIRE(s.set_storage(alice, a, 1, 6) == StorageStatus::modified);
  REQUIRE(s.set_storage(alice, a, 1, 0) == StorageStatus::modified_deleted);
  REQUIRE(s.set_storage(alice, a, 1, 5) == StorageStatus::deleted_restored);
  REQUIRE(s.set_storage(alice, a, 2, 1) == StorageStatus::added);
  REQUIRE(s.set_storage(alice, a, 2, 0) == StorageStatus::added_deleted);
}

TEST_CASE("intrinsic gas counts data bytes, creation and the access list", "[evm][transaction]") {
  Transaction tx = transfer(0);
  REQUIRE(intrinsic_gas(tx) == 21000);
  tx.data = {0, 1, 2};
  REQUIRE(intrinsic_gas(tx) == 21000 + 4 + 16 + 16);
  tx.to.reset();
  REQUIRE(intrinsic_gas(tx) == 21000 + 36 + 32000 + 2);
  tx.to = bob;
  tx.data.clear();
  tx.access_list.push_back({bob, {1, 2}});
  REQUIRE(intrinsic_gas(tx) == 21000 + 2400 + 2 * 1900);
}

TEST_CASE("a value transfer pays the base fee, tips the coinbase and bumps the nonce", "[evm][transaction]") {
  State s = funded();
  Vm vm;
  const auto out = apply_transaction(s, block(), transfer(1000), vm, {});
  REQUIRE(std::holds_alternative<TransactionReceipt>(out));
  REQUIRE(std::get<TransactionReceipt>(out).gas_used == 21000);
  REQUIRE(s.find(bob)->balance == uint256(1000));
  REQUIRE(s.find(alice)->nonce == 1);
  REQUIRE(s.find(miner)->balance == uint256(21000 * 2));  // priority fee 2 per gas
  REQUIRE(s.find(alice)->balance == uint256(10) * uint256(1'000'000'000'000'000'000ULL) - 1000 - 21000 * 9);
}

TEST_CASE("an invalid transaction changes nothing", "[evm][transaction]") {
  State s = funded();
  const Bytes32 before = state_root(s);
  Vm vm;
  Transaction tx = transfer(1);
  tx.nonce = 3;
  REQUIRE(std::holds_alternative<TransactionError>(apply_transaction(s, block(), tx, vm, {})));
  tx = transfer(1);
  tx.gas_limit = 20999;
  REQUIRE(std::get<TransactionError>(apply_transaction(s, block(), tx, vm, {})).name ==
          "TransactionException.INTRINSIC_GAS_TOO_LOW");
  tx = transfer(1);
  tx.max_fee_per_gas = 6;  // below the base fee
  REQUIRE(std::holds_alternative<TransactionError>(apply_transaction(s, block(), tx, vm, {})));
  REQUIRE(state_root(s) == before);
}

TEST_CASE("a reverted call rolls back its storage but still pays for gas", "[evm][transaction]") {
  State s = funded();
  Account c;
  c.code = make_code(from_hex("600160005560006000fd"));  // SSTORE(0, 1); REVERT(0, 0)
  s.put(contract, std::move(c));
  Transaction tx = transfer(0);
  tx.to = contract;
  tx.gas_limit = 100'000;
  Vm vm;
  const auto out = apply_transaction(s, block(), tx, vm, {});
  const auto& receipt = std::get<TransactionReceipt>(out);
  REQUIRE(receipt.status == Status::revert);
  REQUIRE(s.get_storage(*s.find(contract), 0) == uint256{});
  REQUIRE(receipt.gas_used == 21000 + 3 + 3 + 22100 + 3 + 3);
}

TEST_CASE("a creating transaction deploys the returned code at the derived address", "[evm][transaction]") {
  State s = funded();
  Transaction tx = transfer(0);
  tx.to.reset();
  // Init code: return the one byte 0x00 as runtime code. MSTORE8(0, 0); RETURN(0, 1)
  tx.data = from_hex("600060005360016000f3");
  tx.gas_limit = 100'000;
  Vm vm;
  const auto out = apply_transaction(s, block(), tx, vm, {});
  REQUIRE(std::get<TransactionReceipt>(out).status == Status::success);
  const Address created = create_address(alice, 0);
  REQUIRE(s.find(created) != nullptr);
  REQUIRE(s.find(created)->code->bytes == Bytes{0x00});
  REQUIRE(s.find(created)->nonce == 1);
}

TEST_CASE("the CREATE address is keccak(rlp([sender, nonce])) and CREATE2 follows EIP-1014", "[evm][transaction]") {
  // EIP-1014 example 1: address 0x00..00, salt 0, init code 0x00.
  REQUIRE(to_hex(create2_address(Address{}, 0, Bytes{0x00})) == "0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38");
  REQUIRE(to_hex(create_address(address_from_hex("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0"), 0)) ==
          "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
}

TEST_CASE("the blob base fee follows EIP-4844's fake exponential", "[evm][transaction]") {
  REQUIRE(blob_gas_price(0) == uint256(1));
  REQUIRE(blob_gas_price(3338477) == uint256(2));  // e^1 rounded down
  REQUIRE(blob_gas_price(10 * 3338477) > uint256(20000));
}
