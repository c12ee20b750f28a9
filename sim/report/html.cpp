#include "sim/report/html.hpp"

#include <fmt/format.h>

#include <array>

#include "sim/report/charts.hpp"
#include "sim/report/figures.hpp"
#include "sim/report/svg.hpp"

namespace dais::report {

namespace {

constexpr const char* style = R"(
body { font-family: sans-serif; margin: 24px; color: #222; background: #fff; max-width: 1260px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }
p.meta, p.note { color: #444; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg.chart { border: 1px solid #ddd; background: #fff; }
svg.chart text { font-size: 12px; fill: #222; }
svg.chart text.title { font-size: 14px; font-weight: bold; }
svg.chart .grid { stroke: #e4e4e4; } svg.chart .axis { stroke: #444; }
svg.chart .band { fill-opacity: 0.2; stroke: none; }
svg.chart .series { fill: none; stroke-width: 2; }
svg.chart .box { fill-opacity: 0.25; } svg.chart .whisker, svg.chart .interval { fill: none; stroke-width: 1.5; }
svg.chart .median { stroke: #222; stroke-width: 2; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f2f2f2; } td.name { text-align: left; }
tr.clear td { font-weight: bold; }
)";

// A chart over epochs, when epochs.csv has its column.
struct EpochChart {
  const char* column;
  const char* title;
  const char* unit;
};
constexpr std::array<EpochChart, 8> epoch_charts = {{
    {"active", "Active agents", "agents"},
    {"retention", "Retention", "share of the previous epoch's agents still active"},
    {"gini_rewards", "Gini of cumulative rewards", "Gini (0: equal, 1: one agent has all)"},
    {"nakamoto_50", "Nakamoto coefficient (50%)", "agents that hold half the rewards"},
    {"hhi_rewards", "HHI of cumulative rewards", "HHI (0 to 10,000)"},
    {"mean_profit_tokens", "Mean smoothed profit", "tokens per epoch"},
    {"supply_tokens", "Token supply", "tokens"},
    {"price", "Token price", "quote currency per token"},
}};

// The run-level measures of concentration, at the end of each run.
constexpr std::array<EpochChart, 3> concentration_charts = {{
    {"gini_rewards", "Gini of rewards at the end", "Gini (0: equal, 1: one agent has all)"},
    {"nakamoto_50", "Nakamoto coefficient (50%) at the end", "agents that hold half the rewards"},
    {"hhi_rewards", "HHI of rewards at the end", "HHI (0 to 10,000)"},
}};

std::string comparison_table(const Comparison& comparison) {
  const std::string level = fmt::format("{}", comparison.confidence * 100);
  std::string html = fmt::format(
      "<p>Each design against the baseline <b>{}</b> = <b>{}</b>, paired by replicate (the same random numbers): the "
      "mean paired difference design &#8722; baseline with its {}% Student-t interval, and the win rate (the share of "
      "pairs where the design is higher; a tie counts half). Rows in bold have an interval that excludes 0. The same "
      "table as <code>dais compare</code> writes to compare.csv.</p>\n",
      escape_xml(comparison.by), escape_xml(comparison.baseline), level);
  html += fmt::format(
      "<table class=\"compare\">\n<tr><th>metric</th><th>{}</th><th>pairs</th><th>baseline mean</th><th>design mean</th>"
      "<th>difference</th><th>{}% interval</th><th>win rate</th></tr>\n",
      escape_xml(comparison.by), level);
  // data-value: the exact number, as compare.csv writes it; the text shows 6 digits.
  const auto cell = [](double value) {
    return fmt::format("<td data-value=\"{}\">{}</td>", value, format_statistic(value));
  };
  for (const DesignComparison& row : comparison.rows) {
    const metrics::PairedComparison& p = row.paired;
    const bool clear = p.ci_low > 0 || p.ci_high < 0;
    html += fmt::format("<tr{}><td class=\"name\">{}</td><td class=\"name\">{}</td><td data-value=\"{}\">{}</td>",
                        clear ? " class=\"clear\"" : "", escape_xml(row.metric), escape_xml(row.design), p.pairs, p.pairs);
    html += cell(p.baseline_mean) + cell(p.design_mean) + cell(p.mean_difference);
    html += fmt::format("<td data-low=\"{}\" data-high=\"{}\">[{}, {}]</td>", p.ci_low, p.ci_high, format_statistic(p.ci_low),
                        format_statistic(p.ci_high));
    html += fmt::format("<td data-value=\"{}\">{:.2f}</td></tr>\n", p.win_rate, p.win_rate);
  }
  return html + "</table>\n";
}

}  // namespace

std::string render_report(const ResultsFolder& results, const std::optional<Comparison>& comparison, double confidence) {
  const BatchInfo& batch = results.batch;
  const Designs designs = batch_designs(results.runs, batch.sweep_columns);
  const std::string name = batch.name.empty() ? results.folder.filename().string() : batch.name;
  const std::string level = fmt::format("{}", confidence * 100);
  std::string sweep;
  for (const std::string& c : batch.sweep_columns) sweep += (sweep.empty() ? "" : ", ") + c;
  const std::string design_axis = sweep.empty() ? std::string("design") : sweep;

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>dais report: {}</title>\n<style>{}</style>\n</head>\n<body>\n", escape_xml(name), style);
  html += fmt::format("<h1>dais report: {}</h1>\n", escape_xml(name));
  html += fmt::format("<p class=\"meta\">{} runs: {} design{} &#215; {} replicate{}{}. Bands and intervals: {}% Student-t "
                      "intervals of the mean over replicates.</p>\n",
                      results.runs.rows.size(), designs.ids.size(), designs.ids.size() == 1 ? "" : "s", batch.replicates,
                      batch.replicates == 1 ? "" : "s", sweep.empty() ? ", no sweep" : ", sweep over " + escape_xml(sweep),
                      level);

  if (results.epochs) {
    const std::string x_label = batch.epoch.empty() ? "epoch" : "epoch (" + batch.epoch + " each)";
    html += "<h2>Over time</h2>\n<div class=\"charts\">\n";
    for (const EpochChart& chart : epoch_charts)
      if (results.epochs->find(chart.column))
        html += line_chart_svg({chart.title, x_label, chart.unit}, epoch_bands(*results.epochs, designs, chart.column, confidence)) +
                "\n";
    html += "</div>\n";
  } else {
    html += "<h2>Over time</h2>\n<p class=\"note\">This batch wrote no epochs.csv (outputs.epochs is off).</p>\n";
  }

  html += "<h2>Final rewards by role</h2>\n";
  if (results.agents) {
    html += "<p class=\"note\">Each agent's cumulative rewards at the end of its run, every replicate's agents together: "
            "boxes from the first to the third quartile, the median across, whiskers to the minimum and maximum.</p>\n"
            "<div class=\"charts\">\n";
    for (const std::string& role : results.agents->distinct("role"))
      html += box_chart_svg({"Final rewards per agent: " + role, design_axis, "tokens per agent"},
                            agent_values(*results.agents, designs, role, "rewards_tokens")) +
              "\n";
    html += "</div>\n";
  } else {
    html += "<p class=\"note\">This batch wrote no agents.csv (outputs.agents is off).</p>\n";
  }

  html += "<h2>Concentration</h2>\n<div class=\"charts\">\n";
  for (const EpochChart& chart : concentration_charts)
    if (results.runs.find(chart.column))
      html += interval_chart_svg({chart.title, design_axis, chart.unit}, run_intervals(results.runs, designs, chart.column, confidence)) +
              "\n";
  html += "</div>\n";

  html += "<h2>Paired comparison</h2>\n";
  if (comparison)
    html += comparison_table(*comparison);
  else
    html += "<p class=\"note\">No table: this batch has no sweep, so it holds one design and nothing to compare it with. "
            "A scenario with a <code>sweep</code> over a rule or parameter runs several designs on the same random "
            "numbers; its report compares them here.</p>\n";
  return html + "</body>\n</html>\n";
}

}  // namespace dais::report
