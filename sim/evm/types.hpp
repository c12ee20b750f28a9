#pragma once
// The EVM's byte-level value types: addresses, 32-byte hashes, byte strings, and their hex forms.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/evm/uint256.hpp"

namespace dais::evm {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

struct Address {
  std::array<std::uint8_t, 20> bytes{};

  friend constexpr bool operator==(const Address&, const Address&) = default;
  friend constexpr auto operator<=>(const Address&, const Address&) = default;

  // The low 20 bytes of a word (how the EVM turns a stack item into an address).
  static Address from_word(const uint256& v) noexcept {
    std::uint8_t be[32];
    v.to_be(be);
    Address a;
    std::memcpy(a.bytes.data(), be + 12, 20);
    return a;
  }
  uint256 to_word() const noexcept { return uint256::from_be(bytes.data(), 20); }
  // A small address such as a precompile's 0x...01.
  static constexpr Address from_u64(std::uint64_t v) noexcept {
    Address a;
    for (int i = 0; i < 8; ++i) a.bytes[static_cast<std::size_t>(19 - i)] = static_cast<std::uint8_t>(v >> (8 * i));
    return a;
  }
};

struct Bytes32 {
  std::array<std::uint8_t, 32> bytes{};
  friend constexpr bool operator==(const Bytes32&, const Bytes32&) = default;
  friend constexpr auto operator<=>(const Bytes32&, const Bytes32&) = default;
  uint256 to_word() const noexcept { return uint256::from_be(bytes.data(), 32); }
  static Bytes32 from_word(const uint256& v) noexcept {
    Bytes32 b;
    v.to_be(b.bytes.data());
    return b;
  }
};

struct AddressHash {
  std::size_t operator()(const Address& a) const noexcept {
    std::uint64_t x, y;
    std::uint32_t z;
    std::memcpy(&x, a.bytes.data(), 8);
    std::memcpy(&y, a.bytes.data() + 8, 8);
    std::memcpy(&z, a.bytes.data() + 16, 4);
    std::uint64_t h = (x ^ 0x9E3779B97F4A7C15ULL) * 0xC2B2AE3D27D4EB4FULL;
    h = (h ^ y ^ (h >> 31)) * 0x165667B19E3779F9ULL;
    h = (h ^ z ^ (h >> 29)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
};

// Hex: "0x"-prefixed or not; throw std::invalid_argument on an odd length or a bad digit.
Bytes from_hex(std::string_view hex);
Address address_from_hex(std::string_view hex);  // exactly 20 bytes
Bytes32 bytes32_from_hex(std::string_view hex);  // exactly 32 bytes
std::string to_hex(BytesView bytes);             // "0x" + lowercase digits
inline std::string to_hex(const Address& a) { return to_hex(BytesView(a.bytes)); }
inline std::string to_hex(const Bytes32& b) { return to_hex(BytesView(b.bytes)); }

}  // namespace dais::evm
