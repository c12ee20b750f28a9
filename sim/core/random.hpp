#pragma once
// Counter-based random streams. A stream is keyed by (seed, replicate, entity, purpose) and positioned at a
// substream (usually the epoch); its n-th draw is Philox4x64-10 applied to that tuple and n. Nothing else
// enters: an agent's draws never depend on what other agents, the reward rule or the thread schedule did.
// That is what makes two designs run on the same seed and replicate a paired comparison (common random
// numbers). Distributions are Boost.Random's, whose code is the same on every platform and standard library
// (std::*_distribution is not).
//
// EntityStreams serves many entities' streams for one (purpose, substream) at the price of one Philox block per
// four entities instead of one each: entity e's first word is word e mod 4 of a block shared by its group of
// four, at a counter its own stream never reaches (draw index 2^63); its later words are its own stream's. Most
// per-agent draws (a normal, a Bernoulli) take one word, so the hot loops over agents pay a quarter of the
// Philox work, and an entity's draws still depend on nothing but its key.

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

namespace dais::core {

struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  std::uint64_t entity = 0;
  std::uint64_t purpose = 0;
};

// Satisfies the UniformRandomBitGenerator concept, so Boost.Random distributions draw from it.
class RandomStream {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  explicit RandomStream(const StreamKey& key, std::uint64_t substream = 0) noexcept
      : key_{{key.seed, key.replicate}}, counter_{{key.entity, key.purpose, substream, 0}} {}

  // Restarts the stream at the first draw of another substream.
  void seek(std::uint64_t substream) noexcept {
    counter_.v[2] = substream;
    counter_.v[3] = 0;
    used_ = 4;
  }

  result_type operator()() noexcept {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform01() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  using Philox = r123::Philox4x64;
  // Out of line, as EntityStreams::draw_pair: see there.
  [[gnu::noinline]] void refill() noexcept {
    block_ = Philox{}(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
  }

  friend class EntityStreams;
  // A stream whose first draw is `first_word`, then its own draws from the start.
  RandomStream(const StreamKey& key, std::uint64_t substream, std::uint64_t first_word) noexcept
      : RandomStream(key, substream) {
    block_.v[3] = first_word;
    used_ = 3;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  Philox::ctr_type block_{};
  unsigned used_ = 4;
};

// The streams of many entities for one (seed, replicate, purpose, substream); see the header comment. Cheapest
// when entities are asked for in ascending order, as a pass over agents does.
class EntityStreams {
 public:
  // key.entity is unused: stream() names the entity.
  EntityStreams(const StreamKey& key, std::uint64_t substream) noexcept : key_(key), substream_(substream) {}

  RandomStream stream(std::uint64_t entity) noexcept {
    const std::uint64_t pair = entity >> 3;
    if (pair != pair_) draw_pair(pair);
    return RandomStream({key_.seed, key_.replicate, entity, key_.purpose}, substream_, firsts_[entity & 7]);
  }

 private:
  // The blocks of two neighbouring groups at once: each block is a chain of ten dependent rounds, and two
  // independent chains run side by side in the CPU in about the time of one. Out of line: inlined into a
  // caller's loop over agents, the rounds compete for registers with the loop's own values, and GCC hoists parts
  // of them into the loop's path even when they do not run (B1: 5% of all instructions).
  [[gnu::noinline]] void draw_pair(std::uint64_t pair) noexcept {
    pair_ = pair;
    const r123::Philox4x64::key_type key{{key_.seed, key_.replicate}};
    const auto low = r123::Philox4x64{}({{2 * pair, key_.purpose, substream_, shared_block}}, key);
    const auto high = r123::Philox4x64{}({{2 * pair + 1, key_.purpose, substream_, shared_block}}, key);
    std::copy(low.v, low.v + 4, firsts_.begin());
    std::copy(high.v, high.v + 4, firsts_.begin() + 4);
  }

  static constexpr std::uint64_t shared_block = std::uint64_t{1} << 63;
  StreamKey key_;
  std::uint64_t substream_;
  std::uint64_t pair_ = std::numeric_limits<std::uint64_t>::max();
  std::array<std::uint64_t, 8> firsts_{};  // the words of groups 2 * pair_ and 2 * pair_ + 1, in entity order
};

}  // namespace dais::core
