// `fixed`: E_t = E_0 every epoch.
#include "models/emission/schedule.hpp"

namespace dais::models {

namespace {

class FixedSchedule final : public EmissionSchedule {
 public:
  explicit FixedSchedule(ledger::TokenAmount amount) : amount_(amount) {}
  ledger::TokenAmount emission(const EmissionContext&) override { return amount_; }

 private:
  ledger::TokenAmount amount_;
};

}  // namespace

void register_fixed(scenario::Registry<ScheduleFactory>& schedules) {
  schedules.add({"fixed",
                 "the same amount every epoch",
                 {scenario::tokens_param("amount", std::nullopt, "tokens/epoch", "tokens minted each epoch")},
                 {}},
                [](const scenario::Params& p) -> std::unique_ptr<EmissionSchedule> {
                  return std::make_unique<FixedSchedule>(p.tokens("amount"));
                });
}

}  // namespace dais::models
