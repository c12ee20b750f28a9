#pragma once
// Keccak-256 (the pre-standard SHA-3 padding Ethereum uses), from Crypto++.

#include "sim/evm/types.hpp"

namespace dais::evm {

Bytes32 keccak256(BytesView data) noexcept;
inline Bytes32 keccak256(const std::uint8_t* data, std::size_t size) noexcept { return keccak256(BytesView(data, size)); }

// The hash of empty input: the code hash of an account without code.
inline constexpr Bytes32 empty_code_hash{{0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                          0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                          0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70}};

}  // namespace dais::evm
