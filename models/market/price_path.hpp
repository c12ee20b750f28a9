#pragma once
// The token's external market price, one value per epoch in quote units per token (a double: it is a price to
// follow or to arbitrage the AMM toward, never an amount). Two sources:
//  - gbm: geometric Brownian motion with drift mu and volatility sigma, both per year (365 days, the scenario's
//    "1y"), on the exact discretization
//        S_0 = initial price,  S_{t+1} = S_t · exp((mu − sigma²/2)·dt + sigma·sqrt(dt)·Z_t),
//    dt = the epoch length in years, Z_t standard normal: the first draw of substream t of the path's own
//    stream, so the path does not depend on anything else drawn in the run (and epoch t's shock not on how many
//    epochs there are). log S_{t+1} − log S_t is then exactly Normal((mu − sigma²/2)·dt, sigma²·dt).
//  - replay: a CSV file with the header `epoch,price` and one row per epoch from 0, in order. A file with fewer
//    rows than the scenario has epochs is an error when it is loaded, unless PastEnd::hold is asked for, which
//    keeps the last price to the end. Rows past the scenario's last epoch are checked and ignored.
// Both are computed whole when made (one allocation per run), so price(epoch) is a lookup.

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"

namespace dais::models {

// What a replayed price file gives after its last row.
enum class PastEnd { error, hold };

inline constexpr double seconds_per_year = 365.0 * 86'400.0;

struct GbmParams {
  double initial_price = 1.0;        // S_0, quote units per token, > 0
  double drift_per_year = 0.0;       // mu: E[S_t] = S_0 · e^(mu·t), t in years
  double volatility_per_year = 0.0;  // sigma: the standard deviation of one year's log return, >= 0
};

// A price file that is not what replay expects: the message names the file and line, what was expected and
// what was found.
class PriceFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PricePath {
 public:
  // Throws std::invalid_argument on parameters out of range, or a path that leaves the positive finite
  // doubles (naming the epoch).
  static PricePath gbm(const GbmParams& params, core::SimTime epoch_length, std::int64_t epochs,
                       const core::StreamKey& key);
  // Throws io::IoError when the file cannot be read, PriceFileError when its content is wrong.
  static PricePath replay(const std::filesystem::path& file, std::int64_t epochs, PastEnd past_end);
  // The same from text already read; `source` names it in messages.
  static PricePath replay_text(std::string_view text, std::string_view source, std::int64_t epochs, PastEnd past_end);

  // The price during `epoch`, in [0, epochs()); throws std::out_of_range outside.
  [[nodiscard]] double price(std::int64_t epoch) const;
  [[nodiscard]] std::int64_t epochs() const noexcept { return static_cast<std::int64_t>(prices_.size()); }
  [[nodiscard]] std::span<const double> prices() const noexcept { return prices_; }

 private:
  explicit PricePath(std::vector<double> prices) : prices_(std::move(prices)) {}
  std::vector<double> prices_;
};

}  // namespace dais::models
