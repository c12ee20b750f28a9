#include "models/rewards/data_shapley.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "models/rewards/data_valuation/params.hpp"

namespace dais::models {

namespace {

namespace dv = data_valuation;

// Values are differences of a score in [0, 1]: one at or below this is rounding noise (sums of a million points'
// values in doubles are off by less), and counts as 0.
constexpr double rounding_noise = 1e-9;

class DataShapleyRule final : public RewardRule {
 public:
  DataShapleyRule(const scenario::Params& p, const RuleEnvironment& env)
      : settings_(dv::settings_from_params(p)),
        data_streams_{env.random.seed, env.random.replicate, 0},
        validation_(dv::draw_validation_set(settings_.model, data_streams_)) {}

  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) override {
    if (ctx.agents.size() != ctx.accounts.size())
      throw std::logic_error("data_shapley: expected an agent id per contributor");
    find_providers(ctx);
    // Deterministic values of unchanged data are kept; tmc_shapley's estimate is redrawn every epoch.
    if (present_agents_ != valued_agents_ || settings_.valuation.method == dv::Method::tmc_shapley) value(ctx.epoch);
    weights_.assign(ctx.accounts.size(), 0.0);
    for (std::size_t j = 0; j < present_.size(); ++j)
      if (values_[j] > rounding_noise) weights_[present_[j]] = values_[j];
    ledger::apportion_real(ctx.budget, weights_, out, scratch_);
  }

 private:
  // Orders the contributors by agent id, keeps the points of those who stay (drawing a newcomer's, dropping a
  // leaver's), and lists the providers present this epoch: those who contributed.
  void find_providers(const EpochContext& ctx) {
    by_agent_.resize(ctx.agents.size());
    std::iota(by_agent_.begin(), by_agent_.end(), std::uint32_t{0});
    std::sort(by_agent_.begin(), by_agent_.end(),
              [&](std::uint32_t a, std::uint32_t b) { return ctx.agents[a] < ctx.agents[b]; });
    present_.clear();
    present_agents_.clear();
    auto cached = points_.begin();
    for (std::uint32_t k : by_agent_) {
      const std::uint32_t agent = ctx.agents[k];
      while (cached != points_.end() && cached->first < agent) cached = points_.erase(cached);
      if (cached == points_.end() || cached->first != agent) {
        const double quality = ctx.data_quality.empty() ? 1.0 : ctx.data_quality[k];
        cached = points_.emplace_hint(cached, agent, draw(agent, quality));
      }
      ++cached;
      if (ctx.contributions[k] > 0.0) {
        present_.push_back(k);
        present_agents_.push_back(agent);
      }
    }
    points_.erase(cached, points_.end());
  }

  // The provider's points (as provider 0), with its label-noise rate drawn from its own stream. Of a provider whose
  // data is only `quality` real, the rest is junk: points whose labels are drawn at random, which is the label
  // noise (classes - 1) / classes, as the rate of an independent flip to another class.
  [[nodiscard]] dv::Dataset draw(std::uint64_t agent, double quality) const {
    std::vector<dv::ProviderData> provider = dv::providers_with_noise_range(
        std::span<const std::uint64_t>(&agent, 1), settings_.points_per_provider, settings_.label_noise_min,
        settings_.label_noise_max, data_streams_);
    if (quality < 1.0) {
      const double junk_noise = 1.0 - 1.0 / static_cast<double>(settings_.model.classes);
      provider.front().label_noise = quality * provider.front().label_noise + (1.0 - quality) * junk_noise;
    }
    dv::Dataset points;
    points.dims = settings_.model.dims;
    points.classes = settings_.model.classes;
    dv::draw_provider_points(settings_.model, provider.front(), data_streams_, 0, points);
    return points;
  }

  // values_[j] <- the value of present provider j's data among the present providers' (provider j in the data).
  void value(std::int64_t epoch) {
    dv::Dataset train;
    train.dims = settings_.model.dims;
    train.classes = settings_.model.classes;
    train.provider_count = present_agents_.size();
    const std::size_t total = present_agents_.size() * settings_.points_per_provider;
    train.features.reserve(total * train.dims);
    train.labels.reserve(total);
    train.providers.reserve(total);
    train.flipped.reserve(total);
    for (std::size_t j = 0; j < present_agents_.size(); ++j) {
      const dv::Dataset& points = points_.at(present_agents_[j]);
      for (std::size_t i = 0; i < points.size(); ++i)
        train.add(points.point(i), points.labels[i], static_cast<std::uint32_t>(j), points.flipped[i] != 0);
    }
    const dv::StreamBase permutations{data_streams_.seed, data_streams_.replicate, static_cast<std::uint64_t>(epoch)};
    values_ = dv::value_data(train, validation_, settings_.valuation, permutations).provider_values;
    valued_agents_ = present_agents_;
  }

  dv::Settings settings_;
  dv::StreamBase data_streams_;  // substream 0: the same data in every epoch
  dv::Dataset validation_;
  std::map<std::uint32_t, dv::Dataset> points_;  // by agent id: the points of every contributor of the last epoch
  std::vector<std::uint32_t> by_agent_;          // the epoch's contributors (indices into ctx) by agent id
  std::vector<std::uint32_t> present_;           // those who contributed, by agent id
  std::vector<std::uint32_t> present_agents_;    // their agent ids
  std::vector<std::uint32_t> valued_agents_;     // the providers values_ holds the values of, by agent id
  std::vector<double> values_;
  std::vector<double> weights_;
  ledger::ApportionScratch scratch_;
};

}  // namespace

void register_data_shapley(scenario::Registry<RuleFactory>& rules) {
  rules.add({"data_shapley",
             "pro rata to the positive value of each provider's data to a KNN classifier (KNN-, TMC-, exact Shapley or "
             "leave-one-out)",
             dv::param_specs(), {}, dv::check_params},
            [](const scenario::Params& p, const RuleEnvironment& env) -> std::unique_ptr<RewardRule> {
              return std::make_unique<DataShapleyRule>(p, env);
            });
}

}  // namespace dais::models
