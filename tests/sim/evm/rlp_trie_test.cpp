// RLP and Merkle-Patricia trie against the vectors of ethereum/tests (../shared/evm-tests).

#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/evm/keccak.hpp"
#include "sim/evm/rlp.hpp"
#include "sim/evm/trie.hpp"

using namespace dais::evm;
using nlohmann::json;

namespace {

json read_vectors(const std::string& relative) {
  std::ifstream in(std::string(DAIS_SHARED_DIR) + "/evm-tests/" + relative);
  REQUIRE(in.good());
  return json::parse(in);
}

Bytes encode_json(const json& v) {
  if (v.is_array()) {
    std::vector<Bytes> items;
    for (const json& item : v) items.push_back(encode_json(item));
    return rlp::encode_list(items);
  }
  if (v.is_number_unsigned() || v.is_number_integer()) return rlp::encode(uint256(v.get<std::uint64_t>()));
  const std::string s = v.get<std::string>();
  if (!s.empty() && s[0] == '#') {  // a decimal big integer, possibly wider than 256 bits
    boost::multiprecision::cpp_int n(s.substr(1));
    Bytes be;
    while (n > 0) {
      be.insert(be.begin(), static_cast<std::uint8_t>(n & 0xff));
      n >>= 8;
    }
    return rlp::encode(be);
  }
  return rlp::encode(BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

Bytes reencode(const rlp::Item& item) {
  if (!item.is_list) return rlp::encode(item.bytes);
  std::vector<Bytes> items;
  for (const rlp::Item& i : item.items) items.push_back(reencode(i));
  return rlp::encode_list(items);
}

// Trie test keys and values: "0x..." is hex, anything else is the string's bytes.
Bytes trie_bytes(const std::string& s) {
  if (s.rfind("0x", 0) == 0) return from_hex(s);
  return Bytes(s.begin(), s.end());
}

void put(Trie& trie, const Bytes& key, const json& value, bool secure) {
  const Bytes k = secure ? [&] {
    const Bytes32 h = keccak256(key);
    return Bytes(h.bytes.begin(), h.bytes.end());
  }() : key;
  if (value.is_null()) trie.remove(k);
  else trie.put(k, trie_bytes(value.get<std::string>()));
}

void run_trie_file(const std::string& file, bool secure) {
  const json vectors = read_vectors("TrieTests/" + file);
  for (const auto& [name, t] : vectors.items()) {
    INFO(file << ": " << name);
    Trie trie;
    if (t["in"].is_array()) {
      for (const json& kv : t["in"]) put(trie, trie_bytes(kv[0].get<std::string>()), kv[1], secure);
    } else {
      for (const auto& [k, v] : t["in"].items()) put(trie, trie_bytes(k), v, secure);
    }
    REQUIRE(to_hex(trie.root()) == t["root"].get<std::string>());
  }
}

}  // namespace

TEST_CASE("RLP encodes every vector of rlptest.json and decodes it back", "[evm][rlp]") {
  const json vectors = read_vectors("RLPTests/rlptest.json");
  REQUIRE(vectors.size() >= 20);
  for (const auto& [name, t] : vectors.items()) {
    INFO(name);
    const Bytes expected = from_hex(t["out"].get<std::string>());
    REQUIRE(to_hex(encode_json(t["in"])) == to_hex(expected));
    REQUIRE(reencode(rlp::decode(expected)) == expected);
  }
}

TEST_CASE("RLP refuses every vector of invalidRLPTest.json", "[evm][rlp]") {
  const json vectors = read_vectors("RLPTests/invalidRLPTest.json");
  REQUIRE(vectors.size() >= 20);
  for (const auto& [name, t] : vectors.items()) {
    INFO(name);
    const Bytes input = from_hex(t["out"].get<std::string>());
    REQUIRE_THROWS_AS(rlp::decode(input), rlp::DecodeError);
  }
}

TEST_CASE("the trie root matches trietest and trieanyorder", "[evm][trie]") {
  run_trie_file("trietest.json", false);
  run_trie_file("trieanyorder.json", false);
}

TEST_CASE("the secure trie root matches the secureTrie vectors", "[evm][trie]") {
  run_trie_file("trietest_secureTrie.json", true);
  run_trie_file("trieanyorder_secureTrie.json", true);
  run_trie_file("hex_encoded_securetrie_test.json", true);
}

TEST_CASE("the trie walks its keys in order (trietestnextprev)", "[evm][trie]") {
  const json vectors = read_vectors("TrieTests/trietestnextprev.json");
  for (const auto& [name, t] : vectors.items()) {
    Trie trie;
    for (const json& k : t["in"]) trie.put(trie_bytes(k.get<std::string>()), Bytes{1});
    for (const json& step : t["tests"]) {
      const Bytes key = trie_bytes(step[0].get<std::string>());
      const auto prev = trie.prev_key(key);
      const auto next = trie.next_key(key);
      INFO(name << " at \"" << step[0].get<std::string>() << "\"");
      REQUIRE((prev ? std::string(prev->begin(), prev->end()) : std::string()) == step[1].get<std::string>());
      REQUIRE((next ? std::string(next->begin(), next->end()) : std::string()) == step[2].get<std::string>());
    }
  }
}

TEST_CASE("the empty trie has the well-known root", "[evm][trie]") {
  REQUIRE(to_hex(empty_trie_root()) == "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  REQUIRE(to_hex(keccak256(BytesView())) == to_hex(empty_code_hash));
}
