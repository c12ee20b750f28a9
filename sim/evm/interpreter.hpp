#pragma once
// The interpreter: runs one message's code against a Host. Code is analysed once (jump destinations,
// zero padding so immediates never read past the end); stack and memory are preallocated per call depth
// and reused, so executing an instruction allocates nothing and calls nothing virtual.

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/evm/host.hpp"

namespace dais::evm {

class CodeAnalysis {
 public:
  explicit CodeAnalysis(BytesView code);

  // The code followed by 33 zero bytes: a PUSH32 at the end reads zeros and then a STOP. Eight zero
  // bytes also precede it, so a push may read its immediate with one 8-byte load ending at its end.
  const std::uint8_t* padded() const noexcept { return padded_.data() + front_padding; }
  std::size_t size() const noexcept { return size_; }
  BytesView code() const noexcept { return {padded(), size_}; }
  bool is_jumpdest(std::uint64_t pos) const noexcept { return pos < size_ && jumpdest_[pos] != 0; }
  const std::uint8_t* jumpdest_map() const noexcept { return jumpdest_.data(); }

  static constexpr std::size_t front_padding = 8;

 private:
  Bytes padded_;
  std::vector<std::uint8_t> jumpdest_;  // one byte per code byte: faster to test than a bit
  std::size_t size_ = 0;
};

// Memory of one call frame: grows in 32-byte words, keeps its buffer between uses.
class Memory {
 public:
  Memory() = default;
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;
  ~Memory();
  std::uint8_t* data() noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  void clear() noexcept { size_ = 0; }
  void grow(std::size_t new_size) noexcept;  // new_size > size(), a multiple of 32; zero-filled

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Memory gas: 3 per word plus words^2 / 512 (the Yellow Paper's C_mem).
constexpr std::int64_t memory_cost(std::uint64_t words) noexcept {
  return static_cast<std::int64_t>(3 * words + words * words / 512);
}

// The largest memory the interpreter grants; anything beyond costs more gas than exists in practice.
inline constexpr std::uint64_t max_memory_size = std::uint64_t{1} << 32;

class Vm {
 public:
  Vm();
  ~Vm();
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  // Runs msg with the given code. Nested calls go through host.call(), which comes back here.
  Result execute(Host& host, const Message& msg, const CodeAnalysis& code) noexcept;

  struct Frame;

 private:
  Frame& frame_at(int depth) noexcept;
  std::vector<std::unique_ptr<Frame>> frames_;
};

// Gas and refund of an SSTORE after the EIP-2929 cold surcharge (Cancun).
struct StorageCost {
  std::int16_t gas;
  std::int32_t refund;
};
StorageCost storage_cost(StorageStatus s) noexcept;

}  // namespace dais::evm
