#include "models/governance/governance.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace dais::models::governance {

using ledger::AccountId;
using ledger::TokenAmount;

namespace {

constexpr double billion = 1e9;

u128 checked_sum(u128 a, u128 b) {
  u128 sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) throw std::overflow_error("governance: vote weights overflow 128 bits");
  return sum;
}

// a * m exactly, as (high, low) with value high * 2^64 + low; pairs compare as the products do.
std::pair<u128, std::uint64_t> wide_product(u128 a, std::uint64_t m) {
  const u128 low = static_cast<std::uint64_t>(a) * u128{m};
  const u128 high = (a >> 64) * m + (low >> 64);
  return {high, static_cast<std::uint64_t>(low)};
}

// a >= b * share, for a share given in billionths.
bool at_least_share_of(u128 a, u128 b, std::uint64_t share_billionths) {
  return wide_product(a, static_cast<std::uint64_t>(billion)) >= wide_product(b, share_billionths);
}

std::uint64_t billionths(double share) { return static_cast<std::uint64_t>(std::llround(share * billion)); }

const VotingRules& validated(const VotingRules& r) {
  if (!(r.quorum >= 0.0 && r.quorum <= 1.0)) throw std::invalid_argument("governance: quorum must be in [0, 1]");
  if (!(r.threshold > 0.0 && r.threshold <= 1.0))
    throw std::invalid_argument("governance: threshold must be in (0, 1]");
  if (!(r.turnout >= 0.0 && r.turnout <= 1.0)) throw std::invalid_argument("governance: turnout must be in [0, 1]");
  if (r.voting_period < 1 || r.delay < 0)
    throw std::invalid_argument("governance: the voting period must be at least 1 epoch and the delay at least 0");
  if (!(r.gain_epsilon >= 0.0)) throw std::invalid_argument("governance: gain_epsilon must be >= 0");
  return r;
}

}  // namespace

// ---- parameter paths ----

std::optional<ParameterPath> ParameterPath::parse(std::string_view text, std::string* error) {
  const auto fail = [&](std::string reason) -> std::optional<ParameterPath> {
    if (error != nullptr) *error = std::move(reason);
    return std::nullopt;
  };
  ParameterPath path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    const std::string_view component = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (component.empty()) return fail("an empty component (two dots, or a dot at an end)");
    for (char c : component) {
      const bool allowed =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!allowed) return fail(std::string("the character '") + c + "'; components are letters, digits, '_' and '-'");
    }
    path.components.emplace_back(component);
    if (dot == std::string_view::npos) return path;
    start = dot + 1;
  }
}

std::string ParameterPath::dotted() const {
  std::string out;
  for (const std::string& c : components) out += (out.empty() ? "" : ".") + c;
  return out;
}

std::string ParameterPath::json_pointer() const {
  std::string out;
  for (const std::string& c : components) out += "/" + c;  // no '~' or '/' to escape in a component
  return out;
}

// ---- ballot rules ----

BallotRule always_for() {
  return [](const Proposal&, AccountId) { return Ballot::in_favour; };
}

BallotRule always_against() {
  return [](const Proposal&, AccountId) { return Ballot::against; };
}

Ballot ballot_for_gain(double gain, double epsilon) noexcept {
  if (gain > 0.0 && gain >= epsilon) return Ballot::in_favour;
  if (gain < 0.0 && -gain >= epsilon) return Ballot::against;
  return Ballot::abstain;
}

BallotRule expected_gain(GainEstimate gain, double epsilon) {
  if (!gain) throw std::invalid_argument("governance: the expected_gain rule needs a gain estimate");
  return [gain = std::move(gain), epsilon](const Proposal& proposal, AccountId voter) {
    return ballot_for_gain(gain(proposal, voter), epsilon);
  };
}

BallotRule ballot_rule(const VotingRules& rules, GainEstimate gain) {
  switch (rules.vote_rule) {
    case VoteRule::always_for: return always_for();
    case VoteRule::always_against: return always_against();
    case VoteRule::expected_gain: return expected_gain(std::move(gain), rules.gain_epsilon);
  }
  throw std::logic_error("governance: unknown vote rule");
}

std::vector<TokenAmount> holdings(const ledger::Ledger& ledger, std::span<const AccountId> voters) {
  std::vector<TokenAmount> out;
  out.reserve(voters.size());
  for (AccountId v : voters) out.push_back(ledger.balance(v) + ledger.staked(v));
  return out;
}

// ---- the proposals ----

Governance::Governance(const GovernanceConfig& config, core::RandomStream turnout_stream)
    : rules_(validated(config.rules)),
      quorum_billionths_(billionths(config.rules.quorum)),
      threshold_billionths_(billionths(config.rules.threshold)),
      turnout_stream_(turnout_stream) {
  for (const ProposalSpec& spec : config.proposals) submit(spec);
}

std::size_t Governance::submit(const ProposalSpec& spec) {
  if (last_step_ && spec.epoch <= *last_step_)
    throw std::logic_error("governance: a proposal submitted at epoch " + std::to_string(spec.epoch) +
                           ", which has already run (epoch " + std::to_string(*last_step_) + ")");
  Proposal p;
  p.id = proposals_.size();
  p.spec = spec;
  std::int64_t effective = 0;
  if (__builtin_add_overflow(spec.epoch, rules_.voting_period, &effective) ||
      __builtin_add_overflow(effective, rules_.delay, &effective))
    throw std::invalid_argument("governance: a proposal's effective epoch overflows");
  p.last_voting_epoch = spec.epoch + rules_.voting_period - 1;
  p.effective_epoch = effective;
  proposals_.push_back(std::move(p));
  snapshots_.emplace_back();
  return proposals_.size() - 1;
}

u128 Governance::weight(const Electorate& electorate, std::size_t index, std::int64_t epoch) const {
  switch (rules_.weighting) {
    case Weighting::token: return electorate.tokens[index].base_units();
    case Weighting::quadratic: return integer_sqrt(electorate.tokens[index].base_units());
    case Weighting::vote_escrow: return electorate.escrow->power(electorate.voters[index], epoch);
  }
  throw std::logic_error("governance: unknown weighting");
}

void Governance::take_snapshot(Proposal& proposal, const Electorate& electorate) {
  const bool by_tokens = rules_.weighting != Weighting::vote_escrow;
  if (by_tokens && electorate.tokens.size() != electorate.voters.size())
    throw std::invalid_argument("governance: token weighting needs the tokens of every voter");
  if (!by_tokens && electorate.escrow == nullptr)
    throw std::invalid_argument("governance: vote_escrow weighting needs the vote escrow");
  Snapshot& snapshot = snapshots_[proposal.id];
  Tally& tally = proposal.tally;
  for (std::size_t i = 0; i < electorate.voters.size(); ++i) {
    const u128 w = weight(electorate, i, proposal.spec.epoch);
    if (w == 0) continue;
    snapshot.voters.push_back(electorate.voters[i]);
    snapshot.weights.push_back(w);
    tally.eligible_weight = checked_sum(tally.eligible_weight, w);
  }
  tally.eligible_voters = snapshot.voters.size();
}

void Governance::tally(Proposal& proposal, const BallotRule& rule) {
  Snapshot& snapshot = snapshots_[proposal.id];
  Tally& tally = proposal.tally;
  turnout_stream_.seek(proposal.id);
  for (std::size_t i = 0; i < snapshot.voters.size(); ++i) {
    // Drawn for every voter, so who takes part does not depend on the others' draws.
    if (!(turnout_stream_.uniform01() < rules_.turnout)) continue;
    const AccountId voter = snapshot.voters[i];
    const Ballot ballot = rule(proposal, voter);
    u128& bucket = ballot == Ballot::in_favour ? tally.votes_for
                   : ballot == Ballot::against ? tally.votes_against
                                               : tally.votes_abstain;
    bucket = checked_sum(bucket, snapshot.weights[i]);
    ++tally.voters_cast;
    if (voter >= votes_cast_.size()) votes_cast_.resize(std::size_t{voter} + 1, 0);
    ++votes_cast_[voter];
  }
  const u128 decisive = checked_sum(tally.votes_for, tally.votes_against);
  const u128 cast = checked_sum(decisive, tally.votes_abstain);
  tally.tallied = true;
  tally.quorum_met = at_least_share_of(cast, tally.eligible_weight, quorum_billionths_);
  tally.passed = tally.quorum_met && tally.votes_for > 0 &&
                 at_least_share_of(tally.votes_for, decisive, threshold_billionths_);
  snapshot = {};
}

EpochReport Governance::step(std::int64_t epoch, const Electorate& electorate, const BallotRule& rule) {
  if (last_step_ && epoch != *last_step_ + 1)
    throw std::logic_error("governance: epoch " + std::to_string(epoch) + " after epoch " +
                           std::to_string(*last_step_) + "; steps go one epoch at a time");
  if (!last_step_) {  // later proposals are refused by submit() unless they are in the future
    for (const Proposal& p : proposals_)
      if (p.spec.epoch < epoch)
        throw std::logic_error("governance: proposal " + std::to_string(p.id) + " was submitted at epoch " +
                               std::to_string(p.spec.epoch) + ", before the first step (epoch " +
                               std::to_string(epoch) + ")");
  }
  last_step_ = epoch;
  EpochReport report;
  // Per proposal, execution (epoch e+v+d) comes after the tally (e+v-1), which comes at or after the snapshot (e).
  for (Proposal& p : proposals_) {
    if (p.tally.passed && p.effective_epoch == epoch) {
      p.tally.executed = true;
      report.executed.push_back(p.id);
    }
    if (p.spec.epoch == epoch) {
      take_snapshot(p, electorate);
      report.opened.push_back(p.id);
    }
    if (p.last_voting_epoch == epoch) {
      tally(p, rule);
      (p.tally.passed ? report.passed : report.rejected).push_back(p.id);
    }
  }
  return report;
}

std::vector<ParameterChange> Governance::pending_changes(std::int64_t epoch) const {
  std::vector<ParameterChange> changes;
  for (const Proposal& p : proposals_)
    if (p.tally.passed && p.effective_epoch == epoch) changes.push_back({p.id, p.spec.parameter, p.spec.value});
  return changes;
}

std::uint32_t Governance::votes_cast(AccountId voter) const noexcept {
  return voter < votes_cast_.size() ? votes_cast_[voter] : 0;
}

}  // namespace dais::models::governance
