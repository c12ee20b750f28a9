#pragma once
// `ocean_df`: curation by consume volume, the Active (Volume) Data Farming reward of Ocean Protocol
// (../shared/MECHANISMS.md §2; oceanprotocol/df-py, df_py/volume/reward_calculator.py and rank.py). For curator i
// of data asset j:
//   R_ij = min(p_j · (S_ij / Σ_k S_kj) · budget,  L_ij · WPY,  M · DCV_j)
//
// Mapping onto a role's contributors. Each data provider publishes one asset and curates that asset only:
//   DCV_i = V · q_i tokens: its contribution this epoch read as its asset's consume volume, V tokens per unit of
//           contribution (`volume_per_contribution`);
//   S_ii  = 2 · s_i, s_i its stake (df-py doubles a publisher's own allocation, DO_PUBREWARDS). As nobody else
//           curates the asset, the stake share S_ii / Σ_k S_ki is 1 and the doubling changes nothing. This is
//           a simplification: Ocean's curators spread veOCEAN over others' assets too, and veOCEAN decays with
//           the lock's remaining time, while here the stake is the allocation and does not decay;
//   L_i   = s_i, the tokens locked behind the allocation.
// So  R_i = min(p_i · budget,  s_i · WPY,  M · DCV_i).
//
// Asset share p_i. An asset takes part when DCV_i > 0 and s_i > 0: df-py rewards the assets that were consumed
// and carry stake, and the others are not ranked, so they dilute nobody. With `rank` (df-py's DO_RANK, the
// default) assets are ranked by DCV, highest first, equal DCVs sharing the lowest rank (scipy's rankdata
// "min": DCVs 5, 5, 3 rank 1, 1, 3); the assets ranked at most min(n, `max_ranked_assets`) share the budget
// (MAX_N_RANK_ASSETS; ties at the cut are all in), with R their largest rank and `rank_scale` (RANK_SCALE_OP):
//   log:    alloc = log10(R) − log10(r) + log10(1.5)    (df-py's "LOG", its default)
//   linear: alloc = R − r + 1                           ("LIN")
//   sqrt:   alloc = √R − √r + 1                         ("SQRT")
//   pow2:   alloc = (R − r + 1)²                        ("POW2")
//   pow4:   alloc = (R − r + 1)⁴                        ("POW4")
// and p_i = alloc_i / Σ alloc. Without rank, p_i = DCV_i / Σ DCV. Equal DCVs get equal shares, whatever the
// order of the contributors. log10 of the ranks comes from a table GCC computes at compile time, correctly
// rounded, so the shares are the same bits on every platform.
//
// Caps. WPY (`wpy`) is per epoch, as given: df-py's 0.015717 is per week (125% APY compounded weekly); at
// epochs of length e use 2.25^(e / 1 year) − 1 (0.002224 for a day). M (`dcv_multiplier`) is df-py's 0.001
// from DF29 on: a reward is at most 0.1% of its asset's consume volume, so wash-consuming costs 1000× what it
// earns.
//
// Exact tokens. The budget is apportioned by the weights alloc_i (or DCV_i) exactly, by Hamilton's largest
// remainder (sim/ledger/apportion.hpp: the base units left over go to the largest remainders, equal ones to the
// earlier contributor in the role's order, the one place that order matters). Each share is then cut to its
// caps, floor(s_i · WPY) and floor(M · DCV_i) base units (the products in double precision), and a reward below
// `min_reward` (df-py: 1e-6 OCEAN) is set to 0. What the caps remove is not paid to anyone: df-py does not
// redistribute it either (its R is the minimum, only scaled down should its float sum exceed the budget). So
// the role is paid at most its budget, and the rest is counted in `unpaid_tokens`.

#include <cstdint>
#include <span>
#include <vector>

#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

enum class RankScale { log, linear, sqrt, pow2, pow4 };

// The most assets `max_ranked_assets` may rank (the size of the log10 table).
inline constexpr std::int64_t ocean_df_max_ranked_limit = 10000;

struct OceanDfSettings {
  bool rank = true;
  RankScale rank_scale = RankScale::log;
  std::int64_t max_ranked_assets = 0;
  double wpy = 0.0;                      // per epoch
  double dcv_multiplier = 0.0;
  double volume_per_contribution = 0.0;  // tokens of consume volume per unit of contribution
  ledger::TokenAmount min_reward;

  static OceanDfSettings from(const scenario::Params& p);
};

// alloc_j of each asset from its consume volume (see the header comment); 0 for assets with no volume and for
// those ranked below the cut. `order` is scratch. Requires out.size() == volumes.size() and
// 1 <= max_ranked <= ocean_df_max_ranked_limit.
void rank_allocations(std::span<const double> volumes, RankScale scale, std::int64_t max_ranked,
                      std::span<double> out, std::vector<std::uint32_t>& order);

class OceanDfRule final : public RewardRule {
 public:
  OceanDfRule(const OceanDfSettings& settings, unsigned decimals);
  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) override;
  [[nodiscard]] bool needs_stakes() const noexcept override { return true; }

 private:
  OceanDfSettings settings_;
  double one_token_;            // base units per token
  std::vector<double> volumes_;  // DCV_i in tokens, 0 for assets that do not take part
  std::vector<double> weights_;
  std::vector<std::uint32_t> order_;
  ledger::ApportionScratch scratch_;
};

void register_ocean_df(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
