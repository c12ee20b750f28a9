#include "sim/evm/types.hpp"

#include <stdexcept>

namespace dais::evm {

namespace {
int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::invalid_argument(std::string("not a hex digit: '") + c + "'");
}
}  // namespace

Bytes from_hex(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd number of hex digits");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
  return out;
}

Address address_from_hex(std::string_view hex) {
  const Bytes b = from_hex(hex);
  if (b.size() != 20) throw std::invalid_argument("an address has 20 bytes, found " + std::to_string(b.size()));
  Address a;
  std::memcpy(a.bytes.data(), b.data(), 20);
  return a;
}

Bytes32 bytes32_from_hex(std::string_view hex) {
  const Bytes b = from_hex(hex);
  if (b.size() != 32) throw std::invalid_argument("a hash has 32 bytes, found " + std::to_string(b.size()));
  Bytes32 h;
  std::memcpy(h.bytes.data(), b.data(), 32);
  return h;
}

std::string to_hex(BytesView bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s = "0x";
  s.reserve(2 + 2 * bytes.size());
  for (std::uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 0xf]);
  }
  return s;
}

}  // namespace dais::evm
