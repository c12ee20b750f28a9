// `target_inflation`: Cosmos x/mint (../shared/MECHANISMS.md §5.1). Each epoch the annual inflation rate
// moves toward the bonded-ratio goal,
//   i <- clamp(i + (1 - b / b*) * max_change / epochs_per_year, i_min, i_max),  b = staked / supply,
// and the epoch mints E = i * supply / epochs_per_year. With no supply there is nothing to inflate.
#include <fmt/format.h>

#include <algorithm>

#include "models/emission/schedule.hpp"

namespace dais::models {

namespace {

class TargetInflation final : public EmissionSchedule {
 public:
  explicit TargetInflation(const scenario::Params& p)
      : inflation_(p.real("initial_inflation")),
        goal_bonded_(p.real("goal_bonded")),
        max_change_(p.real("max_change")),
        min_(p.real("min_inflation")),
        max_(p.real("max_inflation")),
        year_(p.duration("year")) {}

  ledger::TokenAmount emission(const EmissionContext& ctx) override {
    const double epochs_per_year = static_cast<double>(year_.ticks()) / static_cast<double>(ctx.epoch_length.ticks());
    const double supply = static_cast<double>(ctx.supply.base_units());
    const double bonded = supply > 0.0 ? static_cast<double>(ctx.staked.base_units()) / supply : 0.0;
    const double change = goal_bonded_ > 0.0 ? (1.0 - bonded / goal_bonded_) * max_change_ / epochs_per_year : 0.0;
    inflation_ = std::clamp(inflation_ + change, min_, max_);
    return scale_amount(ctx.supply, inflation_ / epochs_per_year);
  }

 private:
  double inflation_;
  double goal_bonded_;
  double max_change_;
  double min_;
  double max_;
  core::SimTime year_;
};

}  // namespace

void register_target_inflation(scenario::Registry<ScheduleFactory>& schedules) {
  using scenario::real_param;
  schedules.add({"target_inflation",
                 "annual inflation steered toward a bonded-ratio goal (Cosmos x/mint)",
                 {real_param("initial_inflation", 0.13, "per year", "inflation rate at the start", 0.0, 1.0),
                  real_param("goal_bonded", 0.67, "", "target share of the supply that is staked", 0.0, 1.0),
                  real_param("max_change", 0.13, "per year", "largest change of the rate over a year", 0.0),
                  real_param("min_inflation", 0.07, "per year", "lower bound of the rate", 0.0, 1.0),
                  real_param("max_inflation", 0.20, "per year", "upper bound of the rate", 0.0, 1.0),
                  scenario::duration_param("year", core::SimTime::days(365), "length of a year", 1e-6)},
                 {},
                 [](const scenario::Params& p) -> std::string {
                   const double lo = p.real("min_inflation");
                   const double hi = p.real("max_inflation");
                   if (lo > hi) return fmt::format("expected min_inflation <= max_inflation, found {} > {}", lo, hi);
                   return {};
                 }},
                [](const scenario::Params& p) -> std::unique_ptr<EmissionSchedule> {
                  return std::make_unique<TargetInflation>(p);
                });
}

}  // namespace dais::models
