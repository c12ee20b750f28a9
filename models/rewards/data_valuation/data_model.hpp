#pragma once
// The built-in data model of data valuation: data providers contribute labelled points drawn from Gaussian
// classes, each provider's labels flipped with its own probability (low-quality data), and a clean
// validation set is drawn from the true distribution. Every draw comes from a counter-based stream keyed by
// the provider, so a provider's points never depend on the other providers or on the valuation method.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dais::models::data_valuation {

// Labelled points in `dims` dimensions. Points are numbered in the order they were added; that number
// breaks ties of distance (the lower number is the nearer neighbour).
struct Dataset {
  std::size_t dims = 0;
  std::size_t classes = 0;
  std::vector<double> features;          // size() * dims, one point after another
  std::vector<std::uint32_t> labels;     // the observed label of each point, < classes
  std::vector<std::uint32_t> providers;  // the provider (0 ... provider_count - 1) that contributed each point
  std::vector<std::uint8_t> flipped;     // 1 when the observed label is not the point's true class
  std::size_t provider_count = 0;

  [[nodiscard]] std::size_t size() const noexcept { return labels.size(); }
  [[nodiscard]] std::span<const double> point(std::size_t i) const noexcept { return {features.data() + i * dims, dims}; }
  // Appends a point (x.size() must be dims); provider_count grows to cover `provider`.
  void add(std::span<const double> x, std::uint32_t label, std::uint32_t provider = 0, bool was_flipped = false);
};

// Throws std::invalid_argument when the fields disagree (sizes, labels >= classes, providers >= provider_count,
// dims or classes zero, features not finite). `what` names the dataset in the message.
void check_dataset(const Dataset& data, const char* what);

struct ProviderData {
  std::uint64_t entity = 0;  // the provider's stream entity: its agent id in an economy
  std::size_t points = 0;
  double label_noise = 0.0;  // probability that a point's label is replaced by a uniformly drawn other class
};

// Classes are unit-variance Gaussians whose means lie on the first axis, `class_separation` apart:
// mean_c = (c - (classes - 1) / 2) * class_separation * e_1; a point's true class is uniform over the classes.
struct DataModel {
  std::size_t dims = 2;
  std::size_t classes = 2;
  double class_separation = 2.0;  // distance between adjacent class means, in within-class standard deviations
  std::size_t validation_size = 200;
};

// Where the draws come from: (seed, replicate) of the run and the epoch as the substream.
struct StreamBase {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  std::uint64_t epoch = 0;
};

// Purposes of data valuation's streams. They differ from the contributor economy's (1-3), so a provider keyed
// by its agent id draws its data independently of its contributions and exit decisions.
enum StreamPurpose : std::uint64_t {
  provider_points = 0x4456'0001,   // a provider's points: entity = the provider's entity
  provider_noise = 0x4456'0002,    // a provider's label-noise rate, when drawn: entity = the provider's entity
  validation_points = 0x4456'0003, // the validation set: entity = world_entity
  tmc_permutation = 0x4456'0004,   // TMC-Shapley's permutation t: entity = t
};
// Entity of world-level streams (the validation set): above every agent id.
inline constexpr std::uint64_t world_entity = std::uint64_t{1} << 40;

struct World {
  Dataset train;       // the providers' points, provider by provider in the order given
  Dataset validation;  // clean labels from the true distribution (providers unused: all 0)
};

// Throws std::invalid_argument on an impossible model (dims or classes zero, noise outside [0, 1], ...).
World generate_world(const DataModel& model, std::span<const ProviderData> providers, const StreamBase& streams);

// The two halves of generate_world, for a caller that keeps each provider's points (a reward rule whose
// providers come and go). Appends `provider`'s points to `out` as provider number `index`: the same points
// generate_world draws for it, whoever else provides data. Throws as generate_world does.
void draw_provider_points(const DataModel& model, const ProviderData& provider, const StreamBase& streams,
                          std::uint32_t index, Dataset& out);
// The clean validation set generate_world draws.
Dataset draw_validation_set(const DataModel& model, const StreamBase& streams);

// `entities.size()` providers with `points` points each and label-noise rates drawn Uniform[noise_min, noise_max],
// each from the provider's own stream.
std::vector<ProviderData> providers_with_noise_range(std::span<const std::uint64_t> entities, std::size_t points,
                                                     double noise_min, double noise_max, const StreamBase& streams);

}  // namespace dais::models::data_valuation
