#include "sim/report/charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/report/svg.hpp"

namespace dais::report {

namespace {

constexpr double width = 600;
constexpr double height = 360;
constexpr double left = 72;
constexpr double right = width - 16;
constexpr double bottom = height - 56;
constexpr double char_width = 6.6;  // of the 12px sans-serif labels, to fit legends and category names
constexpr double legend_row = 18;

// At most `chars` characters, the last replaced by an ellipsis when cut; never splits a UTF-8 sequence.
std::string shortened(const std::string& text, std::size_t chars) {
  if (text.size() <= chars) return text;
  std::size_t cut = chars - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

// The extent of finite values; [0, 1] when there are none.
struct Extent {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  [[nodiscard]] Ticks ticks(int max_count) const { return low <= high ? nice_ticks(low, high, max_count) : nice_ticks(0, 1, max_count); }
};

// The chart's frame: the <svg> element, title, legend, axis labels, and the plot area below the legend.
class Frame {
 public:
  Frame(const ChartText& text, const std::vector<std::string>& legend) {
    // Legend items flow left to right and wrap, each a swatch and its label.
    std::vector<std::array<double, 2>> at;
    double x = left;
    double y = 44;
    for (const std::string& label : legend) {
      const double item = 22 + char_width * static_cast<double>(shortened(label, 40).size()) + 14;
      if (x > left && x + item > right) {
        x = left;
        y += legend_row;
      }
      at.push_back({x, y});
      x += item;
    }
    top_ = legend.empty() ? 44 : y + 16;
    svg_ = fmt::format(R"(<svg class="chart" viewBox="0 0 {0} {1}" width="{0}" height="{1}" role="img">)", width, height);
    svg_ += fmt::format("<title>{}</title>", escape_xml(text.title));
    svg_ += fmt::format(R"(<text class="title" x="{}" y="22">{}</text>)", pixel(left), escape_xml(text.title));
    for (std::size_t i = 0; i < legend.size(); ++i) {
      svg_ += fmt::format(R"(<rect class="swatch" x="{}" y="{}" width="14" height="10" fill="{}"/>)", pixel(at[i][0]),
                          pixel(at[i][1] - 9), design_colour(i));
      svg_ += fmt::format(R"(<text class="legend" x="{}" y="{}">{}</text>)", pixel(at[i][0] + 20), pixel(at[i][1]),
                          escape_xml(shortened(legend[i], 40)));
    }
    svg_ += fmt::format(R"(<text class="axis-label" x="{}" y="{}" text-anchor="middle">{}</text>)", pixel((left + right) / 2),
                        pixel(height - 10), escape_xml(text.x_label));
    const double middle = (top_ + bottom) / 2;
    svg_ += fmt::format(R"svg(<text class="axis-label" x="16" y="{0}" text-anchor="middle" transform="rotate(-90 16 {0})">{1}</text>)svg",
                        pixel(middle), escape_xml(text.y_label));
  }

  [[nodiscard]] double top() const { return top_; }

  // Horizontal grid lines and labels at the y ticks.
  void y_axis(const Ticks& ticks, const LinearScale& y) {
    const std::vector<std::string> labels = tick_labels(ticks);
    for (std::size_t i = 0; i < ticks.values.size(); ++i) {
      const std::string at = pixel(y(ticks.values[i]));
      svg_ += fmt::format(R"(<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>)", pixel(left), pixel(right), at, at);
      svg_ += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>)",
                          pixel(left - 6), at, labels[i]);
    }
  }

  // Labels under the plot at the x ticks.
  void x_axis(const Ticks& ticks, const LinearScale& x) {
    const std::vector<std::string> labels = tick_labels(ticks);
    for (std::size_t i = 0; i < ticks.values.size(); ++i)
      x_label(x(ticks.values[i]), labels[i]);
  }

  void x_label(double x, const std::string& label) {
    svg_ += fmt::format(R"(<line class="axis" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", pixel(x), pixel(bottom), pixel(bottom + 4));
    svg_ += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)", pixel(x), pixel(bottom + 18),
                        escape_xml(label));
  }

  void append(const std::string& element) { svg_ += element; }

  std::string close() {
    svg_ += fmt::format(R"(<line class="axis" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>)", pixel(left), pixel(right), pixel(bottom));
    svg_ += "</svg>";
    return std::move(svg_);
  }

 private:
  std::string svg_;
  double top_ = 44;
};

// Category positions along x: the centre of each of n equal slots.
double slot_centre(std::size_t i, std::size_t n) {
  return left + (static_cast<double>(i) + 0.5) * (right - left) / static_cast<double>(n);
}

// A chart of one slot per group (design) along x, labelled under the slots (shortened to fit), and a value axis
// over what `add_values(group, extent)` adds of each group.
struct CategoryPlot {
  Frame frame;
  LinearScale y;
};
template <class Group, class AddValues>
CategoryPlot category_plot(const ChartText& text, const std::vector<Group>& groups, AddValues add_values) {
  Extent ys;
  std::vector<std::string> labels;
  for (const Group& g : groups) {
    labels.push_back(g.label);
    add_values(g, ys);
  }
  Frame frame(text, {});
  const Ticks y_ticks = ys.ticks(6);
  const LinearScale y(y_ticks.low, y_ticks.high, bottom, frame.top());
  frame.y_axis(y_ticks, y);
  const double slot = (right - left) / static_cast<double>(labels.size());
  const auto chars = static_cast<std::size_t>(std::max(4.0, slot / char_width));
  for (std::size_t i = 0; i < labels.size(); ++i) frame.x_label(slot_centre(i, labels.size()), shortened(labels[i], chars));
  return {std::move(frame), y};
}

}  // namespace

std::string design_colour(std::size_t index) {
  static constexpr std::array<const char*, 7> palette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                         "#E69F00", "#56B4E9", "#000000"};
  return palette[index % palette.size()];
}

double quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("quantile: no values");
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::string line_chart_svg(const ChartText& text, const std::vector<BandSeries>& series) {
  std::vector<std::string> legend;
  Extent xs;
  Extent ys;
  for (const BandSeries& s : series) {
    legend.push_back(s.label);
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xs.add(s.x[i]);
      ys.add(s.mean[i]);
      ys.add(s.low[i]);
      ys.add(s.high[i]);
    }
  }
  Frame frame(text, legend);
  const Ticks x_ticks = xs.ticks(8);
  const Ticks y_ticks = ys.ticks(6);
  const LinearScale x(x_ticks.low, x_ticks.high, left, right);
  const LinearScale y(y_ticks.low, y_ticks.high, bottom, frame.top());
  frame.y_axis(y_ticks, y);
  frame.x_axis(x_ticks, x);
  for (std::size_t d = 0; d < series.size(); ++d) {
    const BandSeries& s = series[d];
    // Where an interval is undefined (a single replicate) the band closes onto the mean.
    std::vector<double> low(s.low);
    std::vector<double> high(s.high);
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (std::isnan(low[i])) low[i] = s.mean[i];
      if (std::isnan(high[i])) high[i] = s.mean[i];
    }
    frame.append(fmt::format(R"(<polygon class="data band" fill="{}" points="{}"/>)", design_colour(d),
                             points_attribute(band_polygon(s.x, low, high, x, y))));
  }
  for (std::size_t d = 0; d < series.size(); ++d) {
    std::vector<Point> line;
    for (std::size_t i = 0; i < series[d].x.size(); ++i) line.push_back({x(series[d].x[i]), y(series[d].mean[i])});
    frame.append(fmt::format(R"(<polyline class="data series" stroke="{}" points="{}"/>)", design_colour(d),
                             points_attribute(line)));
  }
  return frame.close();
}

std::string box_chart_svg(const ChartText& text, const std::vector<BoxGroup>& groups) {
  auto [frame, y] = category_plot(text, groups, [](const BoxGroup& g, Extent& ys) {
    for (double v : g.values) ys.add(v);
  });
  const double half = std::min(40.0, (right - left) / static_cast<double>(groups.size()) / 4);
  for (std::size_t d = 0; d < groups.size(); ++d) {
    std::vector<double> sorted(groups[d].values);
    std::sort(sorted.begin(), sorted.end());
    if (sorted.empty()) continue;
    const double c = slot_centre(d, groups.size());
    const double q1 = y(quantile(sorted, 0.25));
    const double q3 = y(quantile(sorted, 0.75));
    const std::string colour = design_colour(d);
    frame.append(fmt::format(R"(<rect class="data box" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>)",
                             pixel(c - half), pixel(q3), pixel(2 * half), pixel(q1 - q3), colour, colour));
    // Whiskers to the extremes, caps, and the median across the box.
    frame.append(fmt::format(
        R"(<path class="data whisker" stroke="{0}" d="M{1} {2}V{3}M{1} {4}V{5}M{6} {2}H{7}M{6} {5}H{7}"/>)", colour, pixel(c),
        pixel(y(sorted.back())), pixel(q3), pixel(q1), pixel(y(sorted.front())), pixel(c - half / 2), pixel(c + half / 2)));
    frame.append(fmt::format(R"(<path class="data median" d="M{} {}H{}"/>)", pixel(c - half),
                             pixel(y(quantile(sorted, 0.5))), pixel(c + half)));
  }
  return frame.close();
}

std::string interval_chart_svg(const ChartText& text, const std::vector<IntervalGroup>& groups) {
  auto [frame, y] = category_plot(text, groups, [](const IntervalGroup& g, Extent& ys) {
    ys.add(g.interval.mean);
    ys.add(g.interval.low);
    ys.add(g.interval.high);
  });
  for (std::size_t d = 0; d < groups.size(); ++d) {
    const metrics::MeanInterval& m = groups[d].interval;
    const double c = slot_centre(d, groups.size());
    const std::string colour = design_colour(d);
    if (!std::isnan(m.low))
      frame.append(fmt::format(R"(<path class="data interval" stroke="{0}" d="M{1} {2}V{3}M{4} {2}H{5}M{4} {3}H{5}"/>)", colour,
                               pixel(c), pixel(y(m.high)), pixel(y(m.low)), pixel(c - 8), pixel(c + 8)));
    frame.append(fmt::format(R"(<circle class="data mean" cx="{}" cy="{}" r="5" fill="{}"/>)", pixel(c), pixel(y(m.mean)),
                             colour));
  }
  return frame.close();
}

}  // namespace dais::report
