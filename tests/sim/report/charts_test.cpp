#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sim/report/charts.hpp"
#include "sim/report/figures.hpp"

using namespace dais::report;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A results table as `dais run` writes it, two designs of two replicates.
Table table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
  return Table{"t.csv", std::move(header), std::move(rows)};
}

const Table runs = table({"run_id", "design", "replicate", "seed", "rule", "gini_rewards"},
                         {{"0", "rule=a", "0", "1", "a", "0.2"},
                          {"1", "rule=a", "1", "1", "a", "0.4"},
                          {"2", "rule=b", "0", "1", "b", "0.5"},
                          {"3", "rule=b", "1", "1", "b", "0.5"}});

}  // namespace

TEST_CASE("quantile interpolates between order statistics", "[report][charts]") {
  const std::vector<double> sorted{1, 2, 3, 4};
  CHECK(quantile(sorted, 0.0) == 1);
  CHECK(quantile(sorted, 0.25) == 1.75);
  CHECK(quantile(sorted, 0.5) == 2.5);
  CHECK(quantile(sorted, 1.0) == 4);
  CHECK(quantile(std::vector<double>{7}, 0.75) == 7);
}

TEST_CASE("designs are named by their sweep values", "[report][charts]") {
  const std::vector<std::string> sweep{"rule"};
  const Designs designs = batch_designs(runs, sweep);
  CHECK(designs.ids == std::vector<std::string>{"rule=a", "rule=b"});
  CHECK(designs.labels == std::vector<std::string>{"a", "b"});
  CHECK(batch_designs(runs, {}).labels == designs.ids);
  const std::vector<std::string> two{"rule", "gini_rewards"};
  CHECK(batch_designs(runs, two).labels == std::vector<std::string>{"a, 0.2", "b, 0.5"});
}

TEST_CASE("epoch bands are the mean over replicates with a Student-t interval per epoch", "[report][charts]") {
  const Table epochs = table({"run_id", "design", "replicate", "seed", "epoch", "active"},
                             {{"0", "rule=a", "0", "1", "0", "1"},
                              {"0", "rule=a", "0", "1", "1", "10"},
                              {"1", "rule=a", "1", "1", "0", "3"},
                              {"1", "rule=a", "1", "1", "1", "10"},
                              {"2", "rule=b", "0", "1", "0", "4"},
                              {"2", "rule=b", "0", "1", "1", "6"},
                              {"3", "rule=b", "1", "1", "0", "4"},
                              {"3", "rule=b", "1", "1", "1", "6"}});
  const std::vector<std::string> sweep{"rule"};
  const auto bands = epoch_bands(epochs, batch_designs(runs, sweep), "active", 0.95);
  REQUIRE(bands.size() == 2);
  CHECK(bands[0].label == "a");
  CHECK(bands[0].x == std::vector<double>{0, 1});
  // Epoch 0 of a: 1 and 3, mean 2, sd sqrt(2); t(1, 0.975) = 12.706204736174705, so 2 +- 12.7062...
  CHECK(bands[0].mean[0] == 2);
  CHECK(bands[0].low[0] == Approx(2 - 12.706204736174705));
  CHECK(bands[0].high[0] == Approx(2 + 12.706204736174705));
  // Identical replicates: a band of width zero.
  CHECK(bands[1].mean[1] == 6);
  CHECK(bands[1].low[1] == 6);
  CHECK(bands[1].high[1] == 6);
}

TEST_CASE("run intervals and agent values are grouped by design", "[report][charts]") {
  const std::vector<std::string> sweep{"rule"};
  const Designs designs = batch_designs(runs, sweep);
  const auto gini = run_intervals(runs, designs, "gini_rewards", 0.95);
  REQUIRE(gini.size() == 2);
  CHECK(gini[0].interval.mean == Approx(0.3));
  CHECK(gini[1].interval.low == 0.5);
  const Table agents = table({"run_id", "design", "role", "rewards_tokens"},
                             {{"0", "rule=a", "developer", "1.5"},
                              {"0", "rule=a", "data_provider", "2"},
                              {"2", "rule=b", "developer", "184.128566968894582428"}});
  const auto developers = agent_values(agents, designs, "developer", "rewards_tokens");
  CHECK(developers[0].values == std::vector<double>{1.5});
  CHECK(developers[1].values[0] == Approx(184.128566968894582428));
  CHECK(agents.distinct("role") == std::vector<std::string>{"developer", "data_provider"});
  const Table stranger = table({"run_id", "design", "role", "rewards_tokens"}, {{"9", "rule=z", "developer", "1"}});
  CHECK_THROWS_WITH(agent_values(stranger, designs, "developer", "rewards_tokens"),
                    "t.csv: line 2: expected a design of runs.csv, found \"rule=z\"");
}

TEST_CASE("a line chart draws a band and a line per design and escapes its text", "[report][charts]") {
  const BandSeries a{"<script>alert(1)</script>", {0, 1, 2}, {1, 2, 3}, {0.5, 1.5, 2.5}, {1.5, 2.5, 3.5}};
  const BandSeries b{"b & c", {0, 1, 2}, {2, 2, 2}, {NAN, NAN, NAN}, {NAN, NAN, NAN}};
  const std::string svg = line_chart_svg({"Active agents", "epoch", "agents"}, {a, b});
  CHECK(svg.rfind("<svg class=\"chart\"", 0) == 0);
  CHECK(svg.substr(svg.size() - 6) == "</svg>");
  CHECK(count(svg, "<polygon class=\"data band\"") == 2);
  CHECK(count(svg, "<polyline class=\"data series\"") == 2);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(svg.find("b &amp; c") != std::string::npos);
  CHECK(svg.find("<title>Active agents</title>") != std::string::npos);
  // An undefined interval closes the band onto the mean: no "nan" among the points.
  CHECK(svg.find(",nan") == std::string::npos);
  CHECK(svg.find("nan,") == std::string::npos);
  CHECK(line_chart_svg({"Active agents", "epoch", "agents"}, {a, b}) == svg);  // the same data, the same bytes
}

TEST_CASE("a box chart draws a box, whiskers and a median per design", "[report][charts]") {
  const std::string svg = box_chart_svg({"Final rewards", "rule", "tokens"}, {{"a", {1, 2, 3, 4}}, {"b", {5}}});
  CHECK(count(svg, "<rect class=\"data box\"") == 2);
  CHECK(count(svg, "<path class=\"data whisker\"") == 2);
  CHECK(count(svg, "<path class=\"data median\"") == 2);
  CHECK(svg.find(">a</text>") != std::string::npos);
}

TEST_CASE("an interval chart draws a mean per design and an interval where one is defined", "[report][charts]") {
  dais::metrics::MeanInterval with{4, 0.3, 0.2, 0.4};
  dais::metrics::MeanInterval without{1, 0.5, NAN, NAN};
  const std::string svg = interval_chart_svg({"Gini", "rule", "Gini"}, {{"a", with}, {"b", without}});
  CHECK(count(svg, "<circle class=\"data mean\"") == 2);
  CHECK(count(svg, "<path class=\"data interval\"") == 1);
}
