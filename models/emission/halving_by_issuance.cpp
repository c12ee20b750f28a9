// `halving_by_issuance`: Bittensor's supply-based halving (subtensor block_emission.rs,
// ../shared/MECHANISMS.md §1.7): E = E_0 * 2^(-k), k = floor(log2(cap / (cap - Q))), 0 once Q >= cap,
// where Q is the amount issued so far. k is found exactly in integers: the largest k with 2^k (cap - Q) <= cap.
// The last epoch before the cap is trimmed so issuance never exceeds it.
#include "models/emission/schedule.hpp"

namespace dais::models {

namespace {

class HalvingByIssuance final : public EmissionSchedule {
 public:
  HalvingByIssuance(ledger::TokenAmount initial, ledger::TokenAmount cap) : initial_(initial), cap_(cap) {}
  ledger::TokenAmount emission(const EmissionContext& ctx) override {
    const ledger::u128 cap = cap_.base_units();
    const ledger::u128 issued = ctx.issued.base_units();
    if (issued >= cap) return {};
    const ledger::u128 left = cap - issued;
    int k = 0;
    // 2^(k+1) * left <= cap, written so the shift cannot overflow: left <= cap >> (k+1).
    while (k < 127 && left <= (cap >> (k + 1))) ++k;
    ledger::u128 amount = initial_.base_units() >> k;
    if (amount > left) amount = left;
    return ledger::TokenAmount::from_base_units(amount);
  }

 private:
  ledger::TokenAmount initial_;
  ledger::TokenAmount cap_;
};

}  // namespace

void register_halving_by_issuance(scenario::Registry<ScheduleFactory>& schedules) {
  schedules.add({"halving_by_issuance",
                 "E_0 halved each time issuance crosses 1/2, 3/4, 7/8... of the cap (Bittensor)",
                 {scenario::tokens_param("initial", std::nullopt, "tokens/epoch", "emission while less than half the cap is issued"),
                  scenario::tokens_param("cap", std::nullopt, "tokens", "maximum supply ever issued")},
                 {}},
                [](const scenario::Params& p) -> std::unique_ptr<EmissionSchedule> {
                  return std::make_unique<HalvingByIssuance>(p.tokens("initial"), p.tokens("cap"));
                });
}

}  // namespace dais::models
