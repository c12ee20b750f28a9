#pragma once
// The Solidity contract ABI: every type Solidity uses (uint<M>, int<M>, address, bool, bytes<M>, bytes, string,
// fixed and dynamic arrays, tuples, nested), encoded and decoded by the specification's head/tail rules;
// function selectors, events (indexed topics and data) and errors (Error(string), Panic(uint256) and a
// contract's custom errors), so a revert is reported with its reason.
// Specification: https://docs.soliditylang.org/en/latest/abi-spec.html

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/evm/state.hpp"
#include "sim/evm/types.hpp"

namespace dais::chain {

using evm::Address;
using evm::Bytes;
using evm::BytesView;
using evm::uint256;

// Malformed ABI data, a value that does not fit its type, or an unknown function or event.
class AbiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AbiType {
  enum class Kind { uint, int_, address, boolean, fixed_bytes, bytes, string, array, tuple };
  Kind kind = Kind::uint;
  unsigned bits = 256;            // uint/int width; bytes<M>: M
  std::optional<std::size_t> length;  // arrays: the fixed length, none for T[]
  std::vector<AbiType> components;    // arrays: the element type; tuples: the members
  std::string name;                   // the parameter's or member's name, when known

  [[nodiscard]] bool is_dynamic() const;
  [[nodiscard]] std::string canonical() const;  // "uint256", "(address,uint256)[]", as in signatures
};

// A type from its canonical text ("uint256[]", "(address,bytes32)[2]") or from an ABI JSON parameter
// ({"type": "tuple[]", "components": [...]}).
AbiType parse_type(std::string_view text);
AbiType parse_parameter(const nlohmann::json& parameter);
std::vector<AbiType> parse_parameters(const nlohmann::json& parameters);

// A value of some ABI type. Integers (signed in two's complement), address, bool; bytes for bytes<M> and
// bytes; text for string; a list for arrays and tuples.
struct AbiValue {
  std::variant<uint256, Address, bool, Bytes, std::string, std::vector<AbiValue>> value;

  AbiValue() = default;
  AbiValue(uint256 v) : value(v) {}              // NOLINT: a value of its type
  AbiValue(std::uint64_t v) : value(uint256(v)) {}  // NOLINT
  AbiValue(Address v) : value(v) {}              // NOLINT
  AbiValue(bool v) : value(v) {}                 // NOLINT
  AbiValue(Bytes v) : value(std::move(v)) {}     // NOLINT
  AbiValue(std::string v) : value(std::move(v)) {}  // NOLINT
  AbiValue(std::vector<AbiValue> v) : value(std::move(v)) {}  // NOLINT

  [[nodiscard]] const uint256& word() const;
  [[nodiscard]] const Address& address() const;
  [[nodiscard]] bool boolean() const;
  [[nodiscard]] const Bytes& bytes() const;
  [[nodiscard]] const std::string& text() const;
  [[nodiscard]] const std::vector<AbiValue>& list() const;
  friend bool operator==(const AbiValue&, const AbiValue&) = default;
};

// Human form of a value of a type: decimal integers (negative ones signed), 0x hex for addresses and bytes.
std::string describe(const AbiType& type, const AbiValue& value);

// The encoding of `values` as the tuple of `types` (a call's arguments, a function's outputs).
Bytes encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values);
// The values of the tuple of `types` in `data`; AbiError if data is malformed or too short.
std::vector<AbiValue> decode(const std::vector<AbiType>& types, BytesView data);

// The first four bytes of keccak256 of a signature such as "transfer(address,uint256)".
std::uint32_t selector(std::string_view signature);
evm::Bytes32 topic_of(std::string_view signature);

struct DecodedEvent {
  std::string name;
  std::vector<AbiType> types;  // all parameters, in declaration order
  std::vector<AbiValue> values;  // indexed dynamic ones hold their 32-byte topic (a hash)
  [[nodiscard]] const AbiValue& at(std::string_view parameter) const;
};

// A contract's ABI (the JSON array solc writes): calls encoded by function name, outputs and events decoded,
// reverts explained.
class ContractAbi {
 public:
  explicit ContractAbi(const nlohmann::json& abi);

  // The call data of `function` (a name, or a full signature for an overloaded name) with `args`.
  [[nodiscard]] Bytes encode_call(std::string_view function, const std::vector<AbiValue>& args) const;
  [[nodiscard]] std::vector<AbiValue> decode_output(std::string_view function, BytesView output) const;
  [[nodiscard]] Bytes encode_constructor(const std::vector<AbiValue>& args) const;
  [[nodiscard]] std::optional<DecodedEvent> decode_event(const evm::Log& log) const;
  // "reverted: NotOwner(caller=0x...)", "reverted: insufficient balance", "panic 0x11 (arithmetic overflow)".
  [[nodiscard]] std::string explain_revert(BytesView data) const;
  [[nodiscard]] bool has_function(std::string_view function) const;
  [[nodiscard]] const std::vector<AbiType>& constructor_inputs() const noexcept { return constructor_; }
  [[nodiscard]] std::string signature_of(std::string_view function) const;

 private:
  struct Entry {
    std::string name;
    std::string signature;
    std::vector<AbiType> inputs;
    std::vector<AbiType> outputs;
    std::vector<bool> indexed;  // events
    bool anonymous = false;
  };
  const Entry& function(std::string_view name_or_signature) const;

  std::vector<Entry> functions_;
  std::vector<Entry> events_;
  std::vector<Entry> errors_;
  std::vector<AbiType> constructor_;
};

// Explains revert data without a contract's ABI: Error(string), Panic(uint256), or the raw bytes.
std::string explain_revert(BytesView data);

}  // namespace dais::chain
