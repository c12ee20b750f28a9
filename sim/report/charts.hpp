#pragma once
// Three SVG charts for the report, each a complete <svg> element with a title, labelled axes, "nice" ticks
// and one colour per design (the same design has the same colour in every chart):
// lines with confidence bands over epochs, box plots of a distribution per design, means with intervals.

#include <string>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace dais::report {

struct ChartText {
  std::string title;
  std::string x_label;  // with its unit
  std::string y_label;
};

// One design's mean over time with the band of its confidence interval (low/high NaN: no band there).
struct BandSeries {
  std::string label;
  std::vector<double> x;
  std::vector<double> mean;
  std::vector<double> low;
  std::vector<double> high;
};
std::string line_chart_svg(const ChartText& text, const std::vector<BandSeries>& series);

// One design's sample, drawn as a box (quartiles), a median line and whiskers to the minimum and maximum.
struct BoxGroup {
  std::string label;
  std::vector<double> values;
};
std::string box_chart_svg(const ChartText& text, const std::vector<BoxGroup>& groups);

// One design's mean with its confidence interval.
struct IntervalGroup {
  std::string label;
  metrics::MeanInterval interval;
};
std::string interval_chart_svg(const ChartText& text, const std::vector<IntervalGroup>& groups);

// The colour of the i-th design (Okabe and Ito's palette, readable with colour blindness).
std::string design_colour(std::size_t index);

// The p-quantile of sorted values, interpolated between order statistics (Hyndman and Fan's type 7).
double quantile(const std::vector<double>& sorted, double p);

}  // namespace dais::report
