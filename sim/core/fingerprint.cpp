#include "sim/core/fingerprint.hpp"

#include <fmt/format.h>

namespace dais::core {

std::string Fingerprint::hex() const { return fmt::format("{:016x}", state_); }

}  // namespace dais::core
