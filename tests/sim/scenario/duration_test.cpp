#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/scenario.hpp"

using dais::core::SimTime;
using dais::scenario::format_duration;
using dais::scenario::parse_duration;

namespace {

constexpr SimTime::rep us = 1;
constexpr SimTime::rep ms = 1000;
constexpr SimTime::rep s = SimTime::ticks_per_second;
constexpr SimTime::rep minute = 60 * s;
constexpr SimTime::rep hour = 3600 * s;
constexpr SimTime::rep day = SimTime::ticks_per_day;
constexpr SimTime::rep week = 7 * day;
constexpr SimTime::rep year = 365 * day;

// The ticks of a parsed duration, or -1 when it does not parse (no valid duration is negative).
SimTime::rep ticks(std::string_view text) {
  const std::optional<SimTime> d = parse_duration(text);
  return d ? d->ticks() : -1;
}

SimTime t(SimTime::rep ticks) { return SimTime::from_ticks(ticks); }

}  // namespace

TEST_CASE("every duration unit parses to its number of microseconds", "[scenario][duration]") {
  CHECK(ticks("1us") == 1);
  CHECK(ticks("1ms") == 1'000);
  CHECK(ticks("1s") == 1'000'000);
  CHECK(ticks("1min") == 60'000'000);
  CHECK(ticks("1h") == 3'600'000'000);
  CHECK(ticks("1d") == 86'400'000'000);
  CHECK(ticks("1w") == 604'800'000'000);
  CHECK(ticks("1y") == 31'536'000'000'000);  // 365 days, no leap years
  CHECK(ticks("12s") == 12 * s);
  CHECK(ticks("30min") == 30 * minute);
  CHECK(ticks("500ms") == 500 * ms);
  CHECK(ticks("10us") == 10 * us);
  CHECK(ticks("2w") == 14 * day);
  CHECK(ticks("0s") == 0);
  CHECK(ticks("0us") == 0);
  CHECK(ticks("007d") == 7 * day);
}

TEST_CASE("a decimal duration is exact when it is a whole number of microseconds", "[scenario][duration]") {
  CHECK(ticks("1.5h") == 5400 * s);
  CHECK(ticks("0.5ms") == 500 * us);
  CHECK(ticks("0.25d") == 6 * hour);
  CHECK(ticks("1.5min") == 90 * s);
  CHECK(ticks("0.000001s") == 1 * us);
  CHECK(ticks("2.000s") == 2 * s);
  CHECK(ticks("0.1y") == 36 * day + 12 * hour);  // 36.5 days
  CHECK(ticks("1.000000000000000000s") == 1 * s);  // 18 decimal places
}

TEST_CASE("a duration finer than a microsecond is refused rather than rounded", "[scenario][duration]") {
  CHECK_FALSE(parse_duration("0.5us"));
  CHECK_FALSE(parse_duration("1.5us"));
  CHECK_FALSE(parse_duration("0.0000005s"));
  CHECK_FALSE(parse_duration("0.0001ms"));
  CHECK_FALSE(parse_duration("1.0000001s"));
}

TEST_CASE("a duration without a number, without a unit or with an unknown unit is refused", "[scenario][duration]") {
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("12"));       // no unit
  CHECK_FALSE(parse_duration("1.5"));      // no unit
  CHECK_FALSE(parse_duration("s"));        // no number
  CHECK_FALSE(parse_duration("min"));      // no number
  CHECK_FALSE(parse_duration("12x"));      // unknown unit
  CHECK_FALSE(parse_duration("1m"));       // minutes are "min": "m" could be months
  CHECK_FALSE(parse_duration("1sec"));
  CHECK_FALSE(parse_duration("1hr"));
  CHECK_FALSE(parse_duration("1day"));
  CHECK_FALSE(parse_duration("1S"));       // units are lower case
  CHECK_FALSE(parse_duration("1D"));
  CHECK_FALSE(parse_duration("1ns"));
  CHECK_FALSE(parse_duration("1e3s"));     // no exponents
  CHECK_FALSE(parse_duration("1d2h"));     // one number and one unit
  CHECK_FALSE(parse_duration(".5s"));      // a digit before the point
  CHECK_FALSE(parse_duration("5.s"));      // and after it
  CHECK_FALSE(parse_duration("1..5s"));
  CHECK_FALSE(parse_duration("1.2.3s"));
  CHECK_FALSE(parse_duration("1,5s"));
}

TEST_CASE("a duration with spaces or a sign is refused", "[scenario][duration]") {
  CHECK_FALSE(parse_duration("12 s"));
  CHECK_FALSE(parse_duration(" 12s"));
  CHECK_FALSE(parse_duration("12s "));
  CHECK_FALSE(parse_duration("1 d"));
  CHECK_FALSE(parse_duration("-1s"));
  CHECK_FALSE(parse_duration("-0s"));
  CHECK_FALSE(parse_duration("+1s"));
}

TEST_CASE("a duration beyond the clock's range is refused, the largest one that fits is not", "[scenario][duration]") {
  // 2^63 - 1 microseconds is 292,471.2 years.
  CHECK(ticks("292471y") == 292471 * year);
  CHECK_FALSE(parse_duration("292472y"));
  CHECK(ticks("9223372036854775807us") == SimTime::max().ticks());
  CHECK_FALSE(parse_duration("9223372036854775808us"));
  CHECK_FALSE(parse_duration("106751992d"));  // 2^63 us is 106,751,991.17 days
  CHECK(ticks("106751991d") == 106751991 * day);
  // Too large for 128 bits before the unit is even applied.
  CHECK_FALSE(parse_duration("999999999999999999999999999999999999999999s"));
  // The multiplication by the unit overflows 128 bits.
  CHECK_FALSE(parse_duration("99999999999999999999999999y"));
}

TEST_CASE("format_duration picks the largest unit that divides the duration exactly", "[scenario][duration]") {
  CHECK(format_duration(t(0)) == "0s");
  CHECK(format_duration(t(1)) == "1us");
  CHECK(format_duration(t(1500)) == "1500us");
  CHECK(format_duration(t(2000)) == "2ms");
  CHECK(format_duration(t(1500 * ms)) == "1500ms");
  CHECK(format_duration(t(12 * s)) == "12s");
  CHECK(format_duration(t(61 * s)) == "61s");
  CHECK(format_duration(t(120 * s)) == "2min");
  CHECK(format_duration(t(90 * minute)) == "90min");
  CHECK(format_duration(t(5400 * s)) == "90min");
  CHECK(format_duration(t(3600 * s)) == "1h");
  CHECK(format_duration(t(36 * hour)) == "36h");
  CHECK(format_duration(t(day)) == "1d");
  CHECK(format_duration(t(24 * hour)) == "1d");
  CHECK(format_duration(t(10 * day)) == "10d");
  CHECK(format_duration(t(week)) == "1w");
  CHECK(format_duration(t(14 * day)) == "2w");
  CHECK(format_duration(t(364 * day)) == "52w");
  CHECK(format_duration(t(365 * day)) == "1y");
  CHECK(format_duration(t(366 * day)) == "366d");
  CHECK(format_duration(t(730 * day)) == "2y");
  CHECK(format_duration(SimTime::max()) == "9223372036854775807us");
}

TEST_CASE("format_duration writes a negative duration with a minus sign", "[scenario][duration]") {
  CHECK(format_duration(t(-day)) == "-1d");
  CHECK(format_duration(t(-1)) == "-1us");
  CHECK(format_duration(t(-90 * minute)) == "-90min");
}

TEST_CASE("parsing a formatted duration gives back the same duration", "[scenario][duration]") {
  std::mt19937_64 random(20240601);
  const SimTime::rep units[] = {us, ms, s, minute, hour, day, week, year};
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    SimTime::rep value = 0;
    switch (i % 3) {
      case 0: {  // any count of microseconds
        value = static_cast<SimTime::rep>(random() >> 1);
        break;
      }
      case 1: {  // a whole number of some unit, as scenario files write them
        const SimTime::rep unit = units[random() % std::size(units)];
        const auto most = static_cast<std::uint64_t>(std::min<SimTime::rep>(1'000'000, SimTime::max().ticks() / unit));
        value = static_cast<SimTime::rep>(random() % (most + 1)) * unit;
        break;
      }
      default: {  // small values around unit boundaries
        value = static_cast<SimTime::rep>(random() % 100'000);
        break;
      }
    }
    const std::string text = format_duration(t(value));
    const std::optional<SimTime> back = parse_duration(text);
    if (!back || back->ticks() != value)
      FAIL("ticks " << value << " formatted as " << text << " parse back as " << (back ? back->ticks() : -1));
    ++checked;
  }
  CHECK(checked == 20000);
}

TEST_CASE("formatting a parsed duration gives its shortest form", "[scenario][duration]") {
  const auto normal = [](std::string_view text) {
    const std::optional<SimTime> d = parse_duration(text);
    return d ? format_duration(*d) : std::string("(invalid)");
  };
  CHECK(normal("24h") == "1d");
  CHECK(normal("1.5h") == "90min");
  CHECK(normal("168h") == "1w");
  CHECK(normal("365d") == "1y");
  CHECK(normal("0.5ms") == "500us");
  CHECK(normal("60000ms") == "1min");
  CHECK(normal("0d") == "0s");
}
