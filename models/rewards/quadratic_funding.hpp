#pragma once
// `quadratic_funding`: a role's budget is a matching pool, split by quadratic funding over the donations a
// community of donors makes to the role's contributors (their projects) each epoch
// (Buterin, Hitzig & Weyl, "Liberal Radicalism", ../shared/MECHANISMS.md §5.5):
//   F_p = (Σ_i √c_ip)²,  M_p = F_p − Σ_i c_ip,  match_p = pool · M_p / Σ_q M_q   (pro-rata scaling).
// Broad support beats deep pockets: n donations of c give M = c·n(n−1), one donation of n·c gives 0.
//
// Donors. Each epoch `donors` community members each back one project, chosen with probability proportional
// to the project's contribution this epoch (support follows the quality of the work), with a donation of
// round(1024 · LogNormal(0, donation_sigma)) units, clamped to [1, 2^20]. The draws come from the rule's own
// random stream (keyed by the role and the epoch), so they depend on nothing but the contributions. Pledges the
// contributors make (a Sybil's identities backing its first one, models/agents/sybil_identities.hpp) count as
// donations too.
//
// Integers, exactly as the QuadraticFunding contract (models/contracts) computes them, so both pay the same:
//   √c is floor(√(c · 2^32)) (√c to 16 fractional bits), M_p = max(0, S_p² − 2^32 · C_p) with S_p, C_p the
//   project's sums; the M_p are shifted right by the fewest bits that bring their sum below 2^62, and the pool
//   is apportioned by those weights. When no project has a positive M (no project has two donations), the
//   pool is split pro rata to the donations instead (linear funding). Donations are signals: they move no
//   tokens; only the pool is paid.

#include <cstdint>
#include <vector>

#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

// The community of donors, shared by the native rule and the contract rule's "donations" weights.
struct DonorModel {
  std::int64_t donors = 1000;
  double donation_sigma = 1.0;

  static DonorModel from(const scenario::Params& p);
};

// Declarations of the donor parameters, for any rule that takes donations.
std::vector<scenario::ParamSpec> donor_params();

// One epoch's donations, grouped by project in ascending project order.
struct Donations {
  std::vector<std::uint32_t> project;  // index into the epoch's contributors
  std::vector<std::uint64_t> units;    // the donation, in [1, 2^20]
  std::vector<std::uint32_t> count;    // donations per project
  // Scratch kept between epochs so drawing allocates nothing once warm.
  std::vector<double> cumulative;
  std::vector<std::uint32_t> offset;
  std::vector<std::uint32_t> drawn_project;
  std::vector<std::uint64_t> drawn_units;
};

// Draws the epoch's donations to projects with these contributions, and adds the contributors' pledges (none at
// all when every contribution is zero).
void draw_donations(const DonorModel& model, const core::StreamKey& key, std::int64_t epoch,
                    std::span<const double> contributions, std::span<const Pledge> pledges, Donations& out);

// The matching weights of the projects (see the header comment); false when there are no donations.
bool quadratic_funding_weights(const Donations& donations, std::span<std::uint64_t> weights);

void register_quadratic_funding(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
