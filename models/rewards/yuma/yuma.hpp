#pragma once
// Yuma consensus, the rule that pays Bittensor's miners and validators, in the six versions of the
// yuma-simulation package: one epoch turns validators' stakes and weights into miner incentives and validator
// dividends, and carries bonds (plus the previous consensus and weights) to the next epoch.
//
// Sources: ../shared/MECHANISMS.md §1 (the mechanism; subtensor's run_epoch.rs and math.rs) and, for the exact
// semantics reproduced here, ../shared/yuma-cases/SCHEMA.md §3-4 (bactensor/yuma-simulation 2b976fd,
// `_internal/yumas.py`). tests/models/yuma_test.cpp checks every reference file of ../shared/yuma-cases.
//
// One epoch, V validators (rows i) and N miners ("servers", columns j), in double precision:
//   W    = W_raw / (rowsum(W_raw) + 1e-6)           row-normalized weights; a zero row stays zero
//   S    = S_raw / sum(S_raw)                       stake shares (all zero if the total is zero)
//   P_j  = sum_i S_i W_ij                           prerank
//   Ĉ_j  = max { w : sum_{i : W_ij >= w} S_i >= κ }  stake-weighted κ-quantile from above (a stake-weighted
//                                                   median for κ = 1/2); the column's largest weight if no w
//                                                   qualifies. The sums are exact, in units of 2^-52 of stake
//   C_j  = trunc(Ĉ_j / sum(Ĉ) · q) / q              consensus, normalized and quantized (q = 65535: u16)
//          q = 0: C = Ĉ, the raw quantile subtensor clips at
//          sum(Ĉ) = 0 (no miner reaches κ): C = 0. (The reference casts NaN to int32 there, undefined
//          behaviour that x86 answers with INT32_MIN; see SCHEMA.md §4.9.)
//   W̄    = min(W_src, C_j)                          the clip; W_src = W, or the previous epoch's W for yuma2b
//   R_j  = sum_i S_i W̄_ij                           rank
//   I    = R / sum(R)  (0 if sum(R) = 0)            incentive; winner-takes-all: 1/m to each of the m miners
//                                                   whose R equals max(R) exactly, 0 to the rest
//   T_j  = R_j / P_j,  Tv_i = rowsum(W̄)_i / rowsum(W)_i   trust and validator trust (0 where 0/0); informational
// Bonds, with β = bond_penalty, a = 1 - bond_moving_avg and W̃ = (1-β) W_src + β W̄:
//   yuma1   ΔB = S_i W̃_ij / (colsum(S∘W̃)_j + 1e-6),  B = ΔB / (colsum(ΔB) + 1e-6)   (memoryless; bma unused)
//   yuma2   ΔB = S_i W̃_ij / colsum(S∘W̃)_j (0/0 = 0),  B = a ΔB + (1-a) B_old        (first epoch: B = ΔB)
//   yuma2b  yuma2 on W_src = the previous epoch's W (the current W at the first epoch)
//   yuma2c  cap_i = S_i M,  B = min((1-decay) B_old + min(c_α cap_i, max(cap_i - B_old_ij, 0)) W_ij, cap_i)
//   yuma3   B_dec = (1-a) B_old,  B = min(B_dec + min(a W, max(1 - B_dec, 0)), 1)      (B_old = 0 at first)
//   yuma3_liquid  yuma3 with a per-pair rate from the second epoch on (`alpha_sigmoid`):
//           d_ij = W_ij >= B_old_ij ? clamp(W_ij - C'_j, 0, 1) : clamp(B_old_ij - W_ij, 0, 1)
//           a_ij = clamp(a_low + σ(steepness · (d_ij - 1/2)) (a_high - a_low), a_low, a_high),  σ(x) = 1/(1+e^-x)
//           C' = C (current), C_old (previous) or max(C, C_old) (mixed)
//   (yuma2c and yuma3 buy bonds with the unclipped W; β does not enter them.)
// Dividends, with B̂ = B / (colsum(B) + 1e-6):
//   yuma1, yuma2, yuma2b  D_i = sum_j B_ij I_j;   yuma2c  D_i = sum_j B̂_ij I_j;   yuma3  D_i = S_i sum_j B̂_ij I_j
//   D_norm = D / (sum(D) + 1e-6); relative dividends D_norm - S (0 = paid exactly one's stake share).
// The 1e-6 terms are the reference's; they are part of the semantics. A network's epoch emission E is split
// ξ E D_norm to validators and (1-ξ) E I to miners, ξ = validator_emission_ratio.

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/params.hpp"

namespace dais::models {

// The versions of the yuma-simulation package (`YumaSimulationNames`), by the bond rule they use.
enum class YumaVersion : std::uint8_t { yuma1, yuma2, yuma2b, yuma2c, yuma3, yuma3_liquid };
inline constexpr YumaVersion all_yuma_versions[] = {YumaVersion::yuma1, YumaVersion::yuma2,  YumaVersion::yuma2b,
                                                    YumaVersion::yuma2c, YumaVersion::yuma3, YumaVersion::yuma3_liquid};

std::string_view to_string(YumaVersion version) noexcept;
// "yuma2b"; the package's upper-case names ("YUMA2B", "YUMA3_LIQUID") are accepted too.
std::optional<YumaVersion> parse_yuma_version(std::string_view name) noexcept;

// Which consensus liquid alpha measures a buyer's distance from (yuma3_liquid only).
enum class LiquidAlphaConsensus : std::uint8_t { current, previous, mixed };
std::string_view to_string(LiquidAlphaConsensus mode) noexcept;
// "current"; the package's upper-case names are accepted too.
std::optional<LiquidAlphaConsensus> parse_liquid_alpha_consensus(std::string_view name) noexcept;

// Defaults are the yuma-simulation package's (SCHEMA.md §1, "defaults"); subtensor's runtime values differ
// (MECHANISMS.md §1.10: bond_moving_avg 0.9, alpha_low/high 0.7/0.9).
struct YumaParams {
  YumaVersion version = YumaVersion::yuma3;
  double kappa = 0.5;                    // κ: the stake share that must support a weight for it to count
  double bond_penalty = 1.0;             // β: how much of the clipped-away weight bonds lose (yuma1, 2, 2b)
  double bond_moving_avg = 0.1;          // bma: the bond rate is a = 1 - bma (yuma2, 2b, 3)
  double alpha_low = 0.1;                // liquid alpha's bounds and steepness (yuma3_liquid)
  double alpha_high = 0.3;
  double alpha_sigmoid_steepness = 10.0;
  double decay_rate = 0.1;               // yuma2c: bonds lose this share per epoch
  double capacity_alpha = 0.1;           // yuma2c: share of its capacity a validator may buy per epoch
  double capacity_scale = 18446744073709551616.0;  // yuma2c: M, capacity per unit of stake share (2^64)
  double validator_emission_ratio = 0.41;          // ξ: validators' share of an epoch's emission
  bool winner_takes_all = false;
  LiquidAlphaConsensus liquid_alpha_consensus = LiquidAlphaConsensus::current;
  std::int64_t consensus_quantization = 65535;     // q; 0 = clip at the raw quantile, unnormalized
};

// The parameters as declared for scenario files and `dais list` (name, type, default, unit, range, description).
// Names follow the package's YumaParams and SimulationHyperparameters.
const std::vector<scenario::ParamSpec>& yuma_param_specs();
// From parameters validated against yuma_param_specs() (defaults filled in). Throws std::invalid_argument
// if a combination is invalid (see check_yuma_params).
YumaParams yuma_params_from(const scenario::Params& params);
// "" when the combination is valid, else the loader's form of the problem
// ("expected alpha_low <= alpha_high, found 0.3 > 0.1").
std::string check_yuma_params(const YumaParams& params);

// What one epoch hands to the next.
struct YumaState {
  Eigen::MatrixXd bonds;      // B after the last epoch (V x N); the scale depends on the version (see above)
  Eigen::VectorXd consensus;  // C of the last epoch (N): liquid alpha's C_old
  Eigen::MatrixXd weights;    // W of the last epoch (V x N), kept for yuma2b only
  Eigen::VectorXd consensus_raw;  // Ĉ of the last epoch: the first guess of this one's (speed only)
  Eigen::Index consensus_repeats = 0;  // columns whose Ĉ equalled the epoch before's (speed only: see yuma_epoch)
  std::int64_t epochs = 0;    // epochs computed so far; 0 = no history (the first-epoch rules apply)
};

// Zeroes every validator's bond to `miner` (a bond reset: the package's `reset_bonds`, subtensor's reset when
// a miner commits new work or a new miner takes the uid). Does nothing before the first epoch.
void reset_bonds(YumaState& state, Eigen::Index miner);

// What a column's κ-quantile can take from the last epoch: its answer, tried first, and its weights' range, which
// bounds the stake buckets. Wrong guesses cost time, never exactness; NaN: none. kappa_quantile sets lo and
// hi to this column's range, for next time.
struct QuantileGuess {
  double answer = std::numeric_limits<double>::quiet_NaN();
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
};

// Buffers kappa_quantile reuses; it sizes them itself (2 n candidates, n bucket numbers).
struct QuantileScratch {
  std::vector<double> w;
  std::vector<std::int64_t> s;
  std::vector<std::uint8_t> bucket;
};

// Scratch space yuma_epoch reuses, so that epochs after the first allocate nothing.
struct YumaScratch {
  // The V-entry work vectors (row sums, row scale, rowsum(W), rowsum(W̄), and a column's W, W̄, purchase,
  // capacity, alpha), one after another in one block, each a stride apart that is not a multiple of 4 KiB: a
  // loop that stores to one and loads from another then never sees the same low 12 address bits in both, which
  // would stall the load behind the unrelated store (malloc's own spacing made epochs 5% faster or slower).
  std::vector<double> validator_vectors;
  Eigen::VectorXd column_factor;                                        // N
  std::vector<std::int64_t> stake_units;  // V: S in units of 2^-52, for the κ-quantile
  QuantileScratch quantile;
  std::vector<QuantileGuess> guesses;     // N: each column's weight range last epoch (speed only)
};

// Everything one epoch computes. Vectors over miners have N entries, over validators V. The V x N outputs
// (weights, clipped_weights, alpha_pairs, bonds_normalized) are filled only when pair_outputs is set: payouts
// (incentives, dividends) never need them, and an epoch runs faster without writing them.
struct YumaEpoch {
  bool pair_outputs = true;

  Eigen::VectorXd stake;              // S
  Eigen::MatrixXd weights;            // W (also filled without pair_outputs for yuma2b, which keeps it)
  Eigen::VectorXd prerank;            // P
  Eigen::VectorXd consensus_raw;      // Ĉ
  Eigen::VectorXd consensus;          // C
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> consensus_u16;  // k, C = k / q (q = 0: trunc(Ĉ · 65535))
  Eigen::MatrixXd clipped_weights;    // W̄
  Eigen::VectorXd rank;               // R
  Eigen::VectorXd incentives;         // I
  Eigen::VectorXd trust;              // T
  Eigen::VectorXd validator_trust;    // Tv
  double alpha = 0.0;                 // the bond rate used: 1 (yuma1), 1 - bma, NaN (yuma2c, or per pair)
  bool alpha_per_pair = false;        // liquid alpha applied: the rates are alpha_pairs
  Eigen::MatrixXd alpha_pairs;        // a_ij (V x N) when alpha_per_pair
  Eigen::MatrixXd bonds_normalized;   // each column of the new bonds over its sum; an all-zero column stays 0
  Eigen::VectorXd bond_column_sums;   // colsum(B) of the new bonds
  Eigen::VectorXd dividends_raw;      // D
  Eigen::VectorXd dividends;          // D_norm
  Eigen::VectorXd relative_dividends; // D_norm - S
  bool consensus_degenerate = false;  // sum(Ĉ) = 0
  bool rank_all_zero = false;         // sum(R) = 0
  YumaScratch scratch;
};

// One Yuma epoch: reads S_raw (V), W_raw (V x N, non-negative) and the carried state, fills `out` and replaces
// the state with this epoch's (the new bonds are state.bonds). Deterministic; allocates nothing once `out` and
// `state` have held an epoch of the same shape. Throws std::invalid_argument on mismatched shapes, on a state
// of another shape, or on invalid parameters.
void yuma_epoch(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state, YumaEpoch& out);

// The builds of the epoch: yuma_epoch runs the widest one the processor has. All give the same bits (the element-
// wise work rounds alike at any vector width, and the sums add in four fixed lanes), so results do not depend on
// the machine; the overload below runs a given one (it throws std::invalid_argument if the processor lacks it).
enum class YumaKernel { baseline, avx2 };
std::string_view to_string(YumaKernel kernel) noexcept;
bool yuma_kernel_available(YumaKernel kernel) noexcept;
void yuma_epoch(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state, YumaEpoch& out, YumaKernel kernel);

// The stake-weighted κ-quantile from above of one column: max { w_i : sum_{k : w_k >= w_i} s_k >= κ }, or the
// largest w if none qualifies. Stakes and κ are in integer units of 2^-52 (stake_units), so the sums are exact
// and the answer is the same whatever order the selection adds them in. `hint`, a guess such as the last
// epoch's answer (NaN: none), changes the speed, never the answer.
inline constexpr int stake_unit_bits = 52;
std::int64_t stake_units(double share) noexcept;  // share * 2^52 to the nearest integer; share in [0, 1]
double kappa_quantile(const double* w, const std::int64_t* s, Eigen::Index n, std::int64_t kappa,
                      QuantileScratch& scratch, double hint = std::numeric_limits<double>::quiet_NaN());

double kappa_quantile(const double* w, const std::int64_t* s, Eigen::Index n, std::int64_t kappa,
                      QuantileScratch& scratch, QuantileGuess& guess);
// The same in a given build of the epoch (the baseline one above); throws std::invalid_argument if the processor
// lacks it.
double kappa_quantile(const double* w, const std::int64_t* s, Eigen::Index n, std::int64_t kappa,
                      QuantileScratch& scratch, QuantileGuess& guess, YumaKernel kernel);

// Liquid alpha's rate for one pair (SCHEMA.md §4.7): w the weight, b the old bond, c the consensus it is
// measured against.
double liquid_alpha(double w, double b, double c, const YumaParams& params) noexcept;

}  // namespace dais::models
