#include "sim/evm/state.hpp"

#include "sim/evm/keccak.hpp"

namespace dais::evm {

Code::Code(Bytes b) : bytes(std::move(b)), hash(keccak256(bytes)), analysis(bytes) {}

CodePtr make_code(Bytes bytes) {
  if (bytes.empty()) return empty_code();
  return std::make_shared<const Code>(std::move(bytes));
}

const CodePtr& empty_code() {
  static const CodePtr empty = std::make_shared<const Code>(Bytes{});
  return empty;
}

namespace {
// RIPEMD-160's precompile address: its touch survives a revert (mainnet block 2675119; execution-specs
// keeps the quirk in every fork).
constexpr Address ripemd_address = Address::from_u64(3);
}  // namespace

Account* State::find(const Address& a) noexcept {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? nullptr : &it->second;
}

const Account* State::find(const Address& a) const noexcept {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? nullptr : &it->second;
}

Account& State::get_or_create(const Address& a) {
  auto [it, inserted] = accounts_.try_emplace(a);
  if (inserted) journal_.push_back({Kind::created_account, a, {}, {}, 0, nullptr});
  return it->second;
}

Account& State::put(const Address& a, Account acc) { return accounts_[a] = std::move(acc); }

void State::set_balance(const Address& a, Account& acc, const uint256& v) {
  journal_.push_back({Kind::balance, a, {}, acc.balance, 0, nullptr});
  acc.balance = v;
}

void State::set_nonce(const Address& a, Account& acc, std::uint64_t n) {
  journal_.push_back({Kind::nonce, a, {}, {}, acc.nonce, nullptr});
  acc.nonce = n;
}

void State::set_code(const Address& a, Account& acc, CodePtr code) {
  journal_.push_back({Kind::code, a, {}, {}, 0, std::move(acc.code)});
  acc.code = std::move(code);
}

void State::touch(const Address& a, Account& acc) {
  if (acc.touched) return;
  journal_.push_back({Kind::touched, a, {}, {}, 0, nullptr});
  acc.touched = true;
}

void State::mark_created(const Address& a, Account& acc) {
  journal_.push_back({Kind::created_flag, a, {}, {}, acc.created ? 1U : 0U, nullptr});
  acc.created = true;
}

void State::mark_destructed(const Address& a, Account& acc) {
  if (acc.destructed) return;
  journal_.push_back({Kind::destructed_flag, a, {}, {}, 0, nullptr});
  acc.destructed = true;
}

uint256 State::get_storage(const Account& acc, const uint256& key) const noexcept {
  const auto it = acc.storage.find(key);
  return it == acc.storage.end() ? uint256{} : it->second.current;
}

StorageStatus State::set_storage(const Address& a, Account& acc, const uint256& key, const uint256& value) {
  return set_slot(a, acc.storage[key], key, value);
}

StorageStatus State::set_slot(const Address& a, StorageSlot& slot, const uint256& key, const uint256& value) {
  const uint256 current = slot.current, original = slot.original;
  journal_.push_back({Kind::storage, a, key, current, 0, nullptr});
  slot.current = value;
  return classify_store(original, current, value);
}

AccessStatus State::access_account(const Address& a) {
  if (!accessed_.insert(a).second) return AccessStatus::warm;
  journal_.push_back({Kind::account_warm, a, {}, {}, 0, nullptr});
  return AccessStatus::cold;
}

AccessStatus State::access_storage(const Address& a, Account& acc, const uint256& key) {
  return access_slot(a, acc.storage[key], key);
}

AccessStatus State::access_slot(const Address& a, StorageSlot& slot, const uint256& key) {
  if (slot.warm) return AccessStatus::warm;
  slot.warm = true;
  journal_.push_back({Kind::storage_warm, a, key, {}, 0, nullptr});
  return AccessStatus::cold;
}

uint256 State::get_transient(const Address& a, const uint256& key) const noexcept {
  const auto it = transient_.find({a, key});
  return it == transient_.end() ? uint256{} : it->second;
}

void State::set_transient(const Address& a, const uint256& key, const uint256& value) {
  uint256& slot = transient_[{a, key}];
  journal_.push_back({Kind::transient, a, key, slot, 0, nullptr});
  slot = value;
}

void State::add_log(Log log) {
  journal_.push_back({Kind::log, log.address, {}, {}, 0, nullptr});
  logs_.push_back(std::move(log));
}

void State::rollback(std::size_t checkpoint) noexcept {
  while (journal_.size() > checkpoint) {
    Entry& e = journal_.back();
    Account* acc = find(e.address);
    switch (e.kind) {
      case Kind::created_account: accounts_.erase(e.address); break;
      case Kind::balance: acc->balance = e.value; break;
      case Kind::nonce: acc->nonce = e.nonce; break;
      case Kind::code: acc->code = std::move(e.code); break;
      case Kind::touched:
        if (e.address == ripemd_address) {
          // Keep the entry's effect: it moves down to the checkpoint's level.
          journal_.pop_back();
          continue;
        }
        acc->touched = false;
        break;
      case Kind::created_flag: acc->created = e.nonce != 0; break;
      case Kind::destructed_flag: acc->destructed = false; break;
      case Kind::storage: acc->storage[e.key].current = e.value; break;
      case Kind::storage_warm: acc->storage[e.key].warm = false; break;
      case Kind::account_warm: accessed_.erase(e.address); break;
      case Kind::transient: transient_[{e.address, e.key}] = e.value; break;
      case Kind::log: logs_.pop_back(); break;
    }
    journal_.pop_back();
  }
}

void State::finalize_transaction() {
  for (const Entry& e : journal_) {
    Account* acc = find(e.address);
    if (acc == nullptr) continue;
    if (e.kind == Kind::destructed_flag && acc->destructed) {
      accounts_.erase(e.address);
    } else if ((e.kind == Kind::touched || e.kind == Kind::created_account) && acc->is_empty()) {
      accounts_.erase(e.address);
    }
  }
  for (const Entry& e : journal_) {
    Account* acc = find(e.address);
    if (acc == nullptr) continue;
    acc->touched = false;
    acc->created = false;
    if (e.kind == Kind::storage || e.kind == Kind::storage_warm) {
      const auto it = acc->storage.find(e.key);
      if (it != acc->storage.end()) {
        if (!it->second.current) {
          acc->storage.erase(it);
        } else {
          it->second.original = it->second.current;
          it->second.warm = false;
        }
      }
    }
  }
  discard_transaction_bookkeeping();
}

void State::discard_transaction_bookkeeping() {
  journal_.clear();
  accessed_.clear();
  transient_.clear();
  logs_.clear();
}

}  // namespace dais::evm

