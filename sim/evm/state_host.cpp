#include "sim/evm/state_host.hpp"

#include <cstring>

#include "sim/evm/keccak.hpp"
#include "sim/evm/precompiles.hpp"
#include "sim/evm/rlp.hpp"

namespace dais::evm {

Address create_address(const Address& sender, std::uint64_t nonce) {
  const Bytes rlp = rlp::encode_list({rlp::encode(BytesView(sender.bytes)), rlp::encode(uint256(nonce))});
  const Bytes32 h = keccak256(rlp);
  Address a;
  std::memcpy(a.bytes.data(), h.bytes.data() + 12, 20);
  return a;
}

Address create2_address(const Address& sender, const uint256& salt, BytesView init_code) {
  std::uint8_t buf[1 + 20 + 32 + 32];
  buf[0] = 0xff;
  std::memcpy(buf + 1, sender.bytes.data(), 20);
  salt.to_be(buf + 21);
  const Bytes32 code_hash = keccak256(init_code);
  std::memcpy(buf + 53, code_hash.bytes.data(), 32);
  const Bytes32 h = keccak256(buf, sizeof buf);
  Address a;
  std::memcpy(a.bytes.data(), h.bytes.data() + 12, 20);
  return a;
}

bool StateHost::account_exists(const Address& addr) noexcept {
  const Account* a = state_.find(addr);
  return a != nullptr && !a->is_empty();
}

StorageSlot& StateHost::slot(const Address& addr, const uint256& key) {
  if (slot_cache_ != nullptr && slot_key_ == key && slot_address_ == addr) return *slot_cache_;
  slot_cache_ = &state_.get_or_create(addr).storage[key];
  slot_address_ = addr;
  slot_key_ = key;
  return *slot_cache_;
}

void StateHost::rollback(std::size_t checkpoint) noexcept {
  state_.rollback(checkpoint);
  slot_cache_ = nullptr;
}

uint256 StateHost::get_storage(const Address& addr, const uint256& key) noexcept {
  if (slot_cache_ != nullptr && slot_key_ == key && slot_address_ == addr) return slot_cache_->current;
  const Account* a = state_.find(addr);
  return a == nullptr ? uint256{} : state_.get_storage(*a, key);
}

StorageStatus StateHost::set_storage(const Address& addr, const uint256& key, const uint256& value) noexcept {
  return state_.set_slot(addr, slot(addr, key), key, value);
}

uint256 StateHost::get_balance(const Address& addr) noexcept {
  const Account* a = state_.find(addr);
  return a == nullptr ? uint256{} : a->balance;
}

std::size_t StateHost::get_code_size(const Address& addr) noexcept {
  const Account* a = state_.find(addr);
  return a == nullptr ? 0 : a->code->bytes.size();
}

Bytes32 StateHost::get_code_hash(const Address& addr) noexcept {
  const Account* a = state_.find(addr);
  if (a == nullptr || a->is_empty()) return {};  // EIP-1052: 0 for an account that does not exist
  return a->code->hash;
}

std::size_t StateHost::copy_code(const Address& addr, std::size_t offset, std::uint8_t* out, std::size_t size) noexcept {
  const Account* a = state_.find(addr);
  if (a == nullptr) return 0;
  const Bytes& code = a->code->bytes;
  if (offset >= code.size()) return 0;
  const std::size_t n = std::min(size, code.size() - offset);
  std::memcpy(out, code.data() + offset, n);
  return n;
}

void StateHost::selfdestruct(const Address& addr, const Address& beneficiary) noexcept {
  Account& self = state_.get_or_create(addr);
  const uint256 balance = self.balance;
  if (beneficiary != addr) {
    Account& b = state_.get_or_create(beneficiary);
    state_.touch(beneficiary, b);
    if (balance) {
      state_.set_balance(beneficiary, b, b.balance + balance);
      state_.set_balance(addr, self, 0);
    }
  }
  // EIP-6780: only an account created in this transaction goes away (its ether with it when it is its
  // own beneficiary); otherwise SELFDESTRUCT just moves the balance.
  if (self.created) {
    if (self.balance) state_.set_balance(addr, self, 0);
    state_.mark_destructed(addr, self);
  }
}

Bytes32 StateHost::get_block_hash(std::int64_t number) noexcept {
  return block_hash_ ? block_hash_(number) : Bytes32{};
}

void StateHost::emit_log(const Address& addr, BytesView data, const Bytes32* topics, std::size_t num_topics) noexcept {
  state_.add_log({addr, std::vector<Bytes32>(topics, topics + num_topics), Bytes(data.begin(), data.end())});
}

AccessStatus StateHost::access_account(const Address& addr) noexcept { return state_.access_account(addr); }

AccessStatus StateHost::access_storage(const Address& addr, const uint256& key) noexcept {
  return state_.access_slot(addr, slot(addr, key), key);
}

uint256 StateHost::get_transient_storage(const Address& addr, const uint256& key) noexcept {
  return state_.get_transient(addr, key);
}

void StateHost::set_transient_storage(const Address& addr, const uint256& key, const uint256& value) noexcept {
  state_.set_transient(addr, key, value);
}

Result StateHost::call(const Message& msg) noexcept {
  if (msg.kind == CallKind::create || msg.kind == CallKind::create2) return create(msg);
  const std::size_t checkpoint = state_.checkpoint();
  if (msg.kind != CallKind::delegatecall && msg.value) {
    Account& from = state_.get_or_create(msg.sender);
    state_.set_balance(msg.sender, from, from.balance - msg.value);
    Account& to = state_.get_or_create(msg.recipient);
    state_.set_balance(msg.recipient, to, to.balance + msg.value);
  }
  Account& target = state_.get_or_create(msg.recipient);
  state_.touch(msg.recipient, target);

  Result r;
  if (is_precompile(msg.code_address)) {
    r = run_precompile(msg.code_address, msg.input, msg.gas);
  } else {
    const Account* code_owner = state_.find(msg.code_address);
    const CodePtr code = code_owner != nullptr ? code_owner->code : empty_code();
    if (code->bytes.empty()) {
      r.status = Status::success;
      r.gas_left = msg.gas;
    } else {
      r = vm_.execute(*this, msg, code->analysis);
    }
  }
  if (r.status != Status::success) {
    rollback(checkpoint);
    if (r.status != Status::revert) r.gas_left = 0;
    r.gas_refund = 0;
  }
  return r;
}

Result StateHost::create(const Message& msg) noexcept {
  Result r;
  Account& sender = state_.get_or_create(msg.sender);
  // A top-level create's nonce was already bumped by the transaction; a nested one bumps it here.
  std::uint64_t nonce = sender.nonce;
  if (msg.depth == 0) {
    nonce -= 1;
  } else {
    if (nonce == ~std::uint64_t{0}) {  // EIP-2681: light failure, the gas goes back
      r.status = Status::insufficient_balance;
      r.gas_left = msg.gas;
      return r;
    }
    state_.set_nonce(msg.sender, sender, nonce + 1);
  }
  const Address addr = msg.kind == CallKind::create ? create_address(msg.sender, nonce)
                                                    : create2_address(msg.sender, msg.create2_salt, msg.input);
  state_.access_account(addr);
  if (const Account* existing = state_.find(addr);
      existing != nullptr && (existing->nonce != 0 || !existing->code->bytes.empty() || !existing->storage.empty())) {
    bool has_storage = false;
    for (const auto& [key, slot] : existing->storage) has_storage = has_storage || static_cast<bool>(slot.current);
    if (existing->nonce != 0 || !existing->code->bytes.empty() || has_storage) {
      r.status = Status::address_collision;
      return r;
    }
  }

  const std::size_t checkpoint = state_.checkpoint();
  Account& acc = state_.get_or_create(addr);
  state_.mark_created(addr, acc);
  state_.set_nonce(addr, acc, 1);
  if (msg.value) {
    Account& from = *state_.find(msg.sender);
    state_.set_balance(msg.sender, from, from.balance - msg.value);
    Account& to = *state_.find(addr);
    state_.set_balance(addr, to, to.balance + msg.value);
  }

  Message init = msg;
  init.recipient = addr;
  init.code_address = addr;
  init.input = {};
  if (msg.input.empty()) {
    r.status = Status::success;
    r.gas_left = msg.gas;
  } else {
    const CodeAnalysis analysis(msg.input);
    r = vm_.execute(*this, init, analysis);
  }
  if (r.status == Status::success) {
    const std::int64_t deposit = 200 * static_cast<std::int64_t>(r.output.size());
    if (!r.output.empty() && r.output[0] == 0xEF) {  // EIP-3541
      r.status = Status::contract_validation_failure;
    } else if (r.output.size() > max_code_size || r.gas_left < deposit) {
      r.status = Status::out_of_gas;
    } else {
      r.gas_left -= deposit;
      Account& created = *state_.find(addr);
      state_.set_code(addr, created, make_code(std::move(r.output)));
      r.output.clear();
      r.create_address = addr;
      return r;
    }
  }
  rollback(checkpoint);
  if (r.status != Status::revert) {
    r.gas_left = 0;
    r.output.clear();
  }
  r.gas_refund = 0;
  return r;
}

}  // namespace dais::evm
