#pragma once
// The token market a scenario describes: an AMM pool (amm.hpp) between the token and a quote currency, how
// the economy's agents trade on it, and an optional external price path (price_path.hpp). For a scenario
// section such as
//   "token_market": {"model": "amm", "params": {"initial_price": 0.5, "liquidity_tokens": "1000000",
//                    "quote_decimals": 6, "sell_share": 0.5, "price_path": "gbm", "price_volatility": 0.8}}
// Parameters are flat (scenario::Params holds scalars), so the price path's settings are the price_* keys.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "models/market/amm.hpp"
#include "models/market/price_path.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/ledger/ledger.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

enum class PricePathKind { none, gbm, replay };

struct TokenMarketConfig {
  double initial_price = 1.0;  // quote units per token at genesis, in the pool and at the start of a GBM path
  ledger::TokenAmount liquidity_tokens = ledger::TokenAmount::whole_tokens(1'000'000, 18);  // the pool's at genesis
  unsigned quote_decimals = 6;
  // Behaviour for the economy: the share of each epoch's token rewards the earners sell to the pool, and the
  // share of their quote holdings they spend each epoch buying tokens, which they stake.
  double sell_share = 0.0;
  double buy_to_stake_share = 0.0;
  PricePathKind price_path = PricePathKind::none;
  double drift_per_year = 0.0;       // gbm
  double volatility_per_year = 0.0;  // gbm
  std::string price_file;            // replay: as written, relative to the scenario's folder
  PastEnd past_end = PastEnd::error; // replay
};

// The token-market models a scenario may name; each turns its params into a config.
using TokenMarketFactory = TokenMarketConfig (*)(const scenario::Params& params);
void register_token_market(scenario::Registry<TokenMarketFactory>& token_markets);

// The pool at genesis: `provider` (e.g. the treasury) puts liquidity_tokens into the pool's `reserve_account`
// with quote worth them at initial_price (quote_value(), rounded down to the base unit), and holds the shares
// minted (all but the locked 1000). Throws AmmError when that liquidity is too small to mint a share, or
// ledger::LedgerError when the provider lacks the tokens.
AmmPool open_pool(const TokenMarketConfig& config, ledger::Ledger& ledger, ledger::AccountId reserve_account,
                  ledger::AccountId provider, unsigned token_decimals);

// The external price path the config asks for (nullopt for none), over `epochs` epochs. A relative price_file
// is found in `scenario_folder`; GBM draws come from the run's (seed, replicate) stream of its own purpose.
std::optional<PricePath> make_price_path(const TokenMarketConfig& config, const std::filesystem::path& scenario_folder,
                                         core::SimTime epoch_length, std::int64_t epochs, std::uint64_t seed,
                                         std::uint64_t replicate);

}  // namespace dais::models
