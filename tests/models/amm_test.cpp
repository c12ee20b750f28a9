// The AMM pool against Uniswap v2: UniswapV2Library's formulas on the v2-core test vectors and integer edge
// cases, UniswapV2Pair's K check, mint and burn; the pool's trades through the ledger (token conservation);
// k never decreasing over random trades.

#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>

#include "models/market/amm.hpp"
#include "sim/core/distributions.hpp"
#include "sim/evm/uint256.hpp"

using namespace dais;
using models::AmmError;
using models::AmmStatus;
using models::QuoteAmount;
using ledger::TokenAmount;

namespace {

constexpr u128 e18 = 1'000'000'000'000'000'000ULL;

TokenAmount tokens(u128 units) { return TokenAmount::from_base_units(units); }
QuoteAmount quote(u128 units) { return QuoteAmount::from_base_units(units); }

// A ledger with the pool's reserve account and one trader who holds `trader_tokens`; the pool is seeded by a
// liquidity provider with the given reserves (both assets in base units, 18 decimals each as in v2-core's tests).
struct Market {
  ledger::Ledger ledger;
  ledger::AccountId reserve = ledger.open_account();
  ledger::AccountId provider = ledger.open_account();
  ledger::AccountId trader = ledger.open_account();
  models::AmmPool pool{reserve, 18, 18};
  models::LiquidityChange seeded;

  Market(u128 token_reserve, u128 quote_reserve, u128 trader_tokens = 0) {
    ledger.mint(provider, tokens(token_reserve));
    if (trader_tokens != 0) ledger.mint(trader, tokens(trader_tokens));
    seeded = pool.add_liquidity(ledger, provider, tokens(token_reserve), quote(quote_reserve));
  }
};

// What a trade or liquidity change refused with; ok if it was done.
template <class Action>
AmmStatus status_of(Action&& action) {
  try {
    action();
  } catch (const AmmError& e) {
    return e.status();
  }
  return AmmStatus::ok;
}

// x·y exactly.
evm::uint256 k_of(const models::AmmPool& pool) {
  const auto wide = [](u128 x) { return evm::uint256{static_cast<std::uint64_t>(x), static_cast<std::uint64_t>(x >> 64), 0, 0}; };
  return wide(pool.token_reserve().base_units()) * wide(pool.quote_reserve().base_units());
}

// UniswapV2Pair.spec.ts 'getInputPrice' cases: [swapAmount, reserve in, reserve out] in units of 10^18, and
// the expected output in base units. The pair reverts 'UniswapV2: K' for one base unit more.
const std::tuple<u128, u128, u128, u128> input_price_cases[] = {
    {1, 5, 10, 1662497915624478906ULL},  {1, 10, 5, 453305446940074565ULL},
    {2, 5, 10, 2851015155847869602ULL},  {2, 10, 5, 831248957812239453ULL},
    {1, 10, 10, 906610893880149131ULL},  {1, 100, 100, 987158034397061298ULL},
    {1, 1000, 1000, 996006981039903216ULL}};

}  // namespace

TEST_CASE("getAmountOut gives v2-core's getInputPrice outputs, and one more fails the K check", "[models][amm]") {
  for (const auto& [swap, reserve_in, reserve_out, expected] : input_price_cases) {
    INFO(static_cast<std::uint64_t>(swap) << " into " << static_cast<std::uint64_t>(reserve_in) << "/"
                                          << static_cast<std::uint64_t>(reserve_out));
    const auto out = models::get_amount_out(swap * e18, reserve_in * e18, reserve_out * e18);
    REQUIRE(out.ok());
    CHECK(out.amount == expected);
    CHECK(models::swap_keeps_k(reserve_in * e18, reserve_out * e18, swap * e18, expected));
    CHECK_FALSE(models::swap_keeps_k(reserve_in * e18, reserve_out * e18, swap * e18, expected + 1));
  }
}

TEST_CASE("getAmountIn is the input that buys an output, rounded up by adding one", "[models][amm]") {
  // The inverses of two getInputPrice cases: the output came from a floor, so the input found is the swap
  // amount or, where the floor dropped more than one input's worth, one base unit less.
  CHECK(models::get_amount_in(1662497915624478906ULL, 5 * e18, 10 * e18).amount == e18);
  CHECK(models::get_amount_in(453305446940074565ULL, 10 * e18, 5 * e18).amount == e18 - 1);
  // 1000·1000·997 / (997·(1997 − 997)) = 1000 exactly, and Uniswap still adds one: 1001, though 1000 buys 997.
  CHECK(models::get_amount_in(997, 1000, 1997).amount == 1001);
  CHECK(models::get_amount_out(1000, 1000, 1997).amount == 997);
  // Otherwise the input is the least that buys the output: one less falls short.
  core::RandomStream rng({7, 0, 0, 1});
  for (int i = 0; i < 2000; ++i) {
    const auto reserve_in = static_cast<u128>(core::draw_uniform_int(rng, 1, INT64_MAX)) * 1'000'000'007;
    const auto reserve_out = static_cast<u128>(core::draw_uniform_int(rng, 2, INT64_MAX));
    const auto wanted = static_cast<u128>(core::draw_uniform_int(rng, 1, static_cast<std::int64_t>(reserve_out - 1)));
    const auto in = models::get_amount_in(wanted, reserve_in, reserve_out);
    REQUIRE(in.ok());
    CHECK(models::get_amount_out(in.amount, reserve_in, reserve_out).amount >= wanted);
    if (in.amount > 2) CHECK(models::get_amount_out(in.amount - 2, reserve_in, reserve_out).amount < wanted);
  }
}

TEST_CASE("the library refuses what Solidity would revert, never wrapping", "[models][amm]") {
  using models::get_amount_in;
  using models::get_amount_out;
  CHECK(get_amount_out(0, 10, 10).status == AmmStatus::insufficient_input_amount);
  CHECK(get_amount_out(1, 0, 10).status == AmmStatus::insufficient_liquidity);
  CHECK(get_amount_out(1, 10, 0).status == AmmStatus::insufficient_liquidity);
  CHECK(get_amount_in(0, 10, 10).status == AmmStatus::insufficient_output_amount);
  CHECK(get_amount_in(1, 0, 10).status == AmmStatus::insufficient_liquidity);
  CHECK(get_amount_in(10, 10, 10).status == AmmStatus::insufficient_liquidity);  // the whole reserve
  CHECK(get_amount_in(11, 10, 10).status == AmmStatus::insufficient_liquidity);  // more than it
  // A tiny input can buy nothing: the library says 0, the pool refuses the trade.
  CHECK(get_amount_out(1, 1000, 1000).amount == 0);
  // 997 · 2^127 · (2^128 − 1) does not fit 256 bits: SafeMath.mul's revert.
  const u128 huge = ~u128{0};
  CHECK(get_amount_out(u128{1} << 127, 1, huge).status == AmmStatus::overflow);
  // 1000 · R_in · out past 2^256, and an input too large for 128 bits.
  CHECK(get_amount_in(huge - 1, huge, huge).status == AmmStatus::overflow);
  CHECK(get_amount_in(u128{1} << 100, u128{1} << 120, (u128{1} << 100) + 1).status == AmmStatus::overflow);
  CHECK(models::equivalent_amount(0, 1, 1).status == AmmStatus::insufficient_amount);
  CHECK(models::equivalent_amount(huge, 1, huge).status == AmmStatus::overflow);
  CHECK(std::string(models::to_string(AmmStatus::overflow)) == "UniswapV2: OVERFLOW");
}

TEST_CASE("the first mint is sqrt(x·y) shares, 1000 of them locked, as UniswapV2Pair 'mint'", "[models][amm]") {
  Market m(1 * e18, 4 * e18);
  CHECK(m.pool.total_shares() == 2 * e18);
  CHECK(m.seeded.shares == 2 * e18 - models::minimum_liquidity);
  CHECK(m.pool.token_reserve() == tokens(e18));
  CHECK(m.pool.quote_reserve() == quote(4 * e18));
  CHECK(m.ledger.balance(m.reserve) == tokens(e18));
  CHECK(m.ledger.balance(m.provider).is_zero());
  // sqrt(x·y) of 1000 or less mints nothing for the provider.
  Market small_enough(1001, 1001);
  CHECK(small_enough.seeded.shares == 1);
  ledger::Ledger l;
  models::AmmPool pool(l.open_account(), 18, 18);
  const auto provider = l.open_account();
  l.mint(provider, tokens(1000));
  CHECK(status_of([&] { pool.add_liquidity(l, provider, tokens(1000), quote(1000)); }) ==
        AmmStatus::insufficient_liquidity_minted);
  CHECK(pool.total_shares() == 0);
  CHECK(l.balance(provider) == tokens(1000));
}

TEST_CASE("burning every share but the locked ones leaves 1000 of each, as UniswapV2Pair 'burn'", "[models][amm]") {
  Market m(3 * e18, 3 * e18);
  REQUIRE(m.seeded.shares == 3 * e18 - 1000);
  CHECK_THROWS_AS(m.pool.remove_liquidity(m.ledger, m.provider, m.seeded.shares + 1), AmmError);
  const auto out = m.pool.remove_liquidity(m.ledger, m.provider, m.seeded.shares);
  CHECK(out.tokens == tokens(3 * e18 - 1000));
  CHECK(out.quote == quote(3 * e18 - 1000));
  CHECK(m.pool.total_shares() == models::minimum_liquidity);
  CHECK(m.pool.token_reserve() == tokens(1000));
  CHECK(m.pool.quote_reserve() == quote(1000));
  CHECK(m.ledger.balance(m.provider) == tokens(3 * e18 - 1000));
  m.pool.check_reserve(m.ledger);
  m.ledger.check_conservation();
}

TEST_CASE("feeTo off: after a swap the whole pool burns back to MINIMUM_LIQUIDITY", "[models][amm]") {
  Market m(1000 * e18, 1000 * e18);
  CHECK(m.pool.buy_tokens(m.ledger, m.trader, quote(e18)) == tokens(996006981039903216ULL));
  m.pool.remove_liquidity(m.ledger, m.provider, m.seeded.shares);
  CHECK(m.pool.total_shares() == models::minimum_liquidity);
  m.pool.check_reserve(m.ledger);
}

TEST_CASE("later liquidity comes in at the pool's ratio, the excess left with the provider", "[models][amm]") {
  Market m(1000 * e18, 2000 * e18, 100 * e18);
  const u128 shares_before = m.pool.total_shares();
  // Too much quote for 10 tokens: 20 quote is taken.
  auto added = m.pool.add_liquidity(m.ledger, m.trader, tokens(10 * e18), quote(50 * e18));
  CHECK(added.tokens == tokens(10 * e18));
  CHECK(added.quote == quote(20 * e18));
  CHECK(added.shares == shares_before / 100);
  // Too many tokens for 20 quote: 10 tokens are taken.
  added = m.pool.add_liquidity(m.ledger, m.trader, tokens(90 * e18), quote(20 * e18));
  CHECK(added.tokens == tokens(10 * e18));
  CHECK(added.quote == quote(20 * e18));
  CHECK(m.ledger.balance(m.trader) == tokens(80 * e18));
  CHECK_THROWS_AS(m.pool.add_liquidity(m.ledger, m.trader, tokens(0), quote(20 * e18)), AmmError);
  m.pool.check_reserve(m.ledger);
}

TEST_CASE("selling and buying move the tokens through the ledger, as UniswapV2Pair 'swap:token0/1'", "[models][amm]") {
  Market m(5 * e18, 10 * e18, 3 * e18);
  const TokenAmount supply = m.ledger.supply();
  CHECK(m.pool.sell_tokens(m.ledger, m.trader, tokens(e18)) == quote(1662497915624478906ULL));
  CHECK(m.pool.token_reserve() == tokens(6 * e18));
  CHECK(m.pool.quote_reserve() == quote(10 * e18 - 1662497915624478906ULL));
  CHECK(m.ledger.balance(m.trader) == tokens(2 * e18));

  Market n(5 * e18, 10 * e18);
  CHECK(n.pool.buy_tokens(n.ledger, n.trader, quote(e18)) == tokens(453305446940074565ULL));
  CHECK(n.ledger.balance(n.trader) == tokens(453305446940074565ULL));
  CHECK(n.pool.token_reserve() == tokens(5 * e18 - 453305446940074565ULL));
  CHECK(n.pool.quote_reserve() == quote(11 * e18));
  for (Market* market : {&m, &n}) {
    market->pool.check_reserve(market->ledger);
    market->ledger.check_conservation();
  }
  CHECK(m.ledger.supply() == supply);
}

TEST_CASE("exact-output trades charge getAmountIn and give exactly what was asked", "[models][amm]") {
  Market m(5 * e18, 10 * e18, 3 * e18);
  const auto needed = m.pool.quote_buy_exact(tokens(e18));
  REQUIRE(needed.ok());
  CHECK(needed.amount == quote(models::get_amount_in(e18, 10 * e18, 5 * e18).amount));
  CHECK(m.pool.buy_exact_tokens(m.ledger, m.trader, tokens(e18)) == needed.amount);
  CHECK(m.ledger.balance(m.trader) == tokens(4 * e18));

  const auto reserves_before = std::pair(m.pool.token_reserve(), m.pool.quote_reserve());
  const auto to_sell = m.pool.quote_sell_for_exact(quote(e18));
  REQUIRE(to_sell.ok());
  CHECK(to_sell.amount == tokens(models::get_amount_in(e18, reserves_before.first.base_units(),
                                                       reserves_before.second.base_units()).amount));
  CHECK(m.pool.sell_tokens_for_exact_quote(m.ledger, m.trader, quote(e18)) == to_sell.amount);
  CHECK(m.pool.quote_reserve() == reserves_before.second - quote(e18));
  CHECK(m.ledger.balance(m.trader) == tokens(4 * e18) - to_sell.amount);
  CHECK_THROWS_AS(m.pool.buy_exact_tokens(m.ledger, m.trader, m.pool.token_reserve()), AmmError);
  m.pool.check_reserve(m.ledger);
}

TEST_CASE("a refused trade changes nothing", "[models][amm]") {
  Market m(1000 * e18, 1000, e18);
  const auto reserves = std::pair(m.pool.token_reserve(), m.pool.quote_reserve());
  CHECK(status_of([&] { m.pool.sell_tokens(m.ledger, m.trader, tokens(0)); }) == AmmStatus::insufficient_input_amount);
  // 10^12 base units of a token worth 10^-18 quote units each buy nothing.
  CHECK(status_of([&] { m.pool.sell_tokens(m.ledger, m.trader, tokens(1'000'000'000'000)); }) ==
        AmmStatus::insufficient_output_amount);
  CHECK(m.pool.quote_sell(tokens(1'000'000'000'000)).status == AmmStatus::insufficient_output_amount);
  CHECK(std::isnan(m.pool.quote_sell(tokens(0)).price_impact));
  // More than the trader holds: the ledger refuses.
  CHECK_THROWS_AS(m.pool.sell_tokens(m.ledger, m.trader, tokens(2 * e18)), ledger::LedgerError);
  // A reserve past 2^112 − 1 is Uniswap's OVERFLOW.
  CHECK(status_of([&] { m.pool.buy_tokens(m.ledger, m.trader, quote(models::max_reserve)); }) == AmmStatus::overflow);
  CHECK(m.pool.token_reserve() == reserves.first);
  CHECK(m.pool.quote_reserve() == reserves.second);
  CHECK(m.ledger.balance(m.trader) == tokens(e18));
  CHECK(m.pool.totals().sells + m.pool.totals().buys == 0);
}

TEST_CASE("k never decreases and tokens are conserved over random trades", "[models][amm]") {
  Market m(1'000'000 * e18, 500'000 * e18);
  const std::uint32_t traders = 8;
  const ledger::AccountId first = m.ledger.open_accounts(traders);
  for (std::uint32_t i = 0; i < traders; ++i) m.ledger.mint(first + i, tokens(10'000 * e18));
  std::vector<QuoteAmount> holdings(traders, quote(5'000 * e18));
  const TokenAmount supply = m.ledger.supply();
  core::RandomStream rng({3, 0, 0, 1});
  u128 refused = 0;
  for (int i = 0; i < 20'000; ++i) {
    const auto t = static_cast<std::uint32_t>(core::draw_uniform_int(rng, 0, traders - 1));
    const ledger::AccountId who = first + t;
    const double share = rng.uniform01() * 0.2;
    const evm::uint256 k_before = k_of(m.pool);
    if (rng.uniform01() < 0.5) {
      const auto amount = tokens(static_cast<u128>(share * m.ledger.balance(who).to_tokens(0)));
      const auto q = m.pool.quote_sell(amount);
      if (!q.ok()) {
        ++refused;
        continue;
      }
      REQUIRE(m.pool.sell_tokens(m.ledger, who, amount) == q.amount);
      holdings[t] += q.amount;
    } else {
      const auto amount = quote(static_cast<u128>(share * holdings[t].to_units(0)));
      if (!m.pool.quote_buy(amount).ok()) {
        ++refused;
        continue;
      }
      holdings[t] -= amount;
      m.pool.buy_tokens(m.ledger, who, amount);
    }
    // The fee stays in the pool: the product of the reserves strictly grows.
    REQUIRE(k_of(m.pool) > k_before);
  }
  CHECK(refused < 2000);
  m.pool.check_reserve(m.ledger);
  m.ledger.check_conservation();
  CHECK(m.ledger.supply() == supply);
  const auto totals = m.pool.totals();
  CHECK(totals.sells > 5000);
  CHECK(totals.buys > 5000);
}

TEST_CASE("a period's volumes and fees are counted and reset by take_period", "[models][amm]") {
  Market m(5 * e18, 10 * e18, 3 * e18);
  m.pool.sell_tokens(m.ledger, m.trader, tokens(e18));
  m.pool.buy_tokens(m.ledger, m.trader, quote(1000));
  const models::AmmPeriod p = m.pool.take_period();
  CHECK(p.sells == 1);
  CHECK(p.buys == 1);
  CHECK(p.tokens_sold == tokens(e18));
  CHECK(p.quote_received == quote(1662497915624478906ULL));
  CHECK(p.quote_paid == quote(1000));
  CHECK(p.token_fees == tokens(3 * e18 / 1000));
  CHECK(p.quote_fees == quote(3));
  CHECK(m.pool.take_period().sells == 0);
  CHECK(m.pool.totals().sells == 1);
}

TEST_CASE("spot price is in quote units per token across decimals; price impact includes the fee", "[models][amm]") {
  ledger::Ledger l;
  models::AmmPool pool(l.open_account(), 18, 6);
  const auto treasury = l.open_account();
  l.mint(treasury, TokenAmount::whole_tokens(1'000'000, 18));
  CHECK(pool.spot_price() == 0.0);
  const auto liquidity = TokenAmount::whole_tokens(1'000'000, 18);
  const QuoteAmount worth = models::quote_value(liquidity, 0.5, 18, 6);
  CHECK(worth == quote(500'000'000'000));
  pool.add_liquidity(l, treasury, liquidity, worth);
  CHECK(pool.spot_price() == Approx(0.5).epsilon(1e-15));
  // A tiny trade costs the fee; one of 1% of the reserve about 1% more (Δx/x).
  CHECK(pool.quote_sell(TokenAmount::whole_tokens(1, 18)).price_impact == Approx(0.003).margin(1e-5));
  CHECK(pool.quote_sell(TokenAmount::whole_tokens(10'000, 18)).price_impact == Approx(0.0128419658).epsilon(1e-8));
}

TEST_CASE("quote_value is the floor of the double price's exact value", "[models][amm]") {
  // 0.1 is 0.1000000000000000055511151231257827... as a double: 1000 tokens are worth 100 quote, not more.
  CHECK(models::quote_value(TokenAmount::whole_tokens(1000, 18), 0.1, 18, 6) == quote(100'000'000));
  CHECK(models::quote_value(tokens(1), 1.0, 18, 6) == quote(0));
  CHECK(models::quote_value(tokens(u128{12345} * e18 + 678901234567890123ULL), 0.3, 18, 6) == quote(3703703670));
  CHECK(models::quote_value(TokenAmount::whole_tokens(3, 0), 1e30, 0, 0) ==
        quote(static_cast<u128>(3) * static_cast<u128>(1e30)));
  CHECK_THROWS_AS(models::quote_value(tokens(1), -1.0, 18, 6), std::invalid_argument);
  CHECK_THROWS_AS(models::quote_value(tokens(1), std::nan(""), 18, 6), std::invalid_argument);
  CHECK_THROWS_AS(models::quote_value(TokenAmount::whole_tokens(1000, 0), 1e36, 0, 6), AmmError);
}
