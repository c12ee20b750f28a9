#pragma once
// The compute market, event-driven (workload B2 of ../shared/BENCH.md is its default configuration).
//
// P providers, each with `slots` parallel slots and a stake s_j ~ Uniform(stake_min, stake_max) (minted and
// staked at time 0); a `dishonest_fraction` of them (the lowest-numbered ones after a random permutation)
// cheat on every job. Inference jobs arrive as a Poisson process of rate λ = arrival_rate_per_provider · P per
// time unit. A job goes to a provider with a free slot chosen with
// probability proportional to stake; when no slot is free it waits in one FIFO queue. Service takes
// Exp(service_rate) time units; on completion the consumers pay the provider the job's fee, the slot takes the
// queue's head job if any, and with probability `verify_probability` the job is verified (an event of its
// own at the same time): a dishonest provider caught loses `slash_fraction` of its stake (to a millionth,
// rounded down; burned) and takes no new job. A job a removed provider was serving still completes.
//
// Events: arrivals, completions and verifications; nothing is scheduled that is not due within the horizon
// plus the service in progress, so the live events are at most 1 + P·slots + P·slots (memory bounded by the
// live events, not the total). Random draws: the arrival process and the dispatch from world streams; each
// provider's service times and verification coins from its own streams, so a provider's luck does not depend
// on other providers. Token movements go through the exact ledger; conservation is checked at the end.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/ledger/ledger.hpp"

namespace dais::models {

struct ComputeMarketConfig {
  std::int64_t providers = 1000;
  std::int64_t slots = 1;
  ledger::TokenAmount stake_min = ledger::TokenAmount::whole_tokens(100, 18);
  ledger::TokenAmount stake_max = ledger::TokenAmount::whole_tokens(1000, 18);
  double dishonest_fraction = 0.1;
  double arrival_rate_per_provider = 0.8;  // jobs per time unit, per provider at the start
  double service_rate = 1.0;               // per time unit
  ledger::TokenAmount fee = ledger::TokenAmount::whole_tokens(1, 18);
  double verify_probability = 0.1;
  double slash_fraction = 0.5;
  double horizon = 10'000.0;  // time units
  core::SimTime time_unit = core::SimTime::seconds(1);
};

// What happened in a run; time averages are in time units.
struct ComputeMarketTotals {
  std::uint64_t arrivals = 0;
  std::uint64_t completions = 0;
  std::uint64_t verifications = 0;
  std::uint64_t caught = 0;            // dishonest providers slashed and removed
  std::uint64_t waited = 0;            // jobs that queued before service
  std::uint64_t queued_at_end = 0;     // jobs still waiting when the horizon came
  std::uint64_t in_service_at_end = 0;
  std::uint64_t max_queue = 0;
  std::uint64_t events = 0;
  std::uint64_t max_live_events = 0;
  double mean_wait = 0.0;              // over jobs that started service (waits of 0 included)
  ledger::TokenAmount fees_paid;
  ledger::TokenAmount slashed;
  std::string fingerprint;
};

// Per provider, after the run.
struct ComputeProviderState {
  ledger::TokenAmount initial_stake;
  ledger::TokenAmount stake;
  ledger::TokenAmount balance;
  bool honest = true;
  bool removed = false;
  double removed_at = -1.0;  // time units
  std::uint64_t jobs = 0;
};

struct ComputeMarketResult {
  ComputeMarketTotals totals;
  std::vector<ComputeProviderState> providers;
};

// Runs one replicate. Throws std::invalid_argument on an impossible configuration.
ComputeMarketResult run_compute_market(const ComputeMarketConfig& config, std::uint64_t seed, std::uint64_t replicate);

}  // namespace dais::models
