#include <catch2/catch.hpp>

#include <vector>

#include "models/catalog.hpp"
#include "models/rewards/pipeline.hpp"
#include "models/rewards/proportional.hpp"
#include "models/rewards/stake_weighted.hpp"

using namespace dais;
using ledger::TokenAmount;

namespace {

TokenAmount units(std::uint64_t n) { return TokenAmount::from_base_units(n); }

std::vector<std::uint64_t> as_units(const std::vector<TokenAmount>& v) {
  std::vector<std::uint64_t> out;
  for (TokenAmount a : v) out.push_back(static_cast<std::uint64_t>(a.base_units()));
  return out;
}

}  // namespace

TEST_CASE("proportional splits a budget pro rata with the remainder to the largest fractions", "[models][rewards]") {
  models::ProportionalRule rule;
  const std::vector<ledger::AccountId> accounts{1, 2, 3};
  const std::vector<double> q{1.0, 1.0, 1.0};
  std::vector<TokenAmount> out(3);
  // 100 / 3 = 33.33: floors 33 each, one unit left, all remainders tie -> the lowest index gets it.
  rule.allocate({0, units(100), accounts, q, {}}, out);
  CHECK(as_units(out) == std::vector<std::uint64_t>{34, 33, 33});

  const std::vector<double> q2{1.0, 2.0, 3.0, 4.0};
  std::vector<TokenAmount> out2(4);
  const std::vector<ledger::AccountId> accounts2{1, 2, 3, 4};
  // 7 * q / 10 = 0.7, 1.4, 2.1, 2.8 -> floors 0,1,2,2 (5), remainders .7 .4 .1 .8 -> +1 to #4 and #1.
  rule.allocate({0, units(7), accounts2, q2, {}}, out2);
  CHECK(as_units(out2) == std::vector<std::uint64_t>{1, 1, 2, 3});
}

TEST_CASE("stake_weighted pays by stake, not by contribution", "[models][rewards]") {
  models::StakeWeightedRule rule;
  CHECK(rule.needs_stakes());
  const std::vector<ledger::AccountId> accounts{1, 2, 3};
  const std::vector<double> q{100.0, 1.0, 1.0};
  const std::vector<TokenAmount> stakes{units(0), units(1000), units(3000)};
  std::vector<TokenAmount> out(3);
  rule.allocate({0, units(1000), accounts, q, stakes}, out);
  CHECK(as_units(out) == std::vector<std::uint64_t>{0, 250, 750});
}

TEST_CASE("nobody to pay means nothing is paid and nothing is minted", "[models][rewards]") {
  models::ProportionalRule rule;
  ledger::Ledger l;
  l.open_accounts(2);
  const std::vector<ledger::AccountId> accounts{0, 1};
  const std::vector<double> q{0.0, 0.0};
  std::vector<TokenAmount> shares(2);
  const TokenAmount paid = models::pay_rewards("proportional", rule, {3, units(500), accounts, q, {}}, shares, l);
  CHECK(paid.is_zero());
  CHECK(l.total_minted().is_zero());
}

TEST_CASE("the pipeline mints exactly the budget to the contributors", "[models][rewards]") {
  models::ProportionalRule rule;
  ledger::Ledger l;
  l.open_accounts(3);
  const std::vector<ledger::AccountId> accounts{0, 1, 2};
  const std::vector<double> q{0.3, 0.3, 0.4};
  std::vector<TokenAmount> shares(3);
  const TokenAmount budget = TokenAmount::whole_tokens(1000, 18);
  CHECK(models::pay_rewards("proportional", rule, {0, budget, accounts, q, {}}, shares, l) == budget);
  CHECK(l.total_minted() == budget);
  CHECK(l.balance(0) + l.balance(1) + l.balance(2) == budget);
  l.check_conservation();
}

namespace {

// A broken rule, to show the pipeline refuses an allocation above the budget and writes nothing.
class GreedyRule final : public models::RewardRule {
 public:
  void allocate(const models::EpochContext& ctx, std::span<TokenAmount> out) override {
    for (auto& o : out) o = ctx.budget;
  }
};

}  // namespace

TEST_CASE("an allocation above the budget is refused with the rule and epoch named", "[models][rewards]") {
  GreedyRule rule;
  ledger::Ledger l;
  l.open_accounts(2);
  const std::vector<ledger::AccountId> accounts{0, 1};
  const std::vector<double> q{1, 1};
  std::vector<TokenAmount> shares(2);
  try {
    models::pay_rewards("greedy", rule, {12, units(10), accounts, q, {}}, shares, l);
    FAIL("expected RewardError");
  } catch (const models::RewardError& e) {
    CHECK(std::string(e.what()) ==
          "reward rule 'greedy' allocated 20 base units in epoch 12, more than its budget of 10");
  }
  CHECK(l.total_minted().is_zero());
}

TEST_CASE("the built-in catalog registers every rule, schedule, agent and market", "[models][catalog]") {
  models::ModelCatalog c;
  models::register_builtin_models(c);
  std::vector<std::string> rules;
  for (const scenario::ComponentInfo* info : c.rules.all()) rules.push_back(info->name);
  CHECK(rules == std::vector<std::string>{"contract", "data_shapley", "ocean_df", "proportional", "quadratic_funding",
                                          "stake_weighted", "yuma", "yuma_dividends"});
  for (const scenario::ComponentInfo* info : c.rules.all()) {
    INFO(info->name);
    CHECK(!info->description.empty());
    for (const scenario::ParamSpec& p : info->params) CHECK(!p.description.empty());
  }
  CHECK(c.markets.find("compute") != nullptr);
  for (const char* name : {"fixed", "exponential_decay", "half_life", "halving", "halving_by_issuance", "target_inflation"})
    CHECK(c.schedules.find(name) != nullptr);
  for (const char* name : {"contributor", "validator", "cabal_developer"}) CHECK(c.agents.find(name) != nullptr);
  CHECK(c.roles == std::vector<std::string>{"data_provider", "developer", "compute_provider", "validator"});
}
