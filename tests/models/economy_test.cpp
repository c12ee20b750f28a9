#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "models/catalog.hpp"
#include "tests/models/catalog_fixture.hpp"
#include "models/economy/contributor_economy.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/csv.hpp"
#include "sim/scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace dais;

namespace {

const models::ModelCatalog& catalog() { return test::builtin_catalog(); }

scenario::Scenario load_json(const nlohmann::json& j, const std::string& name) {
  return test::load_scenario_json(j, "dais_economy_test", name);
}

nlohmann::json small_world() {
  return {{"name", "small"},
          {"seed", 5},
          {"epoch", "1d"},
          {"horizon", "30d"},
          {"emission", {{"schedule", "exponential_decay"}, {"params", {{"initial", "1000"}, {"factor", 0.99}}}}},
          {"agents",
           {{{"role", "data_provider"}, {"model", "contributor"}, {"count", 8}},
            {{"role", "developer"}, {"model", "contributor"}, {"count", 4}, {"params", {{"initial_stake", "50"}}}},
            {{"role", "compute_provider"}, {"model", "contributor"}, {"count", 8}, {"params", {{"initial_stake", "10"}}}}}},
          {"entry", {{"rate", 1.0}, {"condition", "mean_profit_positive"}}},
          {"rewards",
           {{"data_provider", {{"share", 0.3}, {"rule", "proportional"}}},
            {"developer", {{"share", 0.3}, {"rule", "proportional"}}},
            {"compute_provider", {{"share", 0.4}, {"rule", "proportional"}}}}},
          {"outputs", {{"transfers", true}}}};
}

using Table = std::vector<std::map<std::string, std::string>>;

Table table(const std::vector<std::string>& columns, const io::CsvBuffer& body) {
  const auto rows = io::parse_csv(body.text());
  Table out;
  for (const auto& r : rows) {
    REQUIRE(r.size() == columns.size());
    std::map<std::string, std::string> m;
    for (std::size_t c = 0; c < columns.size(); ++c) m[columns[c]] = r[c];
    out.push_back(std::move(m));
  }
  return out;
}

u128 units(const std::string& text, unsigned decimals) {
  const auto a = ledger::TokenAmount::parse_decimal(text, decimals);
  REQUIRE(a.has_value());
  return a->base_units();
}

io::RunOutput run(const scenario::Scenario& s, std::int64_t replicate) {
  return models::run_contributor_economy(s, catalog(), {replicate, s.name, replicate, s.seed});
}

// The supply's metrics agree with the supply and stake columns: inflation is the supply's growth since the
// previous epoch over its size then, the staking ratio the share staked.
void check_supply_metrics(const scenario::Scenario& s, const Table& epochs) {
  const auto tokens = [&](const std::string& text) { return static_cast<double>(units(text, s.token.decimals)); };
  for (std::size_t t = 0; t < epochs.size(); ++t) {
    const double supply = tokens(epochs[t].at("supply_tokens"));
    if (supply == 0.0) {  // no ratio of nothing
      REQUIRE(epochs[t].at("staking_ratio").empty());
      continue;
    }
    REQUIRE(std::stod(epochs[t].at("staking_ratio")) == Approx(tokens(epochs[t].at("staked_tokens")) / supply).epsilon(1e-12));
    if (t == 0) continue;
    const double before = tokens(epochs[t - 1].at("supply_tokens"));
    if (before == 0.0) {
      REQUIRE(epochs[t].at("inflation").empty());
      continue;
    }
    REQUIRE(std::stod(epochs[t].at("inflation")) == Approx((supply - before) / before).epsilon(1e-9).margin(1e-15));
  }
}

// Checks what every run must satisfy: each epoch pays at most its emission and exactly it when every role
// has someone to pay; what agents received equals what epochs paid; rewards minted are in the journal.
void check_accounting(const scenario::Scenario& s, const io::RunOutput& out) {
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const unsigned d = s.token.decimals;
  u128 paid_by_epochs = 0;
  for (const auto& row : table(schema.epochs, out.epochs)) {
    u128 paid = 0;
    for (const auto& [col, v] : row)
      if (col.rfind("rewards_", 0) == 0) paid += units(v, d);
    // Every base unit of the emission is paid, or reported unpaid because its role had nobody to pay.
    REQUIRE(paid + units(row.at("unpaid_tokens"), d) == units(row.at("emission_tokens"), d));
    paid_by_epochs += paid;
  }
  check_supply_metrics(s, table(schema.epochs, out.epochs));
  u128 paid_to_agents = 0;
  for (const auto& row : table(schema.agents, out.agents)) paid_to_agents += units(row.at("rewards_tokens"), d);
  REQUIRE(paid_to_agents == paid_by_epochs);
  const auto runs = table(schema.runs, out.run);
  REQUIRE(runs.size() == 1);
  REQUIRE(units(runs[0].at("rewards_tokens"), d) == paid_by_epochs);
  if (s.outputs.transfers) {
    u128 minted_as_reward = 0;
    for (const auto& row : table(schema.transfers, out.transfers))
      if (row.at("operation") == "mint" && row.at("reason") == "reward") minted_as_reward += units(row.at("amount_tokens"), d);
    REQUIRE(minted_as_reward == paid_by_epochs);
  }
}

}  // namespace

TEST_CASE("a run is reproducible to the byte and replicates differ", "[models][economy]") {
  const scenario::Scenario s = load_json(small_world(), "small");
  const io::RunOutput a = run(s, 0);
  const io::RunOutput b = run(s, 0);
  const io::RunOutput c = run(s, 1);
  CHECK(a.epochs.text() == b.epochs.text());
  CHECK(a.agents.text() == b.agents.text());
  CHECK(a.transfers.text() == b.transfers.text());
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint != c.fingerprint);
  CHECK(a.epochs.rows() == 30);
  check_accounting(s, a);
  check_accounting(s, c);
}

TEST_CASE("agents draw the same contributions whatever the reward rule (common random numbers)", "[models][economy]") {
  nlohmann::json j = small_world();
  j["horizon"] = "1d";  // one epoch: nobody has left yet, so the same agents contribute in both designs
  const scenario::Scenario proportional = load_json(j, "prop");
  j["rewards"]["compute_provider"]["rule"] = "stake_weighted";
  const scenario::Scenario staked = load_json(j, "stake");
  const auto schema = io::with_identity(models::contributor_economy_schema(proportional, catalog()), {});
  const auto a = table(schema.agents, run(proportional, 3).agents);
  const auto b = table(schema.agents, run(staked, 3).agents);
  REQUIRE(a.size() == b.size());
  bool some_reward_differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].at("contribution") == b[i].at("contribution"));
    some_reward_differs = some_reward_differs || a[i].at("rewards_tokens") != b[i].at("rewards_tokens");
  }
  CHECK(some_reward_differs);
}

TEST_CASE("stake_weighted pays compute providers in proportion to their endowment", "[models][economy]") {
  nlohmann::json j = small_world();
  j["horizon"] = "1d";
  j["entry"]["rate"] = 0;
  j["agents"][2]["params"]["initial_stake"] = "10";
  j["rewards"]["compute_provider"]["rule"] = "stake_weighted";
  const scenario::Scenario s = load_json(j, "stake_only");
  const auto schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  for (const auto& row : table(schema.agents, run(s, 0).agents)) {
    // 1000 tokens * 0.4 over 8 equal stakes = 50 tokens each.
    if (row.at("role") == "compute_provider") CHECK(row.at("rewards_tokens") == "50");
  }
}

TEST_CASE("agents with a loss leave and no newcomer comes while the average profit is negative", "[models][economy]") {
  nlohmann::json j = small_world();
  j["agents"][0]["params"]["fixed_cost"] = "1000";  // data providers lose money every epoch
  j["agents"][0]["params"]["exit_probability"] = 1.0;
  j["horizon"] = "5d";
  const scenario::Scenario s = load_json(j, "losses");
  const auto schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const io::RunOutput out = run(s, 0);
  for (const auto& row : table(schema.agents, out.agents))
    if (row.at("role") == "data_provider" && row.at("entry_epoch") == "0") CHECK(row.at("exit_epoch") == "0");
  const auto epochs = table(schema.epochs, out.epochs);
  CHECK(epochs[0].at("exited") == "8");
  CHECK(epochs[1].at("active_data_provider") == "0");
  check_accounting(s, out);
}

TEST_CASE("property: random small worlds conserve tokens and pay their emission to the base unit", "[models][economy][property]") {
  std::mt19937_64 rng(20261125);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const char* schedules[] = {"fixed", "exponential_decay", "half_life", "halving", "halving_by_issuance", "target_inflation"};
  const char* rules[] = {"proportional", "stake_weighted"};
  const char* roles[] = {"data_provider", "developer", "compute_provider"};
  for (int world = 0; world < 1000; ++world) {
    const unsigned decimals = static_cast<unsigned>(pick(19));
    const std::string amount = std::to_string(1 + pick(5000)) + (decimals > 0 ? ".5" : "");
    nlohmann::json emission;
    switch (pick(6)) {
      case 0: emission = {{"schedule", schedules[0]}, {"params", {{"amount", amount}}}}; break;
      case 1: emission = {{"schedule", schedules[1]}, {"params", {{"initial", amount}, {"factor", uniform(0.5, 1.0)}}}}; break;
      case 2: emission = {{"schedule", schedules[2]}, {"params", {{"initial", amount}, {"half_life", std::to_string(1 + pick(20)) + "d"}}}}; break;
      case 3: emission = {{"schedule", schedules[3]}, {"params", {{"initial", amount}, {"every", 1 + pick(5)}}}}; break;
      case 4: emission = {{"schedule", schedules[4]}, {"params", {{"initial", amount}, {"cap", std::to_string(10 + pick(20000))}}}}; break;
      default: emission = {{"schedule", schedules[5]}, {"params", {{"goal_bonded", uniform(0.1, 0.9)}}}}; break;
    }
    nlohmann::json agents = nlohmann::json::array();
    nlohmann::json rewards = nlohmann::json::object();
    int left = 1000;  // shares in thousandths, so they are exact decimals that sum to exactly 1
    for (int r = 0; r < 3; ++r) {
      const int populations = r == 0 ? 1 + pick(2) : pick(3);
      if (populations == 0) continue;
      for (int p = 0; p < populations; ++p) {
        agents.push_back({{"name", std::string(roles[r]) + std::to_string(p)},
                          {"role", roles[r]},
                          {"model", "contributor"},
                          {"count", pick(15)},
                          {"params",
                           {{"mu", uniform(-1, 2)},
                            {"sigma", uniform(0, 1.5)},
                            {"cost_factor", uniform(0, 3)},
                            {"exit_probability", uniform(0, 1)},
                            {"initial_stake", std::to_string(pick(3) * pick(100))}}}});
      }
      const int share = r == 2 ? left : pick(left + 1);
      left -= share;
      rewards[roles[r]] = {{"share", share / 1000.0}, {"rule", rules[pick(2)]}, {"thousandths", share}};
    }
    // Give any rest of the budget to the first role so shares sum to 1.
    const int first = rewards["data_provider"]["thousandths"].get<int>() + left;
    rewards["data_provider"]["share"] = first / 1000.0;
    for (auto& item : rewards.items()) item.value().erase("thousandths");
    nlohmann::json j = {{"name", "w" + std::to_string(world)},
                        {"seed", rng()},
                        {"epoch", std::to_string(1 + pick(48)) + "h"},
                        {"horizon", "1d"},
                        {"token", {{"decimals", decimals}, {"initial_supply", std::to_string(pick(2) * pick(100000))}}},
                        {"emission", emission},
                        {"agents", agents},
                        {"entry", {{"rate", uniform(0, 3)}, {"condition", pick(2) ? "always" : "mean_profit_positive"}}},
                        {"rewards", rewards},
                        {"outputs", {{"transfers", pick(4) == 0}}}};
    j["horizon"] = std::to_string((1 + pick(30)) * std::stoi(j["epoch"].get<std::string>())) + "h";
    INFO(j.dump());
    const scenario::Scenario s = load_json(j, "world");
    check_accounting(s, run(s, static_cast<std::int64_t>(pick(4))));
  }
}

TEST_CASE("with a compute market, compute providers are paid for the jobs they served, and cheaters are slashed",
          "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["market"] = {{"model", "compute"},
                 {"params", {{"arrival_rate", 6}, {"time_unit", "1h"}, {"fee", "0.5"}, {"dishonest_fraction", 0.25},
                             {"verify_probability", 0.2}}}};
  const scenario::Scenario s = load_json(j, "market");
  const io::RunOutput out = run(s, 0);
  check_accounting(s, out);
  CHECK(out.fingerprint == run(s, 0).fingerprint);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const unsigned d = s.token.decimals;
  const u128 fee = units("0.5", d);

  u128 served = 0;
  u128 fees = 0;
  u128 slashed = 0;
  std::int64_t caught = 0;
  for (const auto& row : table(schema.epochs, out.epochs)) {
    served += std::stoull(row.at("jobs_served"));
    REQUIRE(units(row.at("fees_tokens"), d) == fee * std::stoull(row.at("jobs_served")));
    fees += units(row.at("fees_tokens"), d);
    slashed += units(row.at("slashed_tokens"), d);
    caught += std::stoll(row.at("cheaters_caught"));
  }
  // 6 jobs an hour for 30 days, within five standard deviations.
  CHECK(std::abs(static_cast<double>(served) - 4320.0) < 5 * std::sqrt(4320.0));
  const auto runs = table(schema.runs, out.run);
  CHECK(std::stoull(runs[0].at("jobs_served")) == served);
  CHECK(units(runs[0].at("fees_tokens"), d) == fees);
  CHECK(units(runs[0].at("slashed_tokens"), d) == slashed);

  std::int64_t caught_agents = 0;
  u128 fees_to_agents = 0;
  for (const auto& row : table(schema.agents, out.agents)) {
    if (row.at("role") != "compute_provider") {
      CHECK(row.at("jobs") == "0");
      continue;
    }
    // A compute provider's contribution is the jobs it served while paid; its fees are all of them.
    CHECK(units(row.at("fees_tokens"), d) == fee * std::stoull(row.at("jobs")));
    fees_to_agents += units(row.at("fees_tokens"), d);
    if (row.at("caught") == "1") {
      ++caught_agents;
      CHECK(!row.at("exit_epoch").empty());
      CHECK(units(row.at("staked_tokens"), d) == units("5", d));  // half of 10 burned
      CHECK(units(row.at("slashed_tokens"), d) == units("5", d));
    } else {
      CHECK(units(row.at("slashed_tokens"), d) == 0);
    }
  }
  CHECK(fees_to_agents == fees);
  CHECK(caught_agents == caught);
  CHECK(caught > 0);
  CHECK(slashed == units("5", d) * static_cast<u128>(caught));
}

TEST_CASE("burned tokens are every burn and slash of the ledger, and burn/mint ratios their share of what was minted",
          "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["market"] = {{"model", "compute"},
                 {"params", {{"arrival_rate", 6}, {"time_unit", "1h"}, {"fee", "0.5"}, {"burn_share", 0.5},
                             {"dishonest_fraction", 0.25}, {"verify_probability", 0.2}}}};
  const scenario::Scenario s = load_json(j, "market_burns");
  const io::RunOutput out = run(s, 0);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const unsigned d = s.token.decimals;
  // The journal's epoch e holds what happened since epoch e - 1's record. Genesis is not part of epoch 0: its
  // mints are the endowments of the 4 developers and 8 compute providers there at the start, and the consumers'
  // funds (minted once, at genesis, without governance to raise the fee).
  std::map<std::int64_t, u128> minted_by_epoch;
  std::map<std::int64_t, u128> burned_by_epoch;
  int genesis_endowments = 4 + 8;
  for (const auto& row : table(schema.transfers, out.transfers)) {
    const std::int64_t e = std::stoll(row.at("epoch"));
    if (row.at("operation") == "mint" && row.at("reason") == "endowment" && genesis_endowments > 0) {
      --genesis_endowments;
      continue;
    }
    if (row.at("reason") == "consumer funds") continue;
    if (row.at("operation") == "mint") minted_by_epoch[e] += units(row.at("amount_tokens"), d);
    if (row.at("operation") == "burn" || row.at("operation") == "slash") burned_by_epoch[e] += units(row.at("amount_tokens"), d);
  }
  u128 burned_total = 0;
  u128 minted_total = 0;
  bool slash_seen = false;
  for (const auto& row : table(schema.epochs, out.epochs)) {
    const std::int64_t e = std::stoll(row.at("epoch"));
    INFO("epoch " << e);
    REQUIRE(units(row.at("burned_tokens"), d) == burned_by_epoch[e]);
    REQUIRE(std::stod(row.at("burn_mint_ratio")) ==
            Approx(static_cast<double>(burned_by_epoch[e]) / static_cast<double>(minted_by_epoch[e])).epsilon(1e-12));
    burned_total += burned_by_epoch[e];
    minted_total += minted_by_epoch[e];
    slash_seen = slash_seen || units(row.at("slashed_tokens"), d) > 0;
  }
  CHECK(slash_seen);
  CHECK(burned_total > 0);
  const auto runs = table(schema.runs, out.run);
  CHECK(std::stod(runs[0].at("burn_mint_ratio")) ==
        Approx(static_cast<double>(burned_total) / static_cast<double>(minted_total)).epsilon(1e-12));
  CHECK(std::stod(runs[0].at("staking_ratio")) ==
        Approx(static_cast<double>(units(table(schema.epochs, out.epochs).back().at("staked_tokens"), d)) /
               static_cast<double>(units(runs[0].at("supply_tokens"), d))).epsilon(1e-12));
}

TEST_CASE("the market's drops, replicas, disputes, forced errors and slashes show in the epochs and agents tables",
          "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["market"] = {{"model", "compute"},
                 {"params", {{"arrival_rate", 6}, {"time_unit", "1h"}, {"fee", "0.5"}, {"dispatch", "least_loaded"},
                             {"queue_capacity", 0}, {"dishonest_fraction", 0.0}, {"lazy_fraction", 0.5},
                             {"lazy_skip", 0.5}, {"verify_probability", 0.1}, {"replication_probability", 0.5},
                             {"referee_reward_share", 0.5}, {"forced_error_rate", 0.1}, {"forced_error_bounty", "2"}}}};
  const scenario::Scenario s = load_json(j, "market_mechanisms");
  const io::RunOutput out = run(s, 0);
  check_accounting(s, out);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const unsigned d = s.token.decimals;
  std::uint64_t dropped = 0;
  std::uint64_t replicated = 0;
  std::uint64_t disputes = 0;
  std::uint64_t found = 0;
  u128 slashed = 0;
  for (const auto& row : table(schema.epochs, out.epochs)) {
    dropped += std::stoull(row.at("jobs_dropped"));
    replicated += std::stoull(row.at("jobs_replicated"));
    disputes += std::stoull(row.at("disputes"));
    found += std::stoull(row.at("forced_errors_found"));
    CHECK(units(row.at("forced_error_bounties_tokens"), d) == units("2", d) * std::stoull(row.at("forced_errors_found")));
    slashed += units(row.at("slashed_tokens"), d);
  }
  CHECK(dropped > 0);
  CHECK(replicated > 0);
  CHECK(disputes > 0);
  CHECK(found > 0);
  u128 slashed_agents = 0;
  for (const auto& row : table(schema.agents, out.agents)) slashed_agents += units(row.at("slashed_tokens"), d);
  CHECK(slashed > 0);
  CHECK(slashed_agents == slashed);
}

TEST_CASE("developers earn the model fees of the jobs served, by their models' quality", "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["market"] = {{"model", "compute"},
                 {"params", {{"arrival_rate", 6}, {"time_unit", "1h"}, {"fee", "0.5"}, {"model_fee", "0.25"},
                             {"data_weight", 0.3}, {"quality_sensitivity", 2.0}, {"dishonest_fraction", 0}}}};
  const scenario::Scenario s = load_json(j, "model_fees");
  const io::RunOutput out = run(s, 0);
  check_accounting(s, out);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const unsigned d = s.token.decimals;
  const u128 model_fee = units("0.25", d);
  u128 served = 0;
  u128 model_fees = 0;
  for (const auto& row : table(schema.epochs, out.epochs)) {
    // Every job served pays its model fee, to the base unit, while there are developers.
    REQUIRE(std::stoi(row.at("active_developer")) > 0);
    REQUIRE(units(row.at("model_fees_tokens"), d) == model_fee * std::stoull(row.at("jobs_served")));
    REQUIRE(std::stod(row.at("demand_rate")) == 6.0);  // no elasticity: the rate stays
    served += std::stoull(row.at("jobs_served"));
    model_fees += units(row.at("model_fees_tokens"), d);
  }
  CHECK(units(table(schema.runs, out.run)[0].at("model_fees_tokens"), d) == model_fees);
  u128 to_developers = 0;
  std::vector<std::pair<double, double>> quality_and_fees;  // developers present from the start to the end
  for (const auto& row : table(schema.agents, out.agents)) {
    if (row.at("role") != "developer") continue;
    to_developers += units(row.at("fees_tokens"), d);
    if (row.at("entry_epoch") == "0" && row.at("exit_epoch").empty())
      quality_and_fees.emplace_back(std::stod(row.at("contribution")), std::stod(row.at("fees_tokens")));
  }
  CHECK(to_developers == model_fees);
  CHECK(served > 0);
  // Fees go as quality squared: the developer of the best models over the run earns the most.
  REQUIRE(quality_and_fees.size() >= 2);
  std::sort(quality_and_fees.begin(), quality_and_fees.end());
  CHECK(quality_and_fees.back().second > quality_and_fees.front().second);
}

TEST_CASE("demand follows the developers' mean model quality with its elasticity, from the second epoch",
          "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["entry"] = {{"rate", 0.0}};
  j["market"] = {{"model", "compute"},
                 {"params", {{"arrival_rate", 6}, {"time_unit", "1h"}, {"quality_elasticity", 1.5},
                             {"price_elasticity", 2.0}, {"max_demand_multiplier", 3.0}}}};
  const scenario::Scenario s = load_json(j, "quality_demand");
  const io::RunOutput out = run(s, 0);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const auto epochs = table(schema.epochs, out.epochs);
  const double q0 = std::stod(epochs[0].at("mean_model_quality"));
  REQUIRE(q0 > 0.0);
  CHECK(std::stod(epochs[0].at("demand_rate")) == 6.0);
  int moved = 0;
  for (std::size_t e = 1; e < epochs.size(); ++e) {
    // The job's price is constant without a token market: only quality moves the rate.
    const double q = std::stod(epochs[e - 1].at("mean_model_quality"));
    const double expected = 6.0 * std::clamp(std::pow(q / q0, 1.5), 1.0 / 3.0, 3.0);
    CHECK(std::stod(epochs[e].at("demand_rate")) == Approx(expected).epsilon(1e-9));
    moved += std::stod(epochs[e].at("demand_rate")) != 6.0;
  }
  CHECK(moved > 0);
}

TEST_CASE("model fees without developers to earn them are refused", "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["rewards"].erase("developer");
  j["rewards"]["compute_provider"]["share"] = 0.7;
  j["agents"].erase(1);
  j["market"] = {{"model", "compute"}, {"params", {{"model_fee", "1"}}}};
  const scenario::Scenario s = load_json(j, "no_developers");
  CHECK_THROWS_WITH(run(s, 0), Catch::Contains("need developers"));
}

TEST_CASE("agents trade on the AMM: batched sales and purchases conserve tokens and quote, and set the price",
          "[models][economy][token_market]") {
  nlohmann::json j = small_world();
  j["token_market"] = {{"model", "amm"},
                       {"params", {{"initial_price", 0.5}, {"liquidity_tokens", "20000"}, {"sell_share", 0.6},
                                   {"buy_to_stake_share", 0.25}}}};
  const scenario::Scenario s = load_json(j, "token_market");
  const io::RunOutput out = run(s, 0);
  check_accounting(s, out);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(s, catalog()), {});
  const unsigned d = s.token.decimals;
  const unsigned qd = 6;
  const u128 genesis_quote = units("10000", qd);  // 20,000 tokens at 0.5
  u128 received = 0;
  u128 paid = 0;
  double previous_price = 0.5;
  int moved = 0;
  for (const auto& row : table(schema.epochs, out.epochs)) {
    u128 rewards = 0;
    for (const char* role : {"rewards_data_provider_tokens", "rewards_developer_tokens", "rewards_compute_provider_tokens"})
      rewards += units(row.at(role), d);
    // Each seller offers 60% of its reward, rounded down: at most 60% of the epoch's rewards, short by under a
    // base unit a seller.
    const u128 sold = units(row.at("tokens_sold_tokens"), d);
    CHECK(sold <= rewards * 6 / 10);
    CHECK(sold + 50 >= rewards * 6 / 10);
    received += units(row.at("quote_received"), qd);
    paid += units(row.at("quote_paid"), qd);
    // The price is the pool's reserve ratio after the epoch's trades.
    const double pool_price = static_cast<double>(units(row.at("pool_quote"), qd)) * 1e-6 /
                              (static_cast<double>(units(row.at("pool_tokens"), d)) * 1e-18);
    CHECK(std::stod(row.at("price")) == Approx(pool_price).epsilon(1e-12));
    moved += std::stod(row.at("price")) != previous_price;
    previous_price = std::stod(row.at("price"));
  }
  CHECK(moved > 20);
  // Quote is conserved between the agents and the pool, to the base unit.
  u128 holdings = 0;
  for (const auto& row : table(schema.agents, out.agents)) holdings += units(row.at("quote_holdings"), qd);
  CHECK(holdings == received - paid);
  const auto last = table(schema.epochs, out.epochs).back();
  CHECK(units(last.at("pool_quote"), qd) + received == genesis_quote + paid);
  CHECK(paid > 0);
}

TEST_CASE("an external price path sets the price, and a collapse in it drives agents out through their fiat profit",
          "[models][economy][token_market]") {
  const fs::path dir = fs::temp_directory_path() / ("dais_economy_prices_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string steady = "epoch,price\n";
  std::string collapse = "epoch,price\n";
  for (int e = 0; e < 30; ++e) {
    steady += std::to_string(e) + ",1\n";
    collapse += std::to_string(e) + (e < 10 ? ",1\n" : ",0.02\n");
  }
  io::write_file_atomically(dir / "steady.csv", steady);
  io::write_file_atomically(dir / "collapse.csv", collapse);
  auto world = [&](const std::string& file) {
    nlohmann::json j = small_world();
    j["entry"] = {{"rate", 0.0}};
    // Costs that income covers at the genesis price but not at a fiftieth of it, and quick to react.
    for (auto& population : j["agents"])
      population["params"].update({{"fixed_cost", "2"}, {"profit_smoothing", 0.5}, {"exit_probability", 0.3}});
    j["token_market"] = {{"model", "amm"},
                         {"params", {{"initial_price", 1.0}, {"sell_share", 0.5}, {"price_path", "csv"},
                                     {"price_file", (dir / file).string()}}}};
    return load_json(j, "price_" + file.substr(0, file.size() - 4));
  };
  const scenario::Scenario steady_world = world("steady.csv");
  const scenario::Scenario collapse_world = world("collapse.csv");
  const io::RunOutput a = run(steady_world, 0);
  const io::RunOutput b = run(collapse_world, 0);
  check_accounting(collapse_world, b);
  const io::OutputSchema schema = io::with_identity(models::contributor_economy_schema(steady_world, catalog()), {});
  const auto ea = table(schema.epochs, a.epochs);
  const auto eb = table(schema.epochs, b.epochs);
  for (std::size_t e = 0; e < eb.size(); ++e) {
    CHECK(std::stod(ea[e].at("price")) == 1.0);
    CHECK(std::stod(eb[e].at("price")) == (e < 10 ? 1.0 : 0.02));
    // The same world until the price falls (the valuation uses the last close, so from epoch 11 on).
    if (e <= 10) CHECK(ea[e].at("active") == eb[e].at("active"));
  }
  CHECK(std::stoi(eb.back().at("active")) < std::stoi(ea.back().at("active")));
  fs::remove_all(dir);
}

TEST_CASE("a market without compute providers to serve it is refused", "[models][economy][market]") {
  nlohmann::json j = small_world();
  j["rewards"] = {{"data_provider", {{"share", 1}, {"rule", "proportional"}}}};
  j["agents"] = {{{"role", "data_provider"}, {"model", "contributor"}, {"count", 3}}};
  j["market"] = {{"model", "compute"}};
  const scenario::Scenario s = load_json(j, "no_compute");
  CHECK_THROWS_WITH(run(s, 0), Catch::Contains("the market needs compute providers"));
}
