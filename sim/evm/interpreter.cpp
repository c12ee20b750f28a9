#include "sim/evm/interpreter.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "sim/evm/keccak.hpp"
#include "sim/evm/opcodes.hpp"

namespace dais::evm {

std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::success: return "success";
    case Status::revert: return "revert";
    case Status::out_of_gas: return "out of gas";
    case Status::invalid_instruction: return "invalid instruction";
    case Status::undefined_instruction: return "undefined instruction";
    case Status::stack_underflow: return "stack underflow";
    case Status::stack_overflow: return "stack overflow";
    case Status::bad_jump_destination: return "bad jump destination";
    case Status::static_mode_violation: return "state change in a static call";
    case Status::invalid_memory_access: return "return data read out of bounds";
    case Status::call_depth_exceeded: return "call depth exceeded";
    case Status::insufficient_balance: return "insufficient balance";
    case Status::address_collision: return "address collision";
    case Status::precompile_failure: return "precompile failure";
    case Status::unsupported_precompile: return "unsupported precompile";
    case Status::contract_validation_failure: return "contract validation failure";
  }
  return "unknown status";
}

CodeAnalysis::CodeAnalysis(BytesView code)
    : padded_(front_padding + code.size() + 33, 0), jumpdest_(code.size(), 0), size_(code.size()) {
  if (!code.empty()) std::memcpy(padded_.data() + front_padding, code.data(), code.size());
  const std::uint8_t* c = padded();
  for (std::size_t i = 0; i < size_; ++i) {
    const std::uint8_t op = c[i];
    if (op == OP_JUMPDEST) jumpdest_[i] = 1;
    else if (op >= OP_PUSH1 && op <= OP_PUSH32) i += static_cast<std::size_t>(op - OP_PUSH1 + 1);
  }
}

Memory::~Memory() { std::free(data_); }

void Memory::grow(std::size_t new_size) noexcept {
  if (new_size > capacity_) {
    std::size_t cap = std::max<std::size_t>(capacity_ * 2, 4096);
    while (cap < new_size) cap *= 2;
    auto* p = static_cast<std::uint8_t*>(std::realloc(data_, cap));
    if (p == nullptr) std::abort();  // out of host memory: nothing sensible left to do
    data_ = p;
    capacity_ = cap;
  }
  std::memset(data_ + size_, 0, new_size - size_);
  size_ = new_size;
}

StorageCost storage_cost(StorageStatus s) noexcept {
  switch (s) {
    case StorageStatus::assigned: return {100, 0};
    case StorageStatus::added: return {20000, 0};
    case StorageStatus::deleted: return {2900, 4800};
    case StorageStatus::modified: return {2900, 0};
    case StorageStatus::deleted_added: return {100, -4800};
    case StorageStatus::modified_deleted: return {100, 4800};
    case StorageStatus::deleted_restored: return {100, -4800 + 2800};
    case StorageStatus::added_deleted: return {100, 19900};
    case StorageStatus::modified_restored: return {100, 2800};
  }
  return {100, 0};
}

struct alignas(32) Vm::Frame {
  uint256 stack[stack_limit];
  Memory memory;
  Bytes return_data;
  std::int64_t gas = 0;
  std::int64_t refund = 0;
  const Message* msg = nullptr;
  Host* host = nullptr;
  const CodeAnalysis* code = nullptr;
  const std::uint8_t* code_begin = nullptr;    // code->padded(), cached for jumps and PC
  const std::uint8_t* jumpdest_map = nullptr;  // code->jumpdest_map(), cached
  std::uint64_t code_size = 0;
  const TxContext* tx = nullptr;
  Status status = Status::success;
  std::uint64_t out_offset = 0;
  std::uint64_t out_size = 0;

  const TxContext& tx_context() noexcept {
    if (tx == nullptr) tx = &host->get_tx_context();
    return *tx;
  }
};

Vm::Vm() = default;
Vm::~Vm() = default;

Vm::Frame& Vm::frame_at(int depth) noexcept {
  const auto d = static_cast<std::size_t>(depth);
  if (d >= frames_.size()) frames_.resize(d + 1);
  if (!frames_[d]) frames_[d] = std::make_unique<Frame>();
  return *frames_[d];
}

namespace {

using Frame = Vm::Frame;
using Pc = const std::uint8_t*;

constexpr std::uint64_t num_words(std::uint64_t size) noexcept { return (size + 31) / 32; }

[[gnu::noinline]] bool expand_memory(Frame& f, std::uint64_t end) noexcept {
  const std::uint64_t new_words = num_words(end);
  const std::uint64_t old_words = f.memory.size() / 32;
  f.gas -= memory_cost(new_words) - memory_cost(old_words);
  if (f.gas < 0) {
    f.status = Status::out_of_gas;
    return false;
  }
  f.memory.grow(new_words * 32);
  return true;
}

// Makes [offset, offset + size) addressable, charging the expansion; size must be non-zero.
inline bool grow_memory(Frame& f, std::uint64_t offset, std::uint64_t size) noexcept {
  if (offset > max_memory_size || size > max_memory_size) {
    f.status = Status::out_of_gas;
    return false;
  }
  const std::uint64_t end = offset + size;
  return end <= f.memory.size() || expand_memory(f, end);
}

inline bool grow_memory(Frame& f, const uint256& offset, const uint256& size) noexcept {
  if (!size) return true;
  if (!offset.fits_u64() || !size.fits_u64()) {
    f.status = Status::out_of_gas;
    return false;
  }
  return grow_memory(f, offset.w[0], size.w[0]);
}

inline bool charge(Frame& f, std::int64_t cost) noexcept {
  if ((f.gas -= cost) < 0) {
    f.status = Status::out_of_gas;
    return false;
  }
  return true;
}

inline Pc stop_with(Frame& f, Status s) noexcept {
  f.status = s;
  return nullptr;
}

// Copies src[offset .. offset+size) into dst, zero-filling what lies past the end of src.
inline void copy_padded(std::uint8_t* dst, BytesView src, const uint256& offset, std::uint64_t size) noexcept {
  std::uint64_t copied = 0;
  if (offset.fits_u64() && offset.w[0] < src.size()) {
    copied = std::min<std::uint64_t>(size, src.size() - offset.w[0]);
    std::memcpy(dst, src.data() + offset.w[0], copied);
  }
  if (size > copied) std::memset(dst + copied, 0, size - copied);
}

// ---- arithmetic, comparison, bitwise -------------------------------------------------------------
// Stack convention: sp points to the first free slot; sp[-1] is the top.

inline Pc op_STOP(Pc, uint256*, Frame& f) noexcept { return stop_with(f, Status::success); }
inline Pc op_ADD(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] + sp[-2];
  return pc + 1;
}
inline Pc op_MUL(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] * sp[-2];
  return pc + 1;
}
inline Pc op_SUB(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] - sp[-2];
  return pc + 1;
}
inline Pc op_DIV(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] / sp[-2];
  return pc + 1;
}
inline Pc op_SDIV(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sdiv(sp[-1], sp[-2]);
  return pc + 1;
}
inline Pc op_MOD(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] % sp[-2];
  return pc + 1;
}
inline Pc op_SMOD(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = smod(sp[-1], sp[-2]);
  return pc + 1;
}
inline Pc op_ADDMOD(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-3] = addmod(sp[-1], sp[-2], sp[-3]);
  return pc + 1;
}
inline Pc op_MULMOD(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-3] = mulmod(sp[-1], sp[-2], sp[-3]);
  return pc + 1;
}
inline Pc op_EXP(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256& exponent = sp[-2];
  if (!charge(f, 50 * static_cast<std::int64_t>(byte_width(exponent)))) return nullptr;
  sp[-2] = exp(sp[-1], exponent);
  return pc + 1;
}
inline Pc op_SIGNEXTEND(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = signextend(sp[-1], sp[-2]);
  return pc + 1;
}
inline Pc op_LT(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] < sp[-2] ? 1 : 0;
  return pc + 1;
}
inline Pc op_GT(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-2] < sp[-1] ? 1 : 0;
  return pc + 1;
}
inline Pc op_SLT(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = slt(sp[-1], sp[-2]) ? 1 : 0;
  return pc + 1;
}
inline Pc op_SGT(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = slt(sp[-2], sp[-1]) ? 1 : 0;
  return pc + 1;
}
inline Pc op_EQ(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] == sp[-2] ? 1 : 0;
  return pc + 1;
}
inline Pc op_ISZERO(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-1] = !sp[-1] ? 1 : 0;
  return pc + 1;
}
inline Pc op_AND(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] & sp[-2];
  return pc + 1;
}
inline Pc op_OR(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] | sp[-2];
  return pc + 1;
}
inline Pc op_XOR(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sp[-1] ^ sp[-2];
  return pc + 1;
}
inline Pc op_NOT(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-1] = ~sp[-1];
  return pc + 1;
}
inline Pc op_BYTE(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = byte_at(sp[-1], sp[-2]);
  return pc + 1;
}
inline Pc op_SHL(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = shl(sp[-2], shift_amount(sp[-1]));
  return pc + 1;
}
inline Pc op_SHR(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = shr(sp[-2], shift_amount(sp[-1]));
  return pc + 1;
}
inline Pc op_SAR(Pc pc, uint256* sp, Frame&) noexcept {
  sp[-2] = sar(sp[-2], shift_amount(sp[-1]));
  return pc + 1;
}

inline Pc op_KECCAK256(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 offset = sp[-1], size = sp[-2];
  if (!grow_memory(f, offset, size)) return nullptr;
  const std::uint64_t n = size.w[0];
  if (!charge(f, 6 * static_cast<std::int64_t>(num_words(n)))) return nullptr;
  const std::uint8_t* data = n != 0 ? f.memory.data() + offset.w[0] : nullptr;
  sp[-2] = keccak256(data, n).to_word();
  return pc + 1;
}

// ---- environment ---------------------------------------------------------------------------------

inline Pc push_value(Pc pc, uint256* sp, const uint256& v) noexcept {
  *sp = v;
  return pc + 1;
}

inline Pc op_ADDRESS(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.msg->recipient.to_word()); }
inline bool charge_access(Frame& f, const Address& a) noexcept {
  return f.host->access_account(a) == AccessStatus::warm || charge(f, 2500);
}
inline Pc op_BALANCE(Pc pc, uint256* sp, Frame& f) noexcept {
  const Address a = Address::from_word(sp[-1]);
  if (!charge_access(f, a)) return nullptr;
  sp[-1] = f.host->get_balance(a);
  return pc + 1;
}
inline Pc op_ORIGIN(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().origin.to_word()); }
inline Pc op_CALLER(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.msg->sender.to_word()); }
inline Pc op_CALLVALUE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.msg->value); }
inline Pc op_CALLDATALOAD(Pc pc, uint256* sp, Frame& f) noexcept {
  std::uint8_t buf[32];
  copy_padded(buf, f.msg->input, sp[-1], 32);
  sp[-1] = uint256::from_be(buf, 32);
  return pc + 1;
}
inline Pc op_CALLDATASIZE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.msg->input.size()); }

// CALLDATACOPY, CODECOPY, RETURNDATACOPY, MCOPY share the copy cost of 3 gas per word.
inline bool copy_cost(Frame& f, const uint256& mem_offset, const uint256& size) noexcept {
  if (!grow_memory(f, mem_offset, size)) return false;
  return charge(f, 3 * static_cast<std::int64_t>(num_words(size.w[0])));
}

inline Pc op_CALLDATACOPY(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 mem = sp[-1], src = sp[-2], size = sp[-3];
  if (!copy_cost(f, mem, size)) return nullptr;
  if (size) copy_padded(f.memory.data() + mem.w[0], f.msg->input, src, size.w[0]);
  return pc + 1;
}
inline Pc op_CODESIZE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.code->size()); }
inline Pc op_CODECOPY(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 mem = sp[-1], src = sp[-2], size = sp[-3];
  if (!copy_cost(f, mem, size)) return nullptr;
  if (size) copy_padded(f.memory.data() + mem.w[0], f.code->code(), src, size.w[0]);
  return pc + 1;
}
inline Pc op_GASPRICE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().gas_price); }
inline Pc op_EXTCODESIZE(Pc pc, uint256* sp, Frame& f) noexcept {
  const Address a = Address::from_word(sp[-1]);
  if (!charge_access(f, a)) return nullptr;
  sp[-1] = f.host->get_code_size(a);
  return pc + 1;
}
inline Pc op_EXTCODECOPY(Pc pc, uint256* sp, Frame& f) noexcept {
  const Address a = Address::from_word(sp[-1]);
  const uint256 mem = sp[-2], src = sp[-3], size = sp[-4];
  if (!copy_cost(f, mem, size)) return nullptr;
  if (!charge_access(f, a)) return nullptr;
  if (size) {
    std::uint8_t* dst = f.memory.data() + mem.w[0];
    std::size_t copied = 0;
    if (src.fits_u64()) copied = f.host->copy_code(a, src.w[0], dst, size.w[0]);
    if (copied < size.w[0]) std::memset(dst + copied, 0, size.w[0] - copied);
  }
  return pc + 1;
}
inline Pc op_RETURNDATASIZE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.return_data.size()); }
inline Pc op_RETURNDATACOPY(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 mem = sp[-1], src = sp[-2], size = sp[-3];
  // Reading past the end of the return data is an exceptional halt, unlike every other copy.
  const uint256 end = src + size;
  if (end < src || end > uint256(f.return_data.size())) return stop_with(f, Status::invalid_memory_access);
  if (!copy_cost(f, mem, size)) return nullptr;
  if (size) std::memcpy(f.memory.data() + mem.w[0], f.return_data.data() + src.w[0], size.w[0]);
  return pc + 1;
}
inline Pc op_EXTCODEHASH(Pc pc, uint256* sp, Frame& f) noexcept {
  const Address a = Address::from_word(sp[-1]);
  if (!charge_access(f, a)) return nullptr;
  sp[-1] = f.host->get_code_hash(a).to_word();
  return pc + 1;
}

inline Pc op_BLOCKHASH(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 n = sp[-1];
  const std::int64_t current = f.tx_context().number;
  uint256 h;
  if (n.fits_u64() && n.w[0] < static_cast<std::uint64_t>(current) &&
      static_cast<std::int64_t>(n.w[0]) >= current - 256)
    h = f.host->get_block_hash(static_cast<std::int64_t>(n.w[0])).to_word();
  sp[-1] = h;
  return pc + 1;
}
inline Pc op_COINBASE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().coinbase.to_word()); }
inline Pc op_TIMESTAMP(Pc pc, uint256* sp, Frame& f) noexcept {
  return push_value(pc, sp, static_cast<std::uint64_t>(f.tx_context().timestamp));
}
inline Pc op_NUMBER(Pc pc, uint256* sp, Frame& f) noexcept {
  return push_value(pc, sp, static_cast<std::uint64_t>(f.tx_context().number));
}
inline Pc op_PREVRANDAO(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().prev_randao); }
inline Pc op_GASLIMIT(Pc pc, uint256* sp, Frame& f) noexcept {
  return push_value(pc, sp, static_cast<std::uint64_t>(f.tx_context().gas_limit));
}
inline Pc op_CHAINID(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().chain_id); }
inline Pc op_SELFBALANCE(Pc pc, uint256* sp, Frame& f) noexcept {
  return push_value(pc, sp, f.host->get_balance(f.msg->recipient));
}
inline Pc op_BASEFEE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().base_fee); }
inline Pc op_BLOBHASH(Pc pc, uint256* sp, Frame& f) noexcept {
  const TxContext& tx = f.tx_context();
  const uint256 i = sp[-1];
  sp[-1] = i.fits_u64() && i.w[0] < tx.blob_hashes_count ? tx.blob_hashes[i.w[0]].to_word() : uint256{};
  return pc + 1;
}
inline Pc op_BLOBBASEFEE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.tx_context().blob_base_fee); }

// ---- stack, memory, storage, flow ----------------------------------------------------------------

inline Pc op_POP(Pc pc, uint256*, Frame&) noexcept {
  return pc + 1;
}
// MLOAD, MSTORE and MSTORE8 run with the loop's gas register: expansion (rare) takes and returns it.
[[gnu::noinline]] std::int64_t expand_memory_g(Frame& f, std::uint64_t end, std::int64_t gas) noexcept {
  const std::uint64_t new_words = num_words(end);
  gas -= memory_cost(new_words) - memory_cost(f.memory.size() / 32);
  if (gas >= 0) f.memory.grow(new_words * 32);
  return gas;
}

inline bool word_access(Frame& f, const uint256& offset, std::uint64_t size, std::int64_t& gas) noexcept {
  if (!offset.fits_u64() || offset.w[0] > max_memory_size) return false;
  const std::uint64_t end = offset.w[0] + size;
  if (end <= f.memory.size()) return true;
  gas = expand_memory_g(f, end, gas);
  return gas >= 0;
}

inline Pc op_MLOAD_g(Pc pc, uint256* sp, Frame& f, std::int64_t& gas) noexcept {
  const uint256 offset = sp[-1];
  if (!word_access(f, offset, 32, gas)) return stop_with(f, Status::out_of_gas);
  sp[-1] = uint256::from_be(f.memory.data() + offset.w[0], 32);
  return pc + 1;
}
inline Pc op_MSTORE_g(Pc pc, uint256* sp, Frame& f, std::int64_t& gas) noexcept {
  const uint256 offset = sp[-1];
  if (!word_access(f, offset, 32, gas)) return stop_with(f, Status::out_of_gas);
  sp[-2].to_be(f.memory.data() + offset.w[0]);
  return pc + 1;
}
inline Pc op_MSTORE8_g(Pc pc, uint256* sp, Frame& f, std::int64_t& gas) noexcept {
  const uint256 offset = sp[-1];
  if (!word_access(f, offset, 1, gas)) return stop_with(f, Status::out_of_gas);
  f.memory.data()[offset.w[0]] = static_cast<std::uint8_t>(sp[-2].w[0]);
  return pc + 1;
}
// The uniform-signature forms, for anything that dispatches by the common signature.
inline Pc op_MLOAD(Pc pc, uint256* sp, Frame& f) noexcept { return op_MLOAD_g(pc, sp, f, f.gas); }
inline Pc op_MSTORE(Pc pc, uint256* sp, Frame& f) noexcept { return op_MSTORE_g(pc, sp, f, f.gas); }
inline Pc op_MSTORE8(Pc pc, uint256* sp, Frame& f) noexcept { return op_MSTORE8_g(pc, sp, f, f.gas); }
inline Pc op_SLOAD(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 key = sp[-1];
  if (f.host->access_storage(f.msg->recipient, key) == AccessStatus::cold && !charge(f, 2000)) return nullptr;
  sp[-1] = f.host->get_storage(f.msg->recipient, key);
  return pc + 1;
}
inline Pc op_SSTORE(Pc pc, uint256* sp, Frame& f) noexcept {
  if (f.msg->is_static) return stop_with(f, Status::static_mode_violation);
  // EIP-2200: SSTORE needs more than the call stipend left, so a stipend-only call cannot write.
  if (f.gas <= 2300) return stop_with(f, Status::out_of_gas);
  const uint256 key = sp[-1], value = sp[-2];
  std::int64_t cost = 0;
  if (f.host->access_storage(f.msg->recipient, key) == AccessStatus::cold) cost += 2100;
  const StorageCost sc = storage_cost(f.host->set_storage(f.msg->recipient, key, value));
  cost += sc.gas;
  if (!charge(f, cost)) return nullptr;
  f.refund += sc.refund;
  return pc + 1;
}
inline Pc jump_to(Frame& f, const uint256& dest) noexcept {
  if (!dest.fits_u64() || dest.w[0] >= f.code_size || f.jumpdest_map[dest.w[0]] == 0)
    return stop_with(f, Status::bad_jump_destination);
  return f.code_begin + dest.w[0];
}
inline Pc op_JUMP(Pc, uint256* sp, Frame& f) noexcept {
  return jump_to(f, sp[-1]);
}
inline Pc op_JUMPI(Pc pc, uint256* sp, Frame& f) noexcept {
  return sp[-2] ? jump_to(f, sp[-1]) : pc + 1;
}
inline Pc op_PC(Pc pc, uint256* sp, Frame& f) noexcept {
  return push_value(pc, sp, static_cast<std::uint64_t>(pc - f.code_begin));
}
inline Pc op_MSIZE(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, f.memory.size()); }
inline Pc op_GAS(Pc pc, uint256* sp, Frame& f) noexcept { return push_value(pc, sp, static_cast<std::uint64_t>(f.gas)); }
inline Pc op_JUMPDEST(Pc pc, uint256*, Frame&) noexcept { return pc + 1; }
inline Pc op_TLOAD(Pc pc, uint256* sp, Frame& f) noexcept {
  sp[-1] = f.host->get_transient_storage(f.msg->recipient, sp[-1]);
  return pc + 1;
}
inline Pc op_TSTORE(Pc pc, uint256* sp, Frame& f) noexcept {
  if (f.msg->is_static) return stop_with(f, Status::static_mode_violation);
  f.host->set_transient_storage(f.msg->recipient, sp[-1], sp[-2]);
  return pc + 1;
}
inline Pc op_MCOPY(Pc pc, uint256* sp, Frame& f) noexcept {
  const uint256 dst = sp[-1], src = sp[-2], size = sp[-3];
  if (size) {
    if (!src.fits_u64() || !dst.fits_u64() || !size.fits_u64()) return stop_with(f, Status::out_of_gas);
    if (!grow_memory(f, std::max(src.w[0], dst.w[0]), size.w[0])) return nullptr;
    if (!charge(f, 3 * static_cast<std::int64_t>(num_words(size.w[0])))) return nullptr;
    std::memmove(f.memory.data() + dst.w[0], f.memory.data() + src.w[0], size.w[0]);
  }
  return pc + 1;
}
inline Pc op_PUSH0(Pc pc, uint256* sp, Frame&) noexcept { return push_value(pc, sp, 0); }

template <int N>
inline Pc op_push(Pc pc, uint256* sp, Frame&) noexcept {
  const std::uint8_t* end = pc + 1 + N;  // one past the immediate
  uint256& r = *sp;
  // Limb by limb from the least significant end, each one 8-byte load; the partial top limb loads
  // the 8 bytes ending at its last byte (the code has 8 bytes of padding in front) and masks.
  constexpr int full = N / 8, partial = N % 8;
  for (int i = 0; i < 4; ++i) {
    if (i < full) {
      std::uint64_t x;
      std::memcpy(&x, end - 8 * (i + 1), 8);
      r.w[i] = __builtin_bswap64(x);
    } else if (i == full && partial != 0) {
      std::uint64_t x;
      std::memcpy(&x, end - 8 * full - 8, 8);
      r.w[i] = __builtin_bswap64(x) & ((std::uint64_t{1} << (8 * partial)) - 1);
    } else {
      r.w[i] = 0;
    }
  }
  return end;
}

template <int N>
inline Pc op_dup(Pc pc, uint256* sp, Frame&) noexcept {
  *sp = sp[-N];
  return pc + 1;
}
template <int N>
inline Pc op_swap(Pc pc, uint256* sp, Frame&) noexcept {
  const uint256 t = sp[-1];
  sp[-1] = sp[-1 - N];
  sp[-1 - N] = t;
  return pc + 1;
}

template <int N>
Pc op_log(Pc pc, uint256* sp, Frame& f) noexcept {
  if (f.msg->is_static) return stop_with(f, Status::static_mode_violation);
  const uint256 offset = sp[-1], size = sp[-2];
  if (!grow_memory(f, offset, size)) return nullptr;
  if (!charge(f, 8 * static_cast<std::int64_t>(size.w[0]))) return nullptr;
  Bytes32 topics[N > 0 ? N : 1];
  for (int i = 0; i < N; ++i) topics[i] = Bytes32::from_word(sp[-3 - i]);
  const BytesView data = size ? BytesView(f.memory.data() + offset.w[0], size.w[0]) : BytesView();
  f.host->emit_log(f.msg->recipient, data, topics, N);
  return pc + 1;
}

// ---- calls and creates ---------------------------------------------------------------------------

inline constexpr int max_call_depth = 1024;
inline constexpr std::uint64_t max_initcode_size = 2 * 24576;

template <CallKind Kind>
Pc op_create(Pc pc, uint256* sp, Frame& f) noexcept {
  if (f.msg->is_static) return stop_with(f, Status::static_mode_violation);
  constexpr int inputs = Kind == CallKind::create2 ? 4 : 3;
  const uint256 value = sp[-1], offset = sp[-2], size = sp[-3];
  const uint256 salt = Kind == CallKind::create2 ? sp[-4] : uint256{};
  uint256& result = sp[-inputs];
  result = 0;
  if (!grow_memory(f, offset, size)) return nullptr;
  const std::uint64_t n = size.w[0];
  if (n > max_initcode_size) return stop_with(f, Status::out_of_gas);  // EIP-3860
  const std::int64_t word_cost = Kind == CallKind::create2 ? 2 + 6 : 2;
  if (!charge(f, word_cost * static_cast<std::int64_t>(num_words(n)))) return nullptr;
  f.return_data.clear();
  if (f.msg->depth >= max_call_depth) return pc + 1;
  if (value && f.host->get_balance(f.msg->recipient) < value) return pc + 1;

  Message m;
  m.kind = Kind;
  m.depth = f.msg->depth + 1;
  m.gas = f.gas - f.gas / 64;
  m.sender = f.msg->recipient;
  m.input = n != 0 ? BytesView(f.memory.data() + offset.w[0], n) : BytesView();
  m.value = value;
  m.create2_salt = salt;
  f.gas -= m.gas;
  Result r = f.host->call(m);
  f.gas += r.gas_left;
  if (r.status == Status::success) {
    f.refund += r.gas_refund;
    result = r.create_address.to_word();
  } else if (r.status == Status::revert) {
    f.return_data = std::move(r.output);
  }
  return pc + 1;
}

template <CallKind Kind, bool IsStaticCall = false>
Pc op_call(Pc pc, uint256* sp, Frame& f) noexcept {
  constexpr bool has_value = (Kind == CallKind::call && !IsStaticCall) || Kind == CallKind::callcode;
  constexpr int inputs = has_value ? 7 : 6;
  const uint256 gas_req = sp[-1];
  const Address dst = Address::from_word(sp[-2]);
  const uint256 value = has_value ? sp[-3] : uint256{};
  constexpr int a = has_value ? 4 : 3;
  const uint256 in_off = sp[-a], in_size = sp[-a - 1], out_off = sp[-a - 2], out_size = sp[-a - 3];
  uint256& result = sp[-inputs];
  result = 0;

  if (!grow_memory(f, in_off, in_size) || !grow_memory(f, out_off, out_size)) return nullptr;
  if (!charge_access(f, dst)) return nullptr;
  const bool transfers = has_value && static_cast<bool>(value);
  if (transfers) {
    if (Kind == CallKind::call && f.msg->is_static) return stop_with(f, Status::static_mode_violation);
    std::int64_t extra = 9000;
    if (Kind == CallKind::call && !f.host->account_exists(dst)) extra += 25000;
    if (!charge(f, extra)) return nullptr;
  }
  // EIP-150: the callee gets at most all but one 64th of what is left.
  const std::int64_t cap = f.gas - f.gas / 64;
  std::int64_t child_gas = gas_req.fits_u64() && gas_req.w[0] < static_cast<std::uint64_t>(cap)
                               ? static_cast<std::int64_t>(gas_req.w[0])
                               : cap;
  f.gas -= child_gas;
  if (transfers) child_gas += 2300;  // the stipend, not charged to the caller
  f.return_data.clear();
  if (f.msg->depth >= max_call_depth || (transfers && f.host->get_balance(f.msg->recipient) < value)) {
    f.gas += child_gas;
    return pc + 1;
  }

  Message m;
  m.kind = Kind;
  m.is_static = IsStaticCall || f.msg->is_static;
  m.depth = f.msg->depth + 1;
  m.gas = child_gas;
  m.code_address = dst;
  m.input = in_size ? BytesView(f.memory.data() + in_off.w[0], in_size.w[0]) : BytesView();
  if constexpr (Kind == CallKind::call) {
    m.recipient = dst;
    m.sender = f.msg->recipient;
    m.value = value;
  } else if constexpr (Kind == CallKind::callcode) {
    m.recipient = f.msg->recipient;
    m.sender = f.msg->recipient;
    m.value = value;
  } else {  // delegatecall: the caller's context, including its apparent value
    m.recipient = f.msg->recipient;
    m.sender = f.msg->sender;
    m.value = f.msg->value;
  }
  Result r = f.host->call(m);
  f.return_data = std::move(r.output);
  if (out_size) {
    const std::size_t n = std::min<std::size_t>(out_size.w[0], f.return_data.size());
    if (n != 0) std::memcpy(f.memory.data() + out_off.w[0], f.return_data.data(), n);
  }
  f.gas += r.gas_left;
  if (r.status == Status::success) {
    f.refund += r.gas_refund;
    result = 1;
  }
  return pc + 1;
}

inline Pc op_CREATE(Pc pc, uint256* sp, Frame& f) noexcept { return op_create<CallKind::create>(pc, sp, f); }
inline Pc op_CREATE2(Pc pc, uint256* sp, Frame& f) noexcept { return op_create<CallKind::create2>(pc, sp, f); }
inline Pc op_CALL(Pc pc, uint256* sp, Frame& f) noexcept { return op_call<CallKind::call>(pc, sp, f); }
inline Pc op_CALLCODE(Pc pc, uint256* sp, Frame& f) noexcept { return op_call<CallKind::callcode>(pc, sp, f); }
inline Pc op_DELEGATECALL(Pc pc, uint256* sp, Frame& f) noexcept { return op_call<CallKind::delegatecall>(pc, sp, f); }
inline Pc op_STATICCALL(Pc pc, uint256* sp, Frame& f) noexcept { return op_call<CallKind::call, true>(pc, sp, f); }

inline Pc end_with_output(uint256* sp, Frame& f, Status s) noexcept {
  const uint256 offset = sp[-1], size = sp[-2];
  if (!grow_memory(f, offset, size)) return nullptr;
  f.out_offset = size ? offset.w[0] : 0;
  f.out_size = size.w[0];
  return stop_with(f, s);
}
inline Pc op_RETURN(Pc, uint256* sp, Frame& f) noexcept { return end_with_output(sp, f, Status::success); }
inline Pc op_REVERT(Pc, uint256* sp, Frame& f) noexcept { return end_with_output(sp, f, Status::revert); }
inline Pc op_INVALID(Pc, uint256*, Frame& f) noexcept { return stop_with(f, Status::invalid_instruction); }
inline Pc op_SELFDESTRUCT(Pc, uint256* sp, Frame& f) noexcept {
  if (f.msg->is_static) return stop_with(f, Status::static_mode_violation);
  const Address beneficiary = Address::from_word(sp[-1]);
  if (f.host->access_account(beneficiary) == AccessStatus::cold && !charge(f, 2600)) return nullptr;
  if (!f.host->account_exists(beneficiary) && f.host->get_balance(f.msg->recipient) && !charge(f, 25000)) return nullptr;
  f.host->selfdestruct(f.msg->recipient, beneficiary);
  return stop_with(f, Status::success);
}

#define DAIS_PUSH_OP(n) \
  inline Pc op_PUSH##n(Pc pc, uint256* sp, Frame& f) noexcept { return op_push<n>(pc, sp, f); }
DAIS_PUSH_OP(1) DAIS_PUSH_OP(2) DAIS_PUSH_OP(3) DAIS_PUSH_OP(4) DAIS_PUSH_OP(5) DAIS_PUSH_OP(6) DAIS_PUSH_OP(7)
DAIS_PUSH_OP(8) DAIS_PUSH_OP(9) DAIS_PUSH_OP(10) DAIS_PUSH_OP(11) DAIS_PUSH_OP(12) DAIS_PUSH_OP(13)
DAIS_PUSH_OP(14) DAIS_PUSH_OP(15) DAIS_PUSH_OP(16) DAIS_PUSH_OP(17) DAIS_PUSH_OP(18) DAIS_PUSH_OP(19)
DAIS_PUSH_OP(20) DAIS_PUSH_OP(21) DAIS_PUSH_OP(22) DAIS_PUSH_OP(23) DAIS_PUSH_OP(24) DAIS_PUSH_OP(25)
DAIS_PUSH_OP(26) DAIS_PUSH_OP(27) DAIS_PUSH_OP(28) DAIS_PUSH_OP(29) DAIS_PUSH_OP(30) DAIS_PUSH_OP(31)
DAIS_PUSH_OP(32)
#undef DAIS_PUSH_OP
#define DAIS_DUP_SWAP_OP(n)                                                                          \
  inline Pc op_DUP##n(Pc pc, uint256* sp, Frame& f) noexcept { return op_dup<n>(pc, sp, f); } \
  inline Pc op_SWAP##n(Pc pc, uint256* sp, Frame& f) noexcept { return op_swap<n>(pc, sp, f); }
DAIS_DUP_SWAP_OP(1) DAIS_DUP_SWAP_OP(2) DAIS_DUP_SWAP_OP(3) DAIS_DUP_SWAP_OP(4) DAIS_DUP_SWAP_OP(5)
DAIS_DUP_SWAP_OP(6) DAIS_DUP_SWAP_OP(7) DAIS_DUP_SWAP_OP(8) DAIS_DUP_SWAP_OP(9) DAIS_DUP_SWAP_OP(10)
DAIS_DUP_SWAP_OP(11) DAIS_DUP_SWAP_OP(12) DAIS_DUP_SWAP_OP(13) DAIS_DUP_SWAP_OP(14) DAIS_DUP_SWAP_OP(15)
DAIS_DUP_SWAP_OP(16)
#undef DAIS_DUP_SWAP_OP
#define DAIS_LOG_OP(n) \
  inline Pc op_LOG##n(Pc pc, uint256* sp, Frame& f) noexcept { return op_log<n>(pc, sp, f); }
DAIS_LOG_OP(0) DAIS_LOG_OP(1) DAIS_LOG_OP(2) DAIS_LOG_OP(3) DAIS_LOG_OP(4)
#undef DAIS_LOG_OP

// Opcodes whose functions never read or write the gas counter: the loop keeps gas in a local (a
// register) and only stores it in the frame around the other instructions. This breaks the
// store-to-load chain through memory that would otherwise link every instruction to the next.
constexpr bool gas_free(std::uint8_t op) noexcept {
  if (op >= OP_PUSH0 && op <= OP_SWAP16) return true;  // PUSH0..PUSH32, DUP*, SWAP*
  switch (op) {
    case OP_STOP: case OP_ADD: case OP_MUL: case OP_SUB: case OP_DIV: case OP_SDIV: case OP_MOD: case OP_SMOD:
    case OP_ADDMOD: case OP_MULMOD: case OP_SIGNEXTEND: case OP_LT: case OP_GT: case OP_SLT: case OP_SGT:
    case OP_EQ: case OP_ISZERO: case OP_AND: case OP_OR: case OP_XOR: case OP_NOT: case OP_BYTE: case OP_SHL:
    case OP_SHR: case OP_SAR: case OP_ADDRESS: case OP_CALLER: case OP_CALLVALUE: case OP_CALLDATALOAD:
    case OP_CALLDATASIZE: case OP_CODESIZE: case OP_POP: case OP_JUMP: case OP_JUMPI: case OP_PC: case OP_MSIZE:
    case OP_JUMPDEST: case OP_INVALID: case OP_RETURNDATASIZE:
      return true;
    default:
      return false;
  }
}

// Instructions that talk to the host, copy or hash run out of line: their locals (messages, results,
// topic arrays) then live in their own short-lived frames, not in the loop's frame, which recursion
// through nested calls repeats up to 1024 times.
// Sanitizers multiply frame sizes; those builds keep every instruction out of line so that 1024 nested
// calls still fit in an 8 MiB stack.
#if defined(DAIS_EVM_SMALL_FRAMES)
inline constexpr bool small_frames = true;
#else
inline constexpr bool small_frames = false;
#endif

template <Pc (*Fn)(Pc, uint256*, Frame&)>
[[gnu::noinline]] Pc out_of_line(Pc pc, uint256* sp, Frame& f) noexcept {
  return Fn(pc, sp, f);
}

template <std::uint8_t Op>
inline Pc memory_op(Pc pc, uint256* sp, Frame& f, std::int64_t& gas) noexcept {
  if constexpr (Op == OP_MLOAD) return op_MLOAD_g(pc, sp, f, gas);
  else if constexpr (Op == OP_MSTORE) return op_MSTORE_g(pc, sp, f, gas);
  else return op_MSTORE8_g(pc, sp, f, gas);
}

// The main loop: computed goto over a table generated from the X-macro. Each entry does the one
// requirements check (stack height from the traits, base gas), then the instruction's function.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
void run(Frame& f) noexcept {
#define DAIS_LABEL_X(name) &&L_##name,
#define DAIS_LABEL_U(byte) &&L_undefined,
  static void* const table[256] = {DAIS_EVM_ALL_BYTES(DAIS_LABEL_X, DAIS_LABEL_U)};
#undef DAIS_LABEL_X
#undef DAIS_LABEL_U
  uint256* const bottom = f.stack;
  uint256* sp = bottom;
  Pc pc = f.code->padded();
  std::int64_t gas = f.gas;
  goto* table[*pc];

#define DAIS_CASE(NAME_, CODE_, IMM_, IN_, OUT_, GAS_)                                            \
  L_##NAME_ : {                                                                                   \
    if constexpr ((IN_) > 0) {                                                                    \
      if (sp - bottom < (IN_)) goto stack_underflow;                                              \
    }                                                                                             \
    if constexpr ((OUT_) > (IN_)) {                                                               \
      if (sp - bottom > stack_limit - ((OUT_) - (IN_))) goto stack_overflow;                      \
    }                                                                                             \
    if constexpr ((GAS_) > 0) {                                                                   \
      if ((gas -= (GAS_)) < 0) goto out_of_gas;                                                   \
    }                                                                                             \
    if constexpr (small_frames) {                                                                 \
      f.gas = gas;                                                                                \
      pc = out_of_line<op_##NAME_>(pc, sp, f);                                                    \
      if (pc == nullptr) return;                                                                  \
      sp += (OUT_) - (IN_);                                                                       \
      gas = f.gas;                                                                                \
    } else if constexpr (CODE_ == OP_MLOAD || CODE_ == OP_MSTORE || CODE_ == OP_MSTORE8) {        \
      pc = memory_op<CODE_>(pc, sp, f, gas);                                                      \
      if (pc == nullptr) {                                                                        \
        f.gas = gas;                                                                              \
        return;                                                                                   \
      }                                                                                           \
      sp += (OUT_) - (IN_);                                                                       \
    } else if constexpr (gas_free(CODE_)) {                                                       \
      pc = op_##NAME_(pc, sp, f);                                                                 \
      sp += (OUT_) - (IN_);                                                                       \
      if (pc == nullptr) {                                                                        \
        f.gas = gas;                                                                              \
        return;                                                                                   \
      }                                                                                           \
    } else {                                                                                      \
      f.gas = gas;                                                                                \
      if constexpr (CODE_ == OP_EXP) pc = op_##NAME_(pc, sp, f);                                  \
      else pc = out_of_line<op_##NAME_>(pc, sp, f);                                               \
      if (pc == nullptr) return;                                                                  \
      sp += (OUT_) - (IN_);                                                                       \
      gas = f.gas;                                                                                \
    }                                                                                             \
    goto* table[*pc];                                                                             \
  }
  DAIS_EVM_OPCODES(DAIS_CASE)
#undef DAIS_CASE

L_undefined:
  f.status = Status::undefined_instruction;
  return;
stack_underflow:
  f.status = Status::stack_underflow;
  return;
stack_overflow:
  f.status = Status::stack_overflow;
  return;
out_of_gas:
  f.status = Status::out_of_gas;
  f.gas = gas;
  return;
}
#pragma GCC diagnostic pop

}  // namespace

Result Vm::execute(Host& host, const Message& msg, const CodeAnalysis& code) noexcept {
  Frame& f = frame_at(msg.depth);
  f.memory.clear();
  f.return_data.clear();
  f.gas = msg.gas;
  f.refund = 0;
  f.msg = &msg;
  f.host = &host;
  f.code = &code;
  f.code_begin = code.padded();
  f.jumpdest_map = code.jumpdest_map();
  f.code_size = code.size();
  f.tx = nullptr;
  f.status = Status::success;
  f.out_offset = 0;
  f.out_size = 0;

  run(f);

  Result r;
  r.status = f.status;
  if (f.status == Status::success || f.status == Status::revert) {
    r.gas_left = f.gas;
    if (f.out_size != 0) r.output.assign(f.memory.data() + f.out_offset, f.memory.data() + f.out_offset + f.out_size);
  }
  if (f.status == Status::success) r.gas_refund = f.refund;
  return r;
}

}  // namespace dais::evm
