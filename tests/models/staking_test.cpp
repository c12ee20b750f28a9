// Staking: delegation's exact reward split, unbonding and slashing in the ledger, the correlation penalty against
// its formula, the sections' load-time errors, and the economy run with all of it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "models/staking/correlation.hpp"
#include "models/staking/delegation.hpp"
#include "models/staking/staking.hpp"
#include "models/staking/staking_config.hpp"
#include "tests/models/economy_fixture.hpp"
#include "tests/models/section_errors_fixture.hpp"

using dais::core::SimTime;
using dais::ledger::Ledger;
using dais::ledger::TokenAmount;
using dais::models::staking::CorrelationWindow;
using dais::models::staking::DelegationBook;
using nlohmann::json;

namespace {

TokenAmount tokens(std::uint64_t whole) { return TokenAmount::whole_tokens(whole, 18); }
TokenAmount tokens(const char* decimal) { return *TokenAmount::parse_decimal(decimal, 18); }
dais::u128 base_units(const std::string& decimal) { return TokenAmount::parse_decimal(decimal, 18)->base_units(); }
TokenAmount units(std::uint64_t base) { return TokenAmount::from_base_units(base); }
constexpr std::uint64_t millionths(double fraction) { return static_cast<std::uint64_t>(fraction * 1e6 + 0.5); }

// An operator account with `own` staked, and delegators of `stakes` bonded to it (operator number 0).
struct OneOperator {
  Ledger ledger;
  DelegationBook book{ledger};
  dais::ledger::AccountId op = 0;

  OneOperator(TokenAmount own, std::initializer_list<TokenAmount> stakes) {
    op = ledger.open_account();
    ledger.mint(op, own);
    ledger.stake(op, own);
    for (TokenAmount s : stakes) book.bond(book.add_delegator(s), 0);
  }
  // Pays the operator `reward` as the reward pipeline would, then splits it.
  DelegationBook::Split pay(TokenAmount reward, double commission) {
    ledger.mint(op, reward, "reward");
    return book.split_reward(0, op, ledger.staked(op), reward, millionths(commission));
  }
};

}  // namespace

TEST_CASE("an operator with 100 own and 300 delegated at 18% commission keeps 15.4 of 40, its delegators 24.6 pro rata",
          "[staking]") {
  OneOperator world(tokens(100), {tokens(100), tokens(200)});
  REQUIRE(world.book.delegated_to(0) == tokens(300));
  const DelegationBook::Split split = world.pay(tokens(40), 0.18);
  // 40 · 300/400 = 30 on the delegated part; the operator keeps 40 · 100/400 + 0.18 · 30 = 10 + 5.4.
  CHECK(split.commission == tokens("5.4"));
  CHECK(split.to_delegators == tokens("24.6"));
  CHECK(world.ledger.balance(world.op) == tokens("15.4"));
  CHECK(world.ledger.balance(world.book.account(0)) == tokens("8.2"));
  CHECK(world.ledger.balance(world.book.account(1)) == tokens("16.4"));
  CHECK(world.book.rewards(1) == tokens("16.4"));
  world.ledger.check_conservation();
  world.book.check();
}

TEST_CASE("commission 0 passes the whole delegated part on, commission 1 keeps it all", "[staking]") {
  OneOperator none(tokens(100), {tokens(300)});
  const auto zero = none.pay(tokens(40), 0.0);
  CHECK(zero.commission.is_zero());
  CHECK(none.ledger.balance(none.op) == tokens(10));
  CHECK(none.ledger.balance(none.book.account(0)) == tokens(30));

  OneOperator all(tokens(100), {tokens(300)});
  const auto one = all.pay(tokens(40), 1.0);
  CHECK(one.commission == tokens(30));
  CHECK(one.to_delegators.is_zero());
  CHECK(all.ledger.balance(all.op) == tokens(40));
  CHECK(all.ledger.balance(all.book.account(0)).is_zero());
}

TEST_CASE("the delegators' part is exact to the base unit: what rounding leaves goes by largest remainder",
          "[staking]") {
  // No own stake: all 10 base units are the delegators'; three equal delegations get 4, 3, 3 (ties to the first).
  OneOperator world(TokenAmount{}, {tokens(1), tokens(1), tokens(1)});
  const auto split = world.pay(units(10), 0.0);
  CHECK(split.to_delegators == units(10));
  CHECK(world.ledger.balance(world.book.account(0)) == units(4));
  CHECK(world.ledger.balance(world.book.account(1)) == units(3));
  CHECK(world.ledger.balance(world.book.account(2)) == units(3));
  CHECK(world.ledger.balance(world.op).is_zero());
  // Commission rounds down, after the delegated part is rounded by largest remainder.
  OneOperator odd(tokens(1), {tokens(2)});
  const auto half = odd.pay(units(10), 0.5);  // delegated part: 10 · 2/3 = 6.67 -> 7 by largest remainder
  CHECK(half.commission == units(3));
  CHECK(half.to_delegators == units(4));
  CHECK(odd.ledger.balance(odd.op) == units(6));
}

TEST_CASE("delegation conserves tokens through unbonding, redelegation and slashing, and slashes follow the stake",
          "[staking]") {
  Ledger ledger;
  DelegationBook book(ledger);
  const auto a = ledger.open_account();  // operators 0 and 1
  const auto b = ledger.open_account();
  for (auto op : {a, b}) {
    ledger.mint(op, tokens(1000));
    ledger.stake(op, tokens(1000));
  }
  const auto d0 = book.add_delegator(tokens(400));
  const auto d1 = book.add_delegator(tokens(600));
  book.bond(d0, 0);
  book.bond(d1, 0);
  const auto checked = [&] {
    ledger.check_conservation();
    book.check();
  };
  checked();
  CHECK(book.delegated_to(0) == tokens(1000));
  CHECK(ledger.total_staked() == tokens(3000));

  // d0 leaves operator 0 at day 1 with a 3-day unbonding: no longer its stake, still slashable with it.
  book.unbond(d0, SimTime::days(1), SimTime::days(3));
  checked();
  CHECK(book.delegated_to(0) == tokens(600));
  CHECK(book.slashable_with(0) == tokens(1000));
  CHECK(book.slash(0, millionths(0.1)) == tokens(100));  // 40 from d0's unbonding, 60 from d1
  checked();
  CHECK(ledger.unbonding(book.account(d0)) == tokens(360));
  CHECK(ledger.staked(book.account(d1)) == tokens(540));
  CHECK(book.delegated_to(0) == tokens(540));

  // Not yet released on day 3; released on day 4, then free to bond to operator 1 with what is left.
  ledger.release_matured(SimTime::days(3));
  CHECK(book.collect_released(SimTime::days(3)).empty());
  ledger.release_matured(SimTime::days(4));
  CHECK(book.collect_released(SimTime::days(4)) == std::vector<std::uint32_t>{d0});
  CHECK(book.free(d0));
  checked();
  book.bond(d0, 1);
  checked();
  CHECK(book.delegated_to(1) == tokens(360));
  // A slash of operator 0 no longer reaches d0; one of operator 1 does.
  CHECK(book.slash(0, millionths(0.5)) == tokens(270));
  CHECK(ledger.staked(book.account(d0)) == tokens(360));
  CHECK(book.slash(1, millionths(0.5)) == tokens(180));
  CHECK(book.slashed(d0) == tokens(220));
  checked();
  CHECK(ledger.supply() == tokens(3000 - 100 - 270 - 180));
}

TEST_CASE("the correlation penalty follows min(1, base + min(1, 3 S / T)) over the slashes in the window",
          "[staking]") {
  CorrelationWindow window(3.0, SimTime::days(10));
  const TokenAmount total = tokens(1000);
  // Two slashes inside one window add up; a third 19 days after the first sees only itself.
  CHECK(window.add(SimTime::days(1), tokens(10), total) == Approx(3.0 * 10 / 1000));
  CHECK(window.add(SimTime::days(5), tokens(20), total) == Approx(3.0 * 30 / 1000));
  CHECK(window.add(SimTime::days(20), tokens(40), total) == Approx(3.0 * 40 / 1000));
  // The window is (t - 10 days, t]: a slash exactly 10 days later no longer counts the earlier one.
  CHECK(window.add(SimTime::days(30), tokens(40), total) == Approx(3.0 * 40 / 1000));
  CHECK(window.add(SimTime::days(31), tokens(500), total) == 1.0);  // 3 · 540 / 1000 capped at 1
  CHECK(CorrelationWindow::fraction(0.05, 0.09) == Approx(0.14));
  CHECK(CorrelationWindow::fraction(0.5, 0.9) == 1.0);
  CorrelationWindow empty(3.0, SimTime::days(1));
  CHECK(empty.add(SimTime::days(1), tokens(1), TokenAmount{}) == 0.0);
}

TEST_CASE("a correlated slash takes base plus the correlation term of the operator's and its delegators' stake",
          "[staking]") {
  using namespace dais::models::staking;
  Ledger ledger;
  const auto other = ledger.open_account();  // a bystander's stake, part of the total
  ledger.mint(other, tokens(3600));
  ledger.stake(other, tokens(3600));
  const auto op = ledger.open_account();
  ledger.mint(op, tokens(100));
  ledger.stake(op, tokens(100));
  DelegationConfig delegation;
  delegation.role = "compute_provider";
  delegation.delegators = 1;
  delegation.stake_min = delegation.stake_max = tokens(300);
  SlashingConfig slashing;
  slashing.correlation = CorrelationSpec{3.0, 5};
  Staking staking(delegation, slashing, {0}, ledger, 1, 0, SimTime::days(1), SimTime::days(10));
  const std::vector<dais::ledger::AccountId> accounts{op};
  const std::vector<std::uint32_t> agents{0};
  const std::vector<std::uint16_t> population{0};
  staking.endow_delegators();
  staking.bond_initial({accounts, agents, population});
  REQUIRE(staking.stake_of(0, op) == tokens(400));
  // S = 400 at fault, T = 4000 staked: term 3 · 0.1 = 0.3, fraction 0.1 + 0.3 = 0.4 of 100 own and 300 delegated.
  const TokenAmount slashed = staking.slash(0, op, 0.1, SimTime::days(2), true, "caught cheating");
  CHECK(slashed == tokens(160));
  CHECK(ledger.staked(op) == tokens(60));
  CHECK(staking.stake_of(0, op) == tokens(240));
  const StakingPeriod period = staking.take_period();
  CHECK(period.correlation_penalty == Approx(0.3));
  CHECK(period.delegators_slashed == tokens(120));
  ledger.check_conservation();
  staking.book().check();
  // Uncorrelated (downtime): the base alone.
  CHECK(staking.slash(0, op, 0.5, SimTime::days(3), false, "downtime") == tokens(120));
}

TEST_CASE("the delegation and slashing sections report bad parameters at load, naming the JSON path", "[staking]") {
  using dais::models::staking::read_delegation;
  using dais::models::staking::read_slashing;
  const json delegation = json::parse(R"({"role": "validator", "delegators": -1, "stake": {"min": "10", "max": "5"},
      "choice": "cheapest", "commission": {"validators": 1.5}, "unbonding": 2.5, "redelegate": 3})");
  const auto errors = dais::test::error_messages([&] { read_delegation(delegation, "f.json", "/delegation", 18); });
  CHECK(errors == std::vector<std::string>{
                      "/delegation/redelegate: unknown key \"redelegate\"; expected one of \"role\", \"delegators\", "
                      "\"stake\", \"choice\", \"redelegate_every\", \"unbonding\" or \"commission\"",
                      "/delegation/delegators: expected an integer in [0, 10000000], found -1",
                      "/delegation/stake/min: expected min <= max, found min above max",
                      "/delegation/choice: expected one of \"stake_weighted\", \"lowest_commission\" or \"highest_yield\", "
                      "found \"cheapest\"",
                      "/delegation/unbonding: expected an integer in [0, 100000000], found 2.5",
                      "/delegation/commission/validators: expected a number in [0, 1], found 1.5"});
  const json slashing = json::parse(R"({"correlation": {"multiplier": -3}, "downtime": {"role": "validator",
      "probability": 2, "correlated": "yes"}})");
  const auto slashing_errors = dais::test::error_messages([&] { read_slashing(slashing, "f.json", "/slashing"); });
  CHECK(slashing_errors == std::vector<std::string>{
                               "/slashing/correlation: expected the key \"window\", found none",
                               "/slashing/correlation/multiplier: expected a number in [0, 1000000], found -3",
                               "/slashing/downtime/probability: expected a number in [0, 1], found 2",
                               "/slashing/downtime/correlated: expected true or false, found \"yes\""});
}

TEST_CASE("a delegation to a role the scenario does not pay by stake is refused at load, and nothing follows from it",
          "[staking]") {
  json world = {{"name", "staking"}, {"epoch", "1d"}, {"horizon", "2d"},
                {"emission", {{"schedule", "fixed"}, {"params", {{"amount", "40"}}}}},
                {"agents", json::array({{{"role", "developer"}, {"model", "contributor"}, {"count", 2}}})},
                {"rewards", {{"developer", {{"share", 1}, {"rule", "proportional"}}}}}};
  world["delegation"] = {{"role", "developer"}, {"delegators", 1}, {"stake", "1"}, {"commission", {{"nobody", 0.1}}}};
  const auto errors = dais::test::error_messages([&] { dais::test::load_scenario_json(world); });
  CHECK(errors == std::vector<std::string>{"/delegation/role: expected a role of \"rewards\" among (none), found \"developer\""});
}

namespace {

// Validators paid pro rata to stake from a fixed emission: `validators` with 100 own tokens each, delegators
// of `delegation`.
json validator_world(const json& delegation, std::int64_t validators = 1, const char* horizon = "1d") {
  json j = {{"name", "staking"},
            {"epoch", "1d"},
            {"horizon", horizon},
            {"emission", {{"schedule", "fixed"}, {"params", {{"amount", "40"}}}}},
            {"agents", json::array({{{"name", "validators"},
                                     {"role", "validator"},
                                     {"model", "validator"},
                                     {"count", validators},
                                     {"params", {{"initial_stake", "100"}, {"restake", false}}}}})},
            {"rewards", {{"validator", {{"share", 1}, {"rule", "stake_weighted"}}}}},
            {"outputs", {{"epochs", true}, {"agents", true}}}};
  j["delegation"] = delegation;
  return j;
}

}  // namespace

TEST_CASE("an economy epoch pays a validator and its delegators by the hand-computed split", "[staking][economy]") {
  const auto s = dais::test::load_scenario_json(validator_world(
      {{"role", "validator"}, {"delegators", 2}, {"stake", "150"}, {"commission", 0.18}}));
  const auto run = dais::test::run_economy(s);
  const auto epoch = run.epochs().at(0);
  // 100 own and 2 × 150 delegated, 40 paid: as the hand-computed case.
  CHECK(epoch.at("rewards_validator_tokens") == "40");
  CHECK(epoch.at("delegated_tokens") == "300");
  CHECK(epoch.at("commission_tokens") == "5.4");
  CHECK(epoch.at("delegator_rewards_tokens") == "24.6");
  const auto agent = run.agents().at(0);
  CHECK(agent.at("rewards_tokens") == "40");  // what the rule paid on its stake
  CHECK(agent.at("delegator_rewards_tokens") == "24.6");
  CHECK(agent.at("commission_tokens") == "5.4");
  CHECK(agent.at("balance_tokens") == "15.4");
  CHECK(agent.at("delegated_tokens") == "300");
  const auto runs = run.runs().at(0);
  CHECK(runs.at("delegators") == "2");
  CHECK(std::stod(runs.at("delegator_roi_mean")) == Approx(12.3 / 150));
}

TEST_CASE("an economy with redelegation, unbonding, downtime slashing and exits conserves tokens and repeats exactly",
          "[staking][economy]") {
  json world = validator_world({{"role", "validator"},
                                {"delegators", 50},
                                {"stake", {{"min", "10"}, {"max", "500"}}},
                                {"choice", GENERATE("stake_weighted", "lowest_commission", "highest_yield")},
                                {"redelegate_every", 3},
                                {"unbonding", 2},
                                {"commission", 0.1}},
                               8, "40d");
  world["agents"][0]["params"]["cost"] = "4";  // some leave, and their delegators with them
  world["slashing"] = {{"downtime", {{"role", "validator"}, {"probability", 0.2}, {"fraction", 0.01}}}};
  const auto s = dais::test::load_scenario_json(world);
  const auto run = dais::test::run_economy(s);  // the ledger's conservation and the book's sums are checked each epoch
  const auto again = dais::test::run_economy(s);
  CHECK(run.output.epochs.text() == again.output.epochs.text());
  CHECK(run.output.agents.text() == again.output.agents.text());
  const auto epochs = run.epochs();
  REQUIRE(epochs.size() == 40);
  std::size_t slashes = 0;
  for (const auto& e : epochs) slashes += std::stoul(e.at("downtime_slashes"));
  CHECK(slashes > 0);
  CHECK(run.runs().at(0).at("delegator_slashed_tokens") != "0");
  // Every bonded token is some active operator's delegated stake.
  dais::u128 by_agents = 0;
  for (const auto& a : run.agents())
    by_agents += base_units(a.at("delegated_tokens"));
  CHECK(by_agents == base_units(epochs.back().at("delegated_tokens")));
}

TEST_CASE("delegators choosing the lowest commission all back the cheapest operators", "[staking][economy]") {
  json world = validator_world({{"role", "validator"},
                                {"delegators", 20},
                                {"stake", "100"},
                                {"choice", "lowest_commission"},
                                {"commission", {{"validators", 0.2}, {"cheap", 0.05}}}});
  world["agents"].push_back({{"name", "cheap"}, {"role", "validator"}, {"model", "validator"}, {"count", 2},
                             {"params", {{"initial_stake", "100"}, {"restake", false}}}});
  const auto run = dais::test::run_economy(dais::test::load_scenario_json(world));
  dais::u128 cheap = 0;
  for (const auto& a : run.agents()) {
    if (a.at("population") == "cheap")
      cheap += base_units(a.at("delegated_tokens"));
    else
      CHECK(a.at("delegated_tokens") == "0");
  }
  CHECK(cheap == tokens(2000).base_units());
}

namespace {

// Two compute providers serving the market, 1 and 1000 tokens of their own; delegators back the first.
json market_world() {
  json j = {{"name", "staking_market"},
            {"epoch", "1d"},
            {"horizon", "20d"},
            {"emission", {{"schedule", "fixed"}, {"params", {{"amount", "40"}}}}},
            {"agents", json::array({{{"name", "backed"}, {"role", "compute_provider"}, {"model", "contributor"},
                                     {"count", 1}, {"params", {{"initial_stake", "1"}}}},
                                    {{"name", "plain"}, {"role", "compute_provider"}, {"model", "contributor"},
                                     {"count", 1}, {"params", {{"initial_stake", "1000"}}}}})},
            {"rewards", {{"compute_provider", {{"share", 1}, {"rule", "stake_weighted"}}}}},
            {"market", {{"model", "compute"},
                        {"params", {{"arrival_rate", 2}, {"time_unit", "1h"}, {"service_rate", 200}, {"fee", "0.01"},
                                    {"verify_probability", 0.0}, {"dishonest_fraction", 0.0}}}}},
            {"outputs", {{"epochs", true}, {"agents", true}}}};
  j["delegation"] = {{"role", "compute_provider"}, {"delegators", 20}, {"stake", "500"}, {"choice", "lowest_commission"},
                     {"commission", {{"backed", 0.0}, {"plain", 0.5}}}};
  return j;
}

}  // namespace

TEST_CASE("the compute market dispatches by own and delegated stake", "[staking][market]") {
  const auto run = dais::test::run_economy(dais::test::load_scenario_json(market_world()));
  const auto agents = run.agents();
  REQUIRE(agents.size() == 2);
  CHECK(agents[0].at("delegated_tokens") == "10000");
  // Stakes 10001 against 1000: the backed provider, with a free slot nearly always, gets about 10 jobs in 11.
  const double backed = std::stod(agents[0].at("jobs"));
  const double plain = std::stod(agents[1].at("jobs"));
  CHECK(backed > 5 * plain);
  CHECK(plain > 0);
}

TEST_CASE("a cheater caught by the market is slashed with its delegators, and the correlation term grows with the "
          "stake slashed together", "[staking][market]") {
  json world = market_world();
  world["market"]["params"]["verify_probability"] = 1.0;
  world["market"]["params"]["dishonest_fraction"] = 1.0;  // both skip their first job and are caught
  world["market"]["params"]["slash_fraction"] = 0.1;
  world["slashing"] = {{"correlation", {{"multiplier", 3}, {"window", 5}}}};
  const auto run = dais::test::run_economy(dais::test::load_scenario_json(world));
  const auto runs = run.runs().at(0);
  CHECK(runs.at("cheaters_caught") == "2");
  // Both are slashed: own and delegated stake lose at least the base 10%; with 11001 staked in all, the correlation
  // term is min(1, 3 · at fault / total) for the one caught first and 1 for the second (3 · 11001 / total > 1).
  CHECK(std::stod(runs.at("correlation_penalty_max")) == 1.0);
  CHECK(base_units(runs.at("delegator_slashed_tokens")) > 0);
  CHECK(base_units(runs.at("slashed_tokens")) > base_units(runs.at("delegator_slashed_tokens")));
  const auto last = run.epochs().back();
  CHECK(last.at("delegated_tokens") == "0");  // every delegator left its caught operator (and is unbonding)
}

TEST_CASE("designs that differ in the delegators' choice see the same endowments and the same downtimes",
          "[staking][economy]") {
  // Common random numbers: endowments are drawn per delegator, downtimes per (operator, epoch), never by design.
  const auto downtimes = [](const char* choice) {
    json world = validator_world({{"role", "validator"},
                                  {"delegators", 30},
                                  {"stake", {{"min", "10"}, {"max", "500"}}},
                                  {"choice", choice},
                                  {"redelegate_every", 2},
                                  {"commission", {{"validators", 0.1}, {"cheap", 0.02}}}},
                                 6, "20d");
    world["agents"].push_back({{"name", "cheap"}, {"role", "validator"}, {"model", "validator"}, {"count", 2},
                               {"params", {{"initial_stake", "100"}, {"restake", false}}}});
    world["slashing"] = {{"downtime", {{"role", "validator"}, {"probability", 0.1}, {"fraction", 0.01}}}};
    const auto run = dais::test::run_economy(dais::test::load_scenario_json(world));
    // What the delegators hold after the first epoch's slashes, and those slashes: together, their endowments.
    const auto first = run.epochs().at(0);
    const auto endowments = base_units(first.at("delegated_tokens")) + base_units(first.at("delegator_slashed_tokens"));
    std::vector<std::string> out{dais::ledger::u128_to_string(endowments)};
    for (const auto& e : run.epochs()) out.push_back(e.at("downtime_slashes"));
    return out;
  };
  const auto by_stake = downtimes("stake_weighted");
  CHECK(by_stake == downtimes("lowest_commission"));
  CHECK(by_stake == downtimes("highest_yield"));
}
