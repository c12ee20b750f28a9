#include "sim/scenario/registry.hpp"

namespace dais::scenario {

std::string ComponentIndex::names_list() const {
  std::string out;
  const std::vector<const ComponentInfo*> entries = all();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i != 0) out += i + 1 == entries.size() ? " or " : ", ";
    out += "\"" + entries[i]->name + "\"";
  }
  return out;
}

}  // namespace dais::scenario
