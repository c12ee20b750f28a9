#pragma once
// The identities of the run's Sybil agents (models/agents/adversaries.hpp). A Sybil's first identity is the agent
// itself: its ledger account and its stream entity. The k - 1 others get ledger accounts of their own, opened when
// the agent appears, and stream entities above every agent id (2^31 + n for the run's n-th extra identity), so a
// rule that draws per contributor draws for them without moving anyone else's draws.
//
// Each epoch the economy hands a role's contributors to expand(), which builds what the rule sees: each Sybil
// replaced by its identities, in its place, its contribution split over them (equal shares, or shares
// E_j / sum E, E_j ~ Exp(1), from the agent's own stream, purpose 301, substream the epoch), each identity's own
// stake, and one pledge of self_donation units from each identity to the first. collapse() sums what the
// identities were paid back into the agent's share: the agent keeps its profit and decides to stay or leave as one.

#include <cstdint>
#include <span>
#include <vector>

#include "models/agents/contributor.hpp"
#include "models/rewards/reward_rule.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models {

class SybilIdentities {
 public:
  SybilIdentities(std::uint64_t seed, std::uint64_t replicate) : seed_(seed), replicate_(replicate) {}

  // Registers a Sybil agent (b.identities > 1) as it appears: opens its further identities and mints and stakes its
  // endowment in equal parts on all of them.
  void add(std::uint32_t agent, ledger::AccountId own, const ContributorBehaviour& b, ledger::Ledger& ledger);
  [[nodiscard]] bool empty() const noexcept { return sybils_.empty(); }

  // The context the rule sees for `ctx` (whose stakes are read for the identities when `with_stakes`); valid until
  // the next call. The rule writes into shares().
  [[nodiscard]] EpochContext expand(const EpochContext& ctx, const ledger::Ledger& ledger, bool with_stakes);
  [[nodiscard]] std::span<ledger::TokenAmount> shares() noexcept { return shares_; }
  // Each contributor's share of the context given to expand(): its own, or the sum of its identities'.
  void collapse(std::span<ledger::TokenAmount> agent_shares) const;

 private:
  struct Sybil {
    std::uint32_t agent = 0;
    std::uint32_t first_extra = 0;  // index of its second identity in extra_accounts_
    std::uint32_t identities = 1;
    bool random_split = false;
    std::uint64_t self_donation = 0;
  };
  [[nodiscard]] const Sybil* find(std::uint32_t agent) const noexcept;
  // The shares of its work each identity of `s` gets this epoch, into split_.
  void draw_split(const Sybil& s, std::int64_t epoch);

  std::uint64_t seed_;
  std::uint64_t replicate_;
  std::vector<Sybil> sybils_;  // by ascending agent id: agents appear in that order
  std::vector<ledger::AccountId> extra_accounts_;
  // expand()'s context, and which of its contributors each entry stands for.
  std::vector<ledger::AccountId> accounts_;
  std::vector<double> contributions_;
  std::vector<std::uint32_t> entities_;
  std::vector<ledger::TokenAmount> stakes_;
  std::vector<double> data_quality_;
  std::vector<Pledge> pledges_;
  std::vector<std::uint32_t> owner_;
  std::vector<ledger::TokenAmount> shares_;
  std::vector<double> split_;
  ledger::ApportionScratch scratch_;
};

}  // namespace dais::models
