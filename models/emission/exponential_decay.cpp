// `exponential_decay`: E_t = floor(E_0 * f^t) — workload B1's schedule (f = 0.999).
#include <cmath>

#include "models/emission/schedule.hpp"

namespace dais::models {

namespace {

class ExponentialDecay final : public EmissionSchedule {
 public:
  ExponentialDecay(ledger::TokenAmount initial, double factor) : initial_(initial), factor_(factor) {}
  ledger::TokenAmount emission(const EmissionContext& ctx) override {
    return scale_amount(initial_, std::pow(factor_, static_cast<double>(ctx.epoch)));
  }

 private:
  ledger::TokenAmount initial_;
  double factor_;
};

}  // namespace

void register_exponential_decay(scenario::Registry<ScheduleFactory>& schedules) {
  schedules.add({"exponential_decay",
                 "E_t = E_0 * factor^t: a constant fraction less every epoch",
                 {scenario::tokens_param("initial", std::nullopt, "tokens/epoch", "emission of epoch 0"),
                  scenario::real_param("factor", std::nullopt, "per epoch", "ratio of one epoch's emission to the previous", 0.0, 1.0)},
                 {}},
                [](const scenario::Params& p) -> std::unique_ptr<EmissionSchedule> {
                  return std::make_unique<ExponentialDecay>(p.tokens("initial"), p.real("factor"));
                });
}

}  // namespace dais::models
