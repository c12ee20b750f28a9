// Governance: the epoch a change takes effect, quorum and threshold at their edges, token, quadratic and
// vote-escrow weighting, turnout drawn from the given stream, per-voter counts, and the "governance" section reader.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "models/governance/governance.hpp"
#include "models/governance/governance_config.hpp"
#include "models/locks/vote_escrow.hpp"
#include "tests/models/section_errors_fixture.hpp"

using namespace dais;
using namespace dais::models::governance;
using ledger::AccountId;
using ledger::TokenAmount;

namespace {

TokenAmount tokens(std::uint64_t whole) { return TokenAmount::whole_tokens(whole, 18); }

// Voters 0, 1, ... holding the given whole tokens (ledger accounts of the same numbers).
struct World {
  ledger::Ledger ledger;
  std::vector<AccountId> voters;
  std::vector<TokenAmount> held;

  explicit World(const std::vector<std::uint64_t>& whole_tokens) {
    for (std::uint64_t t : whole_tokens) {
      const AccountId a = ledger.open_account();
      ledger.mint(a, tokens(t));
      voters.push_back(a);
    }
    held = holdings(ledger, voters);
  }
  [[nodiscard]] Electorate electorate() const { return {voters, held, nullptr}; }
};

VotingRules rules_with(double quorum, double threshold, std::int64_t voting_period = 1, std::int64_t delay = 0,
                       double turnout = 1.0) {
  VotingRules r;
  r.quorum = quorum;
  r.threshold = threshold;
  r.voting_period = voting_period;
  r.delay = delay;
  r.turnout = turnout;
  return r;
}

ProposalSpec burn_share_to(double value, std::int64_t epoch) {
  return {epoch, *ParameterPath::parse("market.params.burn_share"), value};
}

core::RandomStream turnout_stream(std::uint64_t seed) { return core::RandomStream({seed, 0, 0, 77}); }

// Voter i votes ballots[i].
BallotRule by_voter(std::vector<Ballot> ballots) {
  return [ballots = std::move(ballots)](const Proposal&, AccountId voter) { return ballots.at(voter); };
}

// One proposal at epoch 0 with voting period 1, decided in step(0).
Tally decide(const VotingRules& rules, const World& world, const BallotRule& rule, std::uint64_t seed = 1) {
  Governance g({rules, {burn_share_to(0.5, 0)}}, turnout_stream(seed));
  g.step(0, world.electorate(), rule);
  return g.proposals().at(0).tally;
}

std::vector<std::string> messages_of(const nlohmann::json& section) {
  return test::error_messages([&] { read_governance(section, "s.json", "/governance", 18); });
}

}  // namespace

// ---- timing ----

TEST_CASE("a passed change takes effect at exactly epoch e + v + d, not one earlier or later",
          "[models][governance]") {
  const World world({100, 100});
  Governance g({rules_with(0.0, 0.5, 3, 2), {burn_share_to(0.25, 5)}}, turnout_stream(1));
  const Proposal& p = g.proposals().at(0);
  CHECK(p.last_voting_epoch == 7);
  CHECK(p.effective_epoch == 10);
  for (std::int64_t epoch = 0; epoch <= 12; ++epoch) {
    INFO("epoch " << epoch);
    const EpochReport report = g.step(epoch, world.electorate(), always_for());
    CHECK(report.opened == (epoch == 5 ? std::vector<std::size_t>{0} : std::vector<std::size_t>{}));
    CHECK(report.passed == (epoch == 7 ? std::vector<std::size_t>{0} : std::vector<std::size_t>{}));
    CHECK(report.rejected.empty());
    CHECK(report.executed == (epoch == 10 ? std::vector<std::size_t>{0} : std::vector<std::size_t>{}));
    if (epoch < 7) CHECK(g.pending_changes(10).empty());  // nothing is pending before the tally
  }
  for (std::int64_t epoch = 0; epoch <= 12; ++epoch) {
    INFO("epoch " << epoch);
    const auto changes = g.pending_changes(epoch);
    if (epoch != 10) {
      CHECK(changes.empty());
      continue;
    }
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].proposal == 0);
    CHECK(changes[0].parameter.dotted() == "market.params.burn_share");
    CHECK(std::get<double>(changes[0].value) == 0.25);
  }
  CHECK(p.tally.executed);
}

TEST_CASE("with one voting epoch and no delay a change decided at e applies from e + 1", "[models][governance]") {
  const World world({100});
  Governance g({rules_with(0.0, 0.5), {burn_share_to(0.25, 3)}}, turnout_stream(1));
  for (std::int64_t epoch = 0; epoch <= 3; ++epoch) g.step(epoch, world.electorate(), always_for());
  CHECK(g.proposals()[0].tally.passed);
  CHECK(g.pending_changes(3).empty());
  CHECK(g.pending_changes(4).size() == 1);
  CHECK(g.step(4, world.electorate(), always_for()).executed == std::vector<std::size_t>{0});
}

TEST_CASE("changes effective at one epoch come in proposal order", "[models][governance]") {
  const World world({100});
  const ProposalSpec second{2, *ParameterPath::parse("rewards.compute_provider.share"), tokens(1000)};
  Governance g({rules_with(0.0, 0.5, 2, 1), {burn_share_to(0.25, 2), second, burn_share_to(0.75, 2)}},
               turnout_stream(1));
  for (std::int64_t epoch = 0; epoch <= 5; ++epoch) g.step(epoch, world.electorate(), always_for());
  const auto changes = g.pending_changes(5);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].proposal == 0);
  CHECK(changes[1].proposal == 1);
  CHECK(std::get<TokenAmount>(changes[1].value) == tokens(1000));
  CHECK(changes[2].proposal == 2);
  CHECK(std::get<double>(changes[2].value) == 0.75);
}

// ---- quorum and threshold ----

TEST_CASE("without the quorum a proposal fails, and abstentions count toward the quorum", "[models][governance]") {
  const World world({100, 100});
  const Tally nobody = decide(rules_with(0.5, 0.5, 1, 0, 0.0), world, always_for());
  CHECK(nobody.tallied);
  CHECK_FALSE(nobody.quorum_met);
  CHECK_FALSE(nobody.passed);
  CHECK(nobody.voters_cast == 0);

  const auto abstain = [](const Proposal&, AccountId) { return Ballot::abstain; };
  const Tally abstained = decide(rules_with(1.0, 0.5), world, abstain);  // all weight cast: exactly at quorum 1
  CHECK(abstained.quorum_met);
  CHECK_FALSE(abstained.passed);  // no vote for
  CHECK(abstained.votes_abstain == tokens(200).base_units());
}

TEST_CASE("quorum is met exactly at its share of the eligible weight", "[models][governance]") {
  // Voter 0 (40 tokens) takes part and voter 1 (60) does not, for the first seed whose draws say so.
  const World world({40, 60});
  std::uint64_t seed = 1;
  for (;; ++seed) {
    core::RandomStream draws = turnout_stream(seed);
    draws.seek(0);  // the proposal's id
    const double first = draws.uniform01();
    if (first < 0.5 && !(draws.uniform01() < 0.5)) break;
  }
  const Tally at = decide(rules_with(0.4, 0.5, 1, 0, 0.5), world, always_for(), seed);
  CHECK(at.voters_cast == 1);
  CHECK(at.votes_for == tokens(40).base_units());
  CHECK(at.quorum_met);
  CHECK(at.passed);
  const Tally above = decide(rules_with(0.400000001, 0.5, 1, 0, 0.5), world, always_for(), seed);
  CHECK_FALSE(above.quorum_met);
  CHECK_FALSE(above.passed);
}

TEST_CASE("a proposal exactly at the threshold passes; a billionth above it fails", "[models][governance]") {
  const World world({60, 40});
  const BallotRule rule = by_voter({Ballot::in_favour, Ballot::against});
  CHECK(decide(rules_with(0.0, 0.6), world, rule).passed);
  CHECK_FALSE(decide(rules_with(0.0, 0.600000001), world, rule).passed);

  const World tie({50, 50});
  CHECK(decide(rules_with(0.0, 0.5), tie, rule).passed);  // >=: threshold 0.5 passes a tie
  CHECK_FALSE(decide(rules_with(0.0, 0.500000001), tie, rule).passed);
  CHECK_FALSE(decide(rules_with(0.0, 1.0), world, rule).passed);  // 1: unanimity of the decisive votes
  CHECK(decide(rules_with(0.0, 1.0), world, by_voter({Ballot::in_favour, Ballot::abstain})).passed);
}

// ---- weighting ----

TEST_CASE("quadratic weighting lets many small holders outvote a whale that token weighting lets win",
          "[models][governance]") {
  // A whale of 10 000 tokens against eleven holders of 100: by tokens 1100 vs 10 000, by square roots
  // 11 * 10^10 vs 10^11 (the roots of base units: sqrt(100 * 10^18) = 10^10).
  std::vector<std::uint64_t> holders(12, 100);
  holders[0] = 10'000;
  const World world(holders);
  std::vector<Ballot> ballots(12, Ballot::in_favour);
  ballots[0] = Ballot::against;
  VotingRules rules = rules_with(0.0, 0.5);

  const Tally by_tokens = decide(rules, world, by_voter(ballots));
  CHECK_FALSE(by_tokens.passed);
  CHECK(by_tokens.votes_for == tokens(1100).base_units());
  CHECK(by_tokens.votes_against == tokens(10'000).base_units());

  rules.weighting = Weighting::quadratic;
  const Tally by_roots = decide(rules, world, by_voter(ballots));
  CHECK(by_roots.passed);
  CHECK(by_roots.votes_for == u128{11} * 10'000'000'000ULL);
  CHECK(by_roots.votes_against == u128{100'000'000'000ULL});
  CHECK(by_roots.eligible_weight == u128{210'000'000'000ULL});
}

TEST_CASE("vote-escrow weighting counts the escrow power at the submission epoch", "[models][governance]") {
  World world({1000, 1000, 1000});
  models::locks::VoteEscrow escrow(world.ledger, 100);
  escrow.create_lock(0, tokens(1000), 100, 0);  // power 10^21 at epoch 0
  escrow.create_lock(1, tokens(1000), 10, 0);   // power 10^20
  VotingRules rules = rules_with(0.0, 0.5, 2);
  rules.weighting = Weighting::vote_escrow;
  Governance g({rules, {burn_share_to(0.5, 0)}}, turnout_stream(1));
  const BallotRule rule = by_voter({Ballot::against, Ballot::in_favour, Ballot::in_favour});
  const Electorate electorate{world.voters, {}, &escrow};
  g.step(0, electorate, rule);
  escrow.create_lock(2, tokens(1000), 101, 1);  // after the snapshot: does not count
  g.step(1, electorate, rule);
  const Tally& t = g.proposals()[0].tally;
  CHECK(t.eligible_voters == 2);  // voter 2 had no power at the snapshot
  CHECK(t.eligible_weight == escrow.power(0, 0) + escrow.power(1, 0));
  const u128 one_token = tokens(1).base_units();
  CHECK(t.votes_against == one_token * 1000);  // (1000 tokens / 100) * 100 epochs
  CHECK(t.votes_for == one_token * 100);       // (1000 tokens / 100) * 10 epochs
  CHECK_FALSE(t.passed);  // by tokens, two holders for against one would have passed it
  CHECK(g.votes_cast(2) == 0);
}

TEST_CASE("a snapshot's eligible weight is the escrow's total power when every locker votes", "[models][governance]") {
  World world({500, 700, 900, 1100});
  models::locks::VoteEscrow escrow(world.ledger, 50);
  for (AccountId a = 0; a < 4; ++a) escrow.create_lock(a, tokens(100 + 50 * a), 5 + 11 * a, 0);
  VotingRules rules = rules_with(0.0, 0.5);
  rules.weighting = Weighting::vote_escrow;
  Governance g({rules, {burn_share_to(0.5, 3)}}, turnout_stream(1));
  for (std::int64_t epoch = 0; epoch <= 3; ++epoch) g.step(epoch, {world.voters, {}, &escrow}, always_for());
  CHECK(g.proposals()[0].tally.eligible_weight == escrow.total_power(3));
  CHECK(g.proposals()[0].tally.eligible_voters == 4);
}

// ---- turnout and counts ----

TEST_CASE("turnout is the same for the same seed, differs across seeds, and nests across levels",
          "[models][governance]") {
  const World world(std::vector<std::uint64_t>(500, 10));
  const auto participants = [&](double turnout, std::uint64_t seed) {
    Governance g({rules_with(0.0, 0.5, 1, 0, turnout), {burn_share_to(0.5, 0), burn_share_to(0.6, 0)}},
                 turnout_stream(seed));
    g.step(0, world.electorate(), always_for());
    std::vector<std::uint32_t> votes;
    for (AccountId v : world.voters) votes.push_back(g.votes_cast(v));
    return votes;
  };
  const auto first = participants(0.6, 7);
  CHECK(first == participants(0.6, 7));
  CHECK(first != participants(0.6, 8));
  std::uint64_t cast = 0;
  for (std::uint32_t v : first) cast += v;
  CHECK(std::abs(static_cast<double>(cast) - 0.6 * 1000) < 5 * std::sqrt(1000 * 0.6 * 0.4));
  // The same draws decide at every level: who votes at 0.3 votes at 0.6 too (common random numbers).
  const auto fewer = participants(0.3, 7);
  for (std::size_t i = 0; i < fewer.size(); ++i) CHECK(fewer[i] <= first[i]);
}

TEST_CASE("each voter's ballots are counted over the run", "[models][governance]") {
  const World world({10, 20, 0, 30});
  Governance g({rules_with(0.0, 0.5, 2, 0), {burn_share_to(0.1, 0), burn_share_to(0.2, 0), burn_share_to(0.3, 4)}},
               turnout_stream(3));
  for (std::int64_t epoch = 0; epoch <= 6; ++epoch) g.step(epoch, world.electorate(), always_against());
  CHECK(g.votes_cast(0) == 3);
  CHECK(g.votes_cast(1) == 3);
  CHECK(g.votes_cast(2) == 0);  // no tokens: not eligible
  CHECK(g.votes_cast(3) == 3);
  CHECK(g.votes_cast(99) == 0);
  for (const Proposal& p : g.proposals()) {
    CHECK(p.tally.eligible_voters == 3);
    CHECK(p.tally.voters_cast == 3);
    CHECK_FALSE(p.tally.passed);
  }
}

TEST_CASE("the expected-gain rule votes the sign of the gain and abstains below epsilon", "[models][governance]") {
  CHECK(ballot_for_gain(0.5, 0.1) == Ballot::in_favour);
  CHECK(ballot_for_gain(0.1, 0.1) == Ballot::in_favour);
  CHECK(ballot_for_gain(0.05, 0.1) == Ballot::abstain);
  CHECK(ballot_for_gain(-0.05, 0.1) == Ballot::abstain);
  CHECK(ballot_for_gain(-0.1, 0.1) == Ballot::against);
  CHECK(ballot_for_gain(0.0, 0.0) == Ballot::abstain);
  CHECK(ballot_for_gain(std::numeric_limits<double>::quiet_NaN(), 0.0) == Ballot::abstain);

  const World world({10, 20, 30});
  VotingRules rules = rules_with(0.0, 0.5);
  rules.gain_epsilon = 1.0;
  const std::vector<double> gains{5.0, -2.0, 0.5};
  const BallotRule rule = ballot_rule(rules, [&](const Proposal&, AccountId voter) { return gains[voter]; });
  const Tally t = decide(rules, world, rule);
  CHECK(t.votes_for == tokens(10).base_units());
  CHECK(t.votes_against == tokens(20).base_units());
  CHECK(t.votes_abstain == tokens(30).base_units());
  CHECK_THROWS_AS(ballot_rule(rules), std::invalid_argument);  // expected_gain without a gain estimate
  rules.vote_rule = VoteRule::always_against;
  CHECK(ballot_rule(rules)(Proposal{}, 0) == Ballot::against);
}

TEST_CASE("governance refuses skipped epochs, proposals in the past and impossible rules", "[models][governance]") {
  const World world({10});
  Governance g({rules_with(0.0, 0.5), {burn_share_to(0.5, 2)}}, turnout_stream(1));
  g.step(0, world.electorate(), always_for());
  CHECK_THROWS_AS(g.step(2, world.electorate(), always_for()), std::logic_error);
  CHECK_THROWS_AS(g.submit(burn_share_to(0.5, 0)), std::logic_error);
  CHECK(g.submit(burn_share_to(0.5, 1)) == 1);

  Governance late({rules_with(0.0, 0.5), {burn_share_to(0.5, 2)}}, turnout_stream(1));
  CHECK_THROWS_AS(late.step(3, world.electorate(), always_for()), std::logic_error);

  CHECK_THROWS_AS(Governance({rules_with(0.0, 0.0), {}}, turnout_stream(1)), std::invalid_argument);
  CHECK_THROWS_AS(Governance({rules_with(1.5, 0.5), {}}, turnout_stream(1)), std::invalid_argument);
  CHECK_THROWS_AS(Governance({rules_with(0.0, 0.5, 0), {}}, turnout_stream(1)), std::invalid_argument);

  VotingRules escrow_rules = rules_with(0.0, 0.5);
  escrow_rules.weighting = Weighting::vote_escrow;
  Governance no_escrow({escrow_rules, {burn_share_to(0.5, 0)}}, turnout_stream(1));
  CHECK_THROWS_AS(no_escrow.step(0, world.electorate(), always_for()), std::invalid_argument);
  Governance no_tokens({rules_with(0.0, 0.5), {burn_share_to(0.5, 0)}}, turnout_stream(1));
  CHECK_THROWS_AS(no_tokens.step(0, {world.voters, {}, nullptr}, always_for()), std::invalid_argument);
}

TEST_CASE("holdings are balance plus staked", "[models][governance]") {
  World world({100});
  world.ledger.stake(0, tokens(30));
  world.ledger.lock(0, tokens(20));
  CHECK(holdings(world.ledger, world.voters) == std::vector<TokenAmount>{tokens(80)});
}

// ---- parameter paths and the "governance" section ----

TEST_CASE("a parameter path splits at dots into its components", "[models][governance][config]") {
  const auto path = ParameterPath::parse("rewards.compute_provider.share");
  REQUIRE(path.has_value());
  CHECK(path->components == std::vector<std::string>{"rewards", "compute_provider", "share"});
  CHECK(path->dotted() == "rewards.compute_provider.share");
  CHECK(path->json_pointer() == "/rewards/compute_provider/share");
  CHECK(ParameterPath::parse("agents.0.count")->components.size() == 3);
  std::string reason;
  for (const char* bad : {"", "a..b", ".a", "a.", "a b", "a/b"}) {
    INFO(bad);
    CHECK_FALSE(ParameterPath::parse(bad, &reason).has_value());
    CHECK_FALSE(reason.empty());
  }
}

TEST_CASE("the governance section reads rules and proposals", "[models][governance][config]") {
  const auto c = read_governance(nlohmann::json::parse(R"({
    "voting": "quadratic", "quorum": 0.2, "threshold": 0.5, "voting_period_epochs": 7, "delay_epochs": 2,
    "turnout": 0.6, "vote_rule": "expected_gain", "gain_epsilon": 0.01,
    "proposals": [{"epoch": 30, "parameter": "market.params.burn_share", "value": 0.5},
                  {"epoch": 40, "parameter": "market.params.fee", "value": "2.5"}]})"),
                                 "s.json", "/governance", 18);
  CHECK(c.rules.weighting == Weighting::quadratic);
  CHECK(c.rules.quorum == 0.2);
  CHECK(c.rules.threshold == 0.5);
  CHECK(c.rules.voting_period == 7);
  CHECK(c.rules.delay == 2);
  CHECK(c.rules.turnout == 0.6);
  CHECK(c.rules.vote_rule == VoteRule::expected_gain);
  CHECK(c.rules.gain_epsilon == 0.01);
  REQUIRE(c.proposals.size() == 2);
  CHECK(c.proposals[0].epoch == 30);
  CHECK(c.proposals[0].parameter.dotted() == "market.params.burn_share");
  CHECK(std::get<double>(c.proposals[0].value) == 0.5);
  CHECK(std::get<TokenAmount>(c.proposals[1].value) == *TokenAmount::parse_decimal("2.5", 18));
  CHECK(to_string(c.rules.weighting) == std::string("quadratic"));

  const auto defaults = read_governance(nlohmann::json::object(), "s.json", "/governance", 18);
  CHECK(defaults.rules.weighting == Weighting::token);
  CHECK(defaults.rules.voting_period == VotingRules{}.voting_period);
  CHECK(defaults.proposals.empty());
}

TEST_CASE("the governance section reports every problem with its JSON pointer", "[models][governance][config]") {
  const auto messages = messages_of(nlohmann::json::parse(R"({
    "voting": "tokens", "quorom": 0.2, "threshold": 0, "voting_period_epochs": 0, "turnout": 1.5,
    "proposals": [{"epoch": -1, "parameter": "market..fee", "value": true},
                  {"parameter": "a.b", "value": "1e3"}]})"));
  const std::vector<std::string> expected{
      "/governance/quorom: unknown key \"quorom\"; expected one of \"voting\", \"quorum\", \"threshold\", "
      "\"voting_period_epochs\", \"delay_epochs\", \"turnout\", \"vote_rule\", \"gain_epsilon\" or \"proposals\"",
      "/governance/voting: expected one of \"token\", \"quadratic\" or \"vote_escrow\", found \"tokens\"",
      "/governance/threshold: expected a number in (0, 1], found 0",
      "/governance/voting_period_epochs: expected an integer in [1, 100000000], found 0",
      "/governance/turnout: expected a number in [0, 1], found 1.5",
      "/governance/proposals/0/epoch: expected an integer in [0, 100000000], found -1",
      "/governance/proposals/0/parameter: expected a parameter path such as \"market.params.burn_share\", found "
      "\"market..fee\" (an empty component (two dots, or a dot at an end))",
      "/governance/proposals/0/value: expected a number, or a token amount as a decimal string, found true",
      "/governance/proposals/1: expected the key \"epoch\", found none",
      "/governance/proposals/1/value: expected a token amount (a decimal string such as \"10.5\", or a whole "
      "number), found \"1e3\" (only digits and one decimal point are allowed)",
  };
  CHECK(messages == expected);
  CHECK(messages_of(nlohmann::json::array()) ==
        std::vector<std::string>{"/governance: expected an object, found an empty array"});
}
