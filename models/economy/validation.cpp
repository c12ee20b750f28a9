#include "models/economy/validation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/distributions.hpp"
#include "sim/core/random.hpp"
#include "sim/core/int128.hpp"

namespace dais::models {

namespace {

// Above the economy's purposes, which are small: one purpose per observed developer.
constexpr std::uint64_t observation_purpose = std::uint64_t{1} << 63;

// Where each of `now` (ascending) is in `before` (ascending), -1 where it is new.
void positions_in(std::span<const std::uint32_t> before, std::span<const std::uint32_t> now,
                  std::vector<Eigen::Index>& out) {
  out.assign(now.size(), -1);
  std::size_t b = 0;
  for (std::size_t k = 0; k < now.size(); ++k) {
    while (b < before.size() && before[b] < now[k]) ++b;
    if (b < before.size() && before[b] == now[k]) out[k] = static_cast<Eigen::Index>(b);
  }
}

Eigen::MatrixXd moved(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& rows, const std::vector<Eigen::Index>& cols) {
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));
  if (m.size() == 0) return out;
  for (std::size_t j = 0; j < cols.size(); ++j)
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i] >= 0 && cols[j] >= 0)
        out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = m(rows[i], cols[j]);
  return out;
}

Eigen::VectorXd moved(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& from) {
  Eigen::VectorXd out = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(from.size()));
  if (v.size() == 0) return out;
  for (std::size_t k = 0; k < from.size(); ++k)
    if (from[k] >= 0) out[static_cast<Eigen::Index>(k)] = v[from[k]];
  return out;
}

bool same_agents(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace

std::string_view to_string(ValidatorClass c) noexcept {
  switch (c) {
    case ValidatorClass::honest: return "honest";
    case ValidatorClass::weight_copier: return "copier";
    case ValidatorClass::cabal: return "cabal";
  }
  return "?";
}

ValidatorClass Validation::PopulationTraits::validator_class() const noexcept {
  if (cabal >= 0) return ValidatorClass::cabal;
  return validator.strategy == WeightStrategy::weight_copier ? ValidatorClass::weight_copier : ValidatorClass::honest;
}

Validation::Validation(const YumaParams& params, std::uint64_t seed, std::uint64_t replicate,
                       std::vector<ContributorBehaviour> populations)
    : params_(params), seed_(seed), replicate_(replicate) {
  epoch_.pair_outputs = false;
  std::vector<std::string> cabals;
  for (const ContributorBehaviour& b : populations) {
    PopulationTraits t;
    t.validator = b.validator;
    if (!b.cabal.empty()) {
      auto it = std::find(cabals.begin(), cabals.end(), b.cabal);
      if (it == cabals.end()) it = cabals.insert(cabals.end(), b.cabal);
      t.cabal = static_cast<std::int32_t>(it - cabals.begin());
    }
    populations_.push_back(t);
  }
}

void Validation::run_epoch(const ValidationInput& in) {
  const std::size_t nv = in.validators.size();
  const std::size_t nd = in.developers.size();
  incentives_.assign(nd, 0.0);
  dividends_.assign(nv, 0.0);
  trust_.assign(nv, 0.0);
  if (nv == 0 || nd == 0) {
    record(in);
    return;
  }
  stakes_.resize(static_cast<Eigen::Index>(nv));
  for (std::size_t i = 0; i < nv; ++i) stakes_[static_cast<Eigen::Index>(i)] = to_double(in.stakes[i].base_units());
  set_weights(in);
  carry_state(in.validators, in.developers);
  yuma_epoch(params_, stakes_, weights_, state_, epoch_);
  for (std::size_t j = 0; j < nd; ++j) incentives_[j] = epoch_.incentives[static_cast<Eigen::Index>(j)];
  for (std::size_t i = 0; i < nv; ++i) {
    dividends_[i] = epoch_.dividends[static_cast<Eigen::Index>(i)];
    trust_[i] = epoch_.validator_trust[static_cast<Eigen::Index>(i)];
  }
  record(in);
}

void Validation::set_weights(const ValidationInput& in) {
  const auto nv = static_cast<Eigen::Index>(in.validators.size());
  const auto nd = static_cast<Eigen::Index>(in.developers.size());
  weights_.setZero(nv, nd);
  // The consensus last epoch published, by this epoch's developers: what copiers copy.
  positions_in(state_developers_, in.developers, column_from_);
  const Eigen::VectorXd published = state_.epochs > 0 ? moved(state_.consensus, column_from_) : Eigen::VectorXd::Zero(nd);
  for (Eigen::Index i = 0; i < nv; ++i) {
    const std::uint32_t validator = in.validators[static_cast<std::size_t>(i)];
    const PopulationTraits& traits = populations_[in.population_of[validator]];
    if (traits.validator.strategy == WeightStrategy::weight_copier) {
      weights_.row(i) = published.transpose();
      continue;
    }
    const ValidatorBehaviour& b = traits.validator;
    for (Eigen::Index j = 0; j < nd; ++j) {
      const std::uint32_t developer = in.developers[static_cast<std::size_t>(j)];
      if (traits.cabal >= 0) {  // colluding, not evaluating: equal weight on its own developers, none elsewhere
        weights_(i, j) = populations_[in.population_of[developer]].cabal == traits.cabal ? 1.0 : 0.0;
        continue;
      }
      const double work = in.work[static_cast<std::size_t>(j)];
      double seen = work;
      if (b.noise > 0.0) {
        core::RandomStream rng({seed_, replicate_, validator, observation_purpose + developer},
                               static_cast<std::uint64_t>(in.epoch));
        const double z = core::draw_normal(rng, 0.0, 1.0);
        seen = b.noise_kind == EvaluationNoise::multiplicative ? work * std::exp(b.noise * z)
                                                               : std::max(0.0, work + b.noise * z);
      }
      weights_(i, j) = seen;
    }
  }
}

void Validation::carry_state(std::span<const std::uint32_t> validators, std::span<const std::uint32_t> developers) {
  if (state_.epochs > 0 && !(same_agents(state_validators_, validators) && same_agents(state_developers_, developers))) {
    positions_in(state_validators_, validators, row_from_);
    positions_in(state_developers_, developers, column_from_);
    state_.bonds = moved(state_.bonds, row_from_, column_from_);
    state_.consensus = moved(state_.consensus, column_from_);
    state_.consensus_raw = moved(state_.consensus_raw, column_from_);
    if (state_.weights.size() > 0) state_.weights = moved(state_.weights, row_from_, column_from_);
  }
  state_validators_.assign(validators.begin(), validators.end());
  state_developers_.assign(developers.begin(), developers.end());
}

void Validation::record(const ValidationInput& in) {
  class_dividends_.fill(0.0);
  class_stake_.fill(0.0);
  honest_stake_share_ = 0.0;
  cabal_incentive_share_ = 0.0;
  if (in.validators.empty() || in.developers.empty()) return;
  for (std::size_t i = 0; i < in.validators.size(); ++i) {
    const std::uint32_t agent = in.validators[i];
    const double stake = epoch_.stake[static_cast<Eigen::Index>(i)];
    const auto c = static_cast<std::size_t>(populations_[in.population_of[agent]].validator_class());
    class_dividends_[c] += dividends_[i];
    class_stake_[c] += stake;
    if (agent >= dividends_run_.size()) {
      dividends_run_.resize(agent + 1, 0.0);
      stake_share_run_.resize(agent + 1, 0.0);
    }
    dividends_run_[agent] += dividends_[i];
    stake_share_run_[agent] += stake;
  }
  honest_stake_share_ = class_stake_[0] + class_stake_[1];
  for (std::size_t j = 0; j < in.developers.size(); ++j)
    if (populations_[in.population_of[in.developers[j]]].cabal >= 0) cabal_incentive_share_ += incentives_[j];
}

std::optional<double> Validation::relative_dividends(ValidatorClass c) const noexcept {
  const auto k = static_cast<std::size_t>(c);
  if (class_stake_[k] <= 0.0) return std::nullopt;
  return class_dividends_[k] / class_stake_[k];
}

std::optional<double> Validation::relative_dividends_of(std::uint32_t agent) const noexcept {
  if (agent >= stake_share_run_.size() || stake_share_run_[agent] <= 0.0) return std::nullopt;
  return dividends_run_[agent] / stake_share_run_[agent];
}

}  // namespace dais::models
