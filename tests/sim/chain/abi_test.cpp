// The ABI against the examples of the Solidity ABI specification, round trips of nested types, and malformed
// data refused with a reason.

#include <catch2/catch.hpp>

#include <random>

#include "sim/chain/abi.hpp"

using namespace dais::chain;
using dais::evm::from_hex;
using dais::evm::to_hex;

namespace {

Bytes text_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes call(std::string_view signature, const std::vector<AbiValue>& args) {
  std::vector<AbiType> types;
  const std::string_view inside = signature.substr(signature.find('(') + 1, signature.size() - signature.find('(') - 2);
  const AbiType tuple = parse_type("(" + std::string(inside) + ")");
  const std::uint32_t sel = selector(signature);
  Bytes out = {static_cast<std::uint8_t>(sel >> 24), static_cast<std::uint8_t>(sel >> 16),
               static_cast<std::uint8_t>(sel >> 8), static_cast<std::uint8_t>(sel)};
  const Bytes body = encode(tuple.components, args);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::string words(std::initializer_list<const char*> hex_words) {
  std::string s = "0x";
  for (const char* w : hex_words) s += w;
  return s;
}

}  // namespace

TEST_CASE("selectors are the first four bytes of the signature's keccak", "[chain][abi]") {
  CHECK(selector("transfer(address,uint256)") == 0xa9059cbb);
  CHECK(selector("baz(uint32,bool)") == 0xcdcd77c0);
  CHECK(to_hex(topic_of("Transfer(address,address,uint256)")) ==
        "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

TEST_CASE("static arguments encode in place: the specification's baz and bar", "[chain][abi]") {
  CHECK(to_hex(call("baz(uint32,bool)", {AbiValue(std::uint64_t{69}), AbiValue(true)})) ==
        "0xcdcd77c0"
        "0000000000000000000000000000000000000000000000000000000000000045"
        "0000000000000000000000000000000000000000000000000000000000000001");
  CHECK(to_hex(call("bar(bytes3[2])", {AbiValue(std::vector<AbiValue>{text_bytes("abc"), text_bytes("def")})})) ==
        "0xfce353f6"
        "6162630000000000000000000000000000000000000000000000000000000000"
        "6465660000000000000000000000000000000000000000000000000000000000");
}

TEST_CASE("dynamic arguments go to the tail behind offsets: the specification's sam, f and g", "[chain][abi]") {
  const std::vector<AbiValue> three{std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3}};
  CHECK(to_hex(call("sam(bytes,bool,uint256[])", {text_bytes("dave"), true, three})) ==
        "0xa5643bf2" + words({"0000000000000000000000000000000000000000000000000000000000000060",
                              "0000000000000000000000000000000000000000000000000000000000000001",
                              "00000000000000000000000000000000000000000000000000000000000000a0",
                              "0000000000000000000000000000000000000000000000000000000000000004",
                              "6461766500000000000000000000000000000000000000000000000000000000",
                              "0000000000000000000000000000000000000000000000000000000000000003",
                              "0000000000000000000000000000000000000000000000000000000000000001",
                              "0000000000000000000000000000000000000000000000000000000000000002",
                              "0000000000000000000000000000000000000000000000000000000000000003"})
                                 .substr(2));
  const std::vector<AbiValue> f_args{std::uint64_t{0x123},
                                     std::vector<AbiValue>{std::uint64_t{0x456}, std::uint64_t{0x789}},
                                     text_bytes("1234567890"), text_bytes("Hello, world!")};
  CHECK(to_hex(call("f(uint256,uint32[],bytes10,bytes)", f_args)) ==
        "0x8be65246" + words({"0000000000000000000000000000000000000000000000000000000000000123",
                              "0000000000000000000000000000000000000000000000000000000000000080",
                              "3132333435363738393000000000000000000000000000000000000000000000",
                              "00000000000000000000000000000000000000000000000000000000000000e0",
                              "0000000000000000000000000000000000000000000000000000000000000002",
                              "0000000000000000000000000000000000000000000000000000000000000456",
                              "0000000000000000000000000000000000000000000000000000000000000789",
                              "000000000000000000000000000000000000000000000000000000000000000d",
                              "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"})
                                 .substr(2));
  const std::vector<AbiValue> nested{std::vector<AbiValue>{std::uint64_t{1}, std::uint64_t{2}},
                                     std::vector<AbiValue>{std::uint64_t{3}}};
  const std::vector<AbiValue> strings{std::string("one"), std::string("two"), std::string("three")};
  CHECK(to_hex(call("g(uint256[][],string[])", {nested, strings})) ==
        "0x2289b18c" + words({"0000000000000000000000000000000000000000000000000000000000000040",
                              "0000000000000000000000000000000000000000000000000000000000000140",
                              "0000000000000000000000000000000000000000000000000000000000000002",
                              "0000000000000000000000000000000000000000000000000000000000000040",
                              "00000000000000000000000000000000000000000000000000000000000000a0",
                              "0000000000000000000000000000000000000000000000000000000000000002",
                              "0000000000000000000000000000000000000000000000000000000000000001",
                              "0000000000000000000000000000000000000000000000000000000000000002",
                              "0000000000000000000000000000000000000000000000000000000000000001",
                              "0000000000000000000000000000000000000000000000000000000000000003",
                              "0000000000000000000000000000000000000000000000000000000000000003",
                              "0000000000000000000000000000000000000000000000000000000000000060",
                              "00000000000000000000000000000000000000000000000000000000000000a0",
                              "00000000000000000000000000000000000000000000000000000000000000e0",
                              "0000000000000000000000000000000000000000000000000000000000000003",
                              "6f6e650000000000000000000000000000000000000000000000000000000000",
                              "0000000000000000000000000000000000000000000000000000000000000003",
                              "74776f0000000000000000000000000000000000000000000000000000000000",
                              "0000000000000000000000000000000000000000000000000000000000000005",
                              "7468726565000000000000000000000000000000000000000000000000000000"})
                                 .substr(2));
}

TEST_CASE("types parse to their canonical form, tuples and arrays nested", "[chain][abi]") {
  CHECK(parse_type("uint").canonical() == "uint256");
  CHECK(parse_type("(address,(uint8,bytes)[2])[]").canonical() == "(address,(uint8,bytes)[2])[]");
  CHECK(parse_type("(address,(uint8,bytes)[2])[]").is_dynamic());
  CHECK_FALSE(parse_type("(address,uint8[3])").is_dynamic());
  const auto json = nlohmann::json::parse(R"({"type": "tuple[3][]", "name": "pairs",
      "components": [{"type": "address", "name": "who"}, {"type": "int24", "name": "tick"}]})");
  const AbiType t = parse_parameter(json);
  CHECK(t.canonical() == "(address,int24)[3][]");
  CHECK(t.name == "pairs");
  for (const char* bad : {"uint7", "uint264", "bytes33", "bytes0", "foo", "uint256[", "(uint256"})
    CHECK_THROWS_AS(parse_type(bad), AbiError);
}

TEST_CASE("values that do not fit their type are refused with the argument named", "[chain][abi]") {
  const std::vector<AbiType> t{parse_type("uint8")};
  CHECK_THROWS_WITH(encode(t, {std::uint64_t{256}}), "value 0 (uint8): 256 does not fit uint8");
  CHECK_THROWS_WITH(encode({parse_type("int8")}, {~uint256(128)}), Catch::Contains("-129 does not fit int8"));
  CHECK_NOTHROW(encode({parse_type("int8")}, {~uint256(127)}));  // -128
  CHECK_THROWS_WITH(encode({parse_type("bytes4")}, {Bytes{1, 2}}), Catch::Contains("expected 4 bytes, found 2"));
  CHECK_THROWS_WITH(encode({parse_type("uint256[2]")}, {AbiValue(std::vector<AbiValue>{std::uint64_t{1}})}),
                    Catch::Contains("expected 2 elements, found 1"));
  CHECK_THROWS_WITH(encode({parse_type("address")}, {true}), Catch::Contains("expected an address, found a bool"));
}

TEST_CASE("property: random nested values round-trip through encode and decode", "[chain][abi]") {
  std::mt19937_64 rng(42);
  const std::vector<std::string> texts = {"uint256", "int64", "address", "bool", "bytes32", "bytes", "string",
                                          "uint16[]", "(uint8,bytes)[2]", "(address,string[],(bool,int256))[]"};
  std::function<AbiValue(const AbiType&)> random_value = [&](const AbiType& t) -> AbiValue {
    using K = AbiType::Kind;
    switch (t.kind) {
      case K::uint: return t.bits == 256 ? uint256(rng(), rng(), rng(), rng()) : uint256(rng() >> (64 - std::min(64u, t.bits)));
      case K::int_: return rng() % 2 ? uint256(rng() >> 1) : ~uint256(rng() >> 1);
      case K::address: return Address::from_u64(rng());
      case K::boolean: return rng() % 2 == 0;
      case K::fixed_bytes: return Bytes(t.bits, static_cast<std::uint8_t>(rng()));
      case K::bytes: return Bytes(rng() % 70, static_cast<std::uint8_t>(rng()));
      case K::string: return std::string(rng() % 40, 'x');
      case K::array: {
        std::vector<AbiValue> items(t.length ? *t.length : rng() % 4);
        for (auto& item : items) item = random_value(t.components[0]);
        return items;
      }
      case K::tuple: {
        std::vector<AbiValue> items;
        for (const AbiType& c : t.components) items.push_back(random_value(c));
        return items;
      }
    }
    return {};
  };
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<AbiType> types;
    std::vector<AbiValue> values;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
      types.push_back(parse_type(texts[rng() % texts.size()]));
      values.push_back(random_value(types.back()));
    }
    const Bytes data = encode(types, values);
    CHECK(data.size() % 32 == 0);
    CHECK(decode(types, data) == values);
  }
}

TEST_CASE("malformed data is refused, never read past its end", "[chain][abi]") {
  const std::vector<AbiType> t{parse_type("bytes"), parse_type("uint256[]")};
  const Bytes good = encode(t, {Bytes{1, 2, 3}, AbiValue(std::vector<AbiValue>{std::uint64_t{7}})});
  CHECK_NOTHROW(decode(t, good));
  for (std::size_t cut = 0; cut < good.size(); cut += 7) CHECK_THROWS_AS(decode(t, BytesView(good).first(cut)), AbiError);
  Bytes huge = good;
  huge[31] = 0xff;  // the first offset points far away
  CHECK_THROWS_AS(decode(t, huge), AbiError);
  Bytes long_array = encode({parse_type("uint256[]")}, {AbiValue(std::vector<AbiValue>{std::uint64_t{9}})});
  long_array[63] = 3;  // claims 3 elements with one present
  CHECK_THROWS_WITH(decode({parse_type("uint256[]")}, long_array), Catch::Contains("cannot fit the data"));
  CHECK_THROWS_WITH(decode({parse_type("address")}, Bytes(32, 0xff)), Catch::Contains("not an address"));
}

TEST_CASE("reverts are explained: Error(string), Panic(uint256) and custom errors", "[chain][abi]") {
  const Bytes error_data = [] {
    Bytes d = {0x08, 0xc3, 0x79, 0xa0};
    const Bytes body = encode({parse_type("string")}, {std::string("insufficient balance")});
    d.insert(d.end(), body.begin(), body.end());
    return d;
  }();
  CHECK(explain_revert(error_data) == "reverted: insufficient balance");
  Bytes panic = {0x4e, 0x48, 0x7b, 0x71};
  const Bytes code = encode({parse_type("uint256")}, {std::uint64_t{0x11}});
  panic.insert(panic.end(), code.begin(), code.end());
  CHECK(explain_revert(panic) == "panic 0x11 (arithmetic underflow or overflow)");
  CHECK(explain_revert(Bytes{}) == "reverted without a reason");
  const ContractAbi abi(nlohmann::json::parse(R"([
    {"type": "error", "name": "NotOwner", "inputs": [{"type": "address", "name": "caller"}]},
    {"type": "function", "name": "f", "inputs": [], "outputs": [{"type": "uint256", "name": ""}]}])"));
  const std::uint32_t sel = selector("NotOwner(address)");
  Bytes custom = {static_cast<std::uint8_t>(sel >> 24), static_cast<std::uint8_t>(sel >> 16),
                  static_cast<std::uint8_t>(sel >> 8), static_cast<std::uint8_t>(sel)};
  const Bytes who = encode({parse_type("address")}, {Address::from_u64(0xbeef)});
  custom.insert(custom.end(), who.begin(), who.end());
  CHECK(abi.explain_revert(custom) == "reverted: NotOwner(caller=0x000000000000000000000000000000000000beef)");
  CHECK_THROWS_WITH(abi.encode_call("g", {}), "the contract has no function \"g\" (it has f())");
}

TEST_CASE("events decode their indexed topics and their data", "[chain][abi]") {
  const ContractAbi abi(nlohmann::json::parse(R"([{"type": "event", "name": "Transfer", "anonymous": false,
      "inputs": [{"type": "address", "name": "from", "indexed": true}, {"type": "address", "name": "to", "indexed": true},
                 {"type": "uint256", "name": "value", "indexed": false}]}])"));
  dais::evm::Log log;
  log.topics = {topic_of("Transfer(address,address,uint256)"), dais::evm::Bytes32::from_word(Address::from_u64(1).to_word()),
                dais::evm::Bytes32::from_word(Address::from_u64(2).to_word())};
  log.data = encode({parse_type("uint256")}, {std::uint64_t{500}});
  const auto event = abi.decode_event(log);
  REQUIRE(event.has_value());
  CHECK(event->name == "Transfer");
  CHECK(event->at("from").address() == Address::from_u64(1));
  CHECK(event->at("to").address() == Address::from_u64(2));
  CHECK(event->at("value").word() == uint256(500));
  log.topics[0] = topic_of("Approval(address,address,uint256)");
  CHECK_FALSE(abi.decode_event(log).has_value());
}
