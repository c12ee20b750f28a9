#include "sim/core/simulation.hpp"

#include <fmt/format.h>

namespace dais::core {

std::string describe_event_failure(const std::exception& e, SimTime time, std::uint64_t event_number,
                                   EventData data) {
  return fmt::format("at simulated time {}s (event #{}, kind {}, entity {}): {}", time.to_seconds(), event_number,
                     data.kind, data.target, e.what());
}

}  // namespace dais::core
