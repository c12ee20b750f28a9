#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sim/report/comparison.hpp"
#include "sim/report/html.hpp"

using namespace dais::report;

namespace {

// Two designs of a rule, crossed with two rates; replicate 1 of (b, 0.2) failed to run.
const Table runs{"runs.csv",
                 {"run_id", "design", "replicate", "seed", "rule", "rate", "gini", "label", "fingerprint"},
                 {{"0", "rule=a,rate=0.1", "0", "1", "a", "0.1", "1.0", "x", "f0"},
                  {"1", "rule=a,rate=0.1", "1", "1", "a", "0.1", "2.0", "x", "f1"},
                  {"2", "rule=a,rate=0.2", "0", "1", "a", "0.2", "3.0", "x", "f2"},
                  {"3", "rule=a,rate=0.2", "1", "1", "a", "0.2", "4.0", "x", "f3"},
                  {"4", "rule=b,rate=0.1", "0", "1", "b", "0.1", "1.5", "x", "f4"},
                  {"5", "rule=b,rate=0.1", "1", "1", "b", "0.1", "3.0", "x", "f5"},
                  {"6", "rule=b,rate=0.2", "0", "1", "b", "0.2", "3.0", "x", "f6"}}};
const std::vector<std::string> sweep{"rule", "rate"};

}  // namespace

TEST_CASE("numeric outcomes leave out bookkeeping, sweep and text columns", "[report][comparison]") {
  CHECK(numeric_outcomes(runs, sweep) == std::vector<std::string>{"gini"});
}

TEST_CASE("designs are paired by replicate and by the other sweep columns", "[report][comparison]") {
  const std::vector<std::string> metrics{"gini"};
  const Comparison c = compare_designs(runs, sweep, "rule", "a", metrics, 0.95);
  CHECK(c.by == "rule");
  CHECK(c.baseline == "a");
  REQUIRE(c.rows.size() == 1);
  CHECK(c.rows[0].metric == "gini");
  CHECK(c.rows[0].design == "b");
  // Pairs (1.0, 1.5), (2.0, 3.0), (3.0, 3.0): differences 0.5, 1, 0; the unpaired run 3 left out.
  const auto& p = c.rows[0].paired;
  CHECK(p.pairs == 3);
  CHECK(p.baseline_mean == 2.0);
  CHECK(p.design_mean == 2.5);
  CHECK(p.mean_difference == 0.5);
  CHECK(p.win_rate == Approx(2.5 / 3));  // two wins and a tie
  // sd 0.5, t(2, 0.975) = 4.302652729749464: 0.5 +- 4.3026... * 0.5 / sqrt(3).
  CHECK(p.ci_high == Approx(0.5 + 4.302652729749464 * 0.5 / std::sqrt(3.0)));
  CHECK(format_statistic(p.mean_difference) == "0.5");
  CHECK(format_statistic(NAN) == "-");
  CHECK(format_statistic(1.0 / 3) == "0.333333");
}

TEST_CASE("the HTML report is one page without script or address, and says why a batch has no table", "[report][html]") {
  ResultsFolder folder{"results/x", {}, runs, std::nullopt, std::nullopt};
  folder.batch.name = "a <b> & \"c\"";
  folder.batch.sweep_columns = sweep;
  const std::vector<std::string> metrics{"gini"};
  const std::string with_table = render_report(folder, compare_designs(runs, sweep, "rule", "a", metrics, 0.95), 0.95);
  CHECK(with_table.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(with_table.find("<script") == std::string::npos);
  CHECK(with_table.find("http") == std::string::npos);
  CHECK(with_table.find("<h1>dais report: a &lt;b&gt; &amp; &quot;c&quot;</h1>") != std::string::npos);
  CHECK(with_table.find("<table class=\"compare\">") != std::string::npos);
  CHECK(with_table.find("<td data-value=\"0.5\">0.5</td>") != std::string::npos);
  CHECK(with_table.find("no epochs.csv") != std::string::npos);
  CHECK(render_report(folder, compare_designs(runs, sweep, "rule", "a", metrics, 0.95), 0.95) == with_table);

  folder.batch.sweep_columns.clear();
  const std::string without = render_report(folder, std::nullopt, 0.95);
  CHECK(without.find("<table") == std::string::npos);
  CHECK(without.find("this batch has no sweep") != std::string::npos);
}
