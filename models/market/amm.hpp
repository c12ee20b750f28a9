#pragma once
// A constant-product AMM pool (Uniswap v2) between the network token and a quote currency such as a USD
// stablecoin, with Uniswap v2's integer math exactly (../shared/MECHANISMS.md §5.6):
//   getAmountOut: out = 997·in·R_out / (1000·R_in + 997·in)            (floor)
//   getAmountIn:  in  = 1000·R_in·out / (997·(R_out − out)) + 1         (floor, plus one: rounds up)
//   mint:         first sqrt(x·y) − 1000 shares (MINIMUM_LIQUIDITY, locked forever), later min(dx·T/x, dy·T/y)
//   burn:         shares·x/T tokens and shares·y/T quote                 (floor)
//   swap:         (1000·b_in − 3·in)·(1000·b_out) >= 1000²·R_in·R_out   (the K check; b = balances after)
// Sources: Uniswap/v2-periphery contracts/libraries/UniswapV2Library.sol, v2-core UniswapV2Pair.sol and
// Router02's _addLiquidity. The 0.3% fee stays in the pool (LP income); the protocol fee (feeTo) is off.
//
// Bounds: reserves are at most 2^112 − 1 (the pair's uint112; more is Uniswap's OVERFLOW). Amounts are
// below 2^128 (TokenAmount). Every product is taken in 256 bits, as Solidity's uint, and checked like
// SafeMath: with these bounds the largest is 997·in·R_out < 2^10·2^128·2^112 = 2^250, so no product of a
// valid trade overflows, and one that would is reported, never wrapped.
//
// Accounting: the pool's token reserve is the balance of its own ledger account, so the ledger's conservation
// check covers every token a trade moves (a seller's tokens go to the pool's account, a buyer's come from it).
// The quote currency is not the ledger's: the pool tracks its quote reserve, and whoever calls it keeps the
// traders' quote holdings (a trade returns the quote to credit or to debit). Pool state is not journaled: a
// ledger rollback past a trade desynchronizes it, which check_reserve() reports.

#include <compare>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/core/int128.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models {

using dais::u128;

// An amount of the quote currency in its base units (10^-quote_decimals of a unit), exact and checked like a
// TokenAmount, but a type of its own so that one asset is never passed where the other is meant.
class QuoteAmount {
 public:
  constexpr QuoteAmount() noexcept = default;
  static constexpr QuoteAmount from_base_units(u128 units) noexcept {
    return QuoteAmount{ledger::TokenAmount::from_base_units(units)};
  }
  [[nodiscard]] constexpr u128 base_units() const noexcept { return units_.base_units(); }
  [[nodiscard]] constexpr bool is_zero() const noexcept { return units_.is_zero(); }
  // Nearest double in whole units of the currency (for metrics and behaviour, never for accounting).
  [[nodiscard]] double to_units(unsigned decimals) const noexcept { return units_.to_tokens(decimals); }
  [[nodiscard]] std::string to_decimal(unsigned decimals) const { return units_.to_decimal(decimals); }

  constexpr auto operator<=>(const QuoteAmount&) const noexcept = default;
  // Checked as TokenAmount's: overflow and underflow throw ledger::AmountError.
  QuoteAmount& operator+=(QuoteAmount other) {
    units_ += other.units_;
    return *this;
  }
  QuoteAmount& operator-=(QuoteAmount other) {
    units_ -= other.units_;
    return *this;
  }
  friend QuoteAmount operator+(QuoteAmount a, QuoteAmount b) { return a += b; }
  friend QuoteAmount operator-(QuoteAmount a, QuoteAmount b) { return a -= b; }

 private:
  constexpr explicit QuoteAmount(ledger::TokenAmount units) noexcept : units_(units) {}
  ledger::TokenAmount units_;
};

// Why a trade or a liquidity change cannot be done, as Uniswap v2 would revert.
enum class AmmStatus : std::uint8_t {
  ok,
  insufficient_input_amount,      // nothing paid in
  insufficient_output_amount,     // nothing asked for, or an input too small to buy one base unit
  insufficient_liquidity,         // an empty reserve, or an output of the whole reserve or more
  insufficient_amount,            // liquidity added with nothing of one asset
  insufficient_liquidity_minted,  // liquidity added that is worth no share
  insufficient_liquidity_burned,  // shares burned that are worth nothing of one asset, or more than exist
  overflow,                       // a 256-bit product overflows, or a reserve would exceed 2^112 − 1
};
// Uniswap's revert reason: "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT", "UniswapV2: OVERFLOW", ...
const char* to_string(AmmStatus status) noexcept;

// A trade or liquidity change the pool refused; nothing changed.
class AmmError : public std::runtime_error {
 public:
  explicit AmmError(AmmStatus status);
  [[nodiscard]] AmmStatus status() const noexcept { return status_; }

 private:
  AmmStatus status_;
};

inline constexpr u128 minimum_liquidity = 1000;
inline constexpr u128 max_reserve = (u128{1} << 112) - 1;

// UniswapV2Library on base units: the result, or why Solidity would revert (amount 0 then).
struct AmountResult {
  u128 amount = 0;
  AmmStatus status = AmmStatus::ok;
  [[nodiscard]] bool ok() const noexcept { return status == AmmStatus::ok; }
};
AmountResult get_amount_out(u128 amount_in, u128 reserve_in, u128 reserve_out) noexcept;
AmountResult get_amount_in(u128 amount_out, u128 reserve_in, u128 reserve_out) noexcept;
// UniswapV2Library.quote: amount_a · reserve_b / reserve_a, the other asset's amount at the pool's ratio.
AmountResult equivalent_amount(u128 amount_a, u128 reserve_a, u128 reserve_b) noexcept;
// UniswapV2Pair.swap's K check for `amount_in` paid and `amount_out` taken; false also when a balance after the
// trade would not fit the pair's uint112 (the pair reverts with OVERFLOW before it gets there).
bool swap_keeps_k(u128 reserve_in, u128 reserve_out, u128 amount_in, u128 amount_out) noexcept;

// floor(tokens · price · 10^quote_decimals / 10^token_decimals) quote base units, computed exactly from the
// double's binary value: what `tokens` are worth at `price` quote units per token. Throws std::invalid_argument
// on a price that is negative or not finite, AmmError(overflow) when the value does not fit 128 bits.
QuoteAmount quote_value(ledger::TokenAmount tokens, double price, unsigned token_decimals, unsigned quote_decimals);

// A trade priced before it is made. `amount` is what the trade gives (or, for an exact-output trade, takes);
// price_impact is 1 − (out / in) / (R_out / R_in): how much worse than the pool's mid price the trade is,
// the 0.3% fee included (Uniswap SDK v2's Trade.priceImpact). When status is not ok, amount is 0 and
// price_impact NaN.
template <class Amount>
struct Quoted {
  Amount amount;
  AmmStatus status = AmmStatus::ok;
  double price_impact = 0.0;
  [[nodiscard]] bool ok() const noexcept { return status == AmmStatus::ok; }
};

// Trades and fees since the last take_period(): one epoch's row in the economy. Volumes are by direction;
// fees are the 0.3% of each input the pool keeps for its liquidity providers, rounded down (a metric: the
// reserves hold the exact amounts).
struct AmmPeriod {
  std::uint64_t sells = 0;  // trades of tokens for quote
  std::uint64_t buys = 0;   // trades of quote for tokens
  ledger::TokenAmount tokens_sold;    // into the pool
  ledger::TokenAmount tokens_bought;  // out of the pool
  QuoteAmount quote_paid;             // into the pool, by buyers
  QuoteAmount quote_received;         // out of the pool, to sellers
  ledger::TokenAmount token_fees;
  QuoteAmount quote_fees;
};

// What a liquidity change moved: the assets (into the pool on add, out on remove) and the shares.
struct LiquidityChange {
  ledger::TokenAmount tokens;
  QuoteAmount quote;
  u128 shares = 0;
};

class AmmPool {
 public:
  // `reserve_account` is the pool's own ledger account: its balance is the token reserve, so it must hold
  // nothing but what the pool put there. Decimals are for the displayed price only.
  AmmPool(ledger::AccountId reserve_account, unsigned token_decimals, unsigned quote_decimals);

  // Router02.addLiquidity: into an empty pool, exactly the amounts given, for sqrt(tokens · quote) − 1000
  // shares (1000 locked forever); later, the most of the desired amounts at the pool's ratio (the other asset's
  // excess stays with the provider), for min(dx·T/x, dy·T/y) shares. Tokens move from `provider` to the pool's
  // account; the caller takes the returned quote from the provider's holdings.
  LiquidityChange add_liquidity(ledger::Ledger& ledger, ledger::AccountId provider, ledger::TokenAmount tokens_desired,
                                QuoteAmount quote_desired);
  // UniswapV2Pair.burn: shares·x/T tokens to `provider`'s account and shares·y/T quote for the caller to
  // credit. At most the shares held (all but the locked 1000); the caller keeps who holds which.
  LiquidityChange remove_liquidity(ledger::Ledger& ledger, ledger::AccountId provider, u128 shares);

  // Prices without trading.
  [[nodiscard]] Quoted<QuoteAmount> quote_sell(ledger::TokenAmount tokens_in) const noexcept;
  [[nodiscard]] Quoted<ledger::TokenAmount> quote_buy(QuoteAmount quote_in) const noexcept;
  [[nodiscard]] Quoted<ledger::TokenAmount> quote_sell_for_exact(QuoteAmount quote_out) const noexcept;
  [[nodiscard]] Quoted<QuoteAmount> quote_buy_exact(ledger::TokenAmount tokens_out) const noexcept;

  // Trades. Each throws AmmError where its quote's status is not ok, and ledger::LedgerError when the seller
  // lacks the tokens; either way nothing changed. The quote side is the caller's to settle.
  // Exact input: `tokens_in` from `seller` to the pool; returns the quote to credit the seller.
  QuoteAmount sell_tokens(ledger::Ledger& ledger, ledger::AccountId seller, ledger::TokenAmount tokens_in);
  // Exact input: the caller has taken `quote_in` from the buyer; returns the tokens moved to `buyer`.
  ledger::TokenAmount buy_tokens(ledger::Ledger& ledger, ledger::AccountId buyer, QuoteAmount quote_in);
  // Exact output: `quote_out` for the seller to be credited; returns the tokens taken from `seller`.
  ledger::TokenAmount sell_tokens_for_exact_quote(ledger::Ledger& ledger, ledger::AccountId seller, QuoteAmount quote_out);
  // Exact output: `tokens_out` moved to `buyer`; returns the quote the caller takes from the buyer.
  QuoteAmount buy_exact_tokens(ledger::Ledger& ledger, ledger::AccountId buyer, ledger::TokenAmount tokens_out);

  [[nodiscard]] ledger::AccountId reserve_account() const noexcept { return account_; }
  [[nodiscard]] ledger::TokenAmount token_reserve() const noexcept { return ledger::TokenAmount::from_base_units(tokens_); }
  [[nodiscard]] QuoteAmount quote_reserve() const noexcept { return QuoteAmount::from_base_units(quote_); }
  // Liquidity shares in existence, the locked 1000 included.
  [[nodiscard]] u128 total_shares() const noexcept { return shares_; }
  // Quote units per token at the reserves' ratio (the price of an infinitesimal trade, fee excluded);
  // 0 while the pool is empty.
  [[nodiscard]] double spot_price() const noexcept;

  // Throws std::logic_error unless the pool's ledger account holds exactly the token reserve.
  void check_reserve(const ledger::Ledger& ledger) const;

  AmmPeriod take_period() noexcept;
  [[nodiscard]] const AmmPeriod& totals() const noexcept { return totals_; }

 private:
  enum class Direction : bool { sell, buy };  // sell: tokens in, quote out
  enum class Exact : bool { input, output };
  struct Trade {
    u128 in = 0;
    u128 out = 0;
    AmmStatus status = AmmStatus::ok;
    double price_impact = 0.0;
  };
  // The trade that pays `amount` in (Exact::input) or takes it out (Exact::output), as the pair would allow.
  [[nodiscard]] Trade price(Direction direction, Exact exact, u128 amount) const noexcept;
  // Prices, checks and makes the trade; the ledger moves the token side. Returns the amount not given.
  u128 trade(ledger::Ledger& ledger, ledger::AccountId trader, Direction direction, Exact exact, u128 amount);
  template <class Amount>
  [[nodiscard]] Quoted<Amount> quoted(Direction direction, Exact exact, u128 amount) const noexcept;

  ledger::AccountId account_;
  double price_scale_;  // 10^token_decimals / 10^quote_decimals: base-unit ratio to display price
  u128 tokens_ = 0;
  u128 quote_ = 0;
  u128 shares_ = 0;
  AmmPeriod period_;
  AmmPeriod totals_;
};

}  // namespace dais::models
