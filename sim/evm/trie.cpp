#include "sim/evm/trie.hpp"

#include <vector>

#include "sim/evm/keccak.hpp"
#include "sim/evm/rlp.hpp"

namespace dais::evm {

namespace {

struct Leaf {
  Bytes nibbles;
  const Bytes* value;
};

// Hex-prefix encoding of a nibble path (appendix C), with the leaf flag.
Bytes hex_prefix(const Bytes& nibbles, std::size_t from, std::size_t to, bool leaf) {
  const std::size_t n = to - from;
  Bytes out;
  out.reserve(n / 2 + 1);
  const std::uint8_t flag = leaf ? 2 : 0;
  std::size_t i = from;
  if (n % 2 == 1) {
    out.push_back(static_cast<std::uint8_t>(((flag + 1) << 4) | nibbles[i]));
    ++i;
  } else {
    out.push_back(static_cast<std::uint8_t>(flag << 4));
  }
  for (; i < to; i += 2) out.push_back(static_cast<std::uint8_t>((nibbles[i] << 4) | nibbles[i + 1]));
  return out;
}

// How a node is referenced from its parent: inline when its encoding is shorter than 32 bytes.
Bytes reference(const Bytes& node) {
  if (node.size() < 32) return node;
  return rlp::encode(BytesView(keccak256(node).bytes));
}

// The RLP of the node holding leaves[begin, end), all sharing their first `depth` nibbles.
Bytes encode_node(const std::vector<Leaf>& leaves, std::size_t begin, std::size_t end, std::size_t depth) {
  if (end - begin == 1) {
    const Leaf& l = leaves[begin];
    return rlp::encode_list({rlp::encode(hex_prefix(l.nibbles, depth, l.nibbles.size(), true)), rlp::encode(*l.value)});
  }
  // The longest prefix past depth shared by all (leaves are sorted: first and last suffice).
  const Bytes& first = leaves[begin].nibbles;
  const Bytes& last = leaves[end - 1].nibbles;
  std::size_t common = depth;
  while (common < first.size() && common < last.size() && first[common] == last[common]) ++common;
  if (common > depth) {
    const Bytes child = encode_node(leaves, begin, end, common);
    return rlp::encode_list({rlp::encode(hex_prefix(first, depth, common, false)), reference(child)});
  }
  std::vector<Bytes> branch(17);
  std::size_t i = begin;
  if (leaves[i].nibbles.size() == depth) {  // a key ending here is the branch's value
    branch[16] = rlp::encode(*leaves[i].value);
    ++i;
  } else {
    branch[16] = rlp::encode(BytesView());
  }
  for (std::uint8_t nib = 0; nib < 16; ++nib) {
    const std::size_t start = i;
    while (i < end && leaves[i].nibbles[depth] == nib) ++i;
    branch[nib] = start == i ? rlp::encode(BytesView()) : reference(encode_node(leaves, start, i, depth + 1));
  }
  return rlp::encode_list(branch);
}

}  // namespace

Bytes32 empty_trie_root() {
  static const Bytes32 root = keccak256(rlp::encode(BytesView()));
  return root;
}

void Trie::put(Bytes key, Bytes value) {
  if (value.empty()) items_.erase(key);
  else items_[std::move(key)] = std::move(value);
}

Bytes32 Trie::root() const {
  if (items_.empty()) return empty_trie_root();
  std::vector<Leaf> leaves;
  leaves.reserve(items_.size());
  for (const auto& [key, value] : items_) {
    Bytes nibbles(key.size() * 2);
    for (std::size_t i = 0; i < key.size(); ++i) {
      nibbles[2 * i] = key[i] >> 4;
      nibbles[2 * i + 1] = key[i] & 0xf;
    }
    leaves.push_back({std::move(nibbles), &value});
  }
  return keccak256(encode_node(leaves, 0, leaves.size(), 0));
}

std::optional<Bytes> Trie::next_key(const Bytes& key) const {
  const auto it = items_.upper_bound(key);
  if (it == items_.end()) return std::nullopt;
  return it->first;
}

std::optional<Bytes> Trie::prev_key(const Bytes& key) const {
  auto it = items_.lower_bound(key);
  if (it == items_.begin()) return std::nullopt;
  return (--it)->first;
}

}  // namespace dais::evm
