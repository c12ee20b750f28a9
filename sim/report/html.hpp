#pragma once
// The report of a results folder as one self-contained HTML page: inline CSS and inline SVG charts, no
// script and no address of anything to fetch, so it reads the same in any browser, offline. The same
// folder gives the same bytes.

#include <optional>
#include <string>

#include "sim/report/comparison.hpp"
#include "sim/report/results.hpp"

namespace dais::report {

// `comparison` is absent for a batch without a sweep: the page then says why there is no table.
// `confidence` is the level of the charts' bands and intervals.
std::string render_report(const ResultsFolder& results, const std::optional<Comparison>& comparison, double confidence);

}  // namespace dais::report
