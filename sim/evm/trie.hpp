#pragma once
// The Merkle-Patricia trie's root hash (Yellow Paper appendix D) over a set of key/value pairs: the
// state root, the storage roots. Keys are kept in order, so the trie can also be walked by key.

#include <cstring>
#include <map>
#include <optional>

#include "sim/evm/types.hpp"

namespace dais::evm {

class Trie {
 public:
  void put(Bytes key, Bytes value);  // an empty value removes the key
  void remove(const Bytes& key) { items_.erase(key); }
  Bytes32 root() const;
  // The next key after / the previous key before the given one, in key order.
  std::optional<Bytes> next_key(const Bytes& key) const;
  std::optional<Bytes> prev_key(const Bytes& key) const;
  std::size_t size() const noexcept { return items_.size(); }

 private:
  struct KeyLess {  // byte-wise order (also sidesteps a GCC 12 false -Wstringop-overread in std::less<vector>)
    bool operator()(const Bytes& a, const Bytes& b) const noexcept {
      const std::size_t n = a.size() < b.size() ? a.size() : b.size();
      const int c = n != 0 ? std::memcmp(a.data(), b.data(), n) : 0;
      return c < 0 || (c == 0 && a.size() < b.size());
    }
  };
  std::map<Bytes, Bytes, KeyLess> items_;
};

// The root of the empty trie: keccak256(rlp("")).
Bytes32 empty_trie_root();

}  // namespace dais::evm
