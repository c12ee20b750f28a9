#include "sim/report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace dais::report {

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Ticks nice_ticks(double low, double high, int max_count) {
  if (!std::isfinite(low) || !std::isfinite(high) || low > high || max_count < 2)
    throw std::invalid_argument("nice_ticks: expected finite low <= high and at least two ticks");
  if (low == high) {
    // One value: a range around it that still shows its magnitude.
    const double half = low == 0.0 ? 1.0 : std::abs(low) * 0.1;
    low -= half;
    high += half;
  }
  const double rough = (high - low) / (max_count - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  Ticks ticks;
  for (const double factor : std::array{1.0, 2.0, 5.0, 10.0}) {
    ticks.step = factor * magnitude;
    // A value on a step (0.94 / 0.02 = 46.999...) counts as on it, not one step further out.
    ticks.low = std::floor(low / ticks.step + 1e-9) * ticks.step;
    ticks.high = std::ceil(high / ticks.step - 1e-9) * ticks.step;
    if (std::lround((ticks.high - ticks.low) / ticks.step) + 1 <= max_count) break;
  }
  const long count = std::lround((ticks.high - ticks.low) / ticks.step) + 1;
  const long first = std::lround(ticks.low / ticks.step);
  for (long i = 0; i < count; ++i) {
    // From whole multiples of the step, so 0.1 * 3 does not drift into 0.30000000000000004.
    const double value = static_cast<double>(first + i) * ticks.step;
    ticks.values.push_back(value == 0.0 ? 0.0 : value);
  }
  return ticks;
}

std::vector<std::string> tick_labels(const Ticks& ticks) {
  // One unit for the whole axis, so 5000 and 10k never stand side by side.
  const double size = std::max(std::abs(ticks.low), std::abs(ticks.high));
  const char* suffix = size >= 1e6 ? "M" : size >= 1e4 ? "k" : "";
  const double unit = size >= 1e6 ? 1e6 : size >= 1e4 ? 1e3 : 1.0;
  const double scaled_step = ticks.step / unit;
  const int decimals = scaled_step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9));
  std::vector<std::string> labels;
  for (double value : ticks.values) {
    if (std::abs(value) < ticks.step / 2) value = 0.0;  // zero, not "-0.0" from a rounding residue
    labels.push_back(fmt::format("{:.{}f}{}", value / unit, decimals, suffix));
  }
  return labels;
}

std::vector<Point> band_polygon(std::span<const double> xs, std::span<const double> lows, std::span<const double> highs,
                                const LinearScale& x, const LinearScale& y) {
  if (lows.size() != xs.size() || highs.size() != xs.size())
    throw std::invalid_argument("band_polygon: expected one low and one high per x");
  std::vector<Point> outline;
  outline.reserve(2 * xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) outline.push_back({x(xs[i]), y(highs[i])});
  for (std::size_t i = xs.size(); i-- > 0;) outline.push_back({x(xs[i]), y(lows[i])});
  return outline;
}

std::string pixel(double value) {
  std::string text = fmt::format("{:.1f}", value);
  return text == "-0.0" ? "0.0" : text;
}

std::string points_attribute(std::span<const Point> points) {
  std::string text;
  for (const Point& p : points) {
    if (!text.empty()) text += ' ';
    text += pixel(p.x) + ',' + pixel(p.y);
  }
  return text;
}

}  // namespace dais::report
