#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/metrics/summary.hpp"

using dais::metrics::retention;
using dais::metrics::roi;
using dais::metrics::share;
using dais::metrics::Summary;
using dais::metrics::summarize;

TEST_CASE("summarize of nothing is all zeros with count 0", "[metrics][summary]") {
  const Summary s = summarize(std::vector<double>{});
  CHECK(s.count == 0);
  CHECK(s.mean == 0.0);
  CHECK(s.sd == 0.0);
  CHECK(s.min == 0.0);
  CHECK(s.median == 0.0);
  CHECK(s.max == 0.0);
}

TEST_CASE("summarize of one value: that value everywhere and sd 0", "[metrics][summary]") {
  const Summary s = summarize(std::vector<double>{5.5});
  CHECK(s.count == 1);
  CHECK(s.mean == 5.5);
  CHECK(s.sd == 0.0);
  CHECK(s.min == 5.5);
  CHECK(s.median == 5.5);
  CHECK(s.max == 5.5);
}

TEST_CASE("summarize of an odd count takes the middle value as median", "[metrics][summary]") {
  const Summary s = summarize(std::vector<double>{3, 1, 2});
  CHECK(s.count == 3);
  CHECK(s.mean == Approx(2.0).epsilon(1e-15));
  CHECK(s.sd == Approx(1.0).epsilon(1e-15));  // sqrt((1 + 0 + 1) / 2)
  CHECK(s.median == 2.0);
  CHECK(s.min == 1.0);
  CHECK(s.max == 3.0);

  const Summary t = summarize(std::vector<double>{10, -4, 100, 7, 0});
  CHECK(t.median == 7.0);
  CHECK(t.min == -4.0);
  CHECK(t.max == 100.0);
  CHECK(t.mean == Approx(22.6).epsilon(1e-15));
}

TEST_CASE("summarize of an even count averages the two middle values as median", "[metrics][summary]") {
  const Summary s = summarize(std::vector<double>{4, 1, 3, 2});
  CHECK(s.count == 4);
  CHECK(s.mean == Approx(2.5).epsilon(1e-15));
  CHECK(s.sd == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-15));  // (2.25 + 0.25 + 0.25 + 2.25) / 3
  CHECK(s.median == 2.5);
  CHECK(s.min == 1.0);
  CHECK(s.max == 4.0);

  const Summary two = summarize(std::vector<double>{1, 2});
  CHECK(two.median == 1.5);
  CHECK(two.sd == Approx(std::sqrt(0.5)).epsilon(1e-15));
}

TEST_CASE("summarize uses the sample standard deviation (n - 1)", "[metrics][summary]") {
  // Population sd of this classic set is exactly 2; the sample sd is sqrt(32 / 7).
  const Summary s = summarize(std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(s.mean == Approx(5.0).epsilon(1e-15));
  CHECK(s.sd == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-15));
  CHECK(s.median == 4.5);

  const Summary equal = summarize(std::vector<double>{3, 3, 3, 3});
  CHECK(equal.sd == 0.0);
  CHECK(equal.mean == 3.0);
}

TEST_CASE("summarize keeps its precision far from zero", "[metrics][summary]") {
  // Deviations 6, 3, 3, 6 around a mean of 1e9 + 10: sample variance 90 / 3 = 30.
  const Summary s = summarize(std::vector<double>{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16});
  CHECK(s.mean == Approx(1e9 + 10).epsilon(1e-15));
  CHECK(s.sd == Approx(std::sqrt(30.0)).epsilon(1e-9));
  CHECK(s.median == 1e9 + 10);
}

TEST_CASE("summarize handles negative values and a large count", "[metrics][summary]") {
  const Summary s = summarize(std::vector<double>{-1, 1});
  CHECK(s.mean == 0.0);
  CHECK(s.sd == Approx(std::sqrt(2.0)).epsilon(1e-15));
  CHECK(s.median == 0.0);

  std::vector<double> v;
  for (int i = 0; i <= 100000; ++i) v.push_back(static_cast<double>(i));
  const Summary big = summarize(v);
  CHECK(big.count == 100001);
  CHECK(big.mean == Approx(50000.0).epsilon(1e-14));
  CHECK(big.median == 50000.0);
  CHECK(big.min == 0.0);
  CHECK(big.max == 100000.0);
  // For 0..m (m = 100000): sum of squared deviations = m (m + 1) (m + 2) / 12; sample variance divides by m.
  const double m = 100000.0;
  CHECK(big.sd == Approx(std::sqrt((m + 1) * (m + 2) / 12.0)).epsilon(1e-13));
}

TEST_CASE("retention is the share of the previously active still active, 1 when nobody was", "[metrics][summary]") {
  CHECK(retention(10, 7) == Approx(0.7).epsilon(1e-15));
  CHECK(retention(4, 4) == 1.0);
  CHECK(retention(4, 0) == 0.0);
  CHECK(retention(3, 1) == Approx(1.0 / 3.0).epsilon(1e-15));
  CHECK(retention(0, 0) == 1.0);
  CHECK(retention(-1, 0) == 1.0);
  CHECK(retention(std::int64_t{1} << 40, std::int64_t{1} << 39) == 0.5);
}

TEST_CASE("roi is (revenue - cost) / cost, 0 when nothing was spent", "[metrics][summary]") {
  CHECK(roi(150, 100) == Approx(0.5).epsilon(1e-15));
  CHECK(roi(50, 100) == Approx(-0.5).epsilon(1e-15));
  CHECK(roi(0, 100) == -1.0);
  CHECK(roi(100, 100) == 0.0);
  CHECK(roi(5, 0) == 0.0);
  CHECK(roi(0, 0) == 0.0);
  CHECK(roi(1e-300, 1e-300) == 0.0);
  CHECK(roi(3e-300, 1e-300) == Approx(2.0).epsilon(1e-15));
}

TEST_CASE("share is part / total, 0 when the total is 0", "[metrics][summary]") {
  CHECK(share(1, 4) == 0.25);
  CHECK(share(4, 4) == 1.0);
  CHECK(share(0, 4) == 0.0);
  CHECK(share(3, 0) == 0.0);
  CHECK(share(0, 0) == 0.0);
  CHECK(share(1, -0.0) == 0.0);
  CHECK(share(1e-320, 1e-320) == 1.0);
}

TEST_CASE("mean_interval is the mean plus or minus Student's t times the standard error", "[metrics][summary]") {
  // 0.5, 1, 0, 2: mean 0.875, sample sd sqrt(0.7291666...), t(3, 0.975) = 3.182446305284263.
  const dais::metrics::MeanInterval m = dais::metrics::mean_interval(std::vector<double>{0.5, 1.0, 0.0, 2.0});
  CHECK(m.count == 4);
  CHECK(m.mean == 0.875);
  CHECK(m.low == Approx(-0.48376544189824466).epsilon(1e-12));
  CHECK(m.high == Approx(2.2337654418982447).epsilon(1e-12));
  const auto narrower = dais::metrics::mean_interval(std::vector<double>{0.5, 1.0, 0.0, 2.0}, 0.9);
  CHECK(narrower.high - narrower.low < m.high - m.low);
}

TEST_CASE("mean_interval of one value has no interval", "[metrics][summary]") {
  const auto m = dais::metrics::mean_interval(std::vector<double>{3.0});
  CHECK(m.mean == 3.0);
  CHECK(std::isnan(m.low));
  CHECK(std::isnan(m.high));
  CHECK_THROWS_AS(dais::metrics::mean_interval(std::vector<double>{1.0, 2.0}, 1.0), std::invalid_argument);
}
