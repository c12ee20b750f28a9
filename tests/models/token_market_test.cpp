// The token market's parameters: their table, their reading into a config, their checks (also by the real
// scenario loader, which names the JSON pointer), and the pool and price path a config makes.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "models/market/token_market.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/models/catalog_fixture.hpp"

using namespace dais;
using models::TokenMarketConfig;
namespace fs = std::filesystem;

namespace {

const scenario::Registry<models::TokenMarketFactory>& token_markets() { return test::builtin_catalog().token_markets; }

const scenario::ComponentInfo& amm() { return *token_markets().find("amm"); }

scenario::Params defaults() {
  scenario::Params p;
  for (const scenario::ParamSpec& s : amm().params) {
    if (s.type == scenario::ParamType::tokens)
      p.set(s.name, *ledger::TokenAmount::parse_decimal(std::get<std::string>(*s.default_value), 18));
    else
      p.set(s.name, *s.default_value);
  }
  return p;
}

TokenMarketConfig read(const scenario::Params& p) { return token_markets().factory("amm")(p); }

// A temporary folder, removed at the end of the test.
struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("dais_token_market_test_" + std::to_string(::getpid()));
  TempFolder() { fs::create_directories(path); }
  ~TempFolder() { fs::remove_all(path); }
};

// Loads a small scenario whose "token_market" section names the amm with `params`, through the real loader.
// Returns the loader's messages as "pointer: message" and the params read.
std::pair<std::vector<std::string>, scenario::Params> load_with(const nlohmann::json& params) {
  nlohmann::json doc = {{"name", "probe"},
                        {"epoch", "1d"},
                        {"horizon", "2d"},
                        {"emission", {{"schedule", "fixed"}, {"params", {{"amount", "100"}}}}},
                        {"agents", {{{"role", "data_provider"}, {"model", "contributor"}, {"count", 3}}}},
                        {"rewards", {{"data_provider", {{"share", 1}, {"rule", "proportional"}}}}},
                        {"token_market", {{"model", "amm"}, {"params", params}}}};
  const TempFolder folder;
  const fs::path file = folder.path / "probe.json";
  io::write_file_atomically(file, doc.dump());
  const scenario::Catalog catalog = test::builtin_catalog().view();
  std::vector<std::string> messages;
  scenario::Params values;
  try {
    values = scenario::load_scenario(file, catalog).token_market->params;
  } catch (const scenario::ScenarioErrors& e) {
    for (const scenario::ScenarioError& error : e.errors()) messages.push_back(error.pointer + ": " + error.message);
  }
  return {messages, values};
}

}  // namespace

TEST_CASE("every token-market parameter is declared once, documented, with its default in range",
          "[models][token_market]") {
  std::set<std::string> names;
  for (const scenario::ParamSpec& s : amm().params) {
    INFO(s.name);
    CHECK(names.insert(s.name).second);
    CHECK_FALSE(s.description.empty());
    REQUIRE(s.default_value.has_value());
  }
  CHECK(names == std::set<std::string>{"initial_price", "liquidity_tokens", "quote_decimals", "sell_share",
                                       "buy_to_stake_share", "price_path", "price_drift", "price_volatility",
                                       "price_file", "price_file_past_end"});
  CHECK(amm().check(defaults()).empty());
}

TEST_CASE("the declared defaults read back as the default config", "[models][token_market]") {
  const TokenMarketConfig c = read(defaults());
  const TokenMarketConfig d;
  CHECK(c.initial_price == d.initial_price);
  CHECK(c.liquidity_tokens == d.liquidity_tokens);
  CHECK(c.quote_decimals == d.quote_decimals);
  CHECK(c.sell_share == d.sell_share);
  CHECK(c.buy_to_stake_share == d.buy_to_stake_share);
  CHECK(c.price_path == d.price_path);
  CHECK(c.drift_per_year == d.drift_per_year);
  CHECK(c.volatility_per_year == d.volatility_per_year);
  CHECK(c.price_file == d.price_file);
  CHECK(c.past_end == d.past_end);
}

TEST_CASE("the check refuses price-path settings for another path, and a csv path without a file",
          "[models][token_market]") {
  scenario::Params p = defaults();
  p.set("price_volatility", 0.8);
  CHECK(amm().check(p) == "expected price_path \"gbm\" with price_volatility set, found price_path \"none\"");
  p.set("price_path", std::string("gbm"));
  CHECK(amm().check(p).empty());
  p.set("price_file_past_end", std::string("hold"));
  CHECK(amm().check(p) == "expected price_path \"csv\" with price_file_past_end set, found price_path \"gbm\"");
  p = defaults();
  p.set("price_path", std::string("csv"));
  CHECK(amm().check(p) ==
        "expected a price_file (a CSV file with columns epoch,price) with price_path \"csv\", found none");
  p.set("price_file", std::string("prices.csv"));
  p.set("price_file_past_end", std::string("hold"));
  CHECK(amm().check(p).empty());
  const TokenMarketConfig c = read(p);
  CHECK(c.price_path == models::PricePathKind::replay);
  CHECK(c.price_file == "prices.csv");
  CHECK(c.past_end == models::PastEnd::hold);
  p = defaults();
  p.set("liquidity_tokens", ledger::TokenAmount{});
  CHECK(amm().check(p) == "expected liquidity_tokens > 0 (the pool's tokens at genesis), found 0");
}

TEST_CASE("the scenario loader reads token-market params and names the pointer of each problem",
          "[models][token_market]") {
  const auto [ok, values] = load_with({{"initial_price", 0.5}, {"liquidity_tokens", "250000.5"}, {"quote_decimals", 6},
                                       {"sell_share", 0.25}, {"price_path", "gbm"}, {"price_drift", 0.1},
                                       {"price_volatility", 0.9}});
  REQUIRE(ok.empty());
  const TokenMarketConfig c = read(values);
  CHECK(c.initial_price == 0.5);
  CHECK(c.liquidity_tokens == *ledger::TokenAmount::parse_decimal("250000.5", 18));
  CHECK(c.sell_share == 0.25);
  CHECK(c.price_path == models::PricePathKind::gbm);
  CHECK(c.drift_per_year == 0.1);
  CHECK(c.volatility_per_year == 0.9);

  const auto [bad, unused] = load_with({{"initial_price", -1}, {"quote_decimals", 19}, {"sell_shar", 0.5},
                                        {"price_path", "brownian"}});
  REQUIRE(bad.size() == 4);
  std::string all;
  for (const std::string& m : bad) all += m + "\n";
  CHECK_THAT(all, Catch::Contains("/token_market/params/initial_price: expected"));
  CHECK_THAT(all, Catch::Contains("/token_market/params/quote_decimals: expected"));
  CHECK_THAT(all, Catch::Contains("/token_market/params/sell_shar: ") && Catch::Contains("did you mean \"sell_share\"?"));
  CHECK_THAT(all, Catch::Contains("/token_market/params/price_path: expected") && Catch::Contains("\"csv\""));

  const auto [combination, unused2] = load_with({{"price_path", "csv"}});
  REQUIRE(combination.size() == 1);
  CHECK(combination[0] ==
        "/token_market/params: expected a price_file (a CSV file with columns epoch,price) with price_path \"csv\", found none");
}

TEST_CASE("open_pool seeds the pool at the initial price from the provider's tokens", "[models][token_market]") {
  TokenMarketConfig c;
  c.initial_price = 0.5;
  c.liquidity_tokens = ledger::TokenAmount::whole_tokens(1'000'000, 18);
  ledger::Ledger l;
  const auto reserve = l.open_account();
  const auto treasury = l.open_account();
  l.mint(treasury, ledger::TokenAmount::whole_tokens(3'000'000, 18));
  const models::AmmPool pool = models::open_pool(c, l, reserve, treasury, 18);
  CHECK(pool.token_reserve() == c.liquidity_tokens);
  CHECK(pool.quote_reserve() == models::QuoteAmount::from_base_units(500'000'000'000));
  CHECK(pool.spot_price() == Approx(0.5).epsilon(1e-15));
  CHECK(l.balance(treasury) == ledger::TokenAmount::whole_tokens(2'000'000, 18));
  pool.check_reserve(l);
  ledger::Ledger empty;
  const auto poor = empty.open_accounts(2);
  CHECK_THROWS_AS(models::open_pool(c, empty, poor, poor + 1, 18), ledger::LedgerError);
}

TEST_CASE("make_price_path makes the path the config names, a replayed file found beside the scenario",
          "[models][token_market]") {
  TokenMarketConfig c;
  const auto day = core::SimTime::days(1);
  CHECK_FALSE(models::make_price_path(c, ".", day, 10, 1, 0).has_value());
  c.price_path = models::PricePathKind::gbm;
  c.initial_price = 0.5;
  c.volatility_per_year = 0.5;
  const auto gbm = models::make_price_path(c, ".", day, 10, 1, 0);
  REQUIRE(gbm.has_value());
  CHECK(gbm->epochs() == 10);
  CHECK(gbm->price(0) == 0.5);
  CHECK(gbm->price(9) == models::make_price_path(c, ".", day, 10, 1, 0)->price(9));
  CHECK(gbm->price(9) != models::make_price_path(c, ".", day, 10, 1, 1)->price(9));

  const TempFolder folder;
  io::write_file_atomically(folder.path / "prices.csv", "epoch,price\n0,0.5\n1,0.75\n");
  c.price_path = models::PricePathKind::replay;
  c.price_file = "prices.csv";
  CHECK_THROWS_AS(models::make_price_path(c, folder.path, day, 3, 1, 0), models::PriceFileError);
  c.past_end = models::PastEnd::hold;
  const auto replayed = models::make_price_path(c, folder.path, day, 3, 1, 0);
  REQUIRE(replayed.has_value());
  CHECK(replayed->price(2) == 0.75);
}
