#include "sim/chain/chain.hpp"

#include <algorithm>

namespace dais::chain {

void BlockClock::advance_to(std::int64_t t_seconds) noexcept { next_ = std::max(next_, 1 + t_seconds / block_time_); }

std::pair<std::int64_t, std::int64_t> BlockClock::next_block() noexcept {
  const std::int64_t number = next_++;
  return {number, genesis_time_ + number * block_time_};
}

}  // namespace dais::chain
