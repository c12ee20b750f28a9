#pragma once
// The contributor economy: populations of data providers, developers and compute providers paid each epoch
// from an emission schedule through one reward rule per role (workload B1 is one configuration of it).
//
// One epoch t, at simulated time (t + 1) * epoch_length, in this order:
//   1. the schedule sets the emission E_t; E_t is split over roles by their shares (largest remainder);
//   2. every active agent draws its contribution q ~ LogNormal(mu, sigma) from its own stream;
//   3. each role's rule allocates the role budget; the reward pipeline mints it to the agents (with the rules
//      `yuma` and `yuma_dividends`, one Yuma epoch over the validators' weights pays developers and validators:
//      models/economy/validation.hpp);
//   4. each agent updates its smoothed profit and, while it is negative, may leave for good;
//   5. if the entry condition holds, Poisson(rate) new agents join (active from epoch t + 1);
//   6. with "locks", every active agent tops its vote-escrow lock up to its lock_share; with "governance", the
//      proposals' snapshots and tallies are taken, and the changes in effect from epoch t + 1 are applied;
//   7. the ledger's conservation is checked and the epoch's metrics are recorded.
// Vested tokens are released at the epoch's start, before the emission (models/governance/governable.hpp and
// the README's "Governance and locks" say what may change and how voters estimate their gain).
// Random draws are keyed by (seed, replicate, agent id, purpose, epoch): an agent's draws are the same
// whatever the rule, the other agents or the thread schedule did, so designs compare paired.

#include "models/catalog.hpp"
#include "sim/io/run_output.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::models {

// The columns of runs.csv, epochs.csv, agents.csv and transfers.csv for this scenario, after the identity
// columns (io::with_identity) that every row starts with.
io::OutputSchema contributor_economy_schema(const scenario::Scenario& scenario, const ModelCatalog& catalog);

// Runs one replicate of the scenario and returns its rows. Throws on a broken invariant.
io::RunOutput run_contributor_economy(const scenario::Scenario& scenario, const ModelCatalog& catalog,
                                      const io::RunIdentity& identity);

}  // namespace dais::models
