#include "models/rewards/ocean_df.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "sim/core/buffers.hpp"

namespace dais::models {

namespace {

// log10(r) for r in [1, limit], correctly rounded: GCC evaluates __builtin_log10 at compile time with MPFR.
constexpr std::array<double, ocean_df_max_ranked_limit + 1> make_log10_table() {
  std::array<double, ocean_df_max_ranked_limit + 1> table{};
  for (std::size_t r = 1; r < table.size(); ++r) table[r] = __builtin_log10(static_cast<double>(r));
  return table;
}
constexpr std::array<double, ocean_df_max_ranked_limit + 1> log10_table = make_log10_table();
constexpr double log10_of_1_5 = __builtin_log10(1.5);

double allocation(RankScale scale, std::size_t rank, std::size_t largest) {
  const double spread = static_cast<double>(largest - rank) + 1.0;  // R − r + 1
  switch (scale) {
    case RankScale::log: return (log10_table[largest] - log10_table[rank]) + log10_of_1_5;
    case RankScale::linear: return spread;
    case RankScale::sqrt:
      return (std::sqrt(static_cast<double>(largest)) - std::sqrt(static_cast<double>(rank))) + 1.0;
    case RankScale::pow2: return spread * spread;
    case RankScale::pow4: return (spread * spread) * (spread * spread);
  }
  return 0.0;
}

RankScale rank_scale_named(const std::string& name) {
  if (name == "linear") return RankScale::linear;
  if (name == "sqrt") return RankScale::sqrt;
  if (name == "pow2") return RankScale::pow2;
  if (name == "pow4") return RankScale::pow4;
  return RankScale::log;
}

// floor(x) base units, x >= 0; beyond any amount (or NaN) it is no cap at all.
ledger::TokenAmount floor_units(double x) {
  if (!(x < 0x1.0p128)) return ledger::TokenAmount::from_base_units(~u128{0});
  return ledger::TokenAmount::from_base_units(static_cast<u128>(x));
}

}  // namespace

OceanDfSettings OceanDfSettings::from(const scenario::Params& p) {
  return {p.boolean("rank"),
          rank_scale_named(p.text("rank_scale")),
          p.integer("max_ranked_assets"),
          p.real("wpy"),
          p.real("dcv_multiplier"),
          p.real("volume_per_contribution"),
          p.tokens("min_reward")};
}

void rank_allocations(std::span<const double> volumes, RankScale scale, std::int64_t max_ranked,
                      std::span<double> out, std::vector<std::uint32_t>& order) {
  if (out.size() != volumes.size()) throw std::invalid_argument("rank_allocations: output and volumes differ in size");
  if (max_ranked < 1 || max_ranked > ocean_df_max_ranked_limit)
    throw std::invalid_argument("rank_allocations: max_ranked out of range");
  std::fill(out.begin(), out.end(), 0.0);
  order.clear();
  for (std::size_t i = 0; i < volumes.size(); ++i)
    if (volumes[i] > 0.0) order.push_back(static_cast<std::uint32_t>(i));
  // Highest volume first; the index only makes the sort's order total; equal volumes get equal ranks anyway.
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return volumes[a] > volumes[b] || (volumes[a] == volumes[b] && a < b);
  });
  const std::size_t cut = std::min(order.size(), static_cast<std::size_t>(max_ranked));
  // Competition ranks (1, 1, 3): a run of equal volumes takes the rank of its first; ranks above the cut are out.
  std::size_t ranked = 0;
  std::size_t rank = 0;
  for (; ranked < order.size(); ++ranked) {
    if (ranked == 0 || volumes[order[ranked]] != volumes[order[ranked - 1]]) rank = ranked + 1;
    if (rank > cut) break;
    out[order[ranked]] = static_cast<double>(rank);
  }
  if (ranked == 0) return;
  const auto largest = static_cast<std::size_t>(out[order[ranked - 1]]);
  for (std::size_t k = 0; k < ranked; ++k) {
    double& a = out[order[k]];
    a = allocation(scale, static_cast<std::size_t>(a), largest);
  }
}

OceanDfRule::OceanDfRule(const OceanDfSettings& settings, unsigned decimals)
    : settings_(settings), one_token_(to_double(ledger::pow10_u128(decimals))) {}

void OceanDfRule::allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) {
  const std::size_t n = ctx.contributions.size();
  if (ctx.stakes.size() != n) throw std::invalid_argument("ocean_df: stakes and contributions differ in size");
  core::resize_buffer(volumes_, n);
  for (std::size_t i = 0; i < n; ++i) {
    const double volume = settings_.volume_per_contribution * ctx.contributions[i];
    volumes_[i] = volume > 0.0 && !ctx.stakes[i].is_zero() ? volume : 0.0;  // consumed and staked: takes part
  }
  std::span<const double> weights = volumes_;
  if (settings_.rank) {
    core::resize_buffer(weights_, n);
    rank_allocations(volumes_, settings_.rank_scale, settings_.max_ranked_assets, weights_, order_);
    weights = weights_;
  }
  if (!ledger::apportion_real(ctx.budget, weights, out, scratch_)) return;  // nobody takes part: all zero
  for (std::size_t i = 0; i < n; ++i) {
    if (out[i].is_zero()) continue;
    const ledger::TokenAmount yield_cap = floor_units(to_double(ctx.stakes[i].base_units()) * settings_.wpy);
    const ledger::TokenAmount volume_cap = floor_units(volumes_[i] * settings_.dcv_multiplier * one_token_);
    const ledger::TokenAmount reward = std::min({out[i], yield_cap, volume_cap});
    out[i] = reward < settings_.min_reward ? ledger::TokenAmount{} : reward;
  }
}

void register_ocean_df(scenario::Registry<RuleFactory>& rules) {
  using scenario::real_param;
  rules.add(
      {"ocean_df",
       "Ocean Data Farming: a share of the budget by rank of consume volume, capped at stake * wpy and at "
       "dcv_multiplier * volume",
       {scenario::boolean_param("rank", true,
                                "share the budget by rank of consume volume (df-py DO_RANK); false: pro rata to it"),
        scenario::text_param("rank_scale", "log", {"log", "linear", "sqrt", "pow2", "pow4"},
                             "alloc of rank r, R the largest rank paid: log10(R) - log10(r) + log10(1.5), R - r + 1, "
                             "sqrt(R) - sqrt(r) + 1, (R - r + 1)^2, (R - r + 1)^4"),
        scenario::integer_param("max_ranked_assets", 100, "assets",
                                "only assets ranked <= this by consume volume are paid (all of a tie at the cut)", 1,
                                static_cast<double>(ocean_df_max_ranked_limit)),
        real_param("wpy", 0.015717, "per epoch",
                   "yield cap: reward <= stake * wpy (0.015717: 125% APY at weekly epochs; 0.002224 at daily)", 0.0),
        real_param("dcv_multiplier", 0.001, "", "volume cap: reward <= dcv_multiplier * the asset's consume volume",
                   0.0),
        real_param("volume_per_contribution", 1.0, "tokens/unit",
                   "an asset's consume volume per unit of its provider's contribution this epoch", 0.0),
        scenario::tokens_param("min_reward", "0.000001", "tokens", "a reward below this is not paid")}},
      [](const scenario::Params& p, const RuleEnvironment& env) -> std::unique_ptr<RewardRule> {
        return std::make_unique<OceanDfRule>(OceanDfSettings::from(p), env.decimals);
      });
}

}  // namespace dais::models
