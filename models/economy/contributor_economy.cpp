#include "models/economy/contributor_economy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <numeric>

#include "models/agents/adversaries.hpp"
#include "models/agents/sybil_identities.hpp"
#include "models/economy/agent_accounts.hpp"
#include "models/economy/validation.hpp"
#include "models/governance/governable.hpp"
#include "models/governance/governance_config.hpp"
#include "models/locks/locks_config.hpp"
#include "models/locks/vesting.hpp"
#include "models/locks/vote_escrow.hpp"
#include "models/market/compute_market.hpp"
#include "models/market/token_trading.hpp"
#include "models/rewards/pipeline.hpp"
#include "models/rewards/yuma_rule.hpp"
#include "models/staking/staking.hpp"
#include "sim/chain/embedded.hpp"
#include "sim/chain/rpc.hpp"
#include "sim/core/buffers.hpp"
#include "sim/core/distributions.hpp"
#include "sim/core/portable_math.hpp"
#include "sim/core/simulation.hpp"
#include "sim/ledger/apportion.hpp"
#include "sim/ledger/ledger.hpp"
#include "sim/metrics/inequality.hpp"
#include "sim/metrics/summary.hpp"

namespace dais::models {

namespace {

using ledger::AccountId;
using ledger::TokenAmount;

// Purposes of random streams; an agent's stream for a purpose is independent of every other stream.
enum Purpose : std::uint64_t { contribution = 1, exit_decision = 2, entry = 3, honesty = 4, turnout = 5 };
// Entity id of world-level streams: above every possible agent id.
constexpr std::uint64_t world_entity = std::uint64_t{1} << 40;
// Entity id of the streams of role r's reward rule (its donors, say).
constexpr std::uint64_t role_entity(std::size_t r) noexcept { return world_entity + 1 + r; }

enum EventKind : std::uint32_t { epoch_end = 1 };

struct RoleState {
  std::string name;
  double share = 0.0;
  std::string rule_name;
  std::unique_ptr<RewardRule> rule;
  std::vector<AccountId> active;  // ledger accounts of the active agents, ascending
  TokenAmount paid_epoch;
  TokenAmount paid_total;
  double contributed_epoch = 0.0;  // summed over the active agents; kept only for the data providers' role
};

constexpr std::size_t no_role = static_cast<std::size_t>(-1);

struct PopulationState {
  std::string name;
  std::string model;
  std::size_t role = 0;
  ContributorBehaviour behaviour;
  std::int64_t initial_count = 0;
};

// A quote amount written like a token amount with the quote's decimals (both are integers in base units).
TokenAmount quote_units(QuoteAmount q) noexcept { return TokenAmount::from_base_units(q.base_units()); }
// What a proposal would change, in the terms voters' expected gains are read from (voter_gain()).
struct ProposalEffect {
  double emission_change = 0.0;   // tokens of this epoch's emission, all roles
  double burn_change = 0.0;       // tokens of fees burned per epoch
  double fee_income_ratio = 1.0;  // a compute provider's fee income, after over before
  double model_fee_ratio = 1.0;   // a developer's model fees, after over before
  double entry_change = 0.0;      // entrants per epoch
};

// A value, or an empty field where there is none.
void optional_field(io::CsvBuffer& row, std::optional<double> value) {
  if (value)
    row.field(*value);
  else
    row.field(std::string_view{});
}

// after / before, and 1 when there was nothing before.
double ratio(TokenAmount after, TokenAmount before) noexcept {
  return before.is_zero() ? 1.0 : to_double(after.base_units()) / to_double(before.base_units());
}

// part / whole as doubles; 0 of nothing.
// part / whole, or none when whole is 0 (a ratio of nothing is not 0).
std::optional<double> ratio_of(TokenAmount part, TokenAmount whole) noexcept {
  if (whole.is_zero()) return std::nullopt;
  return to_double(part.base_units()) / to_double(whole.base_units());
}

double share_of(TokenAmount part, TokenAmount whole) noexcept {
  return whole.is_zero() ? 0.0 : to_double(part.base_units()) / to_double(whole.base_units());
}

// Tokens as a double: one rounding to the nearest double of the base units, one of the scaling.
inline double as_tokens(TokenAmount amount, double base_unit) noexcept { return to_double(amount.base_units()) * base_unit; }

// amount * n, checked.
TokenAmount times(TokenAmount amount, std::int64_t n) {
  ledger::u128 out = 0;
  if (__builtin_mul_overflow(amount.base_units(), static_cast<ledger::u128>(n), &out))
    throw ledger::AmountError("token amount overflow");
  return TokenAmount::from_base_units(out);
}

// The roles a scenario pays, in the catalog's order: the order of every per-role column.
std::vector<std::string> roles_in_order(const scenario::Scenario& scenario, const ModelCatalog& catalog) {
  std::vector<std::string> roles;
  for (const std::string& role : catalog.roles)
    if (std::any_of(scenario.rewards.begin(), scenario.rewards.end(),
                    [&](const scenario::RoleRewards& r) { return r.role == role; }))
      roles.push_back(role);
  return roles;
}

// Whether a population is a Sybil (models/agents/adversaries.hpp), whose rewards the Sybil gain g(k) sums.
bool is_sybil(const scenario::Population& p) noexcept { return p.model.name == "sybil"; }
// Whether a population plays one of the adversarial variants: the scenario then records each population's shares.
bool is_adversary(const scenario::Population& p) noexcept { return is_adversary_model(p.model.name); }

class ContributorEconomy {
 public:
  // With `unsplit_sybils`, every Sybil keeps a single identity: the same world as the Sybil gain's counterfactual.
  ContributorEconomy(const scenario::Scenario& scenario, const ModelCatalog& catalog, const io::RunIdentity& identity,
                     bool unsplit_sybils = false);
  void on_event(const core::Event& event, core::Simulation<ContributorEconomy>& sim);
  io::RunOutput run();
  // What the Sybil populations' agents were paid (all their identities), after run(); and the counterfactual's,
  // for runs.csv, when the Sybils split (without it, this run is its own counterfactual).
  [[nodiscard]] TokenAmount sybil_rewards() const;
  void set_unsplit_sybil_rewards(TokenAmount rewards) { unsplit_sybil_rewards_ = rewards; }

 private:
  void start_chain(const scenario::ChainSpec& spec, const ModelCatalog& catalog, RuleEnvironment& environment);
  void open_market();
  [[nodiscard]] bool serves_market(const RoleState& role) const noexcept {
    return market_ != nullptr && &role == &roles_[market_role_];
  }
  // Whether the role's agents build the models the market's jobs use (they earn the model fees).
  [[nodiscard]] bool builds_models(const RoleState& role) const noexcept {
    return models_matter_ && &role == &roles_[developer_role_];
  }
  [[nodiscard]] bool role_is(std::size_t i, std::size_t role) const noexcept {
    return populations_[population_[i]].role == role;
  }
  // What agent i earned from jobs' fees: a provider the compute fees, a developer the model fees.
  [[nodiscard]] TokenAmount fees_of(std::size_t i) const;
  // The developers' work this epoch becomes their models' quality, which shares out the model fees.
  void serve_models(RoleState& role);
  // Sets the next epoch's arrival rate from this epoch's price and model quality.
  void update_demand();
  // The epoch's token sales and purchases, and the price they leave.
  void trade_tokens(std::int64_t epoch);
  void genesis();
  void add_agents(std::size_t population, std::int64_t count, std::int64_t entry_epoch);
  void run_epoch(std::int64_t epoch, core::SimTime now);
  void pay_role(RoleState& role, TokenAmount budget, std::int64_t epoch);
  // Validators and Yuma (models/economy/validation.hpp), when the developers are paid by "yuma".
  void open_validation(const scenario::Scenario& scenario);
  // Delegation and slashing (scenario "delegation" and "slashing", models/staking/staking.hpp).
  void open_staking();
  // A role's active operators for staking, `agents` filled to match (empty without the role).
  staking::Operators operators_of(std::size_t role, std::vector<std::uint32_t>& agents) const;
  // The stake that stake-based rules, the Yuma epoch and the market's dispatch see: own and delegated.
  [[nodiscard]] TokenAmount stake_of(AccountId account) const {
    return staking_ ? staking_->stake_of(agent_of(account), account) : ledger_.staked(account);
  }
  // What agent i was paid less what it passed on to its delegators.
  [[nodiscard]] TokenAmount kept_rewards(std::size_t i) const;
  void end_staking_epoch(std::int64_t epoch, core::SimTime now);
  void sync_market_stakes();
  // What the role's rule shares its budget by: the Yuma side of the developers or validators, else the work.
  std::span<const double> reward_basis(const RoleState& role, std::int64_t epoch);
  std::int64_t update_agents(RoleState& role, std::int64_t epoch);
  // update_agents' loop, compiled once with and once without the optional parts (gas, fees, a token market, a
  // compute market, delegation): without them, B1's case, the loop's values fit the registers.
  template <bool Extras>
  std::int64_t update_agents_loop(RoleState& role, std::int64_t epoch);
  std::int64_t admit_entrants(std::int64_t epoch);
  void record_epoch(std::int64_t epoch, TokenAmount emission, TokenAmount minted, std::int64_t entered,
                    std::int64_t exited, double retention);
  // Governance and locks (scenario "governance" and "locks").
  void open_governance_and_locks(const ModelCatalog& catalog);
  void grant_vesting();
  // Releases what has vested by `epoch` into the agents' balances.
  void release_vested(std::int64_t epoch);
  // The epoch's end: agents top up their vote-escrow locks, the proposals' votes are taken, and the changes
  // that take effect from the next epoch are applied (before its jobs, which run ahead of its epoch event).
  void end_governed_epoch(std::int64_t epoch);
  void apply_change(const governance::ParameterChange& change);
  void update_escrow(std::int64_t epoch);
  [[nodiscard]] ProposalEffect proposal_effect(const governance::Proposal& proposal) const;
  double voter_gain(const governance::Proposal& proposal, AccountId voter);
  [[nodiscard]] TokenAmount locked_total() const noexcept;
  metrics::Concentration reward_concentration();
  void write_agents();
  void write_run_row(std::int64_t events, const std::string& fingerprint);
  void write_supply_metrics(io::CsvBuffer& row);
  [[nodiscard]] std::optional<double> growth_ratio(TokenAmount minted, TokenAmount burned) const noexcept;
  void write_transfers();
  [[nodiscard]] AccountId account_of(std::uint32_t agent) const noexcept { return accounts_.account_of(agent); }
  [[nodiscard]] std::uint32_t agent_of(AccountId account) const noexcept { return accounts_.agent_of(account); }
  // The adversaries' hooks in an epoch: what the rule sees of the Sybils, the real data, the whales' restaking.
  TokenAmount pay_contributors(RoleState& role, const EpochContext& ctx);
  void fill_data_quality(const RoleState& role);
  void restake(const RoleState& role);
  void write_sybil_gain();
  void write_population_shares();
  [[nodiscard]] std::int64_t active_count() const noexcept;
  [[nodiscard]] std::size_t role_index(std::string_view name) const noexcept;
  // Epochs in which agent i contributed (and paid its cost): from its entry to its exit epoch inclusive.
  [[nodiscard]] std::int64_t epochs_active(std::size_t i) const noexcept;
  // What agent i spent: its running cost over those epochs and the gas of its own transactions.
  [[nodiscard]] TokenAmount costs_of(std::size_t i) const;
  [[nodiscard]] std::int64_t gas_used_by(std::size_t i) const noexcept { return gas_used_.empty() ? 0 : gas_used_[i]; }
  [[nodiscard]] TokenAmount gas_cost_of(std::size_t i) const noexcept { return gas_cost_.empty() ? TokenAmount{} : gas_cost_[i]; }

  const scenario::Scenario& scenario_;
  io::RunIdentity identity_;
  unsigned decimals_;
  double base_unit_;  // one base unit in tokens
  std::int64_t epochs_;
  ledger::Ledger ledger_;
  std::unique_ptr<EmissionSchedule> schedule_;
  std::vector<RoleState> roles_;
  std::vector<std::uint64_t> role_shares_;  // exact parts of scenario::share_scale
  std::vector<TokenAmount> role_budgets_;
  std::vector<PopulationState> populations_;
  std::vector<double> entry_weights_;
  ledger::ApportionScratch apportion_scratch_;
  // One role's epoch at a time, aligned with its `active`: roles are paid one after the other, so they share
  // these buffers, sized to the largest role.
  std::vector<double> contributions_;
  std::vector<std::uint32_t> agents_;
  std::vector<TokenAmount> stakes_;
  std::vector<TokenAmount> shares_;
  AccountId treasury_ = 0;
  AgentAccounts accounts_;

  // The run's chain, when a rule runs a contract (scenario "chain"); the anvil backend starts a node of its own.
  std::unique_ptr<chain::AnvilNode> anvil_;
  std::unique_ptr<chain::Chain> chain_;
  std::unique_ptr<chain::BlockClock> clock_;
  TokenAmount gas_price_;               // tokens per unit of gas
  std::int64_t gas_epoch_ = 0;          // gas of this epoch's transactions, the network's included
  TokenAmount gas_cost_epoch_;          // what the agents paid for their own
  std::int64_t gas_run_ = 0;
  TokenAmount gas_cost_run_;
  std::vector<std::int64_t> gas_used_;  // per agent; allocated only with a chain
  std::vector<TokenAmount> gas_cost_;

  // The compute market the compute providers serve (scenario "market"); provider p is agent p.
  std::unique_ptr<ComputeMarket> market_;
  ComputeMarketConfig market_config_;
  std::size_t market_role_ = 0;      // the compute providers' role
  AccountId consumers_ = 0;          // who pays the jobs' fees
  ComputeMarketPeriod market_epoch_;  // this epoch's counters
  double market_burn_share_ = 0.0;
  // Aligned with contributions_: the role's fee income this epoch (compute providers' or developers').
  std::vector<TokenAmount> fees_epoch_;

  // Demand and the developers' models (models/market/demand.hpp).
  bool models_matter_ = false;  // the developers' models earn fees or drive demand
  std::size_t developer_role_ = no_role;
  std::size_t data_role_ = no_role;      // only when the models use data
  std::unique_ptr<DemandCurve> demand_;  // when the demand moves with price or quality
  double token_price_ = 1.0;             // fiat per token: constant until a token market moves it
  double arrival_rate_ = 0.0;            // this epoch's
  double mean_quality_ = 0.0;            // developers' mean model quality this epoch
  TokenAmount model_fees_epoch_;
  TokenAmount model_fees_run_;
  std::vector<double> demand_weights_;
  std::vector<TokenAmount> model_fees_;  // per agent, over the run; allocated only when models earn fees

  // The token's market (scenario "token_market"): its price values rewards and fees in fiat.
  std::optional<TokenMarketConfig> token_market_config_;
  std::unique_ptr<TokenTrading> trading_;
  std::vector<std::uint32_t> buyers_;      // the active agents, when the epoch closes
  std::vector<double> income_fiat_;        // per agent: rewards and fees, each valued at its epoch's price
  // Governance (models/governance): proposals change the parameters below from the epoch they take effect.
  std::optional<governance::Governance> governance_;
  governance::BallotRule ballot_rule_;
  std::vector<governance::GovernableParameter> governable_;
  // Validation: the validators' weights and the Yuma epoch that pays them and the developers.
  std::unique_ptr<Validation> validation_;
  std::size_t yuma_developers_ = no_role;
  std::size_t yuma_validators_ = no_role;
  std::vector<std::uint32_t> validator_agents_;
  std::vector<TokenAmount> validator_stakes_;
  std::unique_ptr<staking::Staking> staking_;
  std::size_t delegation_role_ = no_role;
  std::size_t downtime_role_ = no_role;
  std::vector<TokenAmount> passed_on_;  // aligned with contributions_: what each operator passed to its delegators
  std::vector<std::uint32_t> operator_agents_;
  std::vector<std::uint32_t> downtime_agents_;
  staking::StakingPeriod staking_epoch_;
  ScheduleFactory schedule_factory_ = nullptr;
  scenario::Params emission_params_;  // the schedule's, as governance has set them
  EmissionContext emission_context_;  // this epoch's, for the voters' estimates
  TokenAmount emission_epoch_;
  double entry_rate_ = 0.0;
  std::uint64_t proposals_passed_epoch_ = 0;
  std::uint64_t proposals_executed_epoch_ = 0;
  std::uint64_t proposals_passed_total_ = 0;
  std::vector<AccountId> voters_;  // the electorate of the epoch's vote
  std::size_t effect_proposal_ = static_cast<std::size_t>(-1);  // whose effect_ is computed: one per tally
  ProposalEffect effect_;
  // Locks (models/locks): vesting grants at genesis; vote escrow topped up each epoch.
  std::unique_ptr<locks::VestingBook> vesting_;
  std::unique_ptr<locks::VoteEscrow> escrow_;
  std::uint64_t lock_share_millionths_ = 0;
  std::int64_t lock_epochs_ = 0;
  std::vector<locks::VestingSpec> vesting_specs_;
  TokenAmount vested_released_epoch_;

  // Agents, structure of arrays; an agent's index is its id and fixes its ledger account.
  std::vector<std::uint16_t> population_;
  std::vector<double> profit_;
  double incumbents_profit_ = 0.0;  // this epoch's sum of profit_ over the agents that stayed
  std::vector<std::int32_t> entry_epoch_;
  std::vector<std::int32_t> exit_epoch_;  // -1 while active
  std::vector<double> contribution_total_;
  std::vector<TokenAmount> reward_total_;
  TokenAmount largest_reward_total_;

  // Adversaries (models/agents/adversaries.hpp).
  SybilIdentities sybils_;
  bool sybil_populations_ = false;
  std::optional<TokenAmount> unsplit_sybil_rewards_;
  bool adversaries_ = false;           // some population is a variant: epochs.csv gets per-population shares
  bool data_quality_matters_ = false;  // some data provider reports more than its real data
  bool restaking_ = false;
  std::vector<double> data_quality_;   // aligned with contributions_ in the data providers' epoch
  std::vector<TokenAmount> population_stakes_;
  std::vector<TokenAmount> population_rewards_;
  std::int64_t initial_agents_ = 0;
  // The ledger's totals when the last epoch was recorded (at first: after genesis), for the supply's metrics:
  // what was minted and burned since, by the rules, the market, governance or contracts alike.
  TokenAmount minted_recorded_;
  TokenAmount burned_recorded_;
  TokenAmount minted_genesis_;
  TokenAmount burned_genesis_;

  std::vector<std::uint64_t> concentration_amounts_;  // the reward totals scaled to 63 bits, sorted each epoch
  std::vector<std::uint64_t> concentration_scratch_;
  std::vector<double> roi_values_;  // one role's ROIs at the end of the run
  core::Fingerprint* fingerprint_ = nullptr;
  io::RunOutput output_;
};

ContributorEconomy::ContributorEconomy(const scenario::Scenario& scenario, const ModelCatalog& catalog,
                                       const io::RunIdentity& identity, bool unsplit_sybils)
    : scenario_(scenario),
      identity_(identity),
      decimals_(scenario.token.decimals),
      base_unit_(1.0 / static_cast<double>(ledger::pow10_u128(scenario.token.decimals))),
      epochs_(scenario.epochs()),
      sybils_(scenario.seed, static_cast<std::uint64_t>(identity.replicate)) {
  ledger_.enable_journal(scenario.outputs.transfers);
  schedule_ = catalog.schedules.factory(scenario.emission.name)(scenario.emission.params);
  RuleEnvironment environment;
  environment.decimals = decimals_;
  environment.scenario_folder = scenario.file.parent_path();
  environment.builtin_contracts = catalog.builtin_contracts;
  environment.open_account = [this] { return ledger_.open_account(); };
  if (scenario.chain) start_chain(*scenario.chain, catalog, environment);
  for (const std::string& role_name : roles_in_order(scenario, catalog)) {
    environment.random = {scenario.seed, static_cast<std::uint64_t>(identity.replicate), role_entity(roles_.size()), 0};
    const scenario::RoleRewards& r = *std::find_if(scenario.rewards.begin(), scenario.rewards.end(),
                                                   [&](const scenario::RoleRewards& x) { return x.role == role_name; });
    RoleState role;
    role.name = r.role;
    role.share = r.share;
    role.rule_name = r.rule.name;
    role.rule = catalog.rules.factory(r.rule.name)(r.rule.params, environment);
    roles_.push_back(std::move(role));
    role_shares_.push_back(r.share_parts);
  }
  role_budgets_.resize(roles_.size());
  for (const scenario::Population& p : scenario.populations) {
    PopulationState pop;
    pop.name = p.name;
    pop.role = static_cast<std::size_t>(
        std::find_if(roles_.begin(), roles_.end(), [&](const RoleState& r) { return r.name == p.role; }) -
        roles_.begin());
    pop.model = p.model.name;
    pop.behaviour = catalog.agents.factory(p.model.name)(p.model.params, decimals_);
    if (unsplit_sybils) pop.behaviour = unsplit(pop.behaviour, decimals_);
    sybil_populations_ = sybil_populations_ || is_sybil(p);
    adversaries_ = adversaries_ || is_adversary(p);
    data_quality_matters_ = data_quality_matters_ || pop.behaviour.data_quality < 1.0;
    restaking_ = restaking_ || pop.behaviour.restake_millionths > 0;
    pop.initial_count = p.count;
    populations_.push_back(std::move(pop));
    entry_weights_.push_back(static_cast<double>(p.count));
  }
  if (scenario.token_market)
    token_market_config_ = catalog.token_markets.factory(scenario.token_market->name)(scenario.token_market->params);
  if (scenario.market) {
    market_config_ = catalog.markets.factory(scenario.market->name)(scenario.market->params);
    market_role_ = role_index("compute_provider");
    if (market_role_ == no_role)
      throw std::invalid_argument("the market needs compute providers: a \"compute_provider\" role in \"rewards\"");
    const DemandConfig& demand = market_config_.demand;
    developer_role_ = role_index("developer");
    models_matter_ = demand.uses_models();
    if (models_matter_ && developer_role_ == no_role)
      throw std::invalid_argument(
          "the market's model_fee, quality_elasticity and data_weight need developers: a \"developer\" role in \"rewards\"");
    if (demand.data_weight > 0.0) {  // the data providers' role, whose contributions the models use
      data_role_ = role_index("data_provider");
      if (data_role_ == no_role)
        throw std::invalid_argument("the market's data_weight needs data: a \"data_provider\" role in \"rewards\"");
    }
    if (demand.varies()) demand_ = std::make_unique<DemandCurve>(demand);
    arrival_rate_ = market_config_.arrival_rate;
  }
  // With no initial agents, entrants join every population with equal probability.
  if (std::all_of(entry_weights_.begin(), entry_weights_.end(), [](double w) { return w == 0.0; }))
    std::fill(entry_weights_.begin(), entry_weights_.end(), 1.0);
  open_governance_and_locks(catalog);
  open_validation(scenario);
  open_staking();
}

void ContributorEconomy::start_chain(const scenario::ChainSpec& spec, const ModelCatalog& catalog,
                                     RuleEnvironment& environment) {
  switch (spec.backend) {
    case scenario::ChainBackend::embedded: chain_ = chain::make_embedded_chain(); break;
    case scenario::ChainBackend::anvil:
      anvil_ = std::make_unique<chain::AnvilNode>(chain::AnvilNode::Options{catalog.anvil, spec.genesis_time});
      chain_ = chain::make_rpc_chain(anvil_->url());
      break;
    case scenario::ChainBackend::rpc: chain_ = chain::make_rpc_chain(spec.url); break;
  }
  clock_ = std::make_unique<chain::BlockClock>(spec.block_time.ticks() / core::SimTime::ticks_per_second, spec.genesis_time);
  gas_price_ = spec.gas_price;
  environment.chain = chain_.get();
  environment.clock = clock_.get();
}

std::size_t ContributorEconomy::role_index(std::string_view name) const noexcept {
  const auto it = std::find_if(roles_.begin(), roles_.end(), [&](const RoleState& r) { return r.name == name; });
  return it == roles_.end() ? no_role : static_cast<std::size_t>(it - roles_.begin());
}

std::int64_t ContributorEconomy::active_count() const noexcept {
  std::int64_t n = 0;
  for (const RoleState& r : roles_) n += static_cast<std::int64_t>(r.active.size());
  return n;
}

void ContributorEconomy::open_market() {
  consumers_ = ledger_.open_account();
  TokenAmount max_stake;
  for (const PopulationState& p : populations_)
    if (p.role == market_role_) max_stake = std::max(max_stake, p.behaviour.initial_stake);
  if (staking_ && delegation_role_ == market_role_) max_stake += staking_->most_delegated();
  // No verifier agents: forced-error bounties go to an account of their own.
  const AccountId verifiers = market_config_.forced_error_rate > 0.0 ? ledger_.open_account() : ledger::no_account;
  market_ = std::make_unique<ComputeMarket>(market_config_, ledger_, consumers_, treasury_, verifiers,
                                            ledger_.account_count(), max_stake, scenario_.horizon, scenario_.seed,
                                            static_cast<std::uint64_t>(identity_.replicate));
  // The consumers hold what the jobs to expect over the horizon pay, with plenty to spare.
  const auto jobs = static_cast<std::int64_t>(ComputeMarket::jobs_to_fund(market_config_, scenario_.horizon));
  ledger_.mint(consumers_, times(ComputeMarket::highest_price(market_config_) + market_config_.demand.model_fee, jobs),
               "consumer funds");
  if (staking_)
    market_->set_slash_handler([this](std::uint32_t provider, double base, core::SimTime now) {
      return staking_->slash(provider, account_of(provider), base, now, true, "caught cheating");
    });
}

TokenAmount ContributorEconomy::fees_of(std::size_t i) const {
  if (market_ && role_is(i, market_role_)) return market_->earned(static_cast<std::uint32_t>(i));
  if (!model_fees_.empty()) return model_fees_[i];
  return {};
}

void ContributorEconomy::add_agents(std::size_t population, std::int64_t count, std::int64_t entry_epoch) {
  if (count <= 0) return;
  const auto first = static_cast<std::uint32_t>(population_.size());
  const PopulationState& pop = populations_[population];
  // A Sybil's identities open their accounts right after its own.
  const bool split = pop.behaviour.identities > 1;
  const AccountId first_account = split ? ledger::no_account : ledger_.open_accounts(static_cast<std::uint32_t>(count));
  RoleState& role = roles_[pop.role];
  for (std::int64_t k = 0; k < count; ++k) {
    const std::uint32_t agent = first + static_cast<std::uint32_t>(k);
    const AccountId own = split ? ledger_.open_account() : first_account + static_cast<AccountId>(k);
    if (split) sybils_.add(agent, own, pop.behaviour, ledger_);
    accounts_.add(agent, own, split ? ledger_.account_count() : own + 1);
    population_.push_back(static_cast<std::uint16_t>(population));
    profit_.push_back(0.0);
    entry_epoch_.push_back(static_cast<std::int32_t>(entry_epoch));
    exit_epoch_.push_back(-1);
    contribution_total_.push_back(0.0);
    reward_total_.push_back(TokenAmount{});
    if (models_matter_) model_fees_.push_back(TokenAmount{});
    if (trading_) {
      trading_->add_agent(account_of(agent));
      income_fiat_.push_back(0.0);
    }
    if (chain_) {
      gas_used_.push_back(0);
      gas_cost_.push_back(TokenAmount{});
    }
    if (role.active.size() == role.active.capacity()) role.active.reserve(role.active.size() + role.active.size() / 8 + 16);
    role.active.push_back(account_of(agent));
    if (!split && !pop.behaviour.initial_stake.is_zero()) {
      ledger_.mint(account_of(agent), pop.behaviour.initial_stake, "endowment");
      ledger_.stake(account_of(agent), pop.behaviour.initial_stake, "endowment");
    }
    if (serves_market(role)) {
      core::RandomStream rng({scenario_.seed, static_cast<std::uint64_t>(identity_.replicate), agent, honesty});
      market_->join(agent, pop.behaviour.initial_stake, !core::draw_bernoulli(rng, market_config_.dishonest_fraction));
    }
  }
}

void ContributorEconomy::genesis() {
  treasury_ = ledger_.open_account();
  if (!scenario_.token.initial_supply.is_zero()) ledger_.mint(treasury_, scenario_.token.initial_supply, "genesis");
  if (scenario_.market) open_market();
  if (token_market_config_)
    trading_ = std::make_unique<TokenTrading>(*token_market_config_, ledger_, treasury_, decimals_,
                                              scenario_.file.parent_path(), scenario_.epoch_length, epochs_, scenario_.seed,
                                              static_cast<std::uint64_t>(identity_.replicate));
  if (staking_) staking_->endow_delegators();
  std::int64_t total = 0;
  for (const PopulationState& p : populations_) total += p.initial_count;
  // Room for the initial agents and, with six standard deviations to spare, the entrants to expect: growing
  // an array past its capacity holds the old and the new copy at once, doubling the peak memory of agents.
  const double entrants = scenario_.entry.rate * static_cast<double>(epochs_);
  const auto capacity = static_cast<std::size_t>(
      static_cast<double>(total) + std::min(entrants + 6.0 * std::sqrt(entrants) + 16.0, 4.0 * static_cast<double>(total) + 1e6));
  population_.reserve(capacity);
  profit_.reserve(capacity);
  entry_epoch_.reserve(capacity);
  exit_epoch_.reserve(capacity);
  contribution_total_.reserve(capacity);
  reward_total_.reserve(capacity);
  accounts_.open(ledger_.account_count(), capacity);
  ledger_.reserve_accounts(static_cast<std::uint32_t>(capacity) + 1);
  for (std::size_t p = 0; p < populations_.size(); ++p) add_agents(p, populations_[p].initial_count, 0);
  if (staking_) {
    staking_->bond_initial(operators_of(delegation_role_, operator_agents_));
    sync_market_stakes();
  }
  initial_agents_ = total;
  if (vesting_) grant_vesting();
  ledger_.check_conservation();
}

void ContributorEconomy::pay_role(RoleState& role, TokenAmount budget, std::int64_t epoch) {
  const std::size_t n = role.active.size();
  core::resize_buffer(contributions_, n);
  core::resize_buffer(agents_, n);
  core::resize_buffer(shares_, n);
  fill_data_quality(role);
  if (serves_market(role)) {
    // A compute provider's work is the jobs it served this epoch.
    core::resize_buffer(fees_epoch_, n);
    for (std::size_t k = 0; k < n; ++k) {
      agents_[k] = agent_of(role.active[k]);
      const ComputeMarket::Recent recent = market_->take_recent(agents_[k]);
      contributions_[k] = recent.jobs;
      fees_epoch_[k] = recent.earned;
    }
  } else {
    core::EntityStreams streams({scenario_.seed, static_cast<std::uint64_t>(identity_.replicate), 0, contribution},
                                static_cast<std::uint64_t>(epoch));
    // Through locals, as in update_agents: the stores would otherwise make the compiler reload every member.
    const AccountId* const active = role.active.data();
    const std::uint16_t* const population = population_.data();
    const PopulationState* const populations = populations_.data();
    std::uint32_t* const agents = agents_.data();
    double* const contributions = contributions_.data();
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t agent = agent_of(active[k]);
      agents[k] = agent;
      const ContributorBehaviour& b = populations[population[agent]].behaviour;
      core::RandomStream rng = streams.stream(agent);
      contributions[k] = core::draw_normal(rng, b.mu, b.sigma);  // log-contribution; exp below
    }
    // LogNormal = exp(Normal), in a pass of its own: vectorized, and independent exps overlap in the CPU, which
    // they cannot behind each agent's draw.
    core::exp_in_place(contributions_);
    if (data_role_ != no_role && &role == &roles_[data_role_])
      role.contributed_epoch = data_quality_.empty()
                                   ? std::accumulate(contributions_.begin(), contributions_.end(), 0.0)
                                   : std::inner_product(contributions_.begin(), contributions_.end(), data_quality_.begin(), 0.0);
    if (builds_models(role)) serve_models(role);
  }
  if (role.rule->needs_stakes()) {
    core::resize_buffer(stakes_, n);
    for (std::size_t k = 0; k < n; ++k) stakes_[k] = stake_of(role.active[k]);
  }
  EpochContext ctx{epoch, budget, role.active, reward_basis(role, epoch), stakes_, agents_};
  ctx.data_quality = data_quality_;
  role.paid_epoch = pay_contributors(role, ctx);
  role.paid_total += role.paid_epoch;
  // Only the delegation role passes rewards on; for the others passed_on_ stays empty (and costs nothing).
  passed_on_.clear();
  if (staking_ && &role == &roles_[delegation_role_]) {
    passed_on_.resize(n);
    staking_->split_rewards({role.active, agents_, population_}, shares_, passed_on_);
  }
  if (restaking_) restake(role);
  gas_epoch_ += role.rule->owner_gas();
}

void ContributorEconomy::open_validation(const scenario::Scenario& scenario) {
  yuma_developers_ = role_index("developer");
  if (yuma_developers_ == no_role || roles_[yuma_developers_].rule_name != yuma_rule_name) return;
  yuma_validators_ = role_index("validator");  // the loader has paired the rules
  const auto developers = std::find_if(scenario.rewards.begin(), scenario.rewards.end(),
                                       [](const scenario::RoleRewards& r) { return r.role == "developer"; });
  std::vector<ContributorBehaviour> behaviours;
  for (const PopulationState& p : populations_) behaviours.push_back(p.behaviour);
  validation_ = std::make_unique<Validation>(yuma_rule_params(developers->rule.params), scenario.seed,
                                             static_cast<std::uint64_t>(identity_.replicate), std::move(behaviours));
}

// The developers' Yuma epoch runs when they are paid, before the validators (the catalog's role order), so both
// sides are paid from the same epoch. A validator's contribution is its validator trust: the share of its weight
// consensus kept.
std::span<const double> ContributorEconomy::reward_basis(const RoleState& role, std::int64_t epoch) {
  if (!validation_) return contributions_;
  if (&role == &roles_[yuma_developers_]) {
    const RoleState& validators = roles_[yuma_validators_];
    validator_agents_.clear();
    validator_stakes_.clear();
    for (AccountId a : validators.active) {
      validator_agents_.push_back(agent_of(a));
      validator_stakes_.push_back(stake_of(a));
    }
    validation_->run_epoch({epoch, validator_agents_, validator_stakes_, agents_, contributions_, population_});
    return validation_->incentives();
  }
  if (&role == &roles_[yuma_validators_]) {
    std::copy(validation_->validator_trust().begin(), validation_->validator_trust().end(), contributions_.begin());
    return validation_->dividends();
  }
  return contributions_;
}

void ContributorEconomy::serve_models(RoleState& role) {
  const DemandConfig& demand = market_config_.demand;
  const std::size_t n = role.active.size();
  core::resize_buffer(fees_epoch_, n);
  std::fill(fees_epoch_.begin(), fees_epoch_.end(), TokenAmount{});
  model_fees_epoch_ = TokenAmount{};
  mean_quality_ = 0.0;
  if (n == 0) return;  // no models: the jobs served this epoch owe no model fee
  const double data = data_role_ == no_role ? 0.0 : roles_[data_role_].contributed_epoch;
  model_qualities(contributions_, data / static_cast<double>(n), demand.data_weight);
  mean_quality_ = std::accumulate(contributions_.begin(), contributions_.end(), 0.0) / static_cast<double>(n);
  const TokenAmount owed = times(demand.model_fee, static_cast<std::int64_t>(market_->period().completions));
  if (owed.is_zero()) return;
  demand_weights(contributions_, demand.quality_sensitivity, demand_weights_);
  if (!ledger::apportion_real(owed, demand_weights_, fees_epoch_, apportion_scratch_)) return;
  for (std::size_t k = 0; k < n; ++k) {
    if (fees_epoch_[k].is_zero()) continue;
    ledger_.transfer(consumers_, role.active[k], fees_epoch_[k], "model fee");
    model_fees_[agent_of(role.active[k])] += fees_epoch_[k];
  }
  model_fees_epoch_ = owed;
  model_fees_run_ += owed;
}

void ContributorEconomy::trade_tokens(std::int64_t epoch) {
  buyers_.clear();
  for (const RoleState& r : roles_)
    for (AccountId a : r.active) buyers_.push_back(agent_of(a));
  std::sort(buyers_.begin(), buyers_.end());
  trading_->close_epoch(epoch, buyers_);
  token_price_ = trading_->price();
}

void ContributorEconomy::update_demand() {
  if (!demand_) return;
  const DemandConfig& demand = market_config_.demand;
  const double job_price = as_tokens(market_config_.fee + demand.model_fee, base_unit_) * token_price_;
  arrival_rate_ = market_config_.arrival_rate * demand_->next_multiplier(job_price, mean_quality_);
  market_->set_arrival_rate(arrival_rate_);
}

std::int64_t ContributorEconomy::update_agents(RoleState& role, std::int64_t epoch) {
  const bool extras = !role.rule->contributor_gas().empty() || serves_market(role) || builds_models(role) || trading_ ||
                      !passed_on_.empty();
  return extras ? update_agents_loop<true>(role, epoch) : update_agents_loop<false>(role, epoch);
}

template <bool Extras>
std::int64_t ContributorEconomy::update_agents_loop(RoleState& role, std::int64_t epoch) {
  std::size_t kept = 0;
  const std::size_t n = role.active.size();
  const std::span<const std::int64_t> gas = role.rule->contributor_gas();
  const bool market = serves_market(role);
  const bool earns_fees = market || builds_models(role);
  const double price_ratio = trading_ ? trading_->price_ratio() : 1.0;
  core::EntityStreams exit_streams({scenario_.seed, static_cast<std::uint64_t>(identity_.replicate), 0, exit_decision},
                                   static_cast<std::uint64_t>(epoch));
  // The loop reads the arrays and sums through locals: it stores amounts and doubles, which the compiler cannot
  // tell apart from the members, so it would otherwise load every member again for every agent (and carry the
  // sums through memory).
  AccountId* const active = role.active.data();
  const std::uint32_t* const agents = agents_.data();  // pay_role's: aligned with role.active
  const std::uint16_t* const population = population_.data();
  const PopulationState* const populations = populations_.data();
  const TokenAmount* const shares = shares_.data();
  const TokenAmount* const passed_on = passed_on_.empty() ? nullptr : passed_on_.data();
  const TokenAmount* const fees_epoch = earns_fees ? fees_epoch_.data() : nullptr;
  const double* const contributions = contributions_.data();
  TokenAmount* const reward_total = reward_total_.data();
  double* const contribution_total = contribution_total_.data();
  double* const profit = profit_.data();
  std::int32_t* const exit_epoch = exit_epoch_.data();
  TokenTrading* const trading = trading_.get();
  ComputeMarket* const compute_market = market ? market_.get() : nullptr;
  const double base_unit = base_unit_;
  TokenAmount largest = largest_reward_total_;
  double stayed_profit = incumbents_profit_;  // summed on from the roles before, in the same order
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t agent = agents[k];
    const ContributorBehaviour& b = populations[population[agent]].behaviour;
    // The rule's payment; shares_ is what the agent kept.
    const TokenAmount paid = Extras && passed_on != nullptr ? shares[k] + passed_on[k] : shares[k];
    const TokenAmount total = reward_total[agent] + paid;
    reward_total[agent] = total;
    largest = std::max(largest, total);
    contribution_total[agent] += contributions[k];
    double income = as_tokens(shares[k], base_unit);
    double gas_cost_tokens = 0.0;
    if constexpr (Extras) {
      // Gas the agent's own transactions used, charged at the scenario's gas price as a cost of its work.
      if (!gas.empty() && gas[k] > 0) {
        const TokenAmount cost = times(gas_price_, gas[k]);
        gas_used_[agent] += gas[k];
        gas_cost_[agent] += cost;
        gas_epoch_ += gas[k];
        gas_cost_epoch_ += cost;
        gas_cost_tokens = as_tokens(cost, base_unit);
      }
      // A compute provider serving the market also earns its jobs' fees (its contribution is their number), a
      // developer the model fees of its share of the jobs.
      if (fees_epoch != nullptr) income += as_tokens(fees_epoch[k], base_unit);
      if (trading != nullptr) {
        income_fiat_[agent] += income * trading->price();
        trading->order_sale(agent, shares[k]);
      }
    }
    // With a token market, income counts at the last close's price relative to genesis (costs are fixed in fiat).
    const double gain = income * price_ratio - b.cost_tokens - gas_cost_tokens;
    const double p = (1.0 - b.smoothing) * profit[agent] + b.smoothing * gain;
    profit[agent] = p;
    if constexpr (Extras) {
      if (compute_market != nullptr && compute_market->caught(agent)) {  // caught cheating: slashed and out
        exit_epoch[agent] = static_cast<std::int32_t>(epoch);
        continue;
      }
    }
    if (p < 0.0) {
      core::RandomStream rng = exit_streams.stream(agent);
      if (core::draw_bernoulli(rng, b.exit_probability)) {
        exit_epoch[agent] = static_cast<std::int32_t>(epoch);
        if (Extras && compute_market != nullptr) compute_market->leave(agent);
        continue;
      }
    }
    stayed_profit += p;
    active[kept++] = active[k];
  }
  largest_reward_total_ = largest;
  incumbents_profit_ = stayed_profit;
  role.active.resize(kept);
  return static_cast<std::int64_t>(n - kept);
}

std::int64_t ContributorEconomy::admit_entrants(std::int64_t epoch) {
  if (entry_rate_ <= 0.0) return 0;
  if (scenario_.entry.condition == scenario::EntryCondition::mean_profit_positive) {
    // An empty market discourages nobody; otherwise newcomers look at the incumbents' average profit.
    const std::int64_t count = active_count();
    if (count > 0 && !(incumbents_profit_ / static_cast<double>(count) > 0.0)) return 0;
  }
  core::RandomStream rng({scenario_.seed, static_cast<std::uint64_t>(identity_.replicate), world_entity, entry},
                         static_cast<std::uint64_t>(epoch));
  const std::int64_t arrivals = core::draw_poisson(rng, entry_rate_);
  double total_weight = 0.0;
  for (double w : entry_weights_) total_weight += w;
  for (std::int64_t a = 0; a < arrivals; ++a) {
    double pick = rng.uniform01() * total_weight;
    std::size_t p = 0;
    while (p + 1 < entry_weights_.size() && pick >= entry_weights_[p]) pick -= entry_weights_[p++];
    add_agents(p, 1, epoch + 1);
  }
  return arrivals;
}

void ContributorEconomy::run_epoch(std::int64_t epoch, core::SimTime now) {
  ledger_.release_matured(now);
  if (clock_) clock_->advance_to(now.ticks() / core::SimTime::ticks_per_second);
  gas_epoch_ = 0;
  gas_cost_epoch_ = TokenAmount{};
  release_vested(epoch);
  const TokenAmount minted_before = ledger_.total_minted();
  emission_context_ = {epoch, scenario_.epoch_length, ledger_.supply(), ledger_.total_minted(), ledger_.total_staked()};
  const TokenAmount emission = schedule_->emission(emission_context_);
  emission_epoch_ = emission;
  ledger::apportion(emission, role_shares_, role_budgets_, apportion_scratch_);

  const std::int64_t active_before = active_count();
  output_.agent_epochs += active_before;
  std::int64_t exited = 0;
  incumbents_profit_ = 0.0;
  for (std::size_t r = 0; r < roles_.size(); ++r) {
    pay_role(roles_[r], role_budgets_[r], epoch);
    exited += update_agents(roles_[r], epoch);
  }
  if (market_) {
    market_epoch_ = market_->take_period();
    market_burn_share_ = market_->burn_share();  // the share this epoch's jobs paid
    market_->adjust_burn(scenario_.epoch_length,
                         static_cast<std::uint64_t>(roles_[market_role_].active.size()) *
                             static_cast<std::uint64_t>(market_config_.slots),
                         market_epoch_.completions);
  }
  if (trading_) trade_tokens(epoch);
  const double retention = metrics::retention(active_before, active_before - exited);
  if (staking_) end_staking_epoch(epoch, now);
  const std::int64_t entered = admit_entrants(epoch);
  end_governed_epoch(epoch);
  ledger_.check_conservation();
  record_epoch(epoch, emission, ledger_.total_minted() - minted_before, entered, exited, retention);
  if (market_) update_demand();
  // What the ledger does from here on (the market's jobs until the next epoch event) belongs to the next epoch,
  // as the epochs table counts it.
  ledger_.set_epoch(epoch + 1);
}

// ---- adversaries (models/agents/adversaries.hpp) ----

TokenAmount ContributorEconomy::pay_contributors(RoleState& role, const EpochContext& ctx) {
  if (sybils_.empty()) return pay_rewards(role.rule_name, *role.rule, ctx, shares_, ledger_);
  const EpochContext seen = sybils_.expand(ctx, ledger_, role.rule->needs_stakes());
  const TokenAmount paid = pay_rewards(role.rule_name, *role.rule, seen, sybils_.shares(), ledger_);
  sybils_.collapse(shares_);
  // Gas is charged per contributor of the agent's role (update_agents), not per identity.
  if (!role.rule->contributor_gas().empty())
    throw std::invalid_argument("Sybil identities cannot pay gas of their own: rule '" + role.rule_name +
                                "' sends the contributors' transactions");
  return paid;
}

void ContributorEconomy::fill_data_quality(const RoleState& role) {
  data_quality_.clear();
  if (!data_quality_matters_ || role.name != "data_provider") return;
  for (AccountId a : role.active) data_quality_.push_back(populations_[population_[agent_of(a)]].behaviour.data_quality);
}

void ContributorEconomy::restake(const RoleState& role) {
  for (std::size_t k = 0; k < role.active.size(); ++k) {
    const std::uint64_t share = populations_[population_[agent_of(role.active[k])]].behaviour.restake_millionths;
    const TokenAmount staked = ledger::millionths_of(shares_[k], share);
    if (!staked.is_zero()) ledger_.stake(role.active[k], staked, "restake");
  }
}

TokenAmount ContributorEconomy::sybil_rewards() const {
  TokenAmount total;
  for (std::size_t i = 0; i < population_.size(); ++i)
    if (populations_[population_[i]].model == "sybil") total += reward_total_[i];
  return total;
}

// runs.csv's Sybil gain: g(k) = what the Sybils were paid over what the same agents were paid with one identity
// each, and the same net of the extra identities' costs.
void ContributorEconomy::write_sybil_gain() {
  TokenAmount identity_costs;
  for (std::size_t i = 0; i < population_.size(); ++i) {
    const ContributorBehaviour& b = populations_[population_[i]].behaviour;
    if (b.identities > 1) identity_costs += times(b.identity_cost, (b.identities - 1) * epochs_active(i));
  }
  const TokenAmount split = sybil_rewards();
  const TokenAmount unsplit = unsplit_sybil_rewards_.value_or(split);
  const double split_tokens = split.to_tokens(decimals_);
  const double unsplit_tokens = unsplit.to_tokens(decimals_);
  const double costs_tokens = identity_costs.to_tokens(decimals_);
  io::CsvBuffer& row = output_.run;
  row.tokens(split, decimals_).tokens(unsplit, decimals_).tokens(identity_costs, decimals_);
  row.field(metrics::share(split_tokens, unsplit_tokens)).field(metrics::share(split_tokens - costs_tokens, unsplit_tokens));
}

// epochs.csv's shares by population: of the stake (balances staked, every identity's) and of the rewards so far.
void ContributorEconomy::write_population_shares() {
  population_stakes_.assign(populations_.size(), TokenAmount{});
  population_rewards_.assign(populations_.size(), TokenAmount{});
  TokenAmount rewards;
  for (std::size_t i = 0; i < population_.size(); ++i) {
    population_rewards_[population_[i]] += reward_total_[i];
    rewards += reward_total_[i];
  }
  for (std::size_t a = 0; a < accounts_.accounts(); ++a) {
    const AccountId account = accounts_.first() + static_cast<AccountId>(a);
    population_stakes_[population_[agent_of(account)]] += ledger_.staked(account);
  }
  const TokenAmount staked = ledger_.total_staked();
  io::CsvBuffer& row = output_.epochs;
  for (const TokenAmount& s : population_stakes_) row.field(share_of(s, staked));
  for (const TokenAmount& r : population_rewards_) row.field(share_of(r, rewards));
}

// ---- staking: delegation and slashing ----

void ContributorEconomy::open_staking() {
  const auto delegation_section = scenario_.sections.find("delegation");
  const auto slashing_section = scenario_.sections.find("slashing");
  const bool delegates = delegation_section != scenario_.sections.end();
  if (!delegates && slashing_section == scenario_.sections.end()) return;
  const std::string file = scenario_.file.string();
  std::optional<staking::DelegationConfig> delegation;
  if (delegates) delegation = staking::read_delegation(delegation_section->second, file, "/delegation", decimals_);
  std::optional<staking::SlashingConfig> slashing;
  if (slashing_section != scenario_.sections.end()) slashing = staking::read_slashing(slashing_section->second, file, "/slashing");
  std::vector<std::uint64_t> commission(populations_.size(), 0);
  if (delegation) {
    delegation_role_ = role_index(delegation->role);
    for (std::size_t p = 0; p < populations_.size(); ++p) {
      if (populations_[p].role != delegation_role_) continue;
      const double c = delegation->commission ? *delegation->commission : delegation->commission_by_population.at(populations_[p].name);
      commission[p] = static_cast<std::uint64_t>(std::llround(c * 1e6));
    }
  }
  if (slashing && slashing->downtime) downtime_role_ = role_index(slashing->downtime->role);
  staking_ = std::make_unique<staking::Staking>(std::move(delegation), std::move(slashing), std::move(commission), ledger_,
                                                scenario_.seed, static_cast<std::uint64_t>(identity_.replicate),
                                                scenario_.epoch_length, scenario_.horizon);
}

staking::Operators ContributorEconomy::operators_of(std::size_t role, std::vector<std::uint32_t>& agents) const {
  agents.clear();
  if (role == no_role) return {{}, {}, population_};
  for (AccountId a : roles_[role].active) agents.push_back(agent_of(a));
  return {roles_[role].active, agents, population_};
}

TokenAmount ContributorEconomy::kept_rewards(std::size_t i) const {
  return staking_ && staking_->delegates() ? reward_total_[i] - staking_->passed_on(static_cast<std::uint32_t>(i)) : reward_total_[i];
}

// After the agents' exits: downtime slashes, delegators leaving operators that left or that are no longer their
// choice, delegators bonding; then the market dispatches by the stakes that result.
void ContributorEconomy::end_staking_epoch(std::int64_t epoch, core::SimTime now) {
  const staking::Operators down = operators_of(downtime_role_, downtime_agents_);
  staking_->end_epoch(epoch, now, down, operators_of(delegation_role_, operator_agents_));
  staking_epoch_ = staking_->take_period();
  sync_market_stakes();
}

void ContributorEconomy::sync_market_stakes() {
  if (!market_ || delegation_role_ != market_role_) return;
  for (AccountId a : roles_[market_role_].active) market_->set_stake(agent_of(a), stake_of(a));
}

// ---- governance and locks ----

void ContributorEconomy::open_governance_and_locks(const ModelCatalog& catalog) {
  schedule_factory_ = catalog.schedules.factory(scenario_.emission.name);
  emission_params_ = scenario_.emission.params;
  entry_rate_ = scenario_.entry.rate;
  const std::string file = scenario_.file.string();
  if (const auto section = scenario_.sections.find("governance"); section != scenario_.sections.end()) {
    const governance::GovernanceConfig config = governance::read_governance(section->second, file, "/governance", decimals_);
    governable_ = governance::governable_parameters(scenario_, catalog.view());
    governance_.emplace(config, core::RandomStream({scenario_.seed, static_cast<std::uint64_t>(identity_.replicate),
                                                    world_entity, turnout}));
    ballot_rule_ = governance::ballot_rule(config.rules, [this](const governance::Proposal& proposal, AccountId voter) {
      return voter_gain(proposal, voter);
    });
  }
  if (const auto section = scenario_.sections.find("locks"); section != scenario_.sections.end()) {
    const locks::LocksConfig config = locks::read_locks(section->second, file, "/locks", decimals_);
    vesting_ = std::make_unique<locks::VestingBook>(ledger_);
    if (config.vote_escrow) {
      escrow_ = std::make_unique<locks::VoteEscrow>(ledger_, config.vote_escrow->max_lock_epochs);
      lock_share_millionths_ = static_cast<std::uint64_t>(std::llround(config.vote_escrow->lock_share * 1e6));
      lock_epochs_ = config.vote_escrow->lock_epochs;
    }
    vesting_specs_ = config.vesting;
  }
}

// Each initial agent of a vesting population is granted the amount: minted to it, then locked by the book.
void ContributorEconomy::grant_vesting() {
  for (const locks::VestingSpec& spec : vesting_specs_) {
    const auto population = static_cast<std::size_t>(
        std::find_if(populations_.begin(), populations_.end(), [&](const PopulationState& p) { return p.name == spec.population; }) -
        populations_.begin());
    for (std::size_t i = 0; i < population_.size(); ++i) {
      if (population_[i] != population) continue;
      const AccountId account = account_of(static_cast<std::uint32_t>(i));
      ledger_.mint(account, spec.amount, "vesting grant");
      vesting_->grant({account, spec.amount, spec.start_epoch, spec.cliff_epochs, spec.duration_epochs});
    }
  }
}

void ContributorEconomy::release_vested(std::int64_t epoch) {
  vested_released_epoch_ = TokenAmount{};
  if (vesting_)
    for (const locks::VestingRelease& release : vesting_->release_due(epoch)) vested_released_epoch_ += release.amount;
}

void ContributorEconomy::end_governed_epoch(std::int64_t epoch) {
  if (escrow_) update_escrow(epoch);
  if (!governance_) return;
  voters_.clear();
  for (const RoleState& r : roles_) voters_.insert(voters_.end(), r.active.begin(), r.active.end());
  const std::vector<TokenAmount> tokens = governance::holdings(ledger_, voters_);
  effect_proposal_ = static_cast<std::size_t>(-1);  // the state the estimates read has moved on
  const governance::EpochReport report = governance_->step(epoch, {voters_, tokens, escrow_.get()}, ballot_rule_);
  proposals_passed_epoch_ = report.passed.size();
  proposals_executed_epoch_ = report.executed.size();
  proposals_passed_total_ += proposals_passed_epoch_;
  for (const governance::ParameterChange& change : governance_->pending_changes(epoch + 1)) apply_change(change);
}

void ContributorEconomy::apply_change(const governance::ParameterChange& change) {
  // The loader has checked the parameter and value against this scenario's governable parameters.
  const governance::GovernableParameter& parameter = *governance::find_governable(governable_, change.parameter.dotted());
  const scenario::ParamValue value = *governance::parameter_value(change.value, parameter.spec, decimals_);
  const std::string& section = change.parameter.components.front();
  if (section == "entry") {
    entry_rate_ = std::get<double>(value);
  } else if (section == "emission") {
    emission_params_.set(parameter.spec.name, value);
    schedule_ = schedule_factory_(emission_params_);  // only stateless schedules are governable
  } else {
    const auto job_price = [](const ComputeMarketConfig& c) { return ComputeMarket::highest_price(c) + c.demand.model_fee; };
    const TokenAmount before = job_price(market_config_);
    set_market_term(market_config_, parameter.spec.name, value);
    // The consumers were funded for the horizon's jobs at the old price; a dearer job is funded the same way.
    if (job_price(market_config_) > before) {
      const auto jobs = static_cast<std::int64_t>(ComputeMarket::jobs_to_fund(market_config_, scenario_.horizon));
      ledger_.mint(consumers_, times(job_price(market_config_) - before, jobs), "consumer funds");
    }
    market_->retune(market_config_);
  }
}

// Every active agent keeps lock_share of its tokens (balance plus escrowed) in the escrow, locked until
// lock_epochs from now: it tops the lock up to that share and moves its end forward each epoch. A lock of an
// agent that has left runs out and is withdrawn once it has.
void ContributorEconomy::update_escrow(std::int64_t epoch) {
  escrow_->checkpoint(epoch);
  const std::int64_t end = epoch + lock_epochs_;
  for (const RoleState& r : roles_) {
    for (AccountId account : r.active) {
      const locks::EscrowLock& lock = escrow_->lock_of(account);
      const TokenAmount wanted = ledger::millionths_of(ledger_.balance(account) + lock.amount, lock_share_millionths_);
      const TokenAmount added = wanted > lock.amount ? wanted - lock.amount : TokenAmount{};
      if (lock.amount.is_zero()) {
        if (!added.is_zero()) escrow_->create_lock(account, added, end, epoch);
        continue;
      }
      if (!added.is_zero()) escrow_->increase_amount(account, added, epoch);
      if (lock.end < end) escrow_->extend_lock(account, end, epoch);
    }
  }
  for (std::size_t i = 0; i < exit_epoch_.size(); ++i) {
    const AccountId account = account_of(static_cast<std::uint32_t>(i));
    if (exit_epoch_[i] >= 0 && !escrow_->lock_of(account).amount.is_zero() && escrow_->lock_of(account).end <= epoch)
      escrow_->withdraw(account, epoch);
  }
}

TokenAmount ContributorEconomy::locked_total() const noexcept {
  return vesting_->still_locked() + (escrow_ ? escrow_->total_locked() : TokenAmount{});
}

ProposalEffect ContributorEconomy::proposal_effect(const governance::Proposal& proposal) const {
  ProposalEffect effect;
  const governance::GovernableParameter& parameter =
      *governance::find_governable(governable_, proposal.spec.parameter.dotted());
  const scenario::ParamValue value = *governance::parameter_value(proposal.spec.value, parameter.spec, decimals_);
  const std::string& section = proposal.spec.parameter.components.front();
  if (section == "entry") {
    effect.entry_change = std::get<double>(value) - entry_rate_;
  } else if (section == "emission") {
    scenario::Params params = emission_params_;
    params.set(parameter.spec.name, value);
    effect.emission_change =
        as_tokens(schedule_factory_(params)->emission(emission_context_), base_unit_) - as_tokens(emission_epoch_, base_unit_);
  } else {
    ComputeMarketConfig next = market_config_;
    set_market_term(next, parameter.spec.name, value);
    const double fee_ratio = ratio(next.fee, market_config_.fee);
    const double burn_now = market_->burn_share();
    const double burn_next = parameter.spec.name == "burn_share" ? next.burn_share : burn_now;
    const double take_now = 1.0 - burn_now - market_config_.treasury_share;
    const double take_next = 1.0 - burn_next - next.treasury_share;
    effect.fee_income_ratio = take_now > 0.0 ? fee_ratio * take_next / take_now : 1.0;
    const ComputeMarketPeriod& totals = market_->totals();
    const double gross_per_epoch = as_tokens(totals.fees + totals.burned + totals.treasury, base_unit_) /
                                   static_cast<double>(proposal.last_voting_epoch + 1);
    effect.burn_change = (burn_next * fee_ratio - burn_now) * gross_per_epoch;
    effect.model_fee_ratio = ratio(next.demand.model_fee, market_config_.demand.model_fee);
  }
  return effect;
}

// expected_gain's estimate, in tokens per epoch (README "Governance and locks"): the voter's share of its role's
// rewards so far times the change of the role's budget; its share of the supply times the change of the fees
// burned (a burn shrinks the supply every holder shares); a provider's fee income and a developer's model fees
// as the new terms scale them; less the change of the entry rate (incumbents lose from more competitors).
double ContributorEconomy::voter_gain(const governance::Proposal& proposal, AccountId voter) {
  if (effect_proposal_ != proposal.id) {
    effect_ = proposal_effect(proposal);
    effect_proposal_ = proposal.id;
  }
  const std::uint32_t agent = agent_of(voter);
  const RoleState& role = roles_[populations_[population_[agent]].role];
  const double epochs = static_cast<double>(proposal.last_voting_epoch + 1);
  double gain = -effect_.entry_change;
  gain += share_of(reward_total_[agent], role.paid_total) * role.share * effect_.emission_change;
  gain += share_of(ledger_.balance(voter) + ledger_.staked(voter), ledger_.supply()) * effect_.burn_change;
  if (serves_market(role))
    gain += (effect_.fee_income_ratio - 1.0) * as_tokens(market_->earned(agent), base_unit_) / epochs;
  if (!model_fees_.empty() && builds_models(role))
    gain += (effect_.model_fee_ratio - 1.0) * as_tokens(model_fees_[agent], base_unit_) / epochs;
  return gain;
}

// The concentration measures are ratios, so every amount may be scaled by one power of two: shifted to fit
// 63 bits, they are measured in exact integer arithmetic. What is lost lies below 2^-63 of the largest amount.
metrics::Concentration ContributorEconomy::reward_concentration() {
  const int shift = std::max(0, bit_width(largest_reward_total_.base_units()) - 63);
  core::resize_buffer(concentration_amounts_, reward_total_.size());
  for (std::size_t i = 0; i < reward_total_.size(); ++i)
    concentration_amounts_[i] = static_cast<std::uint64_t>(reward_total_[i].base_units() >> shift);
  metrics::sort_amounts(concentration_amounts_, concentration_scratch_);
  return metrics::concentration_of_sorted(std::span<const std::uint64_t>(concentration_amounts_));
}

void ContributorEconomy::record_epoch(std::int64_t epoch, TokenAmount emission, TokenAmount minted,
                                      std::int64_t entered, std::int64_t exited, double retention) {
  gas_run_ += gas_epoch_;
  gas_cost_run_ += gas_cost_epoch_;
  core::Fingerprint& fp = *fingerprint_;
  fp.add(ledger_.supply().base_units());
  fp.add(static_cast<std::uint64_t>(active_count()));
  if (!scenario_.outputs.epochs) return;
  const metrics::Concentration c = reward_concentration();
  const std::int64_t active = active_count();

  io::CsvBuffer& row = output_.epochs;
  io::write_identity(row, identity_);
  row.field(epoch).field(active);
  for (const RoleState& r : roles_) row.field(static_cast<std::int64_t>(r.active.size()));
  row.field(entered).field(exited).tokens(emission, decimals_).tokens(minted, decimals_);
  TokenAmount paid;
  for (const RoleState& r : roles_) {
    row.tokens(r.paid_epoch, decimals_);
    paid += r.paid_epoch;
  }
  row.tokens(emission - paid, decimals_);  // budgets of roles with nobody to pay: never minted
  row.tokens(ledger_.supply(), decimals_).tokens(ledger_.total_staked(), decimals_);
  write_supply_metrics(row);
  row.field(c.gini).field(c.nakamoto_50).field(c.nakamoto_33).field(c.hhi).field(retention);
  // Entrants start at zero profit, so the incumbents' sum is everyone's.
  row.field(active > 0 ? incumbents_profit_ / static_cast<double>(active) : 0.0);
  row.field(gas_epoch_).tokens(gas_cost_epoch_, decimals_);
  if (market_) {
    const ComputeMarketPeriod& m = market_epoch_;
    row.field(m.arrivals).field(m.completions).field(static_cast<std::uint64_t>(market_->queued()));
    row.field(m.started > 0 ? to_double(m.wait_ticks) / static_cast<double>(m.started) / market_->time_unit_ticks() : 0.0);
    row.field(m.verifications).field(m.caught).tokens(m.fees, decimals_).tokens(m.burned, decimals_);
    row.tokens(m.treasury, decimals_).field(market_burn_share_).tokens(m.slashed, decimals_);
    row.field(m.dropped).field(m.replicated).field(m.disputes).field(m.forced_errors_found).tokens(m.bounties, decimals_);
    row.field(arrival_rate_).field(mean_quality_).tokens(model_fees_epoch_, decimals_);
  }
  if (trading_) {
    const TradingPeriod& t = trading_->period();
    const unsigned qd = trading_->quote_decimals();
    row.field(trading_->price()).tokens(t.tokens_sold, decimals_).tokens(t.tokens_bought, decimals_);
    row.tokens(quote_units(t.quote_received), qd).tokens(quote_units(t.quote_paid), qd);
    row.tokens(trading_->pool_tokens(), decimals_).tokens(quote_units(trading_->pool_quote()), qd);
  }
  if (governance_) row.field(proposals_passed_epoch_).field(proposals_executed_epoch_);
  if (vesting_) {
    row.tokens(locked_total(), decimals_).tokens(vested_released_epoch_, decimals_);
    row.tokens(TokenAmount::from_base_units(escrow_ ? escrow_->total_power(epoch) : 0), decimals_);
  }
  if (validation_) {
    row.field(validation_->honest_stake_share()).field(validation_->cabal_incentive_share());
    for (ValidatorClass k : all_validator_classes) optional_field(row, validation_->relative_dividends(k));
  }
  if (adversaries_) write_population_shares();
  if (staking_) staking_->write_epoch(row, decimals_, staking_epoch_);
  row.end_row();
}

// The supply's growth since the ledger's totals were `minted` and `burned`, over the supply then; none when it was 0.
std::optional<double> ContributorEconomy::growth_ratio(TokenAmount minted, TokenAmount burned) const noexcept {
  const TokenAmount before = minted - burned;
  if (before.is_zero()) return std::nullopt;
  const double now = to_double(ledger_.supply().base_units());
  return (now - to_double(before.base_units())) / to_double(before.base_units());
}

// Since the last epoch recorded: burned, inflation (the supply's growth over its size then), burned over minted;
// and the share of the supply staked.
void ContributorEconomy::write_supply_metrics(io::CsvBuffer& row) {
  const TokenAmount minted = ledger_.total_minted() - minted_recorded_;
  const TokenAmount burned = ledger_.total_burned() - burned_recorded_;
  row.tokens(burned, decimals_);
  optional_field(row, growth_ratio(minted_recorded_, burned_recorded_));
  optional_field(row, ratio_of(burned, minted));
  optional_field(row, ratio_of(ledger_.total_staked(), ledger_.supply()));
  minted_recorded_ = ledger_.total_minted();
  burned_recorded_ = ledger_.total_burned();
}

void ContributorEconomy::on_event(const core::Event& event, core::Simulation<ContributorEconomy>& sim) {
  if (ComputeMarket::owns(event.data.kind)) {
    market_->handle(event, sim.queue());
    return;
  }
  if (event.data.kind != epoch_end) throw std::logic_error("unknown event kind");
  const auto epoch = static_cast<std::int64_t>(event.data.payload);
  run_epoch(epoch, sim.now());
  if (epoch + 1 < epochs_)
    sim.schedule_at(scenario_.epoch_length * (epoch + 2), {epoch_end, 0, static_cast<std::uint64_t>(epoch + 1)});
}

std::int64_t ContributorEconomy::epochs_active(std::size_t i) const noexcept {
  const std::int64_t last = exit_epoch_[i] >= 0 ? exit_epoch_[i] + 1 : epochs_;
  return std::max<std::int64_t>(0, last - entry_epoch_[i]);
}

TokenAmount ContributorEconomy::costs_of(std::size_t i) const {
  return times(populations_[population_[i]].behaviour.cost, epochs_active(i)) + gas_cost_of(i);
}

void ContributorEconomy::write_agents() {
  for (std::size_t i = 0; i < population_.size(); ++i) {
    const PopulationState& pop = populations_[population_[i]];
    const std::int64_t exit = exit_epoch_[i];
    const TokenAmount costs = costs_of(i);
    const AccountId account = account_of(static_cast<std::uint32_t>(i));
    io::CsvBuffer& row = output_.agents;
    io::write_identity(row, identity_);
    row.field(static_cast<std::int64_t>(i)).field(pop.name).field(roles_[pop.role].name).field(pop.model).field(entry_epoch_[i]);
    if (exit >= 0)
      row.field(exit);
    else
      row.field(std::string_view{});
    row.field(epochs_active(i)).field(contribution_total_[i]).tokens(reward_total_[i], decimals_).tokens(costs, decimals_);
    row.field(profit_[i]).field(metrics::roi((kept_rewards(i) + fees_of(i)).to_tokens(decimals_), costs.to_tokens(decimals_)));
    row.tokens(ledger_.balance(account), decimals_).tokens(ledger_.staked(account), decimals_);
    row.field(gas_used_by(i)).tokens(gas_cost_of(i), decimals_);
    if (market_) {
      const auto agent = static_cast<std::uint32_t>(i);
      const bool provider = role_is(i, market_role_);
      row.field(provider ? market_->jobs(agent) : 0).tokens(fees_of(i), decimals_);
      row.field(provider && market_->caught(agent) ? 1 : 0);
      row.tokens(provider ? market_->slashed(agent) : TokenAmount{}, decimals_);
    }
    if (trading_) {
      const auto agent = static_cast<std::uint32_t>(i);
      const double costs_fiat = costs.to_tokens(decimals_) * token_market_config_->initial_price;
      row.tokens(quote_units(trading_->quote_of(agent)), trading_->quote_decimals());
      row.field(income_fiat_[i]).field(metrics::roi(income_fiat_[i], costs_fiat));
    }
    if (governance_) row.field(static_cast<std::uint64_t>(governance_->votes_cast(account)));
    if (vesting_) {
      row.tokens(ledger_.locked(account), decimals_);
      row.tokens(TokenAmount::from_base_units(escrow_ ? escrow_->power(account, epochs_ - 1) : 0), decimals_);
    }
    if (validation_) optional_field(row, validation_->relative_dividends_of(static_cast<std::uint32_t>(i)));
    if (staking_) staking_->write_agent(row, decimals_, static_cast<std::uint32_t>(i));
    row.end_row();
  }
}

void ContributorEconomy::write_run_row(std::int64_t events, const std::string& fingerprint) {
  const metrics::Concentration c = reward_concentration();
  // The sort's buffers are done with; freeing them before the ROI buffer grows keeps the peak down.
  std::vector<std::uint64_t>().swap(concentration_amounts_);
  std::vector<std::uint64_t>().swap(concentration_scratch_);
  TokenAmount paid;
  for (const RoleState& r : roles_) paid += r.paid_total;
  std::int64_t initial_still_active = 0;
  for (std::int64_t i = 0; i < initial_agents_; ++i) initial_still_active += exit_epoch_[static_cast<std::size_t>(i)] < 0;

  io::CsvBuffer& row = output_.run;
  io::write_identity(row, identity_);
  row.field(epochs_).field(static_cast<std::int64_t>(population_.size())).field(active_count());
  for (const RoleState& r : roles_) row.field(static_cast<std::int64_t>(r.active.size()));
  row.tokens(paid, decimals_);
  for (const RoleState& r : roles_) row.tokens(r.paid_total, decimals_);
  for (const RoleState& r : roles_)
    row.field(metrics::share(r.paid_total.to_tokens(decimals_), paid.to_tokens(decimals_)));
  row.field(c.gini).field(c.nakamoto_50).field(c.nakamoto_33).field(c.hhi);
  row.field(metrics::retention(initial_agents_, initial_still_active));
  // ROI by role over every agent that ever played it, one role at a time in the metrics buffer.
  for (std::size_t r = 0; r < roles_.size(); ++r) {
    roi_values_.clear();
    for (std::size_t i = 0; i < population_.size(); ++i) {
      const PopulationState& pop = populations_[population_[i]];
      if (pop.role != r) continue;
      roi_values_.push_back(
          metrics::roi((kept_rewards(i) + fees_of(i)).to_tokens(decimals_), costs_of(i).to_tokens(decimals_)));
    }
    const metrics::Summary s = metrics::summarize_in_place(roi_values_);
    row.field(s.mean).field(s.median);
  }
  row.field(gas_run_).tokens(gas_cost_run_, decimals_);
  if (market_) {
    const ComputeMarketPeriod& m = market_->totals();
    row.field(m.arrivals).field(m.completions).field(m.caught).tokens(m.fees, decimals_).tokens(m.burned, decimals_);
    row.tokens(m.treasury, decimals_).tokens(m.slashed, decimals_).tokens(model_fees_run_, decimals_);
  }
  if (trading_) {
    const TradingPeriod& t = trading_->totals();
    row.field(trading_->price()).tokens(t.tokens_sold, decimals_).tokens(t.tokens_bought, decimals_);
  }
  if (governance_) row.field(proposals_passed_total_);
  if (sybil_populations_) write_sybil_gain();
  if (staking_) staking_->write_run(row, decimals_);
  // Over the whole run: the supply's growth since genesis, burned over minted since genesis, the staked share.
  optional_field(row, growth_ratio(minted_genesis_, burned_genesis_));
  optional_field(row, ratio_of(ledger_.total_burned() - burned_genesis_, ledger_.total_minted() - minted_genesis_));
  optional_field(row, ratio_of(ledger_.total_staked(), ledger_.supply()));
  row.tokens(ledger_.supply(), decimals_).field(events).field(std::string_view{fingerprint});
  row.end_row();
}

void ContributorEconomy::write_transfers() {
  for (const ledger::JournalEntry& e : ledger_.journal()) {
    io::CsvBuffer& row = output_.transfers;
    io::write_identity(row, identity_);
    row.field(e.sequence).field(e.epoch).field(std::string_view{ledger::to_string(e.op)});
    if (e.from == ledger::no_account) row.field(std::string_view{}); else row.field(e.from);
    if (e.to == ledger::no_account) row.field(std::string_view{}); else row.field(e.to);
    row.tokens(e.amount, decimals_).field(std::string_view{e.reason});
    row.end_row();
  }
}

io::RunOutput ContributorEconomy::run() {
  core::Simulation<ContributorEconomy> sim(*this);
  fingerprint_ = &sim.fingerprint();
  genesis();
  minted_genesis_ = minted_recorded_ = ledger_.total_minted();
  burned_genesis_ = burned_recorded_ = ledger_.total_burned();
  if (epochs_ > 0) sim.schedule_at(scenario_.epoch_length, {epoch_end, 0, 0});
  if (market_) market_->start(sim.queue(), core::SimTime::zero());
  sim.run();
  output_.fingerprint = sim.fingerprint().hex();
  if (scenario_.outputs.agents) write_agents();
  if (scenario_.outputs.transfers) write_transfers();
  write_run_row(static_cast<std::int64_t>(sim.events_processed()), output_.fingerprint);
  return std::move(output_);
}

}  // namespace

io::OutputSchema contributor_economy_schema(const scenario::Scenario& scenario, const ModelCatalog& catalog) {
  const std::vector<std::string> roles = roles_in_order(scenario, catalog);
  io::OutputSchema s;
  s.runs.insert(s.runs.end(), {"epochs", "agents_total", "active_final"});
  for (const auto& r : roles) s.runs.push_back("active_final_" + r);
  s.runs.push_back("rewards_tokens");
  for (const auto& r : roles) s.runs.push_back("rewards_" + r + "_tokens");
  for (const auto& r : roles) s.runs.push_back("reward_share_" + r);
  s.runs.insert(s.runs.end(), {"gini_rewards", "nakamoto_50", "nakamoto_33", "hhi_rewards", "retention_initial"});
  for (const auto& r : roles) {
    s.runs.push_back("roi_mean_" + r);
    s.runs.push_back("roi_median_" + r);
  }
  s.runs.insert(s.runs.end(), {"gas_used", "gas_cost_tokens"});
  if (scenario.market)
    s.runs.insert(s.runs.end(), {"jobs_arrived", "jobs_served", "cheaters_caught", "fees_tokens", "fees_burned_tokens",
                                 "fees_treasury_tokens", "slashed_tokens", "model_fees_tokens"});
  if (scenario.token_market) s.runs.insert(s.runs.end(), {"price_final", "tokens_sold_tokens", "tokens_bought_tokens"});
  const bool governed = scenario.sections.contains("governance");
  const bool locked = scenario.sections.contains("locks");
  if (governed) s.runs.push_back("proposals_passed_total");
  if (std::any_of(scenario.populations.begin(), scenario.populations.end(), is_sybil))
    s.runs.insert(s.runs.end(), {"sybil_rewards_tokens", "sybil_rewards_unsplit_tokens", "sybil_identity_costs_tokens",
                                 "sybil_gain", "sybil_gain_net"});
  const bool delegated = scenario.sections.contains("delegation");
  const bool slashed = scenario.sections.contains("slashing");
  const auto staking_columns = [&](std::vector<std::string>& table, staking::Staking::Table which) {
    const std::vector<std::string> columns = staking::Staking::columns(which, delegated, slashed);
    table.insert(table.end(), columns.begin(), columns.end());
  };
  staking_columns(s.runs, staking::Staking::Table::runs);
  s.runs.insert(s.runs.end(), {"inflation_total", "burn_mint_ratio", "staking_ratio", "supply_tokens", "events", "fingerprint"});

  s.epochs.insert(s.epochs.end(), {"epoch", "active"});
  for (const auto& r : roles) s.epochs.push_back("active_" + r);
  s.epochs.insert(s.epochs.end(), {"entered", "exited", "emission_tokens", "minted_tokens"});
  for (const auto& r : roles) s.epochs.push_back("rewards_" + r + "_tokens");
  s.epochs.insert(s.epochs.end(), {"unpaid_tokens", "supply_tokens", "staked_tokens", "burned_tokens", "inflation",
                                   "burn_mint_ratio", "staking_ratio", "gini_rewards", "nakamoto_50", "nakamoto_33", "hhi_rewards", "retention", "mean_profit_tokens", "gas_used", "gas_cost_tokens"});
  if (scenario.market)
    s.epochs.insert(s.epochs.end(), {"jobs_arrived", "jobs_served", "jobs_waiting", "mean_wait", "jobs_verified",
                                     "cheaters_caught", "fees_tokens", "fees_burned_tokens", "fees_treasury_tokens",
                                     "burn_share", "slashed_tokens", "jobs_dropped", "jobs_replicated", "disputes",
                                     "forced_errors_found", "forced_error_bounties_tokens", "demand_rate",
                                     "mean_model_quality", "model_fees_tokens"});
  if (scenario.token_market)
    s.epochs.insert(s.epochs.end(), {"price", "tokens_sold_tokens", "tokens_bought_tokens", "quote_received",
                                     "quote_paid", "pool_tokens", "pool_quote"});
  if (governed) s.epochs.insert(s.epochs.end(), {"proposals_passed", "proposals_executed"});
  if (locked) s.epochs.insert(s.epochs.end(), {"locked_tokens", "vested_released_tokens", "ve_power_total"});
  const bool validated = std::any_of(scenario.rewards.begin(), scenario.rewards.end(),
                                     [](const scenario::RoleRewards& r) { return r.rule.name == yuma_rule_name; });
  if (validated) {
    s.epochs.insert(s.epochs.end(), {"honest_stake_share", "cabal_incentive_share"});
    for (ValidatorClass c : all_validator_classes) s.epochs.push_back("relative_dividends_" + std::string(to_string(c)));
  }
  if (std::any_of(scenario.populations.begin(), scenario.populations.end(), is_adversary)) {
    for (const scenario::Population& p : scenario.populations) s.epochs.push_back("stake_share_" + p.name);
    for (const scenario::Population& p : scenario.populations) s.epochs.push_back("reward_share_" + p.name);
  }
  staking_columns(s.epochs, staking::Staking::Table::epochs);

  s.agents.insert(s.agents.end(), {"agent_id", "population", "role", "model", "entry_epoch", "exit_epoch", "epochs_active",
                                   "contribution", "rewards_tokens", "costs_tokens", "profit_tokens", "roi",
                                   "balance_tokens", "staked_tokens", "gas_used", "gas_cost_tokens"});
  if (scenario.market) s.agents.insert(s.agents.end(), {"jobs", "fees_tokens", "caught", "slashed_tokens"});
  if (scenario.token_market) s.agents.insert(s.agents.end(), {"quote_holdings", "income_fiat", "roi_fiat"});
  if (governed) s.agents.push_back("votes");
  if (locked) s.agents.insert(s.agents.end(), {"locked_tokens", "ve_power"});
  if (validated) s.agents.push_back("relative_dividends");
  staking_columns(s.agents, staking::Staking::Table::agents);

  s.transfers.insert(s.transfers.end(), {"sequence", "epoch", "operation", "from_account", "to_account",
                                         "amount_tokens", "reason"});
  return s;
}

io::RunOutput run_contributor_economy(const scenario::Scenario& scenario, const ModelCatalog& catalog,
                                      const io::RunIdentity& identity) {
  ContributorEconomy economy(scenario, catalog, identity);
  const bool splits = std::any_of(scenario.populations.begin(), scenario.populations.end(), [](const scenario::Population& p) {
    return is_sybil(p) && p.model.params.integer("identities") > 1;
  });
  if (splits) {  // g(k)'s counterfactual: the same seed and replicate, so the same random numbers
    ContributorEconomy counterfactual(scenario, catalog, identity, true);
    counterfactual.run();
    economy.set_unsplit_sybil_rewards(counterfactual.sybil_rewards());
  }
  return economy.run();
}

}  // namespace dais::models
