// `half_life`: E_t = floor(E_0 * 2^(-t * epoch / H)), i.e. E_0 e^(-lambda t) with lambda = ln 2 / H
// (Ocean Data Farming uses H = 4 years; ../shared/MECHANISMS.md §5.1).
#include <cmath>

#include "models/emission/schedule.hpp"

namespace dais::models {

namespace {

class HalfLife final : public EmissionSchedule {
 public:
  HalfLife(ledger::TokenAmount initial, core::SimTime half_life) : initial_(initial), half_life_(half_life) {}
  ledger::TokenAmount emission(const EmissionContext& ctx) override {
    const double elapsed = static_cast<double>(ctx.epoch) * static_cast<double>(ctx.epoch_length.ticks());
    return scale_amount(initial_, std::exp2(-elapsed / static_cast<double>(half_life_.ticks())));
  }

 private:
  ledger::TokenAmount initial_;
  core::SimTime half_life_;
};

}  // namespace

void register_half_life(scenario::Registry<ScheduleFactory>& schedules) {
  schedules.add({"half_life",
                 "continuous exponential decay: emission halves every half_life",
                 {scenario::tokens_param("initial", std::nullopt, "tokens/epoch", "emission of epoch 0"),
                  scenario::duration_param("half_life", std::nullopt, "time for the emission rate to halve", 1e-6)},
                 {}},
                [](const scenario::Params& p) -> std::unique_ptr<EmissionSchedule> {
                  return std::make_unique<HalfLife>(p.tokens("initial"), p.duration("half_life"));
                });
}

}  // namespace dais::models
