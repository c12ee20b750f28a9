#pragma once
// Emission schedules: how many tokens are minted for rewards each epoch (../shared/MECHANISMS.md §5.1).
// A schedule may keep state between epochs (target inflation does), so each run builds its own.

#include <cstdint>
#include <memory>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/params.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

// What a schedule may look at when it decides an epoch's emission.
struct EmissionContext {
  std::int64_t epoch = 0;             // 0-based
  core::SimTime epoch_length;
  ledger::TokenAmount supply;         // minted - burned so far
  ledger::TokenAmount issued;         // minted so far (all causes)
  ledger::TokenAmount staked;         // bonded now
};

class EmissionSchedule {
 public:
  virtual ~EmissionSchedule() = default;
  // Called once per epoch, in order.
  virtual ledger::TokenAmount emission(const EmissionContext& ctx) = 0;
};

using ScheduleFactory = std::unique_ptr<EmissionSchedule> (*)(const scenario::Params& params);

// floor(amount * factor) for factor >= 0, computed in binary64; throws if the result does not fit.
ledger::TokenAmount scale_amount(ledger::TokenAmount amount, double factor);

void register_fixed(scenario::Registry<ScheduleFactory>& schedules);
void register_exponential_decay(scenario::Registry<ScheduleFactory>& schedules);
void register_half_life(scenario::Registry<ScheduleFactory>& schedules);
void register_halving(scenario::Registry<ScheduleFactory>& schedules);
void register_halving_by_issuance(scenario::Registry<ScheduleFactory>& schedules);
void register_target_inflation(scenario::Registry<ScheduleFactory>& schedules);

}  // namespace dais::models
