#include "sim/evm/transaction.hpp"

#include "sim/evm/keccak.hpp"
#include "sim/evm/precompiles.hpp"
#include "sim/evm/rlp.hpp"
#include "sim/evm/trie.hpp"

namespace dais::evm {

namespace {
constexpr std::uint64_t max_initcode_size = 2 * max_code_size;
constexpr std::uint64_t max_nonce = ~std::uint64_t{0};

// What the block tells the code a transaction (or a view call) from `origin` runs in.
TxContext context_of(const BlockInfo& block, const Address& origin, const uint256& blob_base_fee) {
  TxContext ctx;
  ctx.origin = origin;
  ctx.coinbase = block.coinbase;
  ctx.number = block.number;
  ctx.timestamp = block.timestamp;
  ctx.gas_limit = block.gas_limit;
  ctx.prev_randao = block.prev_randao;
  ctx.chain_id = block.chain_id;
  ctx.base_fee = block.base_fee;
  ctx.blob_base_fee = blob_base_fee;
  return ctx;
}
}  // namespace

std::int64_t intrinsic_gas(const Transaction& tx) noexcept {
  std::int64_t gas = 21000;
  for (std::uint8_t b : tx.data) gas += b == 0 ? 4 : 16;
  if (!tx.to) gas += 32000 + 2 * static_cast<std::int64_t>((tx.data.size() + 31) / 32);
  for (const AccessListEntry& e : tx.access_list) gas += 2400 + 1900 * static_cast<std::int64_t>(e.storage_keys.size());
  return gas;
}

uint256 blob_gas_price(std::uint64_t excess_blob_gas) noexcept {
  // fake_exponential(1, excess, 3338477) from EIP-4844: a Taylor series in integers.
  const uint256 factor = 1, numerator = excess_blob_gas, denominator = 3338477;
  uint256 output = 0, accum = factor * denominator;
  for (std::uint64_t i = 1; accum; ++i) {
    output = output + accum;
    accum = accum * numerator / (denominator * i);
  }
  return output / denominator;
}

std::variant<TransactionReceipt, TransactionError> apply_transaction(State& state, const BlockInfo& block,
                                                                     const Transaction& tx, Vm& vm,
                                                                     const BlockHashFn& block_hash) {
  using E = TransactionError;
  // ---- validation: nothing is changed before all of it passes --------------------------------------
  const std::int64_t intrinsic = intrinsic_gas(tx);
  if (!tx.gas_limit.fits_u64() || tx.gas_limit.w[0] > static_cast<std::uint64_t>(block.gas_limit))
    return E{"TransactionException.GAS_ALLOWANCE_EXCEEDED"};
  const std::int64_t gas_limit = static_cast<std::int64_t>(tx.gas_limit.w[0]);
  if (gas_limit < intrinsic) return E{"TransactionException.INTRINSIC_GAS_TOO_LOW"};
  if (tx.nonce == max_nonce) return E{"TransactionException.NONCE_IS_MAX"};
  if (!tx.to && tx.data.size() > max_initcode_size) return E{"TransactionException.INITCODE_SIZE_EXCEEDED"};

  uint256 effective_gas_price;
  uint256 max_gas_price;
  if (tx.type == Transaction::Type::eip1559 || tx.type == Transaction::Type::blob) {
    if (tx.max_fee_per_gas < tx.max_priority_fee_per_gas)
      return E{"TransactionException.PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS"};
    if (tx.max_fee_per_gas < block.base_fee) return E{"TransactionException.INSUFFICIENT_MAX_FEE_PER_GAS"};
    const uint256 priority = std::min(tx.max_priority_fee_per_gas, tx.max_fee_per_gas - block.base_fee);
    effective_gas_price = block.base_fee + priority;
    max_gas_price = tx.max_fee_per_gas;
  } else {
    if (tx.gas_price < block.base_fee) return E{"TransactionException.INSUFFICIENT_MAX_FEE_PER_GAS"};
    effective_gas_price = tx.gas_price;
    max_gas_price = tx.gas_price;
  }

  const uint256 blob_price = blob_gas_price(block.excess_blob_gas);
  const std::uint64_t blob_gas = blob_gas_per_blob * tx.blob_hashes.size();
  if (tx.type == Transaction::Type::blob) {
    if (!tx.to) return E{"TransactionException.TYPE_3_TX_CONTRACT_CREATION"};
    if (tx.blob_hashes.empty()) return E{"TransactionException.TYPE_3_TX_ZERO_BLOBS"};
    if (tx.blob_hashes.size() > max_blobs_per_block) return E{"TransactionException.TYPE_3_TX_BLOB_COUNT_EXCEEDED"};
    for (const Bytes32& h : tx.blob_hashes)
      if (h.bytes[0] != 0x01) return E{"TransactionException.TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH"};
    if (tx.max_fee_per_blob_gas < blob_price) return E{"TransactionException.INSUFFICIENT_MAX_FEE_PER_BLOB_GAS"};
  }

  Account* sender = state.find(tx.sender);
  const std::uint64_t sender_nonce = sender != nullptr ? sender->nonce : 0;
  if (sender_nonce != tx.nonce) {
    return E{sender_nonce < tx.nonce ? "TransactionException.NONCE_TOO_HIGH" : "TransactionException.NONCE_TOO_LOW"};
  }
  if (sender != nullptr && !sender->code->bytes.empty()) return E{"TransactionException.SENDER_NOT_EOA"};

  // The most the sender may pay, computed without overflow: over 2^256 it can never be afforded.
  std::uint64_t full[8];
  mul_full(uint256(static_cast<std::uint64_t>(gas_limit)), max_gas_price, full);
  const bool product_overflows = (full[4] | full[5] | full[6] | full[7]) != 0;
  uint256 max_cost{full[0], full[1], full[2], full[3]};
  bool overflow = product_overflows;
  auto add_checked = [&overflow](uint256& acc, const uint256& x) {
    const uint256 s = acc + x;
    if (s < acc) overflow = true;
    acc = s;
  };
  if (tx.type == Transaction::Type::blob) {
    mul_full(uint256(blob_gas), tx.max_fee_per_blob_gas, full);
    if ((full[4] | full[5] | full[6] | full[7]) != 0) overflow = true;
    add_checked(max_cost, uint256{full[0], full[1], full[2], full[3]});
  }
  add_checked(max_cost, tx.value);
  const uint256 balance = sender != nullptr ? sender->balance : uint256{};
  if (overflow || balance < max_cost) {
    return E{product_overflows ? "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS|TransactionException.GASLIMIT_PRICE_PRODUCT_OVERFLOW"
                               : "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS"};
  }

  // ---- execution ----------------------------------------------------------------------------------
  Account& from = state.get_or_create(tx.sender);
  const uint256 gas_fee = uint256(static_cast<std::uint64_t>(gas_limit)) * effective_gas_price;
  const uint256 blob_fee = uint256(blob_gas) * blob_price;  // burned
  state.set_balance(tx.sender, from, from.balance - gas_fee - blob_fee);
  state.set_nonce(tx.sender, from, from.nonce + 1);

  // EIP-2929/2930/3651: the sender, the recipient, the coinbase, the precompiles and the access list
  // start warm.
  state.access_account(tx.sender);
  state.access_account(block.coinbase);
  for (std::uint64_t i = 1; i <= num_precompiles; ++i) state.access_account(Address::from_u64(i));
  if (tx.to) state.access_account(*tx.to);
  else state.access_account(create_address(tx.sender, tx.nonce));
  for (const AccessListEntry& e : tx.access_list) {
    state.access_account(e.address);
    if (!e.storage_keys.empty()) {
      Account& acc = state.get_or_create(e.address);
      for (const uint256& key : e.storage_keys) state.access_storage(e.address, acc, key);
    }
  }

  TxContext ctx = context_of(block, tx.sender, blob_price);
  ctx.gas_price = effective_gas_price;
  ctx.blob_hashes = tx.blob_hashes.data();
  ctx.blob_hashes_count = tx.blob_hashes.size();

  StateHost host(state, vm, ctx, block_hash);
  Message msg;
  msg.kind = tx.to ? CallKind::call : CallKind::create;
  msg.depth = 0;
  msg.gas = gas_limit - intrinsic;
  msg.sender = tx.sender;
  msg.recipient = tx.to.value_or(Address{});
  msg.code_address = msg.recipient;
  msg.input = tx.data;
  msg.value = tx.value;
  const Result result = host.call(msg);

  std::int64_t gas_left = result.gas_left;
  const std::int64_t used_before_refund = gas_limit - gas_left;
  const std::int64_t refund =
      result.status == Status::success ? std::min(result.gas_refund, used_before_refund / 5) : 0;  // EIP-3529
  gas_left += refund;
  const std::int64_t gas_used = gas_limit - gas_left;

  Account& payer = state.get_or_create(tx.sender);
  state.set_balance(tx.sender, payer, payer.balance + uint256(static_cast<std::uint64_t>(gas_left)) * effective_gas_price);
  const uint256 tip = uint256(static_cast<std::uint64_t>(gas_used)) * (effective_gas_price - block.base_fee);
  if (tip) {
    Account& miner = state.get_or_create(block.coinbase);
    state.set_balance(block.coinbase, miner, miner.balance + tip);
  } else if (Account* miner = state.find(block.coinbase); miner != nullptr && miner->is_empty()) {
    state.touch(block.coinbase, *miner);
  }

  TransactionReceipt receipt;
  receipt.status = result.status;
  receipt.gas_used = gas_used;
  receipt.logs = state.logs();
  receipt.output = result.output;
  if (!tx.to && result.status == Status::success) receipt.created = result.create_address;
  state.finalize_transaction();
  return receipt;
}

Result call_view(State& state, const BlockInfo& block, const Address& from, const Address& to, BytesView data,
                 std::int64_t gas, Vm& vm, const BlockHashFn& block_hash) {
  const std::size_t checkpoint = state.checkpoint();
  const TxContext ctx = context_of(block, from, blob_gas_price(block.excess_blob_gas));
  state.access_account(from);
  state.access_account(to);
  StateHost host(state, vm, ctx, block_hash);
  Message msg;
  msg.kind = CallKind::call;
  msg.gas = gas;
  msg.sender = from;
  msg.recipient = to;
  msg.code_address = to;
  msg.input = data;
  Result result = host.call(msg);
  state.rollback(checkpoint);
  state.discard_transaction_bookkeeping();
  return result;
}

Bytes32 state_root(const State& state) {
  Trie accounts;
  for (const auto& [address, acc] : state.accounts()) {
    Trie storage;
    for (const auto& [key, slot] : acc.storage) {
      if (!slot.current) continue;
      const Bytes32 hashed = keccak256(BytesView(Bytes32::from_word(key).bytes));
      storage.put(Bytes(hashed.bytes.begin(), hashed.bytes.end()), rlp::encode(slot.current));
    }
    const Bytes32 storage_root = storage.root();
    const Bytes32 key = keccak256(BytesView(address.bytes));
    accounts.put(Bytes(key.bytes.begin(), key.bytes.end()),
                 rlp::encode_list({rlp::encode(uint256(acc.nonce)), rlp::encode(acc.balance),
                                   rlp::encode(BytesView(storage_root.bytes)), rlp::encode(BytesView(acc.code->hash.bytes))}));
  }
  return accounts.root();
}

Bytes32 logs_hash(const std::vector<Log>& logs) {
  std::vector<Bytes> items;
  items.reserve(logs.size());
  for (const Log& log : logs) {
    std::vector<Bytes> topics;
    for (const Bytes32& t : log.topics) topics.push_back(rlp::encode(BytesView(t.bytes)));
    items.push_back(rlp::encode_list({rlp::encode(BytesView(log.address.bytes)), rlp::encode_list(topics), rlp::encode(log.data)}));
  }
  return keccak256(rlp::encode_list(items));
}

}  // namespace dais::evm
