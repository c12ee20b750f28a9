#pragma once
// Recursive Length Prefix encoding (Yellow Paper appendix B): encoding of strings, integers and lists,
// and a strict decoder that refuses non-canonical forms.

#include <initializer_list>
#include <stdexcept>
#include <vector>

#include "sim/evm/types.hpp"

namespace dais::evm::rlp {

Bytes encode(BytesView bytes);
Bytes encode(const uint256& v);  // minimal big-endian; zero is the empty string
// A list of already-encoded items.
Bytes encode_list(const std::vector<Bytes>& encoded_items);
Bytes encode_list(std::initializer_list<Bytes> encoded_items);

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Item {
  bool is_list = false;
  Bytes bytes;              // a string's content
  std::vector<Item> items;  // a list's items
};

// Decodes exactly one item spanning all of data; throws DecodeError on malformed or non-canonical input.
Item decode(BytesView data);

}  // namespace dais::evm::rlp
