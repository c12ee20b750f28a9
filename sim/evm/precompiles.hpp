#pragma once
// The precompiled contracts at 0x01..0x0a (Cancun). Each charges its gas and computes its output; a
// precompile this build cannot run returns Status::unsupported_precompile, never a made-up result.

#include "sim/evm/host.hpp"

namespace dais::evm {

inline constexpr std::uint64_t num_precompiles = 10;  // 0x01 ecrecover .. 0x0a point evaluation

inline bool is_precompile(const Address& a) noexcept {
  for (std::size_t i = 0; i < 19; ++i)
    if (a.bytes[i] != 0) return false;
  return a.bytes[19] >= 1 && a.bytes[19] <= num_precompiles;
}

// Runs the precompile at address a with the given input and gas. A failure consumes all gas.
Result run_precompile(const Address& a, BytesView input, std::int64_t gas) noexcept;

}  // namespace dais::evm
