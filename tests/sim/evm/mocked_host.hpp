#pragma once
// A Host for unit tests: accounts in plain maps, and a record of every call, log, storage write and
// selfdestruct the interpreter asked for. Nested calls answer with a canned result.

#include <map>
#include <vector>

#include "sim/evm/host.hpp"
#include "sim/evm/interpreter.hpp"
#include "sim/evm/keccak.hpp"

namespace dais::evm::test {

struct MockAccount {
  uint256 balance;
  Bytes code;
  std::map<std::array<std::uint8_t, 32>, uint256> storage;
  std::map<std::array<std::uint8_t, 32>, uint256> original;
  std::map<std::array<std::uint8_t, 32>, uint256> transient;
};

struct RecordedCall {
  CallKind kind;
  bool is_static;
  int depth;
  std::int64_t gas;
  Address recipient, sender, code_address;
  Bytes input;
  uint256 value;
};

struct RecordedLog {
  Address address;
  Bytes data;
  std::vector<Bytes32> topics;
};

class MockedHost : public Host {
 public:
  std::map<Address, MockAccount> accounts;
  TxContext tx;
  std::vector<RecordedCall> calls;
  std::vector<RecordedLog> logs;
  std::vector<std::pair<uint256, uint256>> storage_writes;
  std::vector<std::pair<Address, Address>> selfdestructs;
  std::vector<Address> accessed_accounts;
  std::vector<uint256> accessed_keys;
  Result call_result{Status::success, 0, 0, {}, {}};  // what a nested call returns (gas_left: see below)
  bool call_returns_all_gas = true;                   // gas_left = the message's gas

  static std::array<std::uint8_t, 32> k(const uint256& v) { return v.to_be(); }

  bool account_exists(const Address& a) noexcept override { return accounts.count(a) != 0; }
  uint256 get_storage(const Address& a, const uint256& key) noexcept override {
    auto& st = accounts[a].storage;
    const auto it = st.find(k(key));
    return it == st.end() ? uint256{} : it->second;
  }
  StorageStatus set_storage(const Address& a, const uint256& key, const uint256& value) noexcept override {
    storage_writes.emplace_back(key, value);
    MockAccount& acc = accounts[a];
    const uint256 current = get_storage(a, key);
    const auto it = acc.original.find(k(key));
    const uint256 original = it == acc.original.end() ? current : it->second;
    acc.original.emplace(k(key), current);
    acc.storage[k(key)] = value;
    return classify_store(original, current, value);
  }
  uint256 get_balance(const Address& a) noexcept override {
    const auto it = accounts.find(a);
    return it == accounts.end() ? uint256{} : it->second.balance;
  }
  std::size_t get_code_size(const Address& a) noexcept override {
    const auto it = accounts.find(a);
    return it == accounts.end() ? 0 : it->second.code.size();
  }
  Bytes32 get_code_hash(const Address& a) noexcept override {
    const auto it = accounts.find(a);
    return it == accounts.end() ? Bytes32{} : keccak256(it->second.code);
  }
  std::size_t copy_code(const Address& a, std::size_t offset, std::uint8_t* out, std::size_t size) noexcept override {
    const auto it = accounts.find(a);
    if (it == accounts.end() || offset >= it->second.code.size()) return 0;
    const std::size_t n = std::min(size, it->second.code.size() - offset);
    std::copy_n(it->second.code.begin() + static_cast<std::ptrdiff_t>(offset), n, out);
    return n;
  }
  void selfdestruct(const Address& a, const Address& b) noexcept override { selfdestructs.emplace_back(a, b); }
  Result call(const Message& m) noexcept override {
    calls.push_back({m.kind, m.is_static, m.depth, m.gas, m.recipient, m.sender, m.code_address,
                     Bytes(m.input.begin(), m.input.end()), m.value});
    Result r = call_result;
    if (call_returns_all_gas) r.gas_left = m.gas;
    return r;
  }
  const TxContext& get_tx_context() noexcept override { return tx; }
  Bytes32 get_block_hash(std::int64_t n) noexcept override { return Bytes32::from_word(uint256(static_cast<std::uint64_t>(n) + 1000)); }
  void emit_log(const Address& a, BytesView data, const Bytes32* topics, std::size_t n) noexcept override {
    logs.push_back({a, Bytes(data.begin(), data.end()), std::vector<Bytes32>(topics, topics + n)});
  }
  AccessStatus access_account(const Address& a) noexcept override {
    const bool seen = std::find(accessed_accounts.begin(), accessed_accounts.end(), a) != accessed_accounts.end();
    accessed_accounts.push_back(a);
    return seen ? AccessStatus::warm : AccessStatus::cold;
  }
  AccessStatus access_storage(const Address&, const uint256& key) noexcept override {
    const bool seen = std::find(accessed_keys.begin(), accessed_keys.end(), key) != accessed_keys.end();
    accessed_keys.push_back(key);
    return seen ? AccessStatus::warm : AccessStatus::cold;
  }
  uint256 get_transient_storage(const Address& a, const uint256& key) noexcept override {
    auto& t = accounts[a].transient;
    const auto it = t.find(k(key));
    return it == t.end() ? uint256{} : it->second;
  }
  void set_transient_storage(const Address& a, const uint256& key, const uint256& v) noexcept override {
    accounts[a].transient[k(key)] = v;
  }
};

// Runs code as a call to `self` with the given gas and input.
inline Result execute(MockedHost& host, const Bytes& code, std::int64_t gas, const Bytes& input = {},
                      bool is_static = false) {
  static Vm vm;
  Message msg;
  msg.gas = gas;
  msg.recipient = Address::from_u64(0xc0de);
  msg.code_address = msg.recipient;
  msg.sender = Address::from_u64(0xca11);
  msg.input = input;
  msg.is_static = is_static;
  const CodeAnalysis analysis(code);
  return vm.execute(host, msg, analysis);
}

}  // namespace dais::evm::test
