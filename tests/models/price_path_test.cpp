// The external price path: GBM's log returns against their exact distribution, determinism by key, and the
// strict replay of a price file.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <unistd.h>

#include "models/market/price_path.hpp"
#include "sim/io/atomic_file.hpp"

using namespace dais;
using models::PastEnd;
using models::PricePath;

namespace {

constexpr std::uint64_t world = std::uint64_t{1} << 40;

core::StreamKey key(std::uint64_t replicate) { return {9, replicate, world, 201}; }

std::string replay_error(std::string_view text, std::int64_t epochs, PastEnd past_end = PastEnd::error) {
  try {
    (void)PricePath::replay_text(text, "prices.csv", epochs, past_end);
  } catch (const models::PriceFileError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("GBM log returns are Normal((mu - sigma^2/2) dt, sigma^2 dt), independent, with E[S_T] = S_0 e^(mu T)",
          "[models][price_path]") {
  const models::GbmParams params{2.0, 0.5, 0.3};
  const auto epoch = core::SimTime::days(30);
  const double dt = 30.0 / 365.0;
  const double mean = (0.5 - 0.3 * 0.3 / 2) * dt;
  const double variance = 0.3 * 0.3 * dt;
  // 2000 paths of 50 returns: n = 100,000 returns.
  const int paths = 2000;
  const int steps = 50;
  double sum = 0.0, sum_squares = 0.0, lag_products = 0.0, final_prices = 0.0;
  for (int r = 0; r < paths; ++r) {
    const PricePath path = PricePath::gbm(params, epoch, steps + 1, key(static_cast<std::uint64_t>(r)));
    REQUIRE(path.price(0) == 2.0);
    double previous = 0.0;
    for (int t = 0; t < steps; ++t) {
      const double x = std::log(path.price(t + 1) / path.price(t));
      sum += x;
      sum_squares += (x - mean) * (x - mean);
      if (t > 0) lag_products += (x - mean) * (previous - mean);
      previous = x;
    }
    final_prices += path.price(steps);
  }
  const double n = paths * steps;
  // Four standard errors each: of the mean sqrt(v / n), of the sample variance v·sqrt(2 / n), of the lag-1
  // autocorrelation 1/sqrt(n).
  CHECK(std::abs(sum / n - mean) < 4.0 * std::sqrt(variance / n));
  CHECK(std::abs(sum_squares / n / variance - 1.0) < 4.0 * std::sqrt(2.0 / n));
  CHECK(std::abs(lag_products / (n - paths) / variance) < 4.0 / std::sqrt(n - paths));
  // S_T is lognormal: sd / mean = sqrt(e^(sigma^2 T) - 1) = 0.67 at T = 50 epochs, so the mean of 2000 has a
  // standard error of 1.5%.
  const double expected_final = 2.0 * std::exp(0.5 * steps * dt);
  CHECK(final_prices / paths == Approx(expected_final).epsilon(4 * 0.015));
}

TEST_CASE("a GBM path is fixed by its stream key, epoch by epoch", "[models][price_path]") {
  const models::GbmParams params{1.0, 0.1, 0.8};
  const auto day = core::SimTime::days(1);
  const PricePath a = PricePath::gbm(params, day, 30, key(0));
  const PricePath b = PricePath::gbm(params, day, 30, key(0));
  const PricePath shorter = PricePath::gbm(params, day, 10, key(0));
  const PricePath other = PricePath::gbm(params, day, 30, key(1));
  for (std::int64_t t = 0; t < 30; ++t) {
    CHECK(a.price(t) == b.price(t));
    if (t < 10) CHECK(shorter.price(t) == a.price(t));  // epoch t's shock does not depend on the horizon
    if (t > 0) CHECK(other.price(t) != a.price(t));
  }
  CHECK_THROWS_AS(a.price(30), std::out_of_range);
  CHECK_THROWS_AS(a.price(-1), std::out_of_range);
}

TEST_CASE("without volatility a GBM path grows at its drift; impossible parameters are refused",
          "[models][price_path]") {
  const PricePath path = PricePath::gbm({3.0, 0.2, 0.0}, core::SimTime::days(73), 6, key(0));
  for (int t = 0; t < 6; ++t) CHECK(path.price(t) == Approx(3.0 * std::exp(0.2 * 0.2 * t)).epsilon(1e-14));
  const auto day = core::SimTime::days(1);
  CHECK_THROWS_AS(PricePath::gbm({0.0, 0.0, 0.1}, day, 5, key(0)), std::invalid_argument);
  CHECK_THROWS_AS(PricePath::gbm({1.0, 0.0, -0.1}, day, 5, key(0)), std::invalid_argument);
  CHECK_THROWS_AS(PricePath::gbm({1.0, 0.0, 0.1}, day, 0, key(0)), std::invalid_argument);
  CHECK_THROWS_WITH(PricePath::gbm({1.0, 10.0, 0.0}, core::SimTime::days(365), 100, key(0)),
                    "GBM price path: the price leaves the positive finite doubles at epoch 71");
}

TEST_CASE("a price file replays row by row, CRLF and a final newline allowed", "[models][price_path]") {
  const PricePath path = PricePath::replay_text("epoch,price\n0,0.5\r\n1,0.55\n2,1e-1\n\n", "prices.csv", 3, PastEnd::error);
  REQUIRE(path.epochs() == 3);
  CHECK(path.price(0) == 0.5);
  CHECK(path.price(1) == 0.55);
  CHECK(path.price(2) == 0.1);
  // Rows past the scenario's epochs are checked, then ignored.
  CHECK(PricePath::replay_text("epoch,price\n0,1\n1,2\n2,3\n", "p", 2, PastEnd::error).epochs() == 2);
  CHECK_FALSE(replay_error("epoch,price\n0,1\n1,2\n2,x\n", 2).empty());
}

TEST_CASE("a short price file is an error unless the last price is to hold", "[models][price_path]") {
  const std::string text = "epoch,price\n0,1.5\n1,2.5\n2,3.5\n";
  CHECK(replay_error(text, 5) ==
        "prices.csv: expected a price for each of the 5 epochs (0 to 4), found rows up to epoch 2; to hold the last "
        "price past the end, set price_file_past_end to \"hold\"");
  const PricePath held = PricePath::replay_text(text, "prices.csv", 5, PastEnd::hold);
  CHECK(held.price(2) == 3.5);
  CHECK(held.price(3) == 3.5);
  CHECK(held.price(4) == 3.5);
  CHECK(replay_error("epoch,price\n", 5, PastEnd::hold) == "prices.csv: expected a row for epoch 0 after the header, found none");
}

TEST_CASE("a malformed price file names the line, what was expected and what was found", "[models][price_path]") {
  CHECK(replay_error("", 1) == "prices.csv: expected the header \"epoch,price\", found an empty file");
  CHECK(replay_error("epoch;price\n0,1\n", 1) == "prices.csv:1: expected the header \"epoch,price\", found \"epoch;price\"");
  CHECK(replay_error("epoch,price\n0,1\n1\n", 2) == "prices.csv:3: expected 2 columns (epoch,price), found \"1\"");
  CHECK(replay_error("epoch,price\n0,1,2\n", 1) == "prices.csv:2: expected 2 columns (epoch,price), found \"0,1,2\"");
  CHECK(replay_error("epoch,price\n0,abc\n", 1) == "prices.csv:2: expected a price > 0 (a decimal number), found \"abc\"");
  CHECK(replay_error("epoch,price\n0,\n", 1) == "prices.csv:2: expected a price > 0 (a decimal number), found \"\"");
  CHECK(replay_error("epoch,price\n0,-1\n", 1) == "prices.csv:2: expected a price > 0 (a decimal number), found \"-1\"");
  CHECK(replay_error("epoch,price\n0,0\n", 1) == "prices.csv:2: expected a price > 0 (a decimal number), found \"0\"");
  CHECK(replay_error("epoch,price\n0,inf\n", 1) == "prices.csv:2: expected a price > 0 (a decimal number), found \"inf\"");
  CHECK(replay_error("epoch,price\n0, 1\n", 1) == "prices.csv:2: expected a price > 0 (a decimal number), found \" 1\"");
  CHECK(replay_error("epoch,price\n0,1\n2,1\n", 2) ==
        "prices.csv:3: expected epoch 1 (rows in order from 0, one per epoch), found \"2\"");
  CHECK(replay_error("epoch,price\n1,1\n", 1) ==
        "prices.csv:2: expected epoch 0 (rows in order from 0, one per epoch), found \"1\"");
  CHECK(replay_error("epoch,price\n0,1\n\n1,2\n", 2) == "prices.csv:3: expected a row \"epoch,price\", found an empty line");
}

TEST_CASE("a price file is read from disk, and a missing one is named", "[models][price_path]") {
  const auto dir = std::filesystem::temp_directory_path() / ("dais_price_path_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  io::write_file_atomically(dir / "prices.csv", "epoch,price\n0,0.25\n1,0.5\n");
  const PricePath path = PricePath::replay(dir / "prices.csv", 2, PastEnd::error);
  CHECK(path.price(1) == 0.5);
  CHECK_THROWS_WITH(PricePath::replay(dir / "prices.csv", 3, PastEnd::error),
                    Catch::StartsWith((dir / "prices.csv").string() + ": expected a price for each of the 3 epochs"));
  CHECK_THROWS_WITH(PricePath::replay(dir / "missing.csv", 2, PastEnd::error), Catch::Contains("missing.csv"));
  std::filesystem::remove_all(dir);
}
