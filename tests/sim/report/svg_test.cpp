#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "sim/report/svg.hpp"

using dais::report::band_polygon;
using dais::report::escape_xml;
using dais::report::LinearScale;
using dais::report::nice_ticks;
using dais::report::points_attribute;
using dais::report::tick_labels;

TEST_CASE("escape_xml escapes the five characters that end text or an attribute", "[report][svg]") {
  CHECK(escape_xml(R"(<a href="x">Tom & Jerry's</a>)") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(escape_xml("plain text 0.5") == "plain text 0.5");
  CHECK(escape_xml("\xc3\xa9") == "\xc3\xa9");  // UTF-8 passes through
}

TEST_CASE("nice_ticks picks the smallest 1-2-5 step that fits and widens the axis to whole steps", "[report][svg]") {
  // 97 / 5 = 19.4: a step of 10 would need 11 ticks, 20 needs 6 (0 to 100).
  const auto t = nice_ticks(0, 97, 6);
  CHECK(t.step == 20);
  CHECK(t.low == 0);
  CHECK(t.high == 100);
  CHECK(t.values == std::vector<double>{0, 20, 40, 60, 80, 100});
  CHECK(tick_labels(t) == std::vector<std::string>{"0", "20", "40", "60", "80", "100"});

  // Across zero: a step of 2 would need 7 ticks from -4 to 8, so 5 it is.
  const auto across = nice_ticks(-3, 7, 6);
  CHECK(across.values == std::vector<double>{-5, 0, 5, 10});

  // Decimals as the step needs them, without drift (48 * 0.02, not 0.96000000000000008 written out).
  const auto share = nice_ticks(0.94, 1.04, 6);
  CHECK(share.step == Approx(0.02));
  CHECK(share.values.size() == 6);
  CHECK(tick_labels(share) == std::vector<std::string>{"0.94", "0.96", "0.98", "1.00", "1.02", "1.04"});
}

TEST_CASE("tick labels count in k or M for the whole axis", "[report][svg]") {
  CHECK(tick_labels(nice_ticks(0, 45000, 6)) == std::vector<std::string>{"0k", "10k", "20k", "30k", "40k", "50k"});
  CHECK(tick_labels(nice_ticks(1.1e6, 2.6e6, 6)) == std::vector<std::string>{"1.0M", "1.5M", "2.0M", "2.5M", "3.0M"});
  CHECK(tick_labels(nice_ticks(0, 8000, 6)) == std::vector<std::string>{"0", "2000", "4000", "6000", "8000"});
}

TEST_CASE("nice_ticks widens a single value and refuses a reversed range", "[report][svg]") {
  const auto one = nice_ticks(5, 5, 6);
  CHECK(one.low <= 4.5);
  CHECK(one.high >= 5.5);
  CHECK(one.values.size() <= 6);
  const auto zero = nice_ticks(0, 0, 6);
  CHECK(zero.low == -1);
  CHECK(zero.high == 1);
  CHECK_THROWS_AS(nice_ticks(2, 1, 6), std::invalid_argument);
}

TEST_CASE("a linear scale maps the domain onto pixels, y growing downwards", "[report][svg]") {
  const LinearScale y(0, 100, 300, 50);
  CHECK(y(0) == 300);
  CHECK(y(100) == 50);
  CHECK(y(25) == 237.5);
}

TEST_CASE("a band polygon runs along the upper bounds and back along the lower ones", "[report][svg]") {
  const std::vector<double> xs{0, 1, 2};
  const std::vector<double> lows{1, 2, 3};
  const std::vector<double> highs{3, 5, 4};
  const LinearScale x(0, 2, 100, 300);  // 100 px per unit
  const LinearScale y(0, 10, 200, 0);   // 20 px per unit, upwards
  // Upper: (100, 200 - 3*20), (200, 200 - 5*20), (300, 200 - 4*20); lower from the right: 3, 2, 1.
  CHECK(points_attribute(band_polygon(xs, lows, highs, x, y)) ==
        "100.0,140.0 200.0,100.0 300.0,120.0 300.0,140.0 200.0,160.0 100.0,180.0");
  CHECK_THROWS_AS(band_polygon(xs, std::vector<double>{1}, highs, x, y), std::invalid_argument);
}
