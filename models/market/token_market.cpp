#include "models/market/token_market.hpp"

#include <fmt/format.h>

namespace dais::models {

namespace {

constexpr std::uint64_t world_entity = std::uint64_t{1} << 40;
constexpr std::uint64_t price_path_purpose = 201;

// A setting that only one price path reads, given with another path: a mistake to report, not to ignore.
std::string misplaced(const scenario::Params& p, const char* name, bool differs_from_default, const char* path) {
  if (!differs_from_default || p.text("price_path") == path) return {};
  return fmt::format("expected price_path \"{}\" with {} set, found price_path \"{}\"", path, name, p.text("price_path"));
}

std::string check_token_market(const scenario::Params& p) {
  if (p.tokens("liquidity_tokens").is_zero()) return "expected liquidity_tokens > 0 (the pool's tokens at genesis), found 0";
  for (const std::string& problem :
       {misplaced(p, "price_drift", p.real("price_drift") != 0.0, "gbm"),
        misplaced(p, "price_volatility", p.real("price_volatility") != 0.0, "gbm"),
        misplaced(p, "price_file", !p.text("price_file").empty(), "csv"),
        misplaced(p, "price_file_past_end", p.text("price_file_past_end") != "error", "csv")})
    if (!problem.empty()) return problem;
  if (p.text("price_path") == "csv" && p.text("price_file").empty())
    return "expected a price_file (a CSV file with columns epoch,price) with price_path \"csv\", found none";
  return {};
}

TokenMarketConfig token_market_config(const scenario::Params& p) {
  TokenMarketConfig c;
  c.initial_price = p.real("initial_price");
  c.liquidity_tokens = p.tokens("liquidity_tokens");
  c.quote_decimals = static_cast<unsigned>(p.integer("quote_decimals"));
  c.sell_share = p.real("sell_share");
  c.buy_to_stake_share = p.real("buy_to_stake_share");
  const std::string& path = p.text("price_path");
  c.price_path = path == "gbm" ? PricePathKind::gbm : path == "csv" ? PricePathKind::replay : PricePathKind::none;
  c.drift_per_year = p.real("price_drift");
  c.volatility_per_year = p.real("price_volatility");
  c.price_file = p.text("price_file");
  c.past_end = p.text("price_file_past_end") == "hold" ? PastEnd::hold : PastEnd::error;
  return c;
}

}  // namespace

void register_token_market(scenario::Registry<TokenMarketFactory>& token_markets) {
  using scenario::real_param;
  using scenario::text_param;
  token_markets.add(
      {"amm",
       "the token traded against a quote currency in a constant-product pool with Uniswap v2's integer math "
       "(0.3% fee to the liquidity), optionally beside an external price path (GBM or a replayed CSV)",
       {real_param("initial_price", 1.0, "quote/token", "the token's price at genesis, in the pool and on a GBM path",
                   1e-12, 1e12),
        scenario::tokens_param("liquidity_tokens", "1000000", "tokens",
                               "tokens in the pool at genesis, with quote worth them at initial_price"),
        scenario::integer_param("quote_decimals", 6, "", "decimal places of the quote currency (6: USDC)", 0, 18),
        real_param("sell_share", 0.0, "", "share of each epoch's token rewards the earners sell to the pool", 0.0, 1.0),
        real_param("buy_to_stake_share", 0.0, "",
                   "share of their quote holdings the agents spend each epoch buying tokens, which they stake", 0.0, 1.0),
        text_param("price_path", "none", {"none", "gbm", "csv"},
                   "an external market price: none, geometric Brownian motion, or replayed from price_file"),
        real_param("price_drift", 0.0, "1/year", "gbm: drift mu of the price (E[S_t] = S_0 e^(mu t))", -10.0, 10.0),
        real_param("price_volatility", 0.0, "1/sqrt(year)", "gbm: volatility sigma, the sd of a year's log return",
                   0.0, 10.0),
        text_param("price_file", "", {},
                   "csv: the file of prices, header epoch,price, a row per epoch from 0 (relative to the scenario)"),
        text_param("price_file_past_end", "error", {"error", "hold"},
                   "csv: fewer rows than epochs is an error, or the last price holds to the end")},
       {},
       check_token_market},
      token_market_config);
}

AmmPool open_pool(const TokenMarketConfig& config, ledger::Ledger& ledger, ledger::AccountId reserve_account,
                  ledger::AccountId provider, unsigned token_decimals) {
  AmmPool pool(reserve_account, token_decimals, config.quote_decimals);
  pool.add_liquidity(ledger, provider, config.liquidity_tokens,
                     quote_value(config.liquidity_tokens, config.initial_price, token_decimals, config.quote_decimals));
  return pool;
}

std::optional<PricePath> make_price_path(const TokenMarketConfig& config, const std::filesystem::path& scenario_folder,
                                         core::SimTime epoch_length, std::int64_t epochs, std::uint64_t seed,
                                         std::uint64_t replicate) {
  switch (config.price_path) {
    case PricePathKind::none:
      return std::nullopt;
    case PricePathKind::gbm:
      return PricePath::gbm({config.initial_price, config.drift_per_year, config.volatility_per_year}, epoch_length,
                            epochs, {seed, replicate, world_entity, price_path_purpose});
    case PricePathKind::replay:
      return PricePath::replay(scenario_folder / config.price_file, epochs, config.past_end);
  }
  return std::nullopt;
}

}  // namespace dais::models
