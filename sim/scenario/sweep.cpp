#include "sim/scenario/sweep.hpp"

#include <limits>

namespace dais::scenario {

std::size_t variant_count(const Sweep& sweep) noexcept {
  if (sweep.parameters.empty()) return 1;
  if (sweep.mode == SweepMode::zip) return sweep.parameters.front().values.size();
  std::size_t n = 1;
  for (const SweepParameter& p : sweep.parameters)
    if (__builtin_mul_overflow(n, p.values.size(), &n)) return std::numeric_limits<std::size_t>::max();
  return n;
}

std::vector<std::vector<nlohmann::json>> expand(const Sweep& sweep) {
  const std::size_t count = variant_count(sweep);
  std::vector<std::vector<nlohmann::json>> variants(count);
  for (std::size_t v = 0; v < count; ++v) {
    std::vector<nlohmann::json>& values = variants[v];
    values.reserve(sweep.parameters.size());
    if (sweep.mode == SweepMode::zip) {
      for (const SweepParameter& p : sweep.parameters) values.push_back(p.values[v]);
      continue;
    }
    // Mixed radix, the last parameter fastest: variant v's digit for parameter i.
    std::size_t rest = v;
    values.resize(sweep.parameters.size());
    for (std::size_t i = sweep.parameters.size(); i-- > 0;) {
      const std::size_t size = sweep.parameters[i].values.size();
      values[i] = sweep.parameters[i].values[rest % size];
      rest /= size;
    }
  }
  return variants;
}

std::string column_name(std::string_view pointer) {
  std::string out;
  for (std::size_t i = pointer.empty() || pointer[0] != '/' ? 0 : 1; i < pointer.size(); ++i) {
    if (pointer[i] == '/') {
      out.push_back('.');
    } else if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      out.push_back(pointer[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      out.push_back(pointer[i]);
    }
  }
  return out;
}

std::string variant_label(const Sweep& sweep, const std::vector<nlohmann::json>& values) {
  std::string label;
  for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
    if (i != 0) label += ", ";
    label += sweep.parameters[i].column + "=" + (values[i].is_string() ? values[i].get<std::string>() : values[i].dump());
  }
  return label;
}

}  // namespace dais::scenario
