#include "models/rewards/yuma/yuma.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/core/portable_math.hpp"

namespace dais::models {

using Eigen::Index;

namespace {

// The reference's guards against division by zero (SCHEMA.md §4): part of the semantics, not tuning.
constexpr double epsilon = 1e-6;

// Candidate sets at or below this size finish by insertion sort.
constexpr Index small_set = 8;

// Finishes a selection over m <= small_set candidates: sorts them by weight, descending, and walks down
// accumulating stake. `above` is the stake known to sit above every candidate.
double finish_small(const double* w, const double* s, Index m, double above, double kappa, double top) noexcept {
  double sw[small_set];
  double ss[small_set];
  for (Index k = 0; k < m; ++k) {
    const double x = w[k];
    const double y = s[k];
    Index at = k;
    while (at > 0 && sw[at - 1] < x) {
      sw[at] = sw[at - 1];
      ss[at] = ss[at - 1];
      --at;
    }
    sw[at] = x;
    ss[at] = y;
  }
  for (Index k = 0; k < m; ++k) {
    above += ss[k];
    if (above >= kappa) return sw[k];
  }
  return top;
}

}  // namespace

double kappa_quantile(const double* w, const double* s, Index n, double kappa, double* scratch) noexcept {
  if (n <= 0) return 0.0;
  // The answer is the weight at the first position, in descending order of weight, where the cumulative stake
  // reaches κ. Selection without sorting: split the candidates at a pivot into those above it, at it and below
  // it; the stake above (plus what is already known to lie above) says which part holds the answer.
  double top = w[0];
  double weight_sum = 0.0;
  for (Index k = 0; k < n; ++k) {
    top = std::max(top, w[k]);
    weight_sum += w[k];
  }
  double above = 0.0;  // stake of the weights known to be larger than every candidate
  const double* cw = w;
  const double* cs = s;
  Index m = n;
  bool mean_pivot = true;
  double* buffers[2] = {scratch, scratch + 4 * n};
  int which = 0;
  while (m > small_set) {
    // The mean of the candidates halves them for most weight distributions; if it fails to make progress
    // (all candidates equal, or rounding), a candidate's own weight does, as the part "at" the pivot is then
    // never empty.
    const double pivot = mean_pivot ? weight_sum / static_cast<double>(m) : cw[m / 2];
    double* hw = buffers[which];
    double* hs = hw + n;
    double* lw = hs + n;
    double* ls = lw + n;
    Index n_high = 0;
    Index n_low = 0;
    double stake_high = 0.0;
    double stake_at = 0.0;
    double stake_low = 0.0;
    double sum_high = 0.0;
    double sum_low = 0.0;
    for (Index k = 0; k < m; ++k) {
      const double x = cw[k];
      const double y = cs[k];
      const bool high = x > pivot;
      const bool low = x < pivot;
      hw[n_high] = x;
      hs[n_high] = y;
      lw[n_low] = x;
      ls[n_low] = y;
      n_high += high;
      n_low += low;
      stake_high += high ? y : 0.0;
      stake_low += low ? y : 0.0;
      stake_at += (!high && !low) ? y : 0.0;
      sum_high += high ? x : 0.0;
      sum_low += low ? x : 0.0;
    }
    Index next = 0;
    if (above + stake_high >= kappa) {
      cw = hw;
      cs = hs;
      next = n_high;
      weight_sum = sum_high;
    } else if (above + stake_high + stake_at >= kappa && n_high + n_low < m) {
      return pivot;
    } else {
      above += stake_high + stake_at;
      cw = lw;
      cs = ls;
      next = n_low;
      weight_sum = sum_low;
    }
    mean_pivot = next < m;  // no progress with the mean: the next round pivots on a candidate
    m = next;
    which ^= 1;
  }
  return finish_small(cw, cs, m, above, kappa, top);
}

double liquid_alpha(double w, double b, double c, const YumaParams& params) noexcept {
  const double d = w >= b ? std::clamp(w - c, 0.0, 1.0) : std::clamp(b - w, 0.0, 1.0);
  const double sigmoid = 1.0 / (1.0 + core::portable_exp(-params.alpha_sigmoid_steepness * (d - 0.5)));
  return std::clamp(params.alpha_low + sigmoid * (params.alpha_high - params.alpha_low), params.alpha_low,
                    params.alpha_high);
}

void reset_bonds(YumaState& state, Index miner) {
  if (state.epochs == 0) return;
  if (miner < 0 || miner >= state.bonds.cols())
    throw std::invalid_argument("reset_bonds: miner " + std::to_string(miner) + " out of range [0, " +
                                std::to_string(state.bonds.cols()) + ")");
  state.bonds.col(miner).setZero();
}

namespace {

bool in_unit(double x) { return x >= 0.0 && x <= 1.0; }

// A cheap test first; the message is built only for invalid parameters.
void require_valid(const YumaParams& params) {
  if (in_unit(params.kappa) && in_unit(params.bond_penalty) && in_unit(params.bond_moving_avg) &&
      in_unit(params.alpha_low) && in_unit(params.alpha_high) && params.alpha_low <= params.alpha_high &&
      params.alpha_sigmoid_steepness >= 0.0 && in_unit(params.decay_rate) && in_unit(params.capacity_alpha) &&
      params.capacity_scale >= 1.0 && params.capacity_scale <= 1e300 && in_unit(params.validator_emission_ratio) &&
      params.consensus_quantization >= 0 && params.consensus_quantization <= 2147483647)
    return;
  throw std::invalid_argument("yuma: " + check_yuma_params(params));
}

template <class Matrix>
void shape(Matrix& m, Index rows, Index cols) {
  if (m.rows() != rows || m.cols() != cols) m.resize(rows, cols);
}

template <class Vector>
void shape(Vector& v, Index size) {
  if (v.size() != size) v.resize(size);
}

}  // namespace

void yuma_epoch(const YumaParams& params, const Eigen::Ref<const Eigen::VectorXd>& stakes,
                const Eigen::Ref<const Eigen::MatrixXd>& weights, YumaState& state, YumaEpoch& out) {
  const Index nv = weights.rows();
  const Index nm = weights.cols();
  if (stakes.size() != nv)
    throw std::invalid_argument("yuma_epoch: " + std::to_string(stakes.size()) + " stakes for " +
                                std::to_string(nv) + " rows of weights");
  if (nv == 0 || nm == 0) throw std::invalid_argument("yuma_epoch: needs at least one validator and one miner");
  require_valid(params);
  const bool first = state.epochs == 0;
  if (!first && (state.bonds.rows() != nv || state.bonds.cols() != nm))
    throw std::invalid_argument("yuma_epoch: the state holds " + std::to_string(state.bonds.rows()) + " x " +
                                std::to_string(state.bonds.cols()) + " bonds, the weights are " +
                                std::to_string(nv) + " x " + std::to_string(nm));
  const YumaVersion version = params.version;

  shape(out.stake, nv);
  shape(out.weights, nv, nm);
  shape(out.prerank, nm);
  shape(out.consensus_raw, nm);
  shape(out.consensus, nm);
  shape(out.consensus_u16, nm);
  shape(out.clipped_weights, nv, nm);
  shape(out.rank, nm);
  shape(out.incentives, nm);
  shape(out.trust, nm);
  shape(out.validator_trust, nv);
  shape(out.bonds_normalized, nv, nm);
  shape(out.bond_column_sums, nm);
  shape(out.dividends_raw, nv);
  shape(out.dividends, nv);
  shape(out.relative_dividends, nv);
  YumaScratch& scratch = out.scratch;
  shape(scratch.row_sums, nv);
  shape(scratch.row_scale, nv);
  shape(scratch.clip_row_sums, nv);
  shape(scratch.column_factor, nm);
  if (scratch.select.size() < static_cast<std::size_t>(8 * nv)) scratch.select.resize(static_cast<std::size_t>(8 * nv));
  if (first) {
    state.bonds.setZero(nv, nm);  // yuma2c and yuma3 start from zero bonds; the others overwrite them
  }

  // Stake shares and row-normalized weights.
  const double total_stake = stakes.sum();
  Eigen::VectorXd& stake = out.stake;
  if (total_stake > 0.0)
    stake = stakes / total_stake;
  else
    stake.setZero();
  Eigen::VectorXd& row_sums = scratch.row_sums;
  row_sums.setZero();
  for (Index j = 0; j < nm; ++j) row_sums += weights.col(j);
  scratch.row_scale = (row_sums.array() + epsilon).inverse().matrix();

  // Prerank and the raw consensus, column by column (columns are contiguous).
  Eigen::VectorXd& normalized_row_sums = row_sums;  // reused: rowsum(W), for validator trust
  normalized_row_sums.setZero();
  double consensus_sum = 0.0;
  for (Index j = 0; j < nm; ++j) {
    auto w = out.weights.col(j);
    w = weights.col(j).cwiseProduct(scratch.row_scale);
    normalized_row_sums += w;
    out.prerank[j] = stake.dot(w);
    const double c = kappa_quantile(w.data(), stake.data(), nv, params.kappa, scratch.select.data());
    out.consensus_raw[j] = c;
    consensus_sum += c;
  }

  // Normalized and quantized consensus.
  out.consensus_degenerate = !(consensus_sum > 0.0);
  const auto q = static_cast<double>(params.consensus_quantization);
  for (Index j = 0; j < nm; ++j) {
    if (params.consensus_quantization == 0) {
      out.consensus[j] = out.consensus_raw[j];
      out.consensus_u16[j] = static_cast<std::int64_t>(out.consensus_raw[j] * 65535.0);
    } else if (out.consensus_degenerate) {
      out.consensus[j] = 0.0;
      out.consensus_u16[j] = 0;
    } else {
      const auto k = static_cast<std::int64_t>(out.consensus_raw[j] / consensus_sum * q);
      out.consensus_u16[j] = k;
      out.consensus[j] = static_cast<double>(k) / q;
    }
  }

  // Clip, rank and bonds, column by column.
  const bool previous_weights = version == YumaVersion::yuma2b && !first;
  const Eigen::MatrixXd& source = previous_weights ? state.weights : out.weights;
  const bool liquid = version == YumaVersion::yuma3_liquid && !first;
  if (liquid) shape(out.alpha_pairs, nv, nm);
  out.alpha_per_pair = liquid;
  const double rate = 1.0 - params.bond_moving_avg;
  const double keep = 1.0 - rate;
  switch (version) {
    case YumaVersion::yuma1: out.alpha = 1.0; break;
    case YumaVersion::yuma2c: out.alpha = std::numeric_limits<double>::quiet_NaN(); break;
    default: out.alpha = liquid ? std::numeric_limits<double>::quiet_NaN() : rate; break;
  }
  const double beta = params.bond_penalty;
  const double decay = 1.0 - params.decay_rate;
  const double capacity_alpha = params.capacity_alpha;
  const double scale = params.capacity_scale;
  Eigen::VectorXd& clip_row_sums = scratch.clip_row_sums;
  clip_row_sums.setZero();
  double rank_sum = 0.0;
  // A column of V values reused per column for W̃ ∘ S; the select buffer is free again after the consensus.
  Eigen::Map<Eigen::VectorXd> buy(scratch.select.data(), nv);
  for (Index j = 0; j < nm; ++j) {
    const double c = out.consensus[j];
    auto wc = out.clipped_weights.col(j);
    const auto ws = source.col(j);
    wc = ws.cwiseMin(c);
    const double r = stake.dot(wc);
    out.rank[j] = r;
    rank_sum += r;
    clip_row_sums += wc;

    auto b = state.bonds.col(j);
    switch (version) {
      case YumaVersion::yuma1: {
        buy = stake.cwiseProduct((1.0 - beta) * ws + beta * wc);
        buy /= buy.sum() + epsilon;
        b = buy / (buy.sum() + epsilon);
        scratch.column_factor[j] = 1.0;
        break;
      }
      case YumaVersion::yuma2:
      case YumaVersion::yuma2b: {
        buy = stake.cwiseProduct((1.0 - beta) * ws + beta * wc);
        const double total = buy.sum();
        if (total != 0.0)
          buy /= total;
        else
          buy.setZero();
        if (first)
          b = buy;
        else
          b = rate * buy + keep * b;
        scratch.column_factor[j] = 1.0;
        break;
      }
      case YumaVersion::yuma2c: {
        const auto w = out.weights.col(j);
        for (Index i = 0; i < nv; ++i) {
          const double cap = stake[i] * scale;
          const double purchase = std::min(capacity_alpha * cap, std::max(cap - b[i], 0.0)) * w[i];
          b[i] = std::min(decay * b[i] + purchase, cap);
        }
        break;
      }
      case YumaVersion::yuma3:
      case YumaVersion::yuma3_liquid: {
        const auto w = out.weights.col(j);
        if (liquid) {
          const double c_old = state.consensus[j];
          const double c_liquid = params.liquid_alpha_consensus == LiquidAlphaConsensus::current    ? c
                                  : params.liquid_alpha_consensus == LiquidAlphaConsensus::previous ? c_old
                                                                                                    : std::max(c, c_old);
          auto a = out.alpha_pairs.col(j);
          for (Index i = 0; i < nv; ++i) {
            const double ai = liquid_alpha(w[i], b[i], c_liquid, params);
            a[i] = ai;
            const double decayed = b[i] * (1.0 - ai);
            b[i] = std::min(decayed + std::min(ai * w[i], std::max(1.0 - decayed, 0.0)), 1.0);
          }
        } else {
          for (Index i = 0; i < nv; ++i) {
            const double decayed = b[i] * keep;
            b[i] = std::min(decayed + std::min(rate * w[i], std::max(1.0 - decayed, 0.0)), 1.0);
          }
        }
        break;
      }
    }
    const double column_sum = b.sum();
    out.bond_column_sums[j] = column_sum;
    if (column_sum > 0.0)
      out.bonds_normalized.col(j) = b / column_sum;
    else
      out.bonds_normalized.col(j).setZero();
    if (version == YumaVersion::yuma2c || version == YumaVersion::yuma3 || version == YumaVersion::yuma3_liquid)
      scratch.column_factor[j] = 1.0 / (column_sum + epsilon);
  }

  // Incentive and trust.
  out.rank_all_zero = !(rank_sum != 0.0);
  if (params.winner_takes_all) {
    const double best = out.rank.maxCoeff();
    Index ties = 0;
    for (Index j = 0; j < nm; ++j) ties += out.rank[j] == best;
    for (Index j = 0; j < nm; ++j) out.incentives[j] = out.rank[j] == best ? 1.0 / static_cast<double>(ties) : 0.0;
  } else if (out.rank_all_zero) {
    out.incentives.setZero();
  } else {
    out.incentives = out.rank / rank_sum;
  }
  for (Index j = 0; j < nm; ++j) out.trust[j] = out.prerank[j] != 0.0 ? out.rank[j] / out.prerank[j] : 0.0;
  for (Index i = 0; i < nv; ++i)
    out.validator_trust[i] = normalized_row_sums[i] != 0.0 ? clip_row_sums[i] / normalized_row_sums[i] : 0.0;

  // Dividends.
  scratch.column_factor = scratch.column_factor.cwiseProduct(out.incentives);
  out.dividends_raw.noalias() = state.bonds * scratch.column_factor;
  if (version == YumaVersion::yuma3 || version == YumaVersion::yuma3_liquid)
    out.dividends_raw = out.dividends_raw.cwiseProduct(stake);
  out.dividends = out.dividends_raw / (out.dividends_raw.sum() + epsilon);
  out.relative_dividends = out.dividends - stake;

  // What the next epoch reads.
  state.consensus = out.consensus;
  if (version == YumaVersion::yuma2b) state.weights = out.weights;
  ++state.epochs;
}

}  // namespace dais::models
