#include "models/rewards/pipeline.hpp"

#include <fmt/format.h>

namespace dais::models {

namespace {

std::string units(ledger::TokenAmount a) { return ledger::u128_to_string(a.base_units()); }

void apply(std::span<const TokenMovement> movements, ledger::Ledger& ledger) {
  for (const TokenMovement& m : movements) {
    if (!m.from && m.to) ledger.mint(*m.to, m.amount, "contract mint");
    else if (m.from && !m.to) ledger.burn(*m.from, m.amount, "contract burn");
    else if (m.from && m.to) ledger.transfer(*m.from, *m.to, m.amount, "contract transfer");
  }
}

}  // namespace

ledger::TokenAmount pay_rewards(const std::string& rule_name, RewardRule& rule, const EpochContext& ctx,
                                std::span<ledger::TokenAmount> shares, ledger::Ledger& ledger) {
  rule.allocate(ctx, shares);
  ledger::TokenAmount total;
  for (ledger::TokenAmount s : shares) total += s;
  if (!rule.pays_on_chain()) {
    if (total > ctx.budget) {
      throw RewardError(fmt::format("reward rule '{}' allocated {} base units in epoch {}, more than its budget of {}",
                                    rule_name, units(total), ctx.epoch, units(ctx.budget)));
    }
    ledger.mint_many(ctx.accounts, shares, "reward");  // all or nothing
    return total;
  }
  ledger::TokenAmount minted;
  for (const TokenMovement& m : rule.movements())
    if (!m.from) minted += m.amount;
  if (minted > ctx.budget) {
    throw RewardError(fmt::format("reward rule '{}': its contract minted {} base units in epoch {}, more than the "
                                  "budget of {}",
                                  rule_name, units(minted), ctx.epoch, units(ctx.budget)));
  }
  const auto checkpoint = ledger.checkpoint();
  try {
    apply(rule.movements(), ledger);
  } catch (const ledger::LedgerError& e) {
    ledger.rollback(checkpoint);
    throw RewardError(fmt::format("reward rule '{}': a token movement of its contract in epoch {} cannot be applied: {}",
                                  rule_name, ctx.epoch, e.what()));
  }
  ledger.commit(checkpoint);
  return total;
}

}  // namespace dais::models
