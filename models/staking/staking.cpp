#include "models/staking/staking.hpp"

#include <algorithm>
#include <cmath>

#include "models/emission/schedule.hpp"
#include "sim/core/distributions.hpp"

namespace dais::models::staking {

using ledger::TokenAmount;

namespace {

// Delegators' streams are keyed above every agent id and the world's entities.
constexpr std::uint64_t delegator_entity = std::uint64_t{1} << 41;
enum Purpose : std::uint64_t { downtime_purpose = 201, stake_purpose = 202, choice_purpose = 203 };

std::uint64_t to_millionths(double fraction) noexcept {
  return static_cast<std::uint64_t>(std::llround(std::clamp(fraction, 0.0, 1.0) * 1e6));
}

}  // namespace

Staking::Staking(std::optional<DelegationConfig> delegation, std::optional<SlashingConfig> slashing,
                 std::vector<std::uint64_t> commission_millionths, ledger::Ledger& ledger, std::uint64_t seed,
                 std::uint64_t replicate, core::SimTime epoch_length, core::SimTime horizon)
    : delegation_(std::move(delegation)),
      commission_millionths_(std::move(commission_millionths)),
      ledger_(ledger),
      book_(ledger),
      seed_(seed),
      replicate_(replicate),
      epoch_length_(epoch_length),
      horizon_(horizon) {
  if (slashing) {
    slashing_ = true;
    downtime_ = slashing->downtime;
    if (slashing->correlation)
      correlation_.emplace(slashing->correlation->multiplier, epoch_length * slashing->correlation->window_epochs);
  }
}

TokenAmount Staking::most_delegated() const {
  if (!delegation_) return {};
  ledger::u128 out = 0;
  if (__builtin_mul_overflow(delegation_->stake_max.base_units(), static_cast<ledger::u128>(delegation_->delegators), &out))
    throw ledger::AmountError("delegation: the delegators' stakes overflow");
  return TokenAmount::from_base_units(out);
}

void Staking::grow_to(std::uint32_t agent) {
  if (agent < yield_.size()) return;
  const std::size_t n = std::size_t{agent} + 1;
  yield_.resize(n, 0.0);
  commission_total_.resize(n);
  passed_on_total_.resize(n);
  active_.resize(n, 0);
}

void Staking::endow_delegators() {
  if (!delegation_) return;
  const TokenAmount range = delegation_->stake_max - delegation_->stake_min;
  for (std::int64_t d = 0; d < delegation_->delegators; ++d) {
    core::RandomStream rng({seed_, replicate_, delegator_entity + static_cast<std::uint64_t>(d), stake_purpose});
    book_.add_delegator(delegation_->stake_min + scale_amount(range, rng.uniform01()));
  }
}

TokenAmount Staking::stake_of(std::uint32_t agent, ledger::AccountId account) const {
  return ledger_.staked(account) + book_.delegated_to(agent);
}

void Staking::split_rewards(const Operators& operators, std::span<TokenAmount> shares, std::span<TokenAmount> passed_on) {
  for (std::size_t k = 0; k < operators.accounts.size(); ++k) {
    const std::uint32_t agent = operators.agents[k];
    const ledger::AccountId account = operators.accounts[k];
    grow_to(agent);
    const TokenAmount own = ledger_.staked(account);
    const TokenAmount stake = own + book_.delegated_to(agent);
    const std::uint64_t commission = commission_of(operators, agent);
    yield_[agent] = stake.is_zero() ? 0.0
                                    : (1.0 - static_cast<double>(commission) / 1e6) * to_double(shares[k].base_units()) /
                                          to_double(stake.base_units());
    const DelegationBook::Split split = book_.split_reward(agent, account, own, shares[k], commission);
    shares[k] -= split.to_delegators;
    passed_on[k] = split.to_delegators;
    commission_total_[agent] += split.commission;
    passed_on_total_[agent] += split.to_delegators;
    period_.commission += split.commission;
    period_.to_delegators += split.to_delegators;
  }
}

TokenAmount Staking::slash(std::uint32_t agent, ledger::AccountId account, double base, core::SimTime now,
                           bool correlated, const char* reason) {
  const TokenAmount own = ledger_.staked(account);
  double term = 0.0;
  if (correlated && correlation_) {
    term = correlation_->add(now, own + book_.slashable_with(agent), ledger_.total_staked());
    period_.correlation_penalty = std::max(period_.correlation_penalty, term);
  }
  const std::uint64_t fraction = to_millionths(CorrelationWindow::fraction(base, term));
  const TokenAmount taken = ledger_.slash(account, ledger::millionths_of(own, fraction), reason);
  const TokenAmount delegators = book_.slash(agent, fraction);
  period_.delegators_slashed += delegators;
  return taken + delegators;
}

void Staking::end_epoch(std::int64_t epoch, core::SimTime now, const Operators& downtime_operators,
                        const Operators& delegation_operators) {
  // What the ledger released at the epoch's start is no longer the operators' to lose.
  if (delegation_) book_.collect_released(now);
  if (downtime_) {
    for (std::size_t k = 0; k < downtime_operators.agents.size(); ++k) {
      const std::uint32_t agent = downtime_operators.agents[k];
      core::RandomStream rng({seed_, replicate_, agent, downtime_purpose}, static_cast<std::uint64_t>(epoch));
      if (!core::draw_bernoulli(rng, downtime_->probability)) continue;
      period_.downtime_slashed +=
          slash(agent, downtime_operators.accounts[k], downtime_->fraction, now, downtime_->correlated, "downtime");
      ++period_.downtime_slashes;
    }
  }
  if (!delegation_) return;
  const core::SimTime delay = epoch_length_ * delegation_->unbonding_epochs;
  for (std::uint32_t agent : delegation_operators.agents) {
    grow_to(agent);
    active_[agent] = 1;
  }
  const bool review = delegation_->redelegate_every > 0 && (epoch + 1) % delegation_->redelegate_every == 0 &&
                      delegation_->choice != DelegatorChoice::stake_weighted;
  if (review) prepare_choice(delegation_operators);
  for (std::uint32_t d = 0; d < book_.delegators(); ++d) {
    if (!book_.bonded(d)) continue;
    const std::uint32_t op = book_.operator_of(d);
    const bool left = op >= active_.size() || active_[op] == 0;
    if (left || (review && wants_to_move(d, delegation_operators))) {
      book_.unbond(d, now, delay);
      ++period_.redelegations;
    }
  }
  for (std::uint32_t agent : delegation_operators.agents) active_[agent] = 0;
  if (delegation_->unbonding_epochs == 0) {  // released at once: back in its balance before it bonds again
    ledger_.release_matured(now);
    book_.collect_released(now);
  }
  bond_free(epoch, delegation_operators);
  book_.check();
}

void Staking::bond_free(std::int64_t epoch, const Operators& operators) {
  if (!delegation_ || operators.agents.empty()) return;
  bool prepared = false;  // most epochs nobody is free: no round to prepare
  for (std::uint32_t d = 0; d < book_.delegators(); ++d) {
    if (!book_.free(d)) continue;
    if (!prepared) prepare_choice(operators);
    prepared = true;
    book_.bond(d, choose(d, epoch));
  }
}

void Staking::prepare_choice(const Operators& operators) {
  candidates_.clear();
  cumulative_.clear();
  const std::size_t n = operators.agents.size();
  if (n == 0) return;
  if (delegation_->choice == DelegatorChoice::stake_weighted) {
    double total = 0.0;
    for (std::size_t k = 0; k < n; ++k) total += to_double(stake_of(operators.agents[k], operators.accounts[k]).base_units());
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      // With nothing staked anywhere, every operator is as likely.
      sum += total > 0.0 ? to_double(stake_of(operators.agents[k], operators.accounts[k]).base_units()) : 1.0;
      cumulative_.push_back(sum);
      candidates_.push_back(operators.agents[k]);
    }
    return;
  }
  const bool by_commission = delegation_->choice == DelegatorChoice::lowest_commission;
  const auto score = [&](std::uint32_t agent) {
    grow_to(agent);
    // Higher is better: the negated commission, or the yield.
    return by_commission ? -static_cast<double>(commission_of(operators, agent)) : yield_[agent];
  };
  best_ = score(operators.agents[0]);
  for (std::uint32_t agent : operators.agents) best_ = std::max(best_, score(agent));
  for (std::uint32_t agent : operators.agents)
    if (score(agent) == best_) candidates_.push_back(agent);
}

std::uint32_t Staking::choose(std::uint32_t delegator, std::int64_t epoch) const {
  // Genesis draws at substream 0, epoch t's end at t + 1.
  core::RandomStream rng({seed_, replicate_, delegator_entity + delegator, choice_purpose}, static_cast<std::uint64_t>(epoch + 1));
  const double u = rng.uniform01();
  if (!cumulative_.empty()) {
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u * cumulative_.back());
    return candidates_[std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), candidates_.size() - 1)];
  }
  return candidates_[std::min(candidates_.size() - 1, static_cast<std::size_t>(u * static_cast<double>(candidates_.size())))];
}

bool Staking::wants_to_move(std::uint32_t delegator, const Operators& operators) const {
  const std::uint32_t op = book_.operator_of(delegator);
  if (delegation_->choice == DelegatorChoice::lowest_commission)
    return -static_cast<double>(commission_of(operators, op)) < best_;
  return yield_[op] < best_;
}

StakingPeriod Staking::take_period() noexcept {
  const StakingPeriod p = period_;
  downtime_slashed_total_ += p.downtime_slashed;
  correlation_penalty_max_ = std::max(correlation_penalty_max_, p.correlation_penalty);
  period_ = {};
  return p;
}

std::vector<std::string> Staking::columns(Table table, bool delegation, bool slashing) {
  std::vector<std::string> out;
  switch (table) {
    case Table::runs:
      if (delegation)
        out = {"delegators", "delegator_rewards_tokens", "commission_tokens", "delegator_roi_mean", "delegator_apr_mean"};
      if (slashing) out.insert(out.end(), {"correlation_penalty_max", "delegator_slashed_tokens", "downtime_slashed_tokens"});
      break;
    case Table::epochs:
      if (delegation)
        out = {"delegated_tokens", "commission_tokens", "delegator_rewards_tokens", "redelegations"};
      if (slashing)
        out.insert(out.end(), {"correlation_penalty", "delegator_slashed_tokens", "downtime_slashes", "downtime_slashed_tokens"});
      break;
    case Table::agents:
      if (delegation) out = {"delegated_tokens", "commission_tokens", "delegator_rewards_tokens"};
      break;
  }
  return out;
}

void Staking::write_epoch(io::CsvBuffer& row, unsigned decimals, const StakingPeriod& period) const {
  if (delegation_) {
    row.tokens(book_.total_delegated(), decimals);
    row.tokens(period.commission, decimals).tokens(period.to_delegators, decimals).field(period.redelegations);
  }
  if (slashing_) {
    row.field(period.correlation_penalty).tokens(period.delegators_slashed, decimals);
    row.field(period.downtime_slashes).tokens(period.downtime_slashed, decimals);
  }
}

void Staking::write_run(io::CsvBuffer& row, unsigned decimals) const {
  TokenAmount delegators_slashed;
  if (delegation_) {
    // A delegator's return: what it was paid less what slashes took, over its endowment; APR scales it to a year.
    double roi_sum = 0.0;
    std::uint32_t counted = 0;
    for (std::uint32_t d = 0; d < book_.delegators(); ++d) {
      delegators_slashed += book_.slashed(d);
      if (book_.endowment(d).is_zero()) continue;
      roi_sum += (to_double(book_.rewards(d).base_units()) - to_double(book_.slashed(d).base_units())) /
                 to_double(book_.endowment(d).base_units());
      ++counted;
    }
    TokenAmount to_delegators;
    TokenAmount commission;
    for (std::size_t agent = 0; agent < passed_on_total_.size(); ++agent) {
      to_delegators += passed_on_total_[agent];
      commission += commission_total_[agent];
    }
    const double roi = counted > 0 ? roi_sum / counted : 0.0;
    const double years = static_cast<double>(horizon_.ticks()) / static_cast<double>(core::SimTime::days(365).ticks());
    row.field(static_cast<std::uint64_t>(book_.delegators())).tokens(to_delegators, decimals);
    row.tokens(commission, decimals).field(roi).field(years > 0.0 ? roi / years : 0.0);
  }
  if (slashing_)
    row.field(correlation_penalty_max_).tokens(delegators_slashed, decimals).tokens(downtime_slashed_total_, decimals);
}

void Staking::write_agent(io::CsvBuffer& row, unsigned decimals, std::uint32_t agent) const {
  if (!delegation_) return;
  const bool known = agent < yield_.size();
  row.tokens(book_.delegated_to(agent), decimals);
  row.tokens(known ? commission_total_[agent] : TokenAmount{}, decimals);
  row.tokens(known ? passed_on_total_[agent] : TokenAmount{}, decimals);
}

}  // namespace dais::models::staking
