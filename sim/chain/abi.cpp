#include "sim/chain/abi.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/evm/keccak.hpp"

namespace dais::chain {

namespace {

constexpr std::size_t word = 32;

[[noreturn]] void fail(const std::string& message) { throw AbiError(message); }

std::string kind_name(const AbiValue& v) {
  switch (v.value.index()) {
    case 0: return "an integer";
    case 1: return "an address";
    case 2: return "a bool";
    case 3: return "bytes";
    case 4: return "a string";
    default: return "a list";
  }
}

template <class T>
const T& as(const AbiValue& v, const char* expected) {
  if (const T* p = std::get_if<T>(&v.value)) return *p;
  fail(fmt::format("expected {}, found {}", expected, kind_name(v)));
}

// Splits "a,(b,c),d" at the commas outside parentheses.
std::vector<std::string_view> split_top_level(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    else if (text[i] == ')') --depth;
    else if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (!text.empty()) parts.push_back(text.substr(start));
  return parts;
}

unsigned parse_width(std::string_view digits, unsigned fallback, std::string_view whole) {
  if (digits.empty()) return fallback;
  unsigned n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') fail(fmt::format("not an ABI type: \"{}\"", whole));
    n = n * 10 + static_cast<unsigned>(c - '0');
    if (n > 1000) fail(fmt::format("not an ABI type: \"{}\"", whole));
  }
  return n;
}

AbiType array_of(AbiType element, std::optional<std::size_t> length) {
  AbiType t;
  t.kind = AbiType::Kind::array;
  t.length = length;
  t.components.push_back(std::move(element));
  return t;
}

// Applies array suffixes ("[3][]") to a base type, left to right.
AbiType with_suffixes(AbiType base, std::string_view suffixes, std::string_view whole) {
  while (!suffixes.empty()) {
    if (suffixes[0] != '[') fail(fmt::format("not an ABI type: \"{}\"", whole));
    const std::size_t close = suffixes.find(']');
    if (close == std::string_view::npos) fail(fmt::format("not an ABI type: \"{}\"", whole));
    const std::string_view inside = suffixes.substr(1, close - 1);
    base = array_of(std::move(base), inside.empty() ? std::nullopt
                                                     : std::optional<std::size_t>(parse_width(inside, 0, whole)));
    suffixes.remove_prefix(close + 1);
  }
  return base;
}

std::size_t head_size(const AbiType& t) {
  if (t.is_dynamic()) return word;
  if (t.kind == AbiType::Kind::array) return *t.length * head_size(t.components[0]);
  if (t.kind == AbiType::Kind::tuple) {
    std::size_t n = 0;
    for (const AbiType& c : t.components) n += head_size(c);
    return n;
  }
  return word;
}

void put_word(Bytes& out, const uint256& v) {
  const auto bytes = v.to_be();
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void put_padded(Bytes& out, BytesView data) {
  out.insert(out.end(), data.begin(), data.end());
  out.resize(out.size() + (word - data.size() % word) % word, 0);
}

// True if v, read as two's complement, lies in [-2^(bits-1), 2^(bits-1)).
bool fits_signed(const uint256& v, unsigned bits) {
  if (bits == 256) return true;
  const uint256 high = v >> (bits - 1);  // all zero (non-negative) or all one (negative)
  return !high || high == (uint256::max() >> (bits - 1));
}

void encode_into(const AbiType& t, const AbiValue& v, Bytes& out);

void encode_tuple(const std::vector<AbiType>& types, const std::vector<AbiValue>& values, Bytes& out) {
  if (types.size() != values.size())
    fail(fmt::format("expected {} values, found {}", types.size(), values.size()));
  std::size_t heads = 0;
  for (const AbiType& t : types) heads += head_size(t);
  Bytes tail;
  for (std::size_t i = 0; i < types.size(); ++i) {
    try {
      if (types[i].is_dynamic()) {
        put_word(out, uint256(heads + tail.size()));
        encode_into(types[i], values[i], tail);
      } else {
        encode_into(types[i], values[i], out);
      }
    } catch (const AbiError& e) {
      const std::string who = types[i].name.empty() ? fmt::format("value {}", i) : types[i].name;
      fail(fmt::format("{} ({}): {}", who, types[i].canonical(), e.what()));
    }
  }
  out.insert(out.end(), tail.begin(), tail.end());
}

void encode_into(const AbiType& t, const AbiValue& v, Bytes& out) {
  using K = AbiType::Kind;
  switch (t.kind) {
    case K::uint: {
      const uint256& x = as<uint256>(v, "an integer");
      if (t.bits < 256 && (x >> t.bits)) fail(fmt::format("{} does not fit {}", x.to_dec(), t.canonical()));
      put_word(out, x);
      return;
    }
    case K::int_: {
      const uint256& x = as<uint256>(v, "an integer");
      if (!fits_signed(x, t.bits)) fail(fmt::format("{} does not fit {}", describe(t, v), t.canonical()));
      put_word(out, x);
      return;
    }
    case K::address: put_word(out, as<Address>(v, "an address").to_word()); return;
    case K::boolean: put_word(out, uint256(as<bool>(v, "a bool") ? 1 : 0)); return;
    case K::fixed_bytes: {
      const Bytes& b = as<Bytes>(v, "bytes");
      if (b.size() != t.bits) fail(fmt::format("expected {} bytes, found {}", t.bits, b.size()));
      put_padded(out, b);
      return;
    }
    case K::bytes: {
      const Bytes& b = as<Bytes>(v, "bytes");
      put_word(out, uint256(b.size()));
      put_padded(out, b);
      return;
    }
    case K::string: {
      const std::string& s = as<std::string>(v, "a string");
      put_word(out, uint256(s.size()));
      put_padded(out, BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
      return;
    }
    case K::array: {
      const std::vector<AbiValue>& items = as<std::vector<AbiValue>>(v, "a list");
      if (t.length && items.size() != *t.length)
        fail(fmt::format("expected {} elements, found {}", *t.length, items.size()));
      if (!t.length) put_word(out, uint256(items.size()));
      encode_tuple(std::vector<AbiType>(items.size(), t.components[0]), items, out);
      return;
    }
    case K::tuple: encode_tuple(t.components, as<std::vector<AbiValue>>(v, "a list"), out); return;
  }
}

// Reads ABI data with every offset and length checked against its end.
class Reader {
 public:
  explicit Reader(BytesView data) : data_(data) {}
  uint256 word_at(std::size_t pos) const {
    if (pos > data_.size() || data_.size() - pos < word)
      fail(fmt::format("data ends at byte {}, before the word at byte {}", data_.size(), pos));
    return uint256::from_be(data_.data() + pos, word);
  }
  std::size_t size_at(std::size_t pos) const {  // an offset or a length: must be small
    const uint256 v = word_at(pos);
    if (!v.fits_u64() || v.w[0] > data_.size()) fail(fmt::format("offset or length {} at byte {} lies beyond the data", v.to_dec(), pos));
    return static_cast<std::size_t>(v.w[0]);
  }
  BytesView slice(std::size_t pos, std::size_t n) const {
    if (pos > data_.size() || data_.size() - pos < n) fail(fmt::format("{} bytes at byte {} run past the data", n, pos));
    return data_.subspan(pos, n);
  }
  std::size_t size() const { return data_.size(); }

 private:
  BytesView data_;
};

AbiValue decode_at(const AbiType& t, const Reader& r, std::size_t pos);

std::vector<AbiValue> decode_tuple(const std::vector<AbiType>& types, const Reader& r, std::size_t base) {
  std::vector<AbiValue> values;
  values.reserve(types.size());
  std::size_t head = base;
  for (const AbiType& t : types) {
    if (t.is_dynamic()) {
      values.push_back(decode_at(t, r, base + r.size_at(head)));
      head += word;
    } else {
      values.push_back(decode_at(t, r, head));
      head += head_size(t);
    }
  }
  return values;
}

AbiValue decode_at(const AbiType& t, const Reader& r, std::size_t pos) {
  using K = AbiType::Kind;
  switch (t.kind) {
    case K::uint: {
      const uint256 x = r.word_at(pos);
      if (t.bits < 256 && (x >> t.bits)) fail(fmt::format("{} at byte {} does not fit {}", x.to_dec(), pos, t.canonical()));
      return x;
    }
    case K::int_: {
      const uint256 x = r.word_at(pos);
      if (!fits_signed(x, t.bits)) fail(fmt::format("the word at byte {} does not fit {}", pos, t.canonical()));
      return x;
    }
    case K::address: {
      const uint256 x = r.word_at(pos);
      if (x >> 160) fail(fmt::format("the word at byte {} is not an address (high bits set)", pos));
      return Address::from_word(x);
    }
    case K::boolean: {
      const uint256 x = r.word_at(pos);
      if (x > uint256(1)) fail(fmt::format("the word at byte {} is not a bool", pos));
      return static_cast<bool>(x);
    }
    case K::fixed_bytes: {
      const BytesView b = r.slice(pos, word);
      return Bytes(b.begin(), b.begin() + t.bits);
    }
    case K::bytes: {
      const std::size_t n = r.size_at(pos);
      const BytesView b = r.slice(pos + word, n);
      return Bytes(b.begin(), b.end());
    }
    case K::string: {
      const std::size_t n = r.size_at(pos);
      const BytesView b = r.slice(pos + word, n);
      return std::string(b.begin(), b.end());
    }
    case K::array: {
      std::size_t n = 0;
      std::size_t start = pos;
      if (t.length) {
        n = *t.length;
      } else {
        n = r.size_at(pos);
        start = pos + word;
      }
      // Each element takes at least one word of head: a length beyond that is malformed, not a huge array.
      if (n > (r.size() - std::min(r.size(), start)) / word + (head_size(t.components[0]) == 0 ? 1 : 0))
        fail(fmt::format("an array of {} elements at byte {} cannot fit the data", n, pos));
      return decode_tuple(std::vector<AbiType>(n, t.components[0]), r, start);
    }
    case K::tuple: return decode_tuple(t.components, r, pos);
  }
  fail("unknown ABI type");
}

std::string signature(const std::string& name, const std::vector<AbiType>& inputs) {
  std::string s = name + "(";
  for (std::size_t i = 0; i < inputs.size(); ++i) s += (i ? "," : "") + inputs[i].canonical();
  return s + ")";
}

std::string hex_of(BytesView b) { return evm::to_hex(b); }

std::string panic_meaning(const uint256& code) {
  if (!code.fits_u64()) return "unknown";
  switch (code.w[0]) {
    case 0x00: return "generic";
    case 0x01: return "assertion failed";
    case 0x11: return "arithmetic underflow or overflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum value";
    case 0x22: return "invalid storage byte array";
    case 0x31: return "pop from an empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "too much memory";
    case 0x51: return "call to an uninitialised function";
    default: return "unknown";
  }
}

constexpr std::uint32_t error_string_selector = 0x08c379a0;  // Error(string)
constexpr std::uint32_t panic_selector = 0x4e487b71;         // Panic(uint256)

std::uint32_t selector_of_data(BytesView data) {
  return (std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) | (std::uint32_t{data[2]} << 8) | data[3];
}

}  // namespace

bool AbiType::is_dynamic() const {
  switch (kind) {
    case Kind::bytes:
    case Kind::string: return true;
    case Kind::array: return !length || components[0].is_dynamic();
    case Kind::tuple: return std::any_of(components.begin(), components.end(), [](const AbiType& c) { return c.is_dynamic(); });
    default: return false;
  }
}

std::string AbiType::canonical() const {
  switch (kind) {
    case Kind::uint: return fmt::format("uint{}", bits);
    case Kind::int_: return fmt::format("int{}", bits);
    case Kind::address: return "address";
    case Kind::boolean: return "bool";
    case Kind::fixed_bytes: return fmt::format("bytes{}", bits);
    case Kind::bytes: return "bytes";
    case Kind::string: return "string";
    case Kind::array: return components[0].canonical() + (length ? fmt::format("[{}]", *length) : "[]");
    case Kind::tuple: {
      std::string s = "(";
      for (std::size_t i = 0; i < components.size(); ++i) s += (i ? "," : "") + components[i].canonical();
      return s + ")";
    }
  }
  return "?";
}

AbiType parse_type(std::string_view text) {
  AbiType t;
  if (!text.empty() && text.back() == ']') {
    const std::size_t open = text.rfind('[');
    if (open == std::string_view::npos) fail(fmt::format("not an ABI type: \"{}\"", text));
    return with_suffixes(parse_type(text.substr(0, open)), text.substr(open), text);
  }
  if (!text.empty() && text.front() == '(') {
    if (text.back() != ')') fail(fmt::format("not an ABI type: \"{}\"", text));
    t.kind = AbiType::Kind::tuple;
    for (std::string_view part : split_top_level(text.substr(1, text.size() - 2))) t.components.push_back(parse_type(part));
    return t;
  }
  using K = AbiType::Kind;
  if (text == "address") t.kind = K::address;
  else if (text == "bool") t.kind = K::boolean;
  else if (text == "string") t.kind = K::string;
  else if (text == "bytes") t.kind = K::bytes;
  else if (text.starts_with("uint")) {
    t.kind = K::uint;
    t.bits = parse_width(text.substr(4), 256, text);
  } else if (text.starts_with("int")) {
    t.kind = K::int_;
    t.bits = parse_width(text.substr(3), 256, text);
  } else if (text.starts_with("bytes")) {
    t.kind = K::fixed_bytes;
    t.bits = parse_width(text.substr(5), 0, text);
    if (t.bits < 1 || t.bits > 32) fail(fmt::format("not an ABI type: \"{}\"", text));
    return t;
  } else {
    fail(fmt::format("not an ABI type: \"{}\"", text));
  }
  if ((t.kind == K::uint || t.kind == K::int_) && (t.bits < 8 || t.bits > 256 || t.bits % 8 != 0))
    fail(fmt::format("not an ABI type: \"{}\"", text));
  return t;
}

AbiType parse_parameter(const nlohmann::json& parameter) {
  const std::string type = parameter.at("type").get<std::string>();
  AbiType t;
  if (type.starts_with("tuple")) {
    AbiType base;
    base.kind = AbiType::Kind::tuple;
    base.components = parse_parameters(parameter.at("components"));
    t = with_suffixes(std::move(base), std::string_view(type).substr(5), type);
  } else {
    t = parse_type(std::string_view(type));
  }
  t.name = parameter.value("name", "");
  return t;
}

std::vector<AbiType> parse_parameters(const nlohmann::json& parameters) {
  std::vector<AbiType> out;
  for (const auto& p : parameters) out.push_back(parse_parameter(p));
  return out;
}

const uint256& AbiValue::word() const { return as<uint256>(*this, "an integer"); }
const Address& AbiValue::address() const { return as<Address>(*this, "an address"); }
bool AbiValue::boolean() const { return as<bool>(*this, "a bool"); }
const Bytes& AbiValue::bytes() const { return as<Bytes>(*this, "bytes"); }
const std::string& AbiValue::text() const { return as<std::string>(*this, "a string"); }
const std::vector<AbiValue>& AbiValue::list() const { return as<std::vector<AbiValue>>(*this, "a list"); }

std::string describe(const AbiType& type, const AbiValue& value) {
  using K = AbiType::Kind;
  switch (type.kind) {
    case K::uint: return value.word().to_dec();
    case K::int_: {
      const uint256& x = value.word();
      if (!(x >> 255)) return x.to_dec();
      return "-" + (~x + uint256(1)).to_dec();
    }
    case K::address: return evm::to_hex(value.address());
    case K::boolean: return value.boolean() ? "true" : "false";
    case K::fixed_bytes:
    case K::bytes: return hex_of(value.bytes());
    case K::string: return nlohmann::json(value.text()).dump();
    case K::array:
    case K::tuple: {
      const auto& items = value.list();
      std::string s = type.kind == K::array ? "[" : "(";
      for (std::size_t i = 0; i < items.size(); ++i)
        s += (i ? ", " : "") + describe(type.kind == K::array ? type.components[0] : type.components[i], items[i]);
      return s + (type.kind == K::array ? "]" : ")");
    }
  }
  return "?";
}

Bytes encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values) {
  Bytes out;
  encode_tuple(types, values, out);
  return out;
}

std::vector<AbiValue> decode(const std::vector<AbiType>& types, BytesView data) {
  return decode_tuple(types, Reader(data), 0);
}

std::uint32_t selector(std::string_view signature_text) {
  const evm::Bytes32 h = topic_of(signature_text);
  return (std::uint32_t{h.bytes[0]} << 24) | (std::uint32_t{h.bytes[1]} << 16) | (std::uint32_t{h.bytes[2]} << 8) |
         h.bytes[3];
}

evm::Bytes32 topic_of(std::string_view signature_text) {
  return evm::keccak256(BytesView(reinterpret_cast<const std::uint8_t*>(signature_text.data()), signature_text.size()));
}

const AbiValue& DecodedEvent::at(std::string_view parameter) const {
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i].name == parameter) return values[i];
  fail(fmt::format("event {} has no parameter \"{}\"", name, parameter));
}

ContractAbi::ContractAbi(const nlohmann::json& abi) {
  if (!abi.is_array()) fail("a contract ABI is a JSON array");
  for (const auto& item : abi) {
    const std::string kind = item.value("type", "function");
    if (kind == "constructor") {
      constructor_ = parse_parameters(item.value("inputs", nlohmann::json::array()));
      continue;
    }
    if (kind != "function" && kind != "event" && kind != "error") continue;  // fallback, receive
    Entry e;
    e.name = item.at("name").get<std::string>();
    e.inputs = parse_parameters(item.value("inputs", nlohmann::json::array()));
    e.outputs = parse_parameters(item.value("outputs", nlohmann::json::array()));
    e.signature = signature(e.name, e.inputs);
    for (const auto& p : item.value("inputs", nlohmann::json::array())) e.indexed.push_back(p.value("indexed", false));
    e.anonymous = item.value("anonymous", false);
    (kind == "function" ? functions_ : kind == "event" ? events_ : errors_).push_back(std::move(e));
  }
}

const ContractAbi::Entry& ContractAbi::function(std::string_view name_or_signature) const {
  const bool by_signature = name_or_signature.find('(') != std::string_view::npos;
  const Entry* found = nullptr;
  std::vector<std::string> overloads;
  for (const Entry& e : functions_) {
    if ((by_signature ? e.signature : e.name) != name_or_signature) continue;
    overloads.push_back(e.signature);
    found = &e;
  }
  if (overloads.size() > 1) {
    std::string list;
    for (const std::string& s : overloads) list += (list.empty() ? "" : ", ") + s;
    fail(fmt::format("\"{}\" is overloaded; name one of {}", name_or_signature, list));
  }
  if (found == nullptr) {
    std::string list;
    for (const Entry& e : functions_) list += (list.empty() ? "" : ", ") + e.signature;
    fail(fmt::format("the contract has no function \"{}\" (it has {})", name_or_signature, list.empty() ? "none" : list));
  }
  return *found;
}

bool ContractAbi::has_function(std::string_view f) const {
  return std::any_of(functions_.begin(), functions_.end(), [&](const Entry& e) { return e.name == f || e.signature == f; });
}

std::string ContractAbi::signature_of(std::string_view f) const { return function(f).signature; }

Bytes ContractAbi::encode_call(std::string_view f, const std::vector<AbiValue>& args) const {
  const Entry& e = function(f);
  if (args.size() != e.inputs.size())
    fail(fmt::format("{} takes {} arguments, found {}", e.signature, e.inputs.size(), args.size()));
  const std::uint32_t sel = selector(e.signature);
  Bytes out = {static_cast<std::uint8_t>(sel >> 24), static_cast<std::uint8_t>(sel >> 16),
               static_cast<std::uint8_t>(sel >> 8), static_cast<std::uint8_t>(sel)};
  try {
    encode_tuple(e.inputs, args, out);
  } catch (const AbiError& err) {
    fail(fmt::format("{}: {}", e.signature, err.what()));
  }
  return out;
}

std::vector<AbiValue> ContractAbi::decode_output(std::string_view f, BytesView output) const {
  const Entry& e = function(f);
  try {
    return decode(e.outputs, output);
  } catch (const AbiError& err) {
    fail(fmt::format("the output of {}: {}", e.signature, err.what()));
  }
}

Bytes ContractAbi::encode_constructor(const std::vector<AbiValue>& args) const {
  if (args.size() != constructor_.size())
    fail(fmt::format("the constructor takes {} arguments, found {}", constructor_.size(), args.size()));
  return encode(constructor_, args);
}

std::optional<DecodedEvent> ContractAbi::decode_event(const evm::Log& log) const {
  if (log.topics.empty()) return std::nullopt;
  for (const Entry& e : events_) {
    if (e.anonymous || topic_of(e.signature) != log.topics[0]) continue;
    DecodedEvent event{e.name, e.inputs, std::vector<AbiValue>(e.inputs.size())};
    std::vector<AbiType> data_types;
    std::size_t topic = 1;
    for (std::size_t i = 0; i < e.inputs.size(); ++i) {
      if (!e.indexed[i]) {
        data_types.push_back(e.inputs[i]);
        continue;
      }
      if (topic >= log.topics.size()) fail(fmt::format("event {}: fewer topics than indexed parameters", e.signature));
      const evm::Bytes32& t = log.topics[topic++];
      // An indexed dynamic value is stored as its hash: it is reported as that hash.
      event.values[i] = e.inputs[i].is_dynamic() ? AbiValue(Bytes(t.bytes.begin(), t.bytes.end()))
                                                 : decode_at(e.inputs[i], Reader(BytesView(t.bytes)), 0);
    }
    const std::vector<AbiValue> data = decode(data_types, log.data);
    for (std::size_t i = 0, d = 0; i < e.inputs.size(); ++i)
      if (!e.indexed[i]) event.values[i] = data[d++];
    return event;
  }
  return std::nullopt;
}

std::string ContractAbi::explain_revert(BytesView data) const {
  if (data.size() >= 4) {
    const std::uint32_t sel = selector_of_data(data);
    for (const Entry& e : errors_) {
      if (selector(e.signature) != sel) continue;
      try {
        const auto values = decode(e.inputs, data.subspan(4));
        std::string s = "reverted: " + e.name + "(";
        for (std::size_t i = 0; i < values.size(); ++i)
          s += (i ? ", " : "") + (e.inputs[i].name.empty() ? "" : e.inputs[i].name + "=") + describe(e.inputs[i], values[i]);
        return s + ")";
      } catch (const AbiError&) {
        break;
      }
    }
  }
  return chain::explain_revert(data);
}

std::string explain_revert(BytesView data) {
  if (data.empty()) return "reverted without a reason";
  if (data.size() >= 4) {
    const std::uint32_t sel = selector_of_data(data);
    try {
      if (sel == error_string_selector) return "reverted: " + decode({parse_type("string")}, data.subspan(4))[0].text();
      if (sel == panic_selector) {
        const uint256 code = decode({parse_type("uint256")}, data.subspan(4))[0].word();
        return fmt::format("panic {} ({})", code.to_hex(), panic_meaning(code));
      }
    } catch (const AbiError&) {
    }
  }
  return "reverted with data " + hex_of(data);
}

}  // namespace dais::chain
