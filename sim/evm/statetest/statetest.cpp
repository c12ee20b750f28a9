#include "sim/evm/statetest/statetest.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <time.h>

#include "sim/evm/keccak.hpp"

namespace dais::evm::statetest {

namespace {

using nlohmann::json;

// Reading one file: every error names the file and the JSON pointer of what was wrong.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
    throw LoadError(file_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
  }

  const json& member(const json& obj, const std::string& key, const std::string& ptr) const {
    if (!obj.is_object()) fail(ptr, "expected an object, found " + std::string(obj.type_name()));
    const auto it = obj.find(key);
    if (it == obj.end()) fail(ptr, "missing key \"" + key + "\"");
    return *it;
  }

  const std::string& string(const json& v, const std::string& ptr) const {
    if (!v.is_string()) fail(ptr, "expected a string, found " + std::string(v.type_name()));
    return v.get_ref<const std::string&>();
  }

  // A number as the tests write it: "0x..." hex, or "0x:bigint 0x..." for one that may pass 2^256.
  // Returns nullopt for a bigint wider than 256 bits (a value no transaction can carry).
  std::optional<uint256> big(const json& v, const std::string& ptr) const {
    std::string s = string(v, ptr);
    const std::string bigint_prefix = "0x:bigint ";
    bool is_bigint = false;
    if (s.rfind(bigint_prefix, 0) == 0) {
      s = s.substr(bigint_prefix.size());
      is_bigint = true;
    }
    try {
      if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) return uint256::from_hex(s);
      return uint256::from_dec(s);
    } catch (const std::invalid_argument& e) {
      if (is_bigint && std::string(e.what()).find("wider") != std::string::npos) return std::nullopt;
      fail(ptr, "expected a hex number, found \"" + v.get<std::string>() + "\": " + e.what());
    }
  }

  uint256 number(const json& v, const std::string& ptr) const {
    const auto n = big(v, ptr);
    if (!n) fail(ptr, "number wider than 256 bits");
    return *n;
  }

  std::int64_t int64(const json& v, const std::string& ptr) const {
    const uint256 n = number(v, ptr);
    if (!n.fits_u64() || n.w[0] > static_cast<std::uint64_t>(INT64_MAX)) fail(ptr, "expected a number below 2^63");
    return static_cast<std::int64_t>(n.w[0]);
  }

  std::uint64_t uint64(const json& v, const std::string& ptr) const {
    const uint256 n = number(v, ptr);
    if (!n.fits_u64()) fail(ptr, "expected a number below 2^64");
    return n.w[0];
  }

  Bytes bytes(const json& v, const std::string& ptr) const {
    const std::string& s = string(v, ptr);
    try {
      return from_hex(s);
    } catch (const std::invalid_argument& e) {
      fail(ptr, std::string("expected hex bytes: ") + e.what());
    }
  }

  Address address(const json& v, const std::string& ptr) const { return address_str(string(v, ptr), ptr); }

  Address address_str(const std::string& s, const std::string& ptr) const {
    try {
      return address_from_hex(s);
    } catch (const std::invalid_argument& e) {
      fail(ptr, "expected a 20-byte address, found \"" + s + "\": " + e.what());
    }
  }

  Bytes32 hash(const json& v, const std::string& ptr) const {
    try {
      return bytes32_from_hex(string(v, ptr));
    } catch (const std::invalid_argument& e) {
      fail(ptr, std::string("expected a 32-byte hash: ") + e.what());
    }
  }

  std::size_t index(const json& v, const std::string& ptr, std::size_t size) const {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0) fail(ptr, "expected an index >= 0");
    const auto i = v.get<std::size_t>();
    if (i >= size) fail(ptr, "index " + std::to_string(i) + " out of range (" + std::to_string(size) + " entries)");
    return i;
  }

  const json& array(const json& v, const std::string& ptr) const {
    if (!v.is_array()) fail(ptr, "expected an array, found " + std::string(v.type_name()));
    return v;
  }

 private:
  std::string file_;
};

std::string escape_pointer(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

State load_pre(const Reader& r, const json& pre, const std::string& ptr) {
  if (!pre.is_object()) r.fail(ptr, "expected an object of accounts");
  State state;
  for (const auto& [addr_str, acc_json] : pre.items()) {
    const std::string p = ptr + "/" + escape_pointer(addr_str);
    const Address addr = r.address_str(addr_str, p);
    Account acc;
    acc.balance = r.number(r.member(acc_json, "balance", p), p + "/balance");
    acc.nonce = r.uint64(r.member(acc_json, "nonce", p), p + "/nonce");
    acc.code = make_code(r.bytes(r.member(acc_json, "code", p), p + "/code"));
    const json& storage = r.member(acc_json, "storage", p);
    if (!storage.is_object()) r.fail(p + "/storage", "expected an object");
    for (const auto& [key, value] : storage.items()) {
      const std::string sp = p + "/storage/" + escape_pointer(key);
      const uint256 k = r.number(json(key), sp);
      const uint256 v = r.number(value, sp);
      if (v) acc.storage[k] = StorageSlot{v, v, false};
    }
    state.put(addr, std::move(acc));
  }
  return state;
}

BlockInfo load_env(const Reader& r, const json& env, const std::string& ptr) {
  BlockInfo b;
  b.number = r.int64(r.member(env, "currentNumber", ptr), ptr + "/currentNumber");
  b.timestamp = r.int64(r.member(env, "currentTimestamp", ptr), ptr + "/currentTimestamp");
  b.gas_limit = r.int64(r.member(env, "currentGasLimit", ptr), ptr + "/currentGasLimit");
  b.coinbase = r.address(r.member(env, "currentCoinbase", ptr), ptr + "/currentCoinbase");
  if (env.contains("currentBaseFee")) b.base_fee = r.number(env["currentBaseFee"], ptr + "/currentBaseFee");
  if (env.contains("currentRandom")) b.prev_randao = r.number(env["currentRandom"], ptr + "/currentRandom");
  else if (env.contains("currentDifficulty")) b.prev_randao = r.number(env["currentDifficulty"], ptr + "/currentDifficulty");
  if (env.contains("currentExcessBlobGas"))
    b.excess_blob_gas = r.uint64(env["currentExcessBlobGas"], ptr + "/currentExcessBlobGas");
  return b;
}

}  // namespace

std::vector<StateTest> load_file(const std::filesystem::path& file, const std::string& fork) {
  const std::string name = file.string();
  const Reader r(name);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw LoadError(name + ": cannot open the file");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw LoadError(name + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) r.fail("", "expected an object of tests, found " + std::string(doc.type_name()));

  std::vector<StateTest> tests;
  for (const auto& [test_name, t] : doc.items()) {
    const std::string tp = "/" + escape_pointer(test_name);
    StateTest test;
    test.name = test_name;
    test.file = name;
    test.block = load_env(r, r.member(t, "env", tp), tp + "/env");
    test.pre = load_pre(r, r.member(t, "pre", tp), tp + "/pre");

    const std::string xp = tp + "/transaction";
    const json& tx = r.member(t, "transaction", tp);
    Transaction base;
    base.sender = r.address(r.member(tx, "sender", xp), xp + "/sender");
    base.nonce = r.uint64(r.member(tx, "nonce", xp), xp + "/nonce");
    const std::string& to = r.string(r.member(tx, "to", xp), xp + "/to");
    if (!to.empty()) base.to = r.address_str(to, xp + "/to");
    if (tx.contains("gasPrice")) {
      base.gas_price = r.number(tx["gasPrice"], xp + "/gasPrice");
    } else {
      base.type = Transaction::Type::eip1559;
      base.max_fee_per_gas = r.number(r.member(tx, "maxFeePerGas", xp), xp + "/maxFeePerGas");
      base.max_priority_fee_per_gas = r.number(r.member(tx, "maxPriorityFeePerGas", xp), xp + "/maxPriorityFeePerGas");
    }
    if (tx.contains("blobVersionedHashes")) {
      base.type = Transaction::Type::blob;
      const json& hashes = r.array(tx["blobVersionedHashes"], xp + "/blobVersionedHashes");
      for (std::size_t i = 0; i < hashes.size(); ++i)
        base.blob_hashes.push_back(r.hash(hashes[i], xp + "/blobVersionedHashes/" + std::to_string(i)));
      base.max_fee_per_blob_gas = r.number(r.member(tx, "maxFeePerBlobGas", xp), xp + "/maxFeePerBlobGas");
    }
    const json& data = r.array(r.member(tx, "data", xp), xp + "/data");
    const json& gas = r.array(r.member(tx, "gasLimit", xp), xp + "/gasLimit");
    const json& value = r.array(r.member(tx, "value", xp), xp + "/value");
    const json* access_lists = tx.contains("accessLists") ? &r.array(tx["accessLists"], xp + "/accessLists") : nullptr;

    const std::string pp = tp + "/post";
    const json& post = r.member(t, "post", tp);
    if (!post.is_object()) r.fail(pp, "expected an object of forks");
    std::string chosen = fork;
    if (chosen.empty() && !post.empty()) chosen = post.begin().key();
    if (post.contains(chosen)) {
      const std::string fp = pp + "/" + escape_pointer(chosen);
      const json& cases = r.array(post[chosen], fp);
      for (std::size_t ci = 0; ci < cases.size(); ++ci) {
        const std::string cp = fp + "/" + std::to_string(ci);
        const json& c = cases[ci];
        const json& idx = r.member(c, "indexes", cp);
        const std::size_t di = r.index(r.member(idx, "data", cp + "/indexes"), cp + "/indexes/data", data.size());
        const std::size_t gi = r.index(r.member(idx, "gas", cp + "/indexes"), cp + "/indexes/gas", gas.size());
        const std::size_t vi = r.index(r.member(idx, "value", cp + "/indexes"), cp + "/indexes/value", value.size());
        TestCase tc;
        tc.label = test_name + "[d=" + std::to_string(di) + ",g=" + std::to_string(gi) + ",v=" + std::to_string(vi) + "]";
        tc.tx = base;
        tc.tx.data = r.bytes(data[di], xp + "/data/" + std::to_string(di));
        tc.tx.gas_limit = r.number(gas[gi], xp + "/gasLimit/" + std::to_string(gi));
        const auto v = r.big(value[vi], xp + "/value/" + std::to_string(vi));
        if (v) tc.tx.value = *v;
        else tc.tx_error = "TransactionException.RLP_INVALID_VALUE";
        if (access_lists != nullptr && di < access_lists->size() && !(*access_lists)[di].is_null()) {
          if (base.type == Transaction::Type::legacy) tc.tx.type = Transaction::Type::access_list;
          const std::string ap = xp + "/accessLists/" + std::to_string(di);
          const json& list = r.array((*access_lists)[di], ap);
          for (std::size_t k = 0; k < list.size(); ++k) {
            const std::string ep = ap + "/" + std::to_string(k);
            AccessListEntry entry;
            entry.address = r.address(r.member(list[k], "address", ep), ep + "/address");
            const json& keys = r.array(r.member(list[k], "storageKeys", ep), ep + "/storageKeys");
            for (std::size_t s = 0; s < keys.size(); ++s)
              entry.storage_keys.push_back(r.number(keys[s], ep + "/storageKeys/" + std::to_string(s)));
            tc.tx.access_list.push_back(std::move(entry));
          }
        }
        tc.expected_state_root = r.hash(r.member(c, "hash", cp), cp + "/hash");
        tc.expected_logs_hash = r.hash(r.member(c, "logs", cp), cp + "/logs");
        if (c.contains("expectException")) tc.expected_exception = r.string(c["expectException"], cp + "/expectException");
        test.cases.push_back(std::move(tc));
      }
    }
    tests.push_back(std::move(test));
  }
  return tests;
}

std::vector<std::filesystem::path> collect_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(p))
        if (entry.is_regular_file() && entry.path().extension() == ".json") found.push_back(entry.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.emplace_back(p);
    } else {
      throw LoadError(p + ": no such file or folder");
    }
  }
  return files;
}

Bytes32 test_block_hash(std::int64_t number) {
  const std::string digits = std::to_string(number);
  return keccak256(reinterpret_cast<const std::uint8_t*>(digits.data()), digits.size());
}

CaseResult run_case(const StateTest& test, const TestCase& c, Vm& vm) {
  CaseResult res;
  State state = test.pre;
  std::optional<std::string> rejected = c.tx_error;
  std::vector<Log> logs;
  if (!rejected) {
    auto outcome = apply_transaction(state, test.block, c.tx, vm, test_block_hash);
    if (auto* err = std::get_if<TransactionError>(&outcome)) {
      rejected = err->name;
    } else {
      auto& receipt = std::get<TransactionReceipt>(outcome);
      res.gas_used = receipt.gas_used;
      logs = std::move(receipt.logs);
    }
  }
  if (rejected && !c.expected_exception) {
    res.message = "transaction rejected (" + *rejected + ") but expected valid";
    return res;
  }
  if (!rejected && c.expected_exception) {
    res.message = "transaction accepted but expected " + *c.expected_exception;
    return res;
  }
  const Bytes32 root = state_root(state);
  if (root != c.expected_state_root) {
    res.message = "state root " + to_hex(root) + ", expected " + to_hex(c.expected_state_root);
    return res;
  }
  const Bytes32 lh = logs_hash(logs);
  if (lh != c.expected_logs_hash) {
    res.message = "logs hash " + to_hex(lh) + ", expected " + to_hex(c.expected_logs_hash);
    return res;
  }
  res.passed = true;
  return res;
}

std::string dump_post_state(const StateTest& test, const TestCase& c, Vm& vm) {
  State state = test.pre;
  std::ostringstream out;
  if (c.tx_error) return "transaction cannot be formed: " + *c.tx_error + "\n";
  auto outcome = apply_transaction(state, test.block, c.tx, vm, test_block_hash);
  if (auto* err = std::get_if<TransactionError>(&outcome)) {
    out << "transaction rejected: " << err->name << '\n';
  } else {
    const auto& receipt = std::get<TransactionReceipt>(outcome);
    out << "status " << to_string(receipt.status) << ", gas used " << receipt.gas_used << ", logs "
        << receipt.logs.size() << '\n';
  }
  std::vector<std::pair<Address, const Account*>> accounts;
  for (const auto& [addr, acc] : state.accounts()) accounts.emplace_back(addr, &acc);
  std::sort(accounts.begin(), accounts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [addr, acc] : accounts) {
    out << to_hex(addr) << " nonce " << acc->nonce << " balance " << acc->balance.to_dec() << " code "
        << acc->code->bytes.size() << " bytes\n";
    std::vector<std::pair<uint256, uint256>> slots;
    for (const auto& [k, slot] : acc->storage)
      if (slot.current) slots.emplace_back(k, slot.current);
    std::sort(slots.begin(), slots.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [k, v] : slots) out << "  " << k.to_hex() << " = " << v.to_hex() << '\n';
  }
  return out.str();
}

namespace {
// CPU time of the calling thread: what the work itself took, not time spent waiting for a core that
// other processes hold.
double thread_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

BenchResult bench_case(const StateTest& test, const TestCase& c, Vm& vm, double min_seconds) {
  BenchResult res;
  // One run first: its status, its gas, and how many runs make a timing window of about a millisecond
  // (short cases are timed in batches, so the clock's granularity does not matter).
  {
    State state = test.pre;
    const double start = thread_cpu_seconds();
    auto outcome = apply_transaction(state, test.block, c.tx, vm, test_block_hash);
    const double t = thread_cpu_seconds() - start;
    if (auto* err = std::get_if<TransactionError>(&outcome)) {
      res.valid = false;
      res.status = err->name;
      return res;
    }
    const auto& receipt = std::get<TransactionReceipt>(outcome);
    res.execution_gas = receipt.gas_used - intrinsic_gas(c.tx);
    res.status = std::string(to_string(receipt.status));
    res.seconds_per_run = t;
    res.runs = 1;
  }
  const std::size_t batch =
      std::clamp<std::size_t>(static_cast<std::size_t>(1e-3 / std::max(res.seconds_per_run, 1e-9)), 1, 1000);
  double total = 0, best = 0;
  for (int windows = 0; total < min_seconds || windows < 5; ++windows) {
    std::vector<State> states(batch, test.pre);
    const double start = thread_cpu_seconds();
    for (State& state : states) (void)apply_transaction(state, test.block, c.tx, vm, test_block_hash);
    const double t = thread_cpu_seconds() - start;
    total += t;
    const double per_run = t / static_cast<double>(batch);
    best = windows == 0 ? per_run : std::min(best, per_run);
    res.runs += static_cast<int>(batch);
  }
  res.seconds_per_run = best;
  return res;
}

}  // namespace dais::evm::statetest
