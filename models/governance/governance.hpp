#pragma once
// Governance by vote: proposals that change a named scenario parameter from a later epoch
// (../shared/MECHANISMS.md §5.7). The economy applies the changes; this library decides which pass, and when.
//
// Epoch arithmetic, for a proposal submitted at epoch e with a voting period of v >= 1 epochs and a timelock of
// d >= 0 epochs:
//   - step(e) takes the snapshot: each voter's weight as of that call (so the snapshot epoch is e);
//   - voting is open during epochs e .. e+v-1; ballots are cast and tallied in step(e+v-1), its last epoch;
//   - a passed proposal takes effect from the start of epoch e+v+d: pending_changes(e+v+d) returns it, and
//     step(e+v+d) reports it executed. Even with d = 0 a change never applies in the epoch it was decided.
// The economy calls, each epoch t in order: pending_changes(t) at the start (and applies them), step(t) at the
// point where holdings count as the epoch's (the end).
//
// Weights are exact integers in base units: token (the tokens the economy states per voter, e.g. balance +
// staked, see holdings()), quadratic (floor of the square root of those base units), or vote_escrow (the voter's
// VoteEscrow power at the snapshot epoch). Voters of zero weight are not in the snapshot.
// Turnout: in the tally, each snapshot voter takes part with probability `turnout`, one uniform draw per voter
// from the given stream seeked to the proposal's id as substream (so a proposal's turnout depends on neither the
// other proposals nor the turnout level: designs that differ in it see coupled draws). Only participants'
// ballots are asked for, from the economy's rule (always_for, always_against, expected_gain below or its own).
// Outcome, with the shares read to 10^-9:
//   quorum met  <=>  for + against + abstain >= quorum * eligible weight     (abstentions count toward quorum)
//   passed      <=>  quorum met, for > 0, and for >= threshold * (for + against)
// "At the threshold" passes: a simple majority that must beat a tie is threshold 0.500000001 (0.5 passes a tie),
// and threshold 1 asks for no vote against.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/locks/vote_escrow.hpp"
#include "sim/core/int128.hpp"
#include "sim/core/random.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models::governance {

enum class Weighting : std::uint8_t { token, quadratic, vote_escrow };
enum class Ballot : std::uint8_t { in_favour, against, abstain };
// The standard ballot rules a scenario may name (see ballot_rule()).
enum class VoteRule : std::uint8_t { always_for, always_against, expected_gain };

// A scenario parameter named by a dotted path, "market.params.burn_share": components of letters, digits, '_'
// and '-'. Whether the scenario has it is for the integrator to check.
struct ParameterPath {
  std::vector<std::string> components;

  // nullopt, with *error (if given) set to the reason, when `text` is not such a path.
  static std::optional<ParameterPath> parse(std::string_view text, std::string* error = nullptr);
  [[nodiscard]] std::string dotted() const;        // "market.params.burn_share"
  [[nodiscard]] std::string json_pointer() const;  // "/market/params/burn_share"
  friend bool operator==(const ParameterPath&, const ParameterPath&) = default;
};

// The new value: a number, or an exact token amount (written as a decimal string in the scenario).
using ParameterValue = std::variant<double, ledger::TokenAmount>;

struct ProposalSpec {
  std::int64_t epoch = 0;  // submission, and the snapshot of weights
  ParameterPath parameter;
  ParameterValue value;
};

// How votes are weighted, counted and scheduled.
struct VotingRules {
  Weighting weighting = Weighting::token;
  double quorum = 0.2;             // [0, 1]: share of the eligible weight that must vote
  double threshold = 0.5;          // (0, 1]: share of for among for + against
  std::int64_t voting_period = 7;  // epochs, >= 1
  std::int64_t delay = 2;          // epochs of timelock after the vote, >= 0
  double turnout = 1.0;            // [0, 1]: probability a voter takes part in a vote
  VoteRule vote_rule = VoteRule::expected_gain;
  double gain_epsilon = 0.0;       // expected_gain: abstain when |gain| < epsilon
};

struct GovernanceConfig {
  VotingRules rules;
  std::vector<ProposalSpec> proposals;
};

struct Tally {
  bool tallied = false;
  bool quorum_met = false;
  bool passed = false;
  bool executed = false;
  u128 eligible_weight = 0;  // the snapshot's total
  u128 votes_for = 0;
  u128 votes_against = 0;
  u128 votes_abstain = 0;
  std::uint64_t eligible_voters = 0;  // in the snapshot
  std::uint64_t voters_cast = 0;      // who took part
};

struct Proposal {
  std::size_t id = 0;  // submission order; "proposal order"
  ProposalSpec spec;
  std::int64_t last_voting_epoch = 0;  // e + v - 1: tallied at its end
  std::int64_t effective_epoch = 0;    // e + v + d: applies from its start, if passed
  Tally tally;
};

// How a voter votes on a proposal; called once per participant, in the tally.
using BallotRule = std::function<Ballot(const Proposal& proposal, ledger::AccountId voter)>;
// The economy's estimate of what the change is worth to the voter (e.g. its expected reward after minus before).
using GainEstimate = std::function<double(const Proposal& proposal, ledger::AccountId voter)>;

BallotRule always_for();
BallotRule always_against();
// in_favour when gain >= epsilon, against when gain <= -epsilon, abstain when |gain| < epsilon (and for 0 or NaN).
Ballot ballot_for_gain(double gain, double epsilon) noexcept;
BallotRule expected_gain(GainEstimate gain, double epsilon);
// The rule a config names; `gain` is needed (std::invalid_argument otherwise) only for expected_gain.
BallotRule ballot_rule(const VotingRules& rules, GainEstimate gain = {});

// Who may vote at a snapshot, and with what.
struct Electorate {
  std::span<const ledger::AccountId> voters;
  std::span<const ledger::TokenAmount> tokens;   // per voter; token and quadratic weighting
  const locks::VoteEscrow* escrow = nullptr;     // vote_escrow weighting
};

// balance + staked of each voter: the usual tokens of an Electorate.
std::vector<ledger::TokenAmount> holdings(const ledger::Ledger& ledger, std::span<const ledger::AccountId> voters);

// One parameter change to apply at the start of an epoch.
struct ParameterChange {
  std::size_t proposal = 0;
  ParameterPath parameter;
  ParameterValue value;
};

// What one step() did, by proposal id.
struct EpochReport {
  std::vector<std::size_t> opened;    // snapshot taken
  std::vector<std::size_t> passed;    // tallied, passed
  std::vector<std::size_t> rejected;  // tallied, failed
  std::vector<std::size_t> executed;  // took effect this epoch
};

class Governance {
 public:
  // Submits the config's proposals in their order (ids 0, 1, ...). Throws std::invalid_argument on rules
  // out of the ranges above.
  Governance(const GovernanceConfig& config, core::RandomStream turnout_stream);

  // Adds a proposal (to open at spec.epoch, which must be later than the last step); returns its id.
  std::size_t submit(const ProposalSpec& spec);

  // Runs epoch `epoch`: marks executed the passed proposals effective now, snapshots those submitted now, tallies
  // those whose voting ends now. Epochs must follow one another from the first call, which must not come after a
  // submitted proposal's epoch (std::logic_error otherwise). The electorate is read only for snapshots, the rule
  // only for tallies.
  EpochReport step(std::int64_t epoch, const Electorate& electorate, const BallotRule& rule);

  // The changes that take effect at the start of `epoch`, in proposal order.
  [[nodiscard]] std::vector<ParameterChange> pending_changes(std::int64_t epoch) const;

  [[nodiscard]] const std::vector<Proposal>& proposals() const noexcept { return proposals_; }
  // Ballots the account has cast over the run (one per proposal it took part in).
  [[nodiscard]] std::uint32_t votes_cast(ledger::AccountId voter) const noexcept;
  [[nodiscard]] const VotingRules& rules() const noexcept { return rules_; }

 private:
  struct Snapshot {
    std::vector<ledger::AccountId> voters;
    std::vector<u128> weights;
  };
  // The weight of the electorate's voter at `index` in a snapshot at `epoch`.
  [[nodiscard]] u128 weight(const Electorate& electorate, std::size_t index, std::int64_t epoch) const;
  void take_snapshot(Proposal& proposal, const Electorate& electorate);
  void tally(Proposal& proposal, const BallotRule& rule);

  VotingRules rules_;
  std::uint64_t quorum_billionths_;
  std::uint64_t threshold_billionths_;
  core::RandomStream turnout_stream_;
  std::vector<Proposal> proposals_;
  std::vector<Snapshot> snapshots_;  // by proposal id; released after the tally
  std::vector<std::uint32_t> votes_cast_;  // by account id, grown on demand
  std::optional<std::int64_t> last_step_;
};

}  // namespace dais::models::governance
