#include "models/rewards/data_valuation/data_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/core/distributions.hpp"
#include "sim/core/random.hpp"

namespace dais::models::data_valuation {

namespace {

// The classes the score's vote counter can hold (knn_utility.cpp keeps one counter per class on the stack).
constexpr std::size_t max_classes = 256;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// One point of the model: true class uniform, features around the class mean. Draws a fixed sequence per
// point (the flip decision and the replacement class are drawn even when unused), so a provider's features
// and true classes are the same whatever its noise rate, and a higher rate flips a superset of the labels.
void draw_point(core::RandomStream& rng, const DataModel& model, double noise, std::vector<double>& x,
                std::uint32_t& label, bool& flipped) {
  const auto classes = static_cast<std::int64_t>(model.classes);
  const auto true_class = static_cast<std::uint32_t>(core::draw_uniform_int(rng, 0, classes - 1));
  const double centre = static_cast<double>(model.classes - 1) / 2.0;
  for (std::size_t j = 0; j < model.dims; ++j) {
    const double mean = j == 0 ? (static_cast<double>(true_class) - centre) * model.class_separation : 0.0;
    x[j] = core::draw_normal(rng, mean, 1.0);
  }
  const double u = rng.uniform01();
  auto other = static_cast<std::uint32_t>(core::draw_uniform_int(rng, 0, classes - 2));
  if (other >= true_class) ++other;
  flipped = u < noise;
  label = flipped ? other : true_class;
}

void check_model(const DataModel& model) {
  if (model.dims == 0) fail("data model: expected at least 1 dimension, found 0");
  if (model.classes < 2 || model.classes > max_classes)
    fail("data model: expected 2 to " + std::to_string(max_classes) + " classes, found " + std::to_string(model.classes));
  if (!(model.class_separation >= 0.0) || !std::isfinite(model.class_separation))
    fail("data model: expected a finite class_separation >= 0, found " + std::to_string(model.class_separation));
  if (model.validation_size == 0) fail("data model: expected at least 1 validation point, found 0");
}

void check_provider(const ProviderData& p) {
  if (!(p.label_noise >= 0.0 && p.label_noise <= 1.0))
    fail("data model: provider " + std::to_string(p.entity) + ": expected label_noise in [0, 1], found " +
         std::to_string(p.label_noise));
}

Dataset empty_dataset(const DataModel& model) {
  Dataset d;
  d.dims = model.dims;
  d.classes = model.classes;
  return d;
}

// Appends the provider's points as provider number `index`; the caller has checked the model and the provider.
void append_points(const DataModel& model, const ProviderData& provider, const StreamBase& streams,
                   std::uint32_t index, Dataset& out) {
  core::RandomStream rng({streams.seed, streams.replicate, provider.entity, provider_points}, streams.epoch);
  std::vector<double> x(model.dims);
  std::uint32_t label = 0;
  bool flipped = false;
  for (std::size_t i = 0; i < provider.points; ++i) {
    draw_point(rng, model, provider.label_noise, x, label, flipped);
    out.add(x, label, index, flipped);
  }
  out.provider_count = std::max(out.provider_count, std::size_t{index} + 1);
}

}  // namespace

void Dataset::add(std::span<const double> x, std::uint32_t label, std::uint32_t provider, bool was_flipped) {
  if (x.size() != dims) fail("Dataset::add: a point with " + std::to_string(x.size()) + " features in a dataset of " +
                             std::to_string(dims) + " dimensions");
  features.insert(features.end(), x.begin(), x.end());
  labels.push_back(label);
  providers.push_back(provider);
  flipped.push_back(was_flipped ? 1 : 0);
  if (provider >= provider_count) provider_count = std::size_t{provider} + 1;
}

void check_dataset(const Dataset& data, const char* what) {
  const std::string name = what;
  if (data.dims == 0) fail(name + ": expected at least 1 dimension, found 0");
  if (data.classes < 2 || data.classes > max_classes)
    fail(name + ": expected 2 to " + std::to_string(max_classes) + " classes, found " + std::to_string(data.classes));
  const std::size_t n = data.labels.size();
  if (data.features.size() != n * data.dims || data.providers.size() != n || data.flipped.size() != n)
    fail(name + ": features, labels, providers and flipped disagree on the number of points");
  for (std::size_t i = 0; i < n; ++i) {
    if (data.labels[i] >= data.classes)
      fail(name + ": point " + std::to_string(i) + " has label " + std::to_string(data.labels[i]) + ", expected < " +
           std::to_string(data.classes));
    if (data.providers[i] >= data.provider_count)
      fail(name + ": point " + std::to_string(i) + " has provider " + std::to_string(data.providers[i]) +
           ", expected < " + std::to_string(data.provider_count));
  }
  for (double f : data.features)
    if (!std::isfinite(f)) fail(name + ": a feature is not finite");
}

void draw_provider_points(const DataModel& model, const ProviderData& provider, const StreamBase& streams,
                          std::uint32_t index, Dataset& out) {
  check_model(model);
  check_provider(provider);
  append_points(model, provider, streams, index, out);
}

Dataset draw_validation_set(const DataModel& model, const StreamBase& streams) {
  check_model(model);
  Dataset validation = empty_dataset(model);
  core::RandomStream rng({streams.seed, streams.replicate, world_entity, validation_points}, streams.epoch);
  std::vector<double> x(model.dims);
  std::uint32_t label = 0;
  bool flipped = false;
  for (std::size_t i = 0; i < model.validation_size; ++i) {
    draw_point(rng, model, 0.0, x, label, flipped);
    validation.add(x, label);
  }
  return validation;
}

World generate_world(const DataModel& model, std::span<const ProviderData> providers, const StreamBase& streams) {
  check_model(model);
  for (const ProviderData& p : providers) check_provider(p);

  World world{empty_dataset(model), draw_validation_set(model, streams)};
  std::size_t total = 0;
  for (const ProviderData& p : providers) total += p.points;
  world.train.features.reserve(total * model.dims);
  world.train.labels.reserve(total);
  world.train.providers.reserve(total);
  world.train.flipped.reserve(total);
  world.train.provider_count = providers.size();
  for (std::size_t p = 0; p < providers.size(); ++p)
    append_points(model, providers[p], streams, static_cast<std::uint32_t>(p), world.train);
  return world;
}

std::vector<ProviderData> providers_with_noise_range(std::span<const std::uint64_t> entities, std::size_t points,
                                                     double noise_min, double noise_max, const StreamBase& streams) {
  if (!(noise_min >= 0.0 && noise_min <= noise_max && noise_max <= 1.0))
    fail("data model: expected 0 <= label_noise_min <= label_noise_max <= 1, found " + std::to_string(noise_min) +
         " and " + std::to_string(noise_max));
  std::vector<ProviderData> out;
  out.reserve(entities.size());
  for (std::uint64_t e : entities) {
    core::RandomStream rng({streams.seed, streams.replicate, e, provider_noise}, streams.epoch);
    out.push_back({e, points, core::draw_uniform(rng, noise_min, noise_max)});
  }
  return out;
}

}  // namespace dais::models::data_valuation
