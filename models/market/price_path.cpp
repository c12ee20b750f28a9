#include "models/market/price_path.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string>

#include "sim/core/distributions.hpp"
#include "sim/core/portable_math.hpp"
#include "sim/io/atomic_file.hpp"

namespace dais::models {

namespace {

bool positive_finite(double x) noexcept { return x > 0.0 && std::isfinite(x); }

// Reads a price file line by line, so every message can name its line.
class PriceFileReader {
 public:
  PriceFileReader(std::string_view text, std::string_view source) : rest_(text), source_(source) {}

  std::vector<double> read(std::int64_t epochs, PastEnd past_end) {
    std::string_view line;
    if (!next_line(line)) fail_file("expected the header \"epoch,price\", found an empty file");
    if (line != "epoch,price") fail(fmt::format("expected the header \"epoch,price\", found \"{}\"", line));
    std::vector<double> prices;
    prices.reserve(static_cast<std::size_t>(epochs));
    std::int64_t rows = 0;
    while (next_line(line)) {
      if (line.empty()) {
        if (only_blank_lines_left()) break;
        fail("expected a row \"epoch,price\", found an empty line");
      }
      const std::size_t comma = line.find(',');
      if (comma == std::string_view::npos || line.find(',', comma + 1) != std::string_view::npos)
        fail(fmt::format("expected 2 columns (epoch,price), found \"{}\"", line));
      const std::int64_t epoch = rows++;
      const std::string_view epoch_text = line.substr(0, comma);
      std::int64_t given = -1;
      if (!parse_whole(epoch_text, given) || given != epoch)
        fail(fmt::format("expected epoch {} (rows in order from 0, one per epoch), found \"{}\"", epoch, epoch_text));
      const std::string_view price_text = line.substr(comma + 1);
      double price = 0.0;
      if (!parse_whole(price_text, price) || !positive_finite(price))
        fail(fmt::format("expected a price > 0 (a decimal number), found \"{}\"", price_text));
      if (epoch < epochs) prices.push_back(price);
    }
    if (prices.empty()) fail_file("expected a row for epoch 0 after the header, found none");
    if (static_cast<std::int64_t>(prices.size()) < epochs) {
      if (past_end == PastEnd::error)
        fail_file(fmt::format("expected a price for each of the {} epochs (0 to {}), found rows up to epoch {}; "
                              "to hold the last price past the end, set price_file_past_end to \"hold\"",
                              epochs, epochs - 1, prices.size() - 1));
      prices.resize(static_cast<std::size_t>(epochs), prices.back());
    }
    return prices;
  }

 private:
  template <class Number>
  static bool parse_whole(std::string_view text, Number& out) noexcept {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, out);
    return error == std::errc{} && stop == end && !text.empty();
  }

  bool next_line(std::string_view& line) noexcept {
    if (rest_.empty()) return false;
    const std::size_t newline = rest_.find('\n');
    line = rest_.substr(0, newline);
    rest_ = newline == std::string_view::npos ? std::string_view{} : rest_.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_number_;
    return true;
  }

  [[nodiscard]] bool only_blank_lines_left() const noexcept {
    return rest_.find_first_not_of("\r\n") == std::string_view::npos;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw PriceFileError(fmt::format("{}:{}: {}", source_, line_number_, message));
  }
  [[noreturn]] void fail_file(const std::string& message) const {
    throw PriceFileError(fmt::format("{}: {}", source_, message));
  }

  std::string_view rest_;
  std::string_view source_;
  std::int64_t line_number_ = 0;
};

}  // namespace

PricePath PricePath::gbm(const GbmParams& params, core::SimTime epoch_length, std::int64_t epochs,
                         const core::StreamKey& key) {
  if (!positive_finite(params.initial_price) || !std::isfinite(params.drift_per_year) ||
      !(params.volatility_per_year >= 0.0) || !std::isfinite(params.volatility_per_year))
    throw std::invalid_argument(fmt::format(
        "GBM price path: expected an initial price > 0, a finite drift and a volatility >= 0, found {}, {}, {}",
        params.initial_price, params.drift_per_year, params.volatility_per_year));
  if (epochs < 1 || epoch_length.ticks() <= 0)
    throw std::invalid_argument("GBM price path: expected at least one epoch of positive length");
  const double dt = epoch_length.to_seconds() / seconds_per_year;
  const double sigma = params.volatility_per_year;
  const double log_drift = (params.drift_per_year - sigma * sigma / 2.0) * dt;
  const double log_scale = sigma * std::sqrt(dt);  // sqrt is correctly rounded everywhere
  std::vector<double> prices(static_cast<std::size_t>(epochs));
  prices[0] = params.initial_price;
  core::RandomStream rng(key);
  for (std::int64_t t = 0; t + 1 < epochs; ++t) {
    rng.seek(static_cast<std::uint64_t>(t));
    const double z = core::draw_normal(rng, 0.0, 1.0);
    const double next = prices[static_cast<std::size_t>(t)] * core::portable_exp(log_drift + log_scale * z);
    if (!positive_finite(next))
      throw std::invalid_argument(
          fmt::format("GBM price path: the price leaves the positive finite doubles at epoch {}", t + 1));
    prices[static_cast<std::size_t>(t + 1)] = next;
  }
  return PricePath(std::move(prices));
}

PricePath PricePath::replay(const std::filesystem::path& file, std::int64_t epochs, PastEnd past_end) {
  return replay_text(io::read_file(file), file.string(), epochs, past_end);
}

PricePath PricePath::replay_text(std::string_view text, std::string_view source, std::int64_t epochs,
                                 PastEnd past_end) {
  if (epochs < 1) throw std::invalid_argument("price replay: expected at least one epoch");
  return PricePath(PriceFileReader(text, source).read(epochs, past_end));
}

double PricePath::price(std::int64_t epoch) const {
  if (epoch < 0 || epoch >= epochs())
    throw std::out_of_range(fmt::format("price path: epoch {} is outside [0, {})", epoch, epochs()));
  return prices_[static_cast<std::size_t>(epoch)];
}

}  // namespace dais::models
