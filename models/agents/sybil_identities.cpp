#include "models/agents/sybil_identities.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/core/distributions.hpp"
#include "sim/core/random.hpp"

namespace dais::models {

namespace {

constexpr std::uint64_t split_purpose = 301;
// Stream entities of the identities beyond the first: above every agent id.
constexpr std::uint32_t first_extra_entity = std::uint32_t{1} << 31;

}  // namespace

void SybilIdentities::add(std::uint32_t agent, ledger::AccountId own, const ContributorBehaviour& b, ledger::Ledger& ledger) {
  if (!sybils_.empty() && sybils_.back().agent >= agent) throw std::logic_error("Sybil agents must appear in id order");
  const auto extra = static_cast<std::uint32_t>(b.identities - 1);
  if (extra_accounts_.size() + extra >= first_extra_entity) throw std::length_error("too many Sybil identities");
  sybils_.push_back({agent, static_cast<std::uint32_t>(extra_accounts_.size()), extra + 1, b.random_split, b.self_donation});
  const ledger::AccountId first = ledger.open_accounts(extra);
  for (std::uint32_t j = 0; j < extra; ++j) extra_accounts_.push_back(first + j);
  if (b.initial_stake.is_zero()) return;
  const std::vector<std::uint64_t> equal(extra + 1, 1);
  std::vector<ledger::TokenAmount> parts(extra + 1);
  ledger::apportion(b.initial_stake, equal, parts, scratch_);
  for (std::uint32_t j = 0; j <= extra; ++j) {
    const ledger::AccountId account = j == 0 ? own : first + j - 1;
    ledger.mint(account, parts[j], "endowment");
    ledger.stake(account, parts[j], "endowment");
  }
}

const SybilIdentities::Sybil* SybilIdentities::find(std::uint32_t agent) const noexcept {
  const auto it = std::lower_bound(sybils_.begin(), sybils_.end(), agent, [](const Sybil& s, std::uint32_t a) { return s.agent < a; });
  return it != sybils_.end() && it->agent == agent ? &*it : nullptr;
}

void SybilIdentities::draw_split(const Sybil& s, std::int64_t epoch) {
  split_.assign(s.identities, 1.0 / static_cast<double>(s.identities));
  if (!s.random_split) return;
  core::RandomStream rng({seed_, replicate_, s.agent, split_purpose}, static_cast<std::uint64_t>(epoch));
  double total = 0.0;
  for (double& w : split_) total += w = core::draw_exponential(rng, 1.0);
  for (double& w : split_) w /= total;
}

EpochContext SybilIdentities::expand(const EpochContext& ctx, const ledger::Ledger& ledger, bool with_stakes) {
  accounts_.clear();
  contributions_.clear();
  entities_.clear();
  stakes_.clear();
  data_quality_.clear();
  pledges_.clear();
  owner_.clear();
  const bool quality = !ctx.data_quality.empty();
  for (std::uint32_t k = 0; k < ctx.accounts.size(); ++k) {
    const Sybil* s = find(ctx.agents[k]);
    const std::uint32_t identities = s == nullptr ? 1 : s->identities;
    if (s != nullptr) draw_split(*s, ctx.epoch);
    const auto first = static_cast<std::uint32_t>(accounts_.size());
    for (std::uint32_t j = 0; j < identities; ++j) {
      const bool own = j == 0;
      const ledger::AccountId account = own ? ctx.accounts[k] : extra_accounts_[s->first_extra + j - 1];
      accounts_.push_back(account);
      contributions_.push_back(s == nullptr ? ctx.contributions[k] : ctx.contributions[k] * split_[j]);
      entities_.push_back(own ? ctx.agents[k] : first_extra_entity + s->first_extra + j - 1);
      if (with_stakes) stakes_.push_back(own ? ctx.stakes[k] : ledger.staked(account));
      if (quality) data_quality_.push_back(ctx.data_quality[k]);
      if (s != nullptr && s->self_donation > 0) pledges_.push_back({first, s->self_donation});
      owner_.push_back(k);
    }
  }
  shares_.assign(accounts_.size(), ledger::TokenAmount{});
  EpochContext expanded = ctx;
  expanded.accounts = accounts_;
  expanded.contributions = contributions_;
  expanded.agents = entities_;
  expanded.stakes = stakes_;
  expanded.data_quality = data_quality_;
  expanded.pledges = pledges_;
  return expanded;
}

void SybilIdentities::collapse(std::span<ledger::TokenAmount> agent_shares) const {
  std::fill(agent_shares.begin(), agent_shares.end(), ledger::TokenAmount{});
  for (std::size_t i = 0; i < shares_.size(); ++i) agent_shares[owner_[i]] += shares_[i];
}

}  // namespace dais::models
