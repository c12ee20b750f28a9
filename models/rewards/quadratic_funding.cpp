#include "models/rewards/quadratic_funding.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/distributions.hpp"
#include "sim/core/int128.hpp"
#include "sim/core/portable_math.hpp"

namespace dais::models {

namespace {

// Purpose of the donors' random stream (the entity is the role's).
constexpr std::uint64_t donations_purpose = 1;
constexpr std::uint64_t max_donation = std::uint64_t{1} << 20;
constexpr int sqrt_fraction_bits = 16;  // √c is kept as floor(√(c · 2^32))

class QuadraticFundingRule final : public RewardRule {
 public:
  QuadraticFundingRule(const scenario::Params& p, const RuleEnvironment& env)
      : model_(DonorModel::from(p)),
        key_(env.random),
        rounding_(p.text("rounding") == "down" ? ledger::Rounding::down : ledger::Rounding::largest_remainder) {}

  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) override {
    draw_donations(model_, key_, ctx.epoch, ctx.contributions, ctx.pledges, donations_);
    weights_.resize(ctx.contributions.size());
    if (!quadratic_funding_weights(donations_, weights_)) {
      std::fill(out.begin(), out.end(), ledger::TokenAmount{});
      return;
    }
    ledger::apportion(ctx.budget, weights_, out, scratch_, rounding_);
  }

 private:
  DonorModel model_;
  core::StreamKey key_;
  ledger::Rounding rounding_;
  Donations donations_;
  std::vector<std::uint64_t> weights_;
  ledger::ApportionScratch scratch_;
};

}  // namespace

DonorModel DonorModel::from(const scenario::Params& p) {
  return {p.integer("donors"), p.real("donation_sigma")};
}

std::vector<scenario::ParamSpec> donor_params() {
  return {scenario::integer_param("donors", 1000, "per epoch", "community members who each back one project per epoch",
                                  1, 65536),
          scenario::real_param("donation_sigma", 1.0, "log units",
                               "spread of donation sizes: 1024 * LogNormal(0, sigma) units, within [1, 2^20]", 0.0, 5.0)};
}

void draw_donations(const DonorModel& model, const core::StreamKey& key, std::int64_t epoch,
                    std::span<const double> contributions, std::span<const Pledge> pledges, Donations& out) {
  const std::size_t n = contributions.size();
  out.project.clear();
  out.units.clear();
  out.count.assign(n, 0);
  out.cumulative.resize(n);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) out.cumulative[i] = total += contributions[i];
  if (!(total > 0.0)) return;

  core::RandomStream rng({key.seed, key.replicate, key.entity, donations_purpose}, static_cast<std::uint64_t>(epoch));
  const auto donors = static_cast<std::size_t>(model.donors);
  out.drawn_project.resize(donors + pledges.size());
  out.drawn_units.resize(donors + pledges.size());
  // The pledges come after the community's draws, which they do not move.
  for (std::size_t i = 0; i < pledges.size(); ++i) {
    out.drawn_project[donors + i] = pledges[i].project;
    out.drawn_units[donors + i] = std::clamp<std::uint64_t>(pledges[i].units, 1, max_donation);
    ++out.count[pledges[i].project];
  }
  for (std::size_t d = 0; d < donors; ++d) {
    const double pick = rng.uniform01() * total;
    // The first project whose cumulative contribution exceeds the pick: zero contributors are never picked.
    const auto p = static_cast<std::size_t>(std::upper_bound(out.cumulative.begin(), out.cumulative.end(), pick) -
                                            out.cumulative.begin());
    const std::size_t project = std::min(p, n - 1);
    const double size = 1024.0 * core::portable_exp(core::draw_normal(rng, 0.0, model.donation_sigma));
    out.drawn_project[d] = static_cast<std::uint32_t>(project);
    out.drawn_units[d] = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::llround(std::min(size, 1e12))), 1,
                                                   max_donation);
    ++out.count[project];
  }
  // Group by project (a stable counting sort): the contract takes each project's donations as one run.
  out.offset.resize(n);
  std::uint32_t running = 0;
  for (std::size_t i = 0; i < n; ++i) {
    out.offset[i] = running;
    running += out.count[i];
  }
  out.project.resize(out.drawn_project.size());
  out.units.resize(out.drawn_units.size());
  for (std::size_t d = 0; d < out.drawn_project.size(); ++d) {
    const std::size_t slot = out.offset[out.drawn_project[d]]++;
    out.project[slot] = out.drawn_project[d];
    out.units[slot] = out.drawn_units[d];
  }
}

namespace {

// Calls f(project, M_p, C_p) for each project with donations: M_p = max(0, S_p² − 2^32·C_p), where
// S_p = Σ floor(√(c·2^32)) < 2^16 · 2^26, so S_p² < 2^84, and C_p = Σ c < 2^36.
template <class F>
void for_each_project(const Donations& donations, F&& f) {
  for (std::size_t d = 0; d < donations.project.size();) {
    const std::uint32_t p = donations.project[d];
    u128 root_sum = 0;
    std::uint64_t sum = 0;
    for (; d < donations.project.size() && donations.project[d] == p; ++d) {
      root_sum += integer_sqrt(donations.units[d] << (2 * sqrt_fraction_bits));
      sum += donations.units[d];
    }
    const u128 ideal = root_sum * root_sum;
    const u128 linear = u128{sum} << (2 * sqrt_fraction_bits);
    f(p, ideal > linear ? ideal - linear : u128{0}, sum);
  }
}

}  // namespace

bool quadratic_funding_weights(const Donations& donations, std::span<std::uint64_t> weights) {
  std::fill(weights.begin(), weights.end(), 0);
  if (donations.project.empty()) return false;
  u128 matching_total = 0;
  for_each_project(donations, [&](std::uint32_t, u128 matching, std::uint64_t) { matching_total += matching; });
  if (matching_total == 0) {
    // No project has two donations: linear funding.
    for_each_project(donations, [&](std::uint32_t p, u128, std::uint64_t sum) { weights[p] = sum; });
    return true;
  }
  int shift = 0;
  while ((matching_total >> shift) >= (u128{1} << 62)) ++shift;
  for_each_project(donations, [&](std::uint32_t p, u128 matching, std::uint64_t) {
    weights[p] = static_cast<std::uint64_t>(matching >> shift);
  });
  return true;
}

void register_quadratic_funding(scenario::Registry<RuleFactory>& rules) {
  std::vector<scenario::ParamSpec> params = donor_params();
  params.push_back(scenario::text_param("rounding", "largest_remainder", {"largest_remainder", "down"},
                                        "what rounding leaves: paid by largest remainder, or not paid (as a contract would)"));
  rules.add({"quadratic_funding",
             "the budget is a matching pool split by quadratic funding over donors' donations to the contributors",
             std::move(params)},
            [](const scenario::Params& p, const RuleEnvironment& env) -> std::unique_ptr<RewardRule> {
              return std::make_unique<QuadraticFundingRule>(p, env);
            });
}

}  // namespace dais::models
