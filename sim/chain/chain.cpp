#include "sim/chain/chain.hpp"

#include <algorithm>

namespace dais::chain {

void BlockClock::advance_to(std::int64_t t_seconds) noexcept {
  next_timestamp_ = std::max(next_timestamp_, genesis_time_ + t_seconds);
}

std::pair<std::int64_t, std::int64_t> BlockClock::next_block() noexcept {
  const std::pair<std::int64_t, std::int64_t> block{next_number_++, next_timestamp_};
  next_timestamp_ += block_time_;
  return block;
}

}  // namespace dais::chain
