#pragma once
// The pieces SVG charts are drawn with: escaped text, "nice" axis ticks, linear scales, band polygons.
// Numbers are written with one decimal, so the same data always gives the same bytes.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dais::report {

// Text safe inside XML or HTML elements and quoted attributes: & < > " ' escaped.
std::string escape_xml(std::string_view text);

// Axis ticks at a step of 1, 2 or 5 times a power of ten, at most `max_count` of them, over [low, high]
// widened outward to whole steps. An empty range (low == high) is widened around its value first.
struct Ticks {
  double low = 0.0;   // the axis's extent: low <= every value <= high
  double high = 1.0;
  double step = 1.0;
  std::vector<double> values;  // low, low + step, ..., high
};
Ticks nice_ticks(double low, double high, int max_count = 6);

// The ticks' labels: as many decimals as the step needs; an axis reaching 10,000 counts in k, one reaching
// 1,000,000 in M.
std::vector<std::string> tick_labels(const Ticks& ticks);

// Maps a data interval onto a pixel interval (reversed for y, where pixels grow downwards).
class LinearScale {
 public:
  LinearScale(double domain_low, double domain_high, double range_low, double range_high)
      : domain_low_(domain_low), domain_high_(domain_high), range_low_(range_low), range_high_(range_high) {}
  [[nodiscard]] double operator()(double value) const {
    return range_low_ + (value - domain_low_) / (domain_high_ - domain_low_) * (range_high_ - range_low_);
  }

 private:
  double domain_low_, domain_high_, range_low_, range_high_;
};

struct Point {
  double x = 0.0;
  double y = 0.0;
};

// A confidence band's outline: along the upper bounds from left to right, then back along the lower ones.
std::vector<Point> band_polygon(std::span<const double> xs, std::span<const double> lows, std::span<const double> highs,
                                const LinearScale& x, const LinearScale& y);

// "x1,y1 x2,y2 ..." for a points attribute, one decimal each.
std::string points_attribute(std::span<const Point> points);

// A pixel coordinate with one decimal ("12.5"); -0.0 written as "0.0".
std::string pixel(double value);

}  // namespace dais::report
