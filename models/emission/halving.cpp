// `halving`: E_t = E_0 >> floor(t / N), Bitcoin's GetBlockSubsidy with epochs for blocks. Exact integers.
#include "models/emission/schedule.hpp"

namespace dais::models {

namespace {

class Halving final : public EmissionSchedule {
 public:
  Halving(ledger::TokenAmount initial, std::int64_t every) : initial_(initial), every_(every) {}
  ledger::TokenAmount emission(const EmissionContext& ctx) override {
    const std::int64_t halvings = ctx.epoch / every_;
    if (halvings >= 128) return {};
    return ledger::TokenAmount::from_base_units(initial_.base_units() >> halvings);
  }

 private:
  ledger::TokenAmount initial_;
  std::int64_t every_;
};

}  // namespace

void register_halving(scenario::Registry<ScheduleFactory>& schedules) {
  schedules.add({"halving",
                 "E_0 halved every N epochs (Bitcoin's subsidy by height)",
                 {scenario::tokens_param("initial", std::nullopt, "tokens/epoch", "emission before the first halving"),
                  scenario::integer_param("every", std::nullopt, "epochs", "epochs between halvings", 1.0)},
                 {}},
                [](const scenario::Params& p) -> std::unique_ptr<EmissionSchedule> {
                  return std::make_unique<Halving>(p.tokens("initial"), p.integer("every"));
                });
}

}  // namespace dais::models
