#pragma once
// Buffers reused every epoch grow a little past what is asked instead of doubling as std::vector would: one
// entrant more should not double the memory of a per-agent buffer of a million agents.

#include <cstddef>
#include <vector>

namespace dais::core {

// Resizes `buffer` to n elements; when that needs more room, it reserves an eighth to spare.
template <class T>
void resize_buffer(std::vector<T>& buffer, std::size_t n) {
  if (n > buffer.capacity()) buffer.reserve(n + n / 8 + 16);
  buffer.resize(n);
}

}  // namespace dais::core
