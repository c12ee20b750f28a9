#include "models/market/token_trading.hpp"

#include <cmath>

namespace dais::models {

namespace {

using ledger::TokenAmount;

std::uint64_t millionths(double share) { return static_cast<std::uint64_t>(std::llround(share * 1e6)); }

// The quote currency apportioned with the ledger's exact rule (its amounts are the same kind of integer).
TokenAmount as_units(QuoteAmount q) { return TokenAmount::from_base_units(q.base_units()); }
QuoteAmount as_quote(TokenAmount units) { return QuoteAmount::from_base_units(units.base_units()); }

}  // namespace

TokenTrading::TokenTrading(const TokenMarketConfig& config, ledger::Ledger& ledger, ledger::AccountId treasury,
                           unsigned decimals, const std::filesystem::path& scenario_folder, core::SimTime epoch_length,
                           std::int64_t epochs, std::uint64_t seed, std::uint64_t replicate)
    : config_(config),
      ledger_(ledger),
      decimals_(decimals),
      sell_millionths_(millionths(config.sell_share)),
      buy_millionths_(millionths(config.buy_to_stake_share)),
      path_(make_price_path(config, scenario_folder, epoch_length, epochs, seed, replicate)),
      price_(config.initial_price) {
  desk_ = ledger_.open_account();
  const ledger::AccountId market = ledger_.open_account();
  ledger_.mint(treasury, config_.liquidity_tokens, "market liquidity");
  if (path_) {
    outside_ = market;
    ledger_.transfer(treasury, outside_, config_.liquidity_tokens, "market liquidity");
  } else {
    pool_.emplace(open_pool(config_, ledger_, market, treasury, decimals_));
  }
}

void TokenTrading::add_agent(ledger::AccountId account) {
  account_.push_back(account);
  quote_.emplace_back();
}

void TokenTrading::order_sale(std::uint32_t agent, TokenAmount reward) {
  const TokenAmount amount = std::min(ledger::millionths_of(reward, sell_millionths_), ledger_.balance(account_[agent]));
  if (amount.is_zero()) return;
  order_agents_.push_back(agent);
  order_amounts_.push_back(amount);
}

void TokenTrading::sell_batch(double path_price) {
  TokenAmount total;
  for (const TokenAmount& a : order_amounts_) total += a;
  if (total.is_zero()) return;
  QuoteAmount proceeds;
  if (pool_) {
    if (!pool_->quote_sell(total).ok()) return;  // too small to trade: the orders lapse
    for (std::size_t k = 0; k < order_agents_.size(); ++k)
      ledger_.transfer(account_[order_agents_[k]], desk_, order_amounts_[k], "token sale");
    proceeds = pool_->sell_tokens(ledger_, desk_, total);
  } else {
    proceeds = quote_value(total, path_price, decimals_, config_.quote_decimals);
    for (std::size_t k = 0; k < order_agents_.size(); ++k)
      ledger_.transfer(account_[order_agents_[k]], outside_, order_amounts_[k], "token sale");
  }
  fills_.resize(order_agents_.size());
  ledger::apportion_amounts(as_units(proceeds), order_amounts_, fills_, scratch_);
  for (std::size_t k = 0; k < order_agents_.size(); ++k) quote_[order_agents_[k]] += as_quote(fills_[k]);
  period_.tokens_sold += total;
  period_.quote_received += proceeds;
}

void TokenTrading::buy_batch(std::span<const std::uint32_t> buyers, double path_price) {
  order_agents_.clear();
  order_amounts_.clear();
  TokenAmount spend;  // quote base units
  for (std::uint32_t agent : buyers) {
    const TokenAmount q = ledger::millionths_of(as_units(quote_[agent]), buy_millionths_);
    if (q.is_zero()) continue;
    order_agents_.push_back(agent);
    order_amounts_.push_back(q);
    spend += q;
  }
  if (spend.is_zero()) return;
  TokenAmount bought;
  if (pool_) {
    if (!pool_->quote_buy(as_quote(spend)).ok()) return;
    bought = pool_->buy_tokens(ledger_, desk_, as_quote(spend));
  } else {
    // The outside market sells at the path's price, as far as its inventory goes; what it cannot fill is not spent.
    const TokenAmount wanted = as_units(quote_value(spend, 1.0 / path_price, config_.quote_decimals, decimals_));
    bought = std::min(wanted, ledger_.balance(outside_));
    if (bought.is_zero()) return;
    if (bought < wanted) {  // each buyer pays its order scaled down alike
      spend = as_units(quote_value(bought, path_price, decimals_, config_.quote_decimals));
      paid_.resize(order_amounts_.size());
      ledger::apportion_amounts(spend, order_amounts_, paid_, scratch_);
      order_amounts_.swap(paid_);
    }
    ledger_.transfer(outside_, desk_, bought, "token purchase");
  }
  fills_.resize(order_agents_.size());
  ledger::apportion_amounts(bought, order_amounts_, fills_, scratch_);
  for (std::size_t k = 0; k < order_agents_.size(); ++k) {
    const std::uint32_t agent = order_agents_[k];
    quote_[agent] -= as_quote(order_amounts_[k]);
    if (fills_[k].is_zero()) continue;
    ledger_.transfer(desk_, account_[agent], fills_[k], "token purchase");
    ledger_.stake(account_[agent], fills_[k], "bought to stake");
  }
  period_.tokens_bought += bought;
  period_.quote_paid += as_quote(spend);
}

void TokenTrading::close_epoch(std::int64_t epoch, std::span<const std::uint32_t> buyers) {
  period_ = {};
  const double path_price = path_ ? path_->price(epoch) : 0.0;
  sell_batch(path_price);
  buy_batch(buyers, path_price);
  order_agents_.clear();
  order_amounts_.clear();
  price_ = pool_ ? pool_->spot_price() : path_price;
  totals_.tokens_sold += period_.tokens_sold;
  totals_.tokens_bought += period_.tokens_bought;
  totals_.quote_received += period_.quote_received;
  totals_.quote_paid += period_.quote_paid;
}

TokenAmount TokenTrading::pool_tokens() const noexcept { return pool_ ? pool_->token_reserve() : TokenAmount{}; }
QuoteAmount TokenTrading::pool_quote() const noexcept { return pool_ ? pool_->quote_reserve() : QuoteAmount{}; }

}  // namespace dais::models
