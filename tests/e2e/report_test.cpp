// End-to-end tests of `dais report`: the HTML of a real sweep, its comparison table against compare.csv,
// bad folders, and the page as Debian's headless Chromium renders it.

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <regex>
#include <string>

#include "sim/io/atomic_file.hpp"
#include "tests/e2e/cli_support.hpp"

namespace fs = std::filesystem;
using dais::test::read_table;
using dais::test::run_dais;
using dais::test::scratch_dir;
using dais::test::shell_quote;
using dais::test::shortened;

namespace {

const fs::path source_dir = DAIS_SOURCE_DIR;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The <svg>...</svg> elements of a page.
std::vector<std::string> svg_elements(const std::string& html) {
  std::vector<std::string> svgs;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1))
    svgs.push_back(html.substr(at, html.find("</svg>", at) + 6 - at));
  return svgs;
}

// Every chart has marks drawn from data: a polyline or a path with coordinates in it.
void check_charts_have_data(const std::string& html, std::size_t charts) {
  const auto svgs = svg_elements(html);
  CHECK(svgs.size() == charts);
  const std::regex data_mark(R"re(<(polyline|path) class="data [a-z]+"[^>]* (points|d)="[^"]*[0-9]+\.[0-9])re");
  for (const std::string& svg : svgs) {
    INFO(svg.substr(0, 300));
    CHECK(std::regex_search(svg, data_mark));
  }
}

// A short sweep of two designs x 3 replicates, run once for the tests of this file.
const fs::path& sweep_results() {
  static const fs::path out = [] {
    const fs::path dir = scratch_dir("report_sweep");
    const fs::path scenario = shortened(source_dir / "scenarios/compare_compute_rules.json", dir, "30d", 3);
    const auto run = run_dais({"run", scenario.string(), "--out", (dir / "out").string(), "--quiet", "--jobs", "2"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    return dir / "out";
  }();
  return out;
}

// Reads a PNG's width and height from its IHDR chunk.
std::array<std::uint32_t, 2> png_size(const std::string& png) {
  REQUIRE(png.size() > 24);
  REQUIRE(png.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  REQUIRE(png.substr(12, 4) == "IHDR");
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

// Debian's headless Chromium on a local page, with nothing fetched or kept; `mode` is --screenshot=FILE or --dump-dom.
dais::test::CliResult chromium(const std::string& mode, const fs::path& page, const fs::path& dir) {
  const fs::path profile = dir / ("profile" + std::to_string(count(mode, "s")));
  fs::remove_all(profile);
  const std::string command =
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
      "--disable-component-update --disable-sync --user-data-dir=" + shell_quote(profile.string()) + " " + shell_quote(mode) +
      " --window-size=1280,4000 " + shell_quote("file://" + fs::absolute(page).string()) + " >" +
      shell_quote((dir / "chromium.out").string()) + " 2>" + shell_quote((dir / "chromium.err").string());
  const int status = std::system(command.c_str());
  dais::test::CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = dais::io::read_file(dir / "chromium.out");
  r.err = dais::io::read_file(dir / "chromium.err");
  return r;
}

// 7 charts over epochs (no price without a token market), 3 roles' box plots, Gini / Nakamoto / HHI.
constexpr std::size_t sweep_charts = 7 + 3 + 3;

}  // namespace

TEST_CASE("dais report writes one self-contained page with the charts and compare's table", "[e2e][report]") {
  const fs::path out = sweep_results();
  const auto compare = run_dais({"compare", out.string(), "--by", "rewards.compute_provider.rule"});
  REQUIRE(compare.exit_code == 0);
  const auto report = run_dais({"report", out.string()});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  CHECK(report.out == "wrote " + (out / "report.html").string() + "\n");
  const std::string html = dais::io::read_file(out / "report.html");

  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<SCRIPT") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);  // no address of anything: no font, image or script fetched
  CHECK(html.find("url(") == std::string::npos);
  check_charts_have_data(html, sweep_charts);
  CHECK(count(html, "<polygon class=\"data band\"") == 7 * 2);  // a band per design in every chart over time
  CHECK(html.find("Final rewards per agent: compute_provider") != std::string::npos);

  // The table shows compare.csv's numbers, row for row (the exact values sit in data- attributes).
  const auto expected = read_table(out / "compare.csv");
  const std::regex row_pattern(
      R"re(<tr[^>]*><td class="name">([^<]*)</td><td class="name">([^<]*)</td><td data-value="([^"]*)">[^<]*</td>)re"
      R"re(<td data-value="([^"]*)">[^<]*</td><td data-value="([^"]*)">[^<]*</td><td data-value="([^"]*)">[^<]*</td>)re"
      R"re(<td data-low="([^"]*)" data-high="([^"]*)">[^<]*</td><td data-value="([^"]*)">)re");
  std::vector<std::smatch> rows;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), row_pattern); it != std::sregex_iterator(); ++it)
    rows.push_back(*it);
  REQUIRE(rows.size() == expected.size());
  REQUIRE(expected.size() > 10);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& e = expected[i];
    INFO(e.at("metric"));
    CHECK(rows[i][1] == e.at("metric"));
    CHECK(rows[i][2] == e.at("rewards.compute_provider.rule"));
    CHECK(rows[i][3] == e.at("pairs"));
    CHECK(rows[i][4] == e.at("baseline_mean"));
    CHECK(rows[i][5] == e.at("design_mean"));
    CHECK(rows[i][6] == e.at("difference"));
    CHECK(rows[i][7] == e.at("ci95_low"));
    CHECK(rows[i][8] == e.at("ci95_high"));
    CHECK(rows[i][9] == e.at("win_rate"));
  }

  // The same folder, the same bytes; --out and --metric as documented.
  const fs::path again = out.parent_path() / "again.html";
  REQUIRE(run_dais({"report", out.string(), "--out", again.string()}).exit_code == 0);
  CHECK(dais::io::read_file(again) == html);
  REQUIRE(run_dais({"report", out.string(), "--out", again.string(), "--metric", "gini_rewards"}).exit_code == 0);
  CHECK(count(dais::io::read_file(again), "<td class=\"name\">gini_rewards</td>") == 1);
  CHECK(count(dais::io::read_file(again), "<tr><td class=\"name\">") + count(dais::io::read_file(again), "<tr class=\"clear\">") == 1);
}

TEST_CASE("dais report of a batch without a sweep draws its one design and says why there is no table", "[e2e][report]") {
  const fs::path dir = scratch_dir("report_baseline");
  const fs::path scenario = shortened(source_dir / "scenarios/baseline.json", dir, "20d", 2);
  REQUIRE(run_dais({"run", scenario.string(), "--out", (dir / "out").string(), "--quiet"}).exit_code == 0);
  const auto report = run_dais({"report", (dir / "out").string(), "--out", (dir / "baseline.html").string()});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  const std::string html = dais::io::read_file(dir / "baseline.html");
  check_charts_have_data(html, sweep_charts);
  CHECK(html.find("<table") == std::string::npos);
  CHECK(html.find("this batch has no sweep") != std::string::npos);
  const auto by = run_dais({"report", (dir / "out").string(), "--by", "rule"});
  CHECK(by.exit_code == 2);
  CHECK_THAT(by.err, Catch::Contains("holds a batch without a sweep"));
  fs::remove_all(dir);
}

TEST_CASE("dais report refuses a folder that is not a results folder and a malformed table, exit 2", "[e2e][report]") {
  const fs::path dir = scratch_dir("report_bad");
  const auto not_results = run_dais({"report", dir.string()});
  CHECK(not_results.exit_code == 2);
  CHECK(not_results.err == "dais: " + dir.string() +
                               ": not a dais results folder: expected manifest.json (written by `dais run`), found none\n");
  const auto missing = run_dais({"report", (dir / "nowhere").string()});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("found no such folder"));

  // A real folder whose runs.csv lost a field, then whose agents.csv is gone.
  const fs::path out = dir / "out";
  fs::copy(sweep_results(), out, fs::copy_options::recursive);
  fs::remove(out / "report.html");
  const std::string runs = dais::io::read_file(out / "runs.csv");
  dais::io::write_file_atomically(out / "runs.csv", runs.substr(0, runs.rfind(',')) + "\n");
  const auto malformed = run_dais({"report", out.string()});
  CHECK(malformed.exit_code == 2);
  CHECK_THAT(malformed.err, Catch::Contains((out / "runs.csv").string() + ": line 7: expected ") &&
                                Catch::Contains(" fields as in the header, found "));
  dais::io::write_file_atomically(out / "runs.csv", runs);
  fs::remove(out / "agents.csv");
  const auto no_agents = run_dais({"report", out.string()});
  CHECK(no_agents.exit_code == 2);
  CHECK(no_agents.err == "dais: " + (out / "agents.csv").string() + ": expected the table `dais run` wrote, found no such file\n");
  CHECK_FALSE(fs::exists(out / "report.html"));
  fs::remove_all(dir);
}

TEST_CASE("headless Chromium renders the report with every chart's data", "[e2e][report][long]") {
  // CI installs chromium with scripts/install-deps.sh: its absence is a failure, not a skip.
  INFO("chromium is missing: scripts/install-deps.sh installs it (Debian package chromium)");
  REQUIRE(std::system("command -v chromium >/dev/null 2>&1") == 0);
  const fs::path out = sweep_results();
  const fs::path dir = out.parent_path() / "chromium";
  fs::create_directories(dir);
  REQUIRE(run_dais({"report", out.string(), "--out", (dir / "report.html").string()}).exit_code == 0);

  const auto dom = chromium("--dump-dom", dir / "report.html", dir);
  INFO(dom.err);
  REQUIRE(dom.exit_code == 0);
  // The DOM Chromium built: the SVG elements parsed as such, each chart with marks made from data.
  check_charts_have_data(dom.out, sweep_charts);
  CHECK(count(dom.out, "<polyline class=\"data series\"") == 7 * 2);
  CHECK(count(dom.out, "<rect class=\"data box\"") == 3 * 2);
  CHECK(count(dom.out, "<circle class=\"data mean\"") == 3 * 2);

  const fs::path png = dir / "report.png";
  const auto shot = chromium("--screenshot=" + png.string(), dir / "report.html", dir);
  INFO(shot.err);
  REQUIRE(shot.exit_code == 0);
  const std::string image = dais::io::read_file(png);
  CHECK(png_size(image) == std::array<std::uint32_t, 2>{1280, 4000});
  // Not blank: an empty page of the same size compresses to a few kilobytes, the charts to far more.
  dais::io::write_file_atomically(dir / "blank.html", "<!DOCTYPE html><html><body></body></html>");
  const fs::path blank_png = dir / "blank.png";
  REQUIRE(chromium("--screenshot=" + blank_png.string(), dir / "blank.html", dir).exit_code == 0);
  const std::string blank = dais::io::read_file(blank_png);
  CHECK(png_size(blank) == std::array<std::uint32_t, 2>{1280, 4000});
  CHECK(image.size() > 10 * blank.size());
  fs::remove_all(dir);
}
