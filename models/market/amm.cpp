#include "models/market/amm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>

#include "sim/evm/uint256.hpp"

namespace dais::models {

namespace {

using evm::uint256;
using ledger::TokenAmount;

constexpr uint256 wide(u128 x) noexcept {
  return {static_cast<std::uint64_t>(x), static_cast<std::uint64_t>(x >> 64), 0, 0};
}
constexpr bool fits_u128(const uint256& x) noexcept { return (x.w[2] | x.w[3]) == 0; }
constexpr u128 narrow(const uint256& x) noexcept { return (u128{x.w[1]} << 64) | x.w[0]; }

// a·b, or nothing where SafeMath.mul would revert.
std::optional<uint256> checked_mul(const uint256& a, const uint256& b) noexcept {
  std::uint64_t full[8];
  evm::mul_full(a, b, full);
  if ((full[4] | full[5] | full[6] | full[7]) != 0) return std::nullopt;
  return uint256{full[0], full[1], full[2], full[3]};
}

// floor(sqrt(y)), as Uniswap's Math.sqrt: Newton's method from a power of two at or above the root decreases
// monotonically to the floor of the root and stops there.
u128 floor_sqrt(const uint256& y) noexcept {
  if (!y) return 0;
  uint256 root = uint256{1} << ((evm::bit_width(y) + 1) / 2);
  for (;;) {
    const uint256 next = (root + y / root) >> 1;
    if (next >= root) return narrow(root);  // the root of a 256-bit number has at most 128 bits
    root = next;
  }
}

constexpr AmountResult failure(AmmStatus status) noexcept { return {0, status}; }

}  // namespace

const char* to_string(AmmStatus status) noexcept {
  switch (status) {
    case AmmStatus::ok: return "ok";
    case AmmStatus::insufficient_input_amount: return "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT";
    case AmmStatus::insufficient_output_amount: return "UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT";
    case AmmStatus::insufficient_liquidity: return "UniswapV2Library: INSUFFICIENT_LIQUIDITY";
    case AmmStatus::insufficient_amount: return "UniswapV2Library: INSUFFICIENT_AMOUNT";
    case AmmStatus::insufficient_liquidity_minted: return "UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED";
    case AmmStatus::insufficient_liquidity_burned: return "UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED";
    case AmmStatus::overflow: return "UniswapV2: OVERFLOW";
  }
  return "unknown";
}

AmmError::AmmError(AmmStatus status) : std::runtime_error(std::string("AMM pool: ") + to_string(status)), status_(status) {}

// ---- UniswapV2Library ----

AmountResult get_amount_out(u128 amount_in, u128 reserve_in, u128 reserve_out) noexcept {
  if (amount_in == 0) return failure(AmmStatus::insufficient_input_amount);
  if (reserve_in == 0 || reserve_out == 0) return failure(AmmStatus::insufficient_liquidity);
  const uint256 in_with_fee = wide(amount_in) * 997;  // < 2^138
  const auto numerator = checked_mul(in_with_fee, wide(reserve_out));
  if (!numerator) return failure(AmmStatus::overflow);
  const uint256 denominator = wide(reserve_in) * 1000 + in_with_fee;  // < 2^139
  return {narrow(*numerator / denominator), AmmStatus::ok};  // below reserve_out
}

AmountResult get_amount_in(u128 amount_out, u128 reserve_in, u128 reserve_out) noexcept {
  if (amount_out == 0) return failure(AmmStatus::insufficient_output_amount);
  if (reserve_in == 0 || reserve_out == 0) return failure(AmmStatus::insufficient_liquidity);
  // Solidity reverts here too: reserveOut.sub(amountOut) underflows, or the division is by zero.
  if (amount_out >= reserve_out) return failure(AmmStatus::insufficient_liquidity);
  const auto numerator = checked_mul(wide(reserve_in) * wide(amount_out), 1000);
  if (!numerator) return failure(AmmStatus::overflow);
  const uint256 denominator = wide(reserve_out - amount_out) * 997;
  const uint256 amount_in = *numerator / denominator + 1;
  if (!fits_u128(amount_in)) return failure(AmmStatus::overflow);
  return {narrow(amount_in), AmmStatus::ok};
}

AmountResult equivalent_amount(u128 amount_a, u128 reserve_a, u128 reserve_b) noexcept {
  if (amount_a == 0) return failure(AmmStatus::insufficient_amount);
  if (reserve_a == 0 || reserve_b == 0) return failure(AmmStatus::insufficient_liquidity);
  const uint256 amount_b = wide(amount_a) * wide(reserve_b) / wide(reserve_a);  // the product is < 2^256
  if (!fits_u128(amount_b)) return failure(AmmStatus::overflow);
  return {narrow(amount_b), AmmStatus::ok};
}

bool swap_keeps_k(u128 reserve_in, u128 reserve_out, u128 amount_in, u128 amount_out) noexcept {
  if (amount_out >= reserve_out) return false;
  if (reserve_in > max_reserve || reserve_out > max_reserve || amount_in > max_reserve - reserve_in) return false;
  // Every factor is below 2^122 and every product below 2^244: nothing here can overflow.
  const uint256 adjusted_in = wide(reserve_in + amount_in) * 1000 - wide(amount_in) * 3;
  const uint256 adjusted_out = wide(reserve_out - amount_out) * 1000;
  return adjusted_in * adjusted_out >= wide(reserve_in) * wide(reserve_out) * 1'000'000;
}

QuoteAmount quote_value(TokenAmount tokens, double price, unsigned token_decimals, unsigned quote_decimals) {
  if (!(price >= 0.0) || !std::isfinite(price))
    throw std::invalid_argument(fmt::format("AMM pool: expected a price >= 0 and finite, found {}", price));
  int exponent = 0;
  const double fraction = std::frexp(price, &exponent);  // price = fraction · 2^exponent, fraction in [0.5, 1)
  const auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));  // exact: a double has 53 bits
  const int shift = exponent - 53;                                              // price = mantissa · 2^shift
  auto numerator = checked_mul(wide(tokens.base_units()) * wide(mantissa), wide(ledger::pow10_u128(quote_decimals)));
  if (!numerator) throw AmmError(AmmStatus::overflow);
  const uint256 denominator = wide(ledger::pow10_u128(token_decimals));
  uint256 value;
  if (shift >= 0) {
    if (evm::bit_width(*numerator) + static_cast<unsigned>(shift) > 256) throw AmmError(AmmStatus::overflow);
    value = (*numerator << static_cast<unsigned>(shift)) / denominator;
  } else {
    // floor(floor(n / d) / 2^s) == floor(n / (d · 2^s)) for positive integers: still one exact rounding.
    value = (*numerator / denominator) >> static_cast<unsigned>(std::min(-shift, 256));
  }
  if (!fits_u128(value)) throw AmmError(AmmStatus::overflow);
  return QuoteAmount::from_base_units(narrow(value));
}

// ---- the pool ----

AmmPool::AmmPool(ledger::AccountId reserve_account, unsigned token_decimals, unsigned quote_decimals)
    : account_(reserve_account),
      price_scale_(to_double(ledger::pow10_u128(token_decimals)) / to_double(ledger::pow10_u128(quote_decimals))) {}

AmmPool::Trade AmmPool::price(Direction direction, Exact exact, u128 amount) const noexcept {
  const u128 reserve_in = direction == Direction::sell ? tokens_ : quote_;
  const u128 reserve_out = direction == Direction::sell ? quote_ : tokens_;
  const auto failed = [](AmmStatus status) { return Trade{0, 0, status, std::numeric_limits<double>::quiet_NaN()}; };
  const AmountResult other = exact == Exact::input ? get_amount_out(amount, reserve_in, reserve_out)
                                                   : get_amount_in(amount, reserve_in, reserve_out);
  if (!other.ok()) return failed(other.status);
  Trade t;
  t.in = exact == Exact::input ? amount : other.amount;
  t.out = exact == Exact::input ? other.amount : amount;
  // UniswapV2Pair.swap pays something out or reverts, and keeps its reserves within uint112.
  if (t.out == 0) return failed(AmmStatus::insufficient_output_amount);
  if (t.in > max_reserve - reserve_in) return failed(AmmStatus::overflow);
  t.price_impact = 1.0 - to_double(t.out) * to_double(reserve_in) / (to_double(t.in) * to_double(reserve_out));
  return t;
}

template <class Amount>
Quoted<Amount> AmmPool::quoted(Direction direction, Exact exact, u128 amount) const noexcept {
  const Trade t = price(direction, exact, amount);
  return {Amount::from_base_units(exact == Exact::input ? t.out : t.in), t.status, t.price_impact};
}

Quoted<QuoteAmount> AmmPool::quote_sell(TokenAmount tokens_in) const noexcept {
  return quoted<QuoteAmount>(Direction::sell, Exact::input, tokens_in.base_units());
}
Quoted<TokenAmount> AmmPool::quote_buy(QuoteAmount quote_in) const noexcept {
  return quoted<TokenAmount>(Direction::buy, Exact::input, quote_in.base_units());
}
Quoted<TokenAmount> AmmPool::quote_sell_for_exact(QuoteAmount quote_out) const noexcept {
  return quoted<TokenAmount>(Direction::sell, Exact::output, quote_out.base_units());
}
Quoted<QuoteAmount> AmmPool::quote_buy_exact(TokenAmount tokens_out) const noexcept {
  return quoted<QuoteAmount>(Direction::buy, Exact::output, tokens_out.base_units());
}

u128 AmmPool::trade(ledger::Ledger& ledger, ledger::AccountId trader, Direction direction, Exact exact, u128 amount) {
  const Trade t = price(direction, exact, amount);
  if (t.status != AmmStatus::ok) throw AmmError(t.status);
  const bool sell = direction == Direction::sell;
  if (!swap_keeps_k(sell ? tokens_ : quote_, sell ? quote_ : tokens_, t.in, t.out))
    throw std::logic_error("AMM pool: a priced trade fails UniswapV2Pair's K check");  // a bug in price()
  const u128 fee = t.in * 3 / 1000;  // t.in < 2^112: no overflow
  // The counters are updated on copies, so that nothing changes unless the ledger's transfer succeeds.
  AmmPeriod period = period_;
  AmmPeriod totals = totals_;
  for (AmmPeriod* p : {&period, &totals}) {
    if (sell) {
      ++p->sells;
      p->tokens_sold += TokenAmount::from_base_units(t.in);
      p->quote_received += QuoteAmount::from_base_units(t.out);
      p->token_fees += TokenAmount::from_base_units(fee);
    } else {
      ++p->buys;
      p->quote_paid += QuoteAmount::from_base_units(t.in);
      p->tokens_bought += TokenAmount::from_base_units(t.out);
      p->quote_fees += QuoteAmount::from_base_units(fee);
    }
  }
  if (sell) {
    ledger.transfer(trader, account_, TokenAmount::from_base_units(t.in), "amm_sell");
    tokens_ += t.in;
    quote_ -= t.out;
  } else {
    ledger.transfer(account_, trader, TokenAmount::from_base_units(t.out), "amm_buy");
    quote_ += t.in;
    tokens_ -= t.out;
  }
  period_ = period;
  totals_ = totals;
  return exact == Exact::input ? t.out : t.in;
}

QuoteAmount AmmPool::sell_tokens(ledger::Ledger& ledger, ledger::AccountId seller, TokenAmount tokens_in) {
  return QuoteAmount::from_base_units(trade(ledger, seller, Direction::sell, Exact::input, tokens_in.base_units()));
}
TokenAmount AmmPool::buy_tokens(ledger::Ledger& ledger, ledger::AccountId buyer, QuoteAmount quote_in) {
  return TokenAmount::from_base_units(trade(ledger, buyer, Direction::buy, Exact::input, quote_in.base_units()));
}
TokenAmount AmmPool::sell_tokens_for_exact_quote(ledger::Ledger& ledger, ledger::AccountId seller, QuoteAmount quote_out) {
  return TokenAmount::from_base_units(trade(ledger, seller, Direction::sell, Exact::output, quote_out.base_units()));
}
QuoteAmount AmmPool::buy_exact_tokens(ledger::Ledger& ledger, ledger::AccountId buyer, TokenAmount tokens_out) {
  return QuoteAmount::from_base_units(trade(ledger, buyer, Direction::buy, Exact::output, tokens_out.base_units()));
}

LiquidityChange AmmPool::add_liquidity(ledger::Ledger& ledger, ledger::AccountId provider, TokenAmount tokens_desired,
                                       QuoteAmount quote_desired) {
  u128 tokens = tokens_desired.base_units();
  u128 quote = quote_desired.base_units();
  if (shares_ != 0) {
    // Router02._addLiquidity: all of one desired amount, and the other at the pool's ratio.
    const AmountResult quote_optimal = equivalent_amount(tokens, tokens_, quote_);
    if (!quote_optimal.ok()) throw AmmError(quote_optimal.status);
    if (quote_optimal.amount <= quote) {
      quote = quote_optimal.amount;
    } else {
      const AmountResult tokens_optimal = equivalent_amount(quote, quote_, tokens_);
      if (!tokens_optimal.ok()) throw AmmError(tokens_optimal.status);
      tokens = tokens_optimal.amount;  // at most tokens_desired, since quote_optimal > quote
    }
  }
  if (tokens > max_reserve - tokens_ || quote > max_reserve - quote_) throw AmmError(AmmStatus::overflow);
  u128 minted = 0;  // shares created, the locked ones included
  u128 to_provider = 0;
  if (shares_ == 0) {
    minted = floor_sqrt(wide(tokens) * wide(quote));  // both below 2^112
    if (minted <= minimum_liquidity) throw AmmError(AmmStatus::insufficient_liquidity_minted);
    to_provider = minted - minimum_liquidity;
  } else {
    const uint256 by_tokens = wide(tokens) * wide(shares_) / wide(tokens_);
    const uint256 by_quote = wide(quote) * wide(shares_) / wide(quote_);
    const uint256 shares = by_tokens < by_quote ? by_tokens : by_quote;
    if (!shares) throw AmmError(AmmStatus::insufficient_liquidity_minted);
    if (!fits_u128(shares) || narrow(shares) > std::numeric_limits<u128>::max() - shares_)
      throw AmmError(AmmStatus::overflow);
    minted = to_provider = narrow(shares);
  }
  ledger.transfer(provider, account_, TokenAmount::from_base_units(tokens), "amm_add_liquidity");
  tokens_ += tokens;
  quote_ += quote;
  shares_ += minted;
  return {TokenAmount::from_base_units(tokens), QuoteAmount::from_base_units(quote), to_provider};
}

LiquidityChange AmmPool::remove_liquidity(ledger::Ledger& ledger, ledger::AccountId provider, u128 shares) {
  if (shares_ == 0 || shares > shares_ - minimum_liquidity) throw AmmError(AmmStatus::insufficient_liquidity_burned);
  const u128 tokens = narrow(wide(shares) * wide(tokens_) / wide(shares_));
  const u128 quote = narrow(wide(shares) * wide(quote_) / wide(shares_));
  if (tokens == 0 || quote == 0) throw AmmError(AmmStatus::insufficient_liquidity_burned);
  ledger.transfer(account_, provider, TokenAmount::from_base_units(tokens), "amm_remove_liquidity");
  tokens_ -= tokens;
  quote_ -= quote;
  shares_ -= shares;
  return {TokenAmount::from_base_units(tokens), QuoteAmount::from_base_units(quote), shares};
}

double AmmPool::spot_price() const noexcept {
  if (tokens_ == 0) return 0.0;
  return to_double(quote_) / to_double(tokens_) * price_scale_;
}

void AmmPool::check_reserve(const ledger::Ledger& ledger) const {
  const TokenAmount held = ledger.balance(account_);
  if (held != token_reserve())
    throw std::logic_error(fmt::format("AMM pool: account {} holds {} base units, but the token reserve is {}",
                                       account_, ledger::u128_to_string(held.base_units()),
                                       ledger::u128_to_string(tokens_)));
}

AmmPeriod AmmPool::take_period() noexcept {
  const AmmPeriod p = period_;
  period_ = {};
  return p;
}

}  // namespace dais::models
