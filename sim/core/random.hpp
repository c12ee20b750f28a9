#pragma once
// Counter-based random streams. A stream is keyed by (seed, replicate, entity, purpose) and positioned at a
// substream (usually the epoch); its n-th draw is Philox4x64-10 applied to that tuple and n. Nothing else
// enters: an agent's draws never depend on what other agents, the reward rule or the thread schedule did.
// That is what makes two designs run on the same seed and replicate a paired comparison (common random
// numbers). Distributions are Boost.Random's, whose code is the same on every platform and standard library
// (std::*_distribution is not).

#include <Random123/philox.h>

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
  void refill() noexcept {
    block_ = Philox{}(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  Philox::ctr_type block_{};
  unsigned used_ = 4;
};

}  // namespace dais::core
