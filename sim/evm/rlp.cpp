#include "sim/evm/rlp.hpp"

namespace dais::evm::rlp {

namespace {

void append_length(Bytes& out, std::size_t len, std::uint8_t short_base, std::uint8_t long_base) {
  if (len < 56) {
    out.push_back(static_cast<std::uint8_t>(short_base + len));
    return;
  }
  std::uint8_t be[8];
  int n = 0;
  for (std::size_t v = len; v != 0; v >>= 8) be[n++] = static_cast<std::uint8_t>(v);
  out.push_back(static_cast<std::uint8_t>(long_base + n));
  for (int i = n - 1; i >= 0; --i) out.push_back(be[i]);
}

Bytes list_of(const Bytes* begin, const Bytes* end) {
  std::size_t total = 0;
  for (const Bytes* p = begin; p != end; ++p) total += p->size();
  Bytes out;
  out.reserve(total + 9);
  append_length(out, total, 0xc0, 0xf7);
  for (const Bytes* p = begin; p != end; ++p) out.insert(out.end(), p->begin(), p->end());
  return out;
}

// Decodes one item at data[pos]; advances pos past it.
Item decode_at(BytesView data, std::size_t& pos, int depth) {
  if (depth > 1024) throw DecodeError("RLP nested too deeply");
  if (pos >= data.size()) throw DecodeError("RLP input ends before an item");
  const std::uint8_t prefix = data[pos++];
  Item item;
  std::size_t len = 0;
  auto read_long_length = [&](std::size_t n) {
    if (n > 8 || pos + n > data.size()) throw DecodeError("RLP length of length runs past the input");
    if (data[pos] == 0) throw DecodeError("RLP length with a leading zero byte");
    std::size_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data[pos + i];
    pos += n;
    if (v < 56) throw DecodeError("RLP long form for a length below 56");
    return v;
  };
  if (prefix < 0x80) {
    item.bytes.push_back(prefix);
    return item;
  }
  if (prefix <= 0xb7) {
    len = prefix - 0x80u;
  } else if (prefix <= 0xbf) {
    len = read_long_length(prefix - 0xb7u);
  } else if (prefix <= 0xf7) {
    item.is_list = true;
    len = prefix - 0xc0u;
  } else {
    item.is_list = true;
    len = read_long_length(prefix - 0xf7u);
  }
  if (len > data.size() - pos) throw DecodeError("RLP item runs past the end of its input");
  if (!item.is_list) {
    if (len == 1 && data[pos] < 0x80) throw DecodeError("RLP single byte below 0x80 encoded as a string");
    item.bytes.assign(data.begin() + static_cast<std::ptrdiff_t>(pos), data.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
    return item;
  }
  const std::size_t end = pos + len;
  const BytesView inner = data.subspan(0, end);
  while (pos < end) item.items.push_back(decode_at(inner, pos, depth + 1));
  return item;
}

}  // namespace

Bytes encode(BytesView bytes) {
  if (bytes.size() == 1 && bytes[0] < 0x80) return {bytes[0]};
  Bytes out;
  out.reserve(bytes.size() + 9);
  append_length(out, bytes.size(), 0x80, 0xb7);
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

Bytes encode(const uint256& v) {
  std::uint8_t be[32];
  v.to_be(be);
  const unsigned n = byte_width(v);
  return encode(BytesView(be + 32 - n, n));
}

Bytes encode_list(const std::vector<Bytes>& encoded_items) {
  return list_of(encoded_items.data(), encoded_items.data() + encoded_items.size());
}

Bytes encode_list(std::initializer_list<Bytes> encoded_items) { return list_of(encoded_items.begin(), encoded_items.end()); }

Item decode(BytesView data) {
  std::size_t pos = 0;
  Item item = decode_at(data, pos, 0);
  if (pos != data.size()) throw DecodeError("RLP input has bytes after its item");
  return item;
}

}  // namespace dais::evm::rlp
