#pragma once
// Opcode numbers and their compile-time traits (name, immediate size, stack requirements, base gas),
// all generated from the X-macro list in opcodes_xmacro.hpp.

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/evm/opcodes_xmacro.hpp"

namespace dais::evm {

enum Opcode : std::uint8_t {
#define DAIS_X(name, code, imm, in, out, gas) OP_##name = code,
  DAIS_EVM_OPCODES(DAIS_X)
#undef DAIS_X
};

inline constexpr int stack_limit = 1024;

struct OpcodeTraits {
  std::string_view name;  // empty: undefined opcode
  std::uint8_t immediate_size = 0;
  std::int8_t stack_in = 0;       // items the instruction needs
  std::int8_t stack_change = 0;   // out - in
  std::int16_t base_gas = 0;
  bool defined = false;
};

inline constexpr std::array<OpcodeTraits, 256> opcode_traits = [] {
  std::array<OpcodeTraits, 256> t{};
#define DAIS_X(name, code, imm, in, out, gas) \
  t[code] = {#name, imm, in, static_cast<std::int8_t>((out) - (in)), gas, true};
  DAIS_EVM_OPCODES(DAIS_X)
#undef DAIS_X
  return t;
}();

// The static gas of each opcode as a flat table, for the interpreter's single requirements check.
inline constexpr std::array<std::int16_t, 256> base_gas_table = [] {
  std::array<std::int16_t, 256> g{};
  for (std::size_t i = 0; i < 256; ++i) g[i] = opcode_traits[i].base_gas;
  return g;
}();

}  // namespace dais::evm
