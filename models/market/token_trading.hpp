#pragma once
// The economy's agents trading the token (scenario section "token_market"; pool and price path in amm.hpp,
// price_path.hpp, token_market.hpp).
//
// Genesis: the protocol seeds the market with `liquidity_tokens`, minted to the treasury and put in the pool with
// quote worth them at `initial_price` (or, with an external price path, held by the outside market that trades
// at the path's price). Each epoch, after the rewards:
//   1. every agent paid this epoch sells `sell_share` of its reward (rounded down to the base unit; at most its
//      balance). The sales are batched into one trade, as a batch auction would clear them, and its proceeds
//      shared among the sellers in proportion to what each sold, exact to the quote base unit: no seller gains
//      from its place in a queue;
//   2. every active agent spends `buy_to_stake_share` of its quote holdings on tokens, batched the same way, and
//      stakes what it receives;
//   3. the price is read: the pool's spot price after the trades, or the path's price for the epoch.
// Trades go through the ledger (the pool's token reserve is its account's balance; the batch passes through a
// desk account that ends every epoch empty), so conservation covers them. The quote currency is kept here, per
// agent, outside the ledger. A batch too small to trade (Uniswap would revert) is not traded; its orders lapse.
//
// The price feeds the economy as price / initial_price: an agent values its rewards and fees at it, and its
// costs are fixed in fiat (quote at the initial price), so its profit, exit and ROI are in fiat terms.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "models/market/amm.hpp"
#include "models/market/price_path.hpp"
#include "models/market/token_market.hpp"
#include "sim/ledger/apportion.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models {

// One epoch's trading, for the epochs table.
struct TradingPeriod {
  ledger::TokenAmount tokens_sold;
  ledger::TokenAmount tokens_bought;  // and staked
  QuoteAmount quote_received;         // by the sellers
  QuoteAmount quote_paid;             // by the buyers
};

class TokenTrading {
 public:
  // Opens the market's accounts and seeds its liquidity from `treasury`.
  TokenTrading(const TokenMarketConfig& config, ledger::Ledger& ledger, ledger::AccountId treasury, unsigned decimals,
               const std::filesystem::path& scenario_folder, core::SimTime epoch_length, std::int64_t epochs,
               std::uint64_t seed, std::uint64_t replicate);

  // Agents are numbered from 0 in the order they appear; `account` is agent's ledger account.
  void add_agent(ledger::AccountId account);
  // Agent `agent` sells its share of `reward` at this epoch's close.
  void order_sale(std::uint32_t agent, ledger::TokenAmount reward);
  // Runs steps 1-3 above for epoch `epoch`; `buyers` are the active agents.
  void close_epoch(std::int64_t epoch, std::span<const std::uint32_t> buyers);

  [[nodiscard]] double price() const noexcept { return price_; }  // quote per token, as of the last close
  [[nodiscard]] double price_ratio() const noexcept { return price_ / config_.initial_price; }
  [[nodiscard]] QuoteAmount quote_of(std::uint32_t agent) const noexcept { return quote_[agent]; }
  [[nodiscard]] const TradingPeriod& period() const noexcept { return period_; }
  [[nodiscard]] const TradingPeriod& totals() const noexcept { return totals_; }
  [[nodiscard]] unsigned quote_decimals() const noexcept { return config_.quote_decimals; }
  // The pool's reserves (zero with a price path).
  [[nodiscard]] ledger::TokenAmount pool_tokens() const noexcept;
  [[nodiscard]] QuoteAmount pool_quote() const noexcept;

 private:
  void sell_batch(double path_price);
  void buy_batch(std::span<const std::uint32_t> buyers, double path_price);

  TokenMarketConfig config_;
  ledger::Ledger& ledger_;
  unsigned decimals_;
  std::uint64_t sell_millionths_;
  std::uint64_t buy_millionths_;
  std::optional<AmmPool> pool_;    // without a price path
  std::optional<PricePath> path_;  // with one
  ledger::AccountId outside_ = 0;  // the outside market's inventory, with a price path
  ledger::AccountId desk_ = 0;     // where a batch's tokens pass
  double price_;
  std::vector<ledger::AccountId> account_;  // by agent
  std::vector<QuoteAmount> quote_;          // by agent
  // This epoch's orders, aligned: who, and how much (tokens sold, or quote spent).
  std::vector<std::uint32_t> order_agents_;
  std::vector<ledger::TokenAmount> order_amounts_;
  std::vector<ledger::TokenAmount> fills_;
  std::vector<ledger::TokenAmount> paid_;
  ledger::ApportionScratch scratch_;
  TradingPeriod period_;
  TradingPeriod totals_;
};

}  // namespace dais::models
