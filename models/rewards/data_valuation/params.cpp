#include "models/rewards/data_valuation/params.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace dais::models::data_valuation {

namespace {

// One table per choice: the names the parameters accept, in the order `dais list` shows them.
template <class E, std::size_t N>
using Names = std::array<std::pair<E, const char*>, N>;

constexpr Names<Method, 4> method_names{{{Method::knn_shapley, "knn_shapley"},
                                         {Method::tmc_shapley, "tmc_shapley"},
                                         {Method::leave_one_out, "leave_one_out"},
                                         {Method::exact_shapley, "exact_shapley"}}};
constexpr Names<Players, 2> players_names{{{Players::points, "points"}, {Players::providers, "providers"}}};
constexpr Names<Score, 2> score_names{{{Score::soft_label, "soft_label"}, {Score::majority_vote, "majority_vote"}}};
constexpr Names<VoteTies, 2> ties_names{{{VoteTies::nearest, "nearest"}, {VoteTies::split, "split"}}};
constexpr Names<EmptyUtility, 3> empty_names{
    {{EmptyUtility::zero, "zero"}, {EmptyUtility::chance, "chance"}, {EmptyUtility::majority, "majority"}}};

template <class E, std::size_t N>
const char* name_of(const Names<E, N>& names, E value) noexcept {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

template <class E, std::size_t N>
E value_of(const Names<E, N>& names, const std::string& name, const char* param) {
  for (const auto& [v, n] : names)
    if (name == n) return v;
  throw std::logic_error(fmt::format("data valuation: parameter {} has no choice \"{}\"", param, name));
}

template <class E, std::size_t N>
std::vector<std::string> choices(const Names<E, N>& names) {
  std::vector<std::string> out;
  for (const auto& entry : names) out.emplace_back(entry.second);
  return out;
}

std::size_t count(const scenario::Params& p, const char* name) { return static_cast<std::size_t>(p.integer(name)); }

}  // namespace

const char* to_string(Method method) noexcept { return name_of(method_names, method); }
const char* to_string(Players players) noexcept { return name_of(players_names, players); }
const char* to_string(Score score) noexcept { return name_of(score_names, score); }
const char* to_string(VoteTies ties) noexcept { return name_of(ties_names, ties); }
const char* to_string(EmptyUtility empty) noexcept { return name_of(empty_names, empty); }

std::vector<scenario::ParamSpec> param_specs() {
  using scenario::integer_param;
  using scenario::real_param;
  using scenario::text_param;
  const Settings d;  // the defaults, stated once in the structs
  const ValuationConfig& v = d.valuation;
  const auto integer = [](std::size_t x) { return static_cast<std::int64_t>(x); };
  return {
      text_param("method", to_string(v.method), choices(method_names),
                 "knn_shapley: closed form, exact; tmc_shapley: Monte Carlo estimate; leave_one_out; "
                 "exact_shapley: every coalition, at most 20 players"),
      text_param("players", to_string(v.players), choices(players_names),
                 "who is valued: each point (a provider gets its points' sum) or each provider as a whole"),
      text_param("utility", to_string(v.utility.score), choices(score_names),
                 "KNN score per validation point: share of the K nearest with its label, or majority-vote accuracy"),
      integer_param("k", integer(v.utility.k), "points", "neighbours the KNN classifier consults", 1, 1000),
      text_param("vote_ties", to_string(v.utility.ties), choices(ties_names),
                 "majority_vote ties: the nearest tied label wins, or 1/m credit among m tied labels"),
      text_param("empty_utility", to_string(v.utility.empty), choices(empty_names),
                 "utility of no data: 0, 1/classes, or the validation set's most common label share"),
      real_param("truncation_tolerance", v.tmc.truncation_tolerance, "of U(all)",
                 "tmc_shapley truncates a permutation once its utility stays this close to U(all); 0: never", 0.0, 1.0),
      integer_param("truncation_steps", integer(v.tmc.truncation_steps), "steps",
                    "consecutive steps within the tolerance that truncate the rest of a permutation", 1, 1e6),
      integer_param("max_permutations", integer(v.tmc.max_permutations), "permutations",
                    "tmc_shapley stops after this many permutations even if not converged", 1, 1e7),
      integer_param("convergence_window", integer(v.tmc.convergence_window), "permutations",
                    "tmc_shapley compares the running estimate with its last this-many values", 2, 1e5),
      real_param("convergence_threshold", v.tmc.convergence_threshold, "",
                 "tmc_shapley stops when the mean absolute change over the window, relative to the mean absolute "
                 "value, falls below this; 0: run to max_permutations",
                 0.0, 1.0),
      integer_param("points_per_provider", integer(d.points_per_provider), "points",
                    "labelled points each data provider contributes", 1, 1e6),
      real_param("label_noise_min", d.label_noise_min, "probability",
                 "lowest label-flip probability of a provider (each drawn uniformly in [min, max])", 0.0, 1.0),
      real_param("label_noise_max", d.label_noise_max, "probability",
                 "highest label-flip probability of a provider", 0.0, 1.0),
      integer_param("dimensions", integer(d.model.dims), "", "features per point", 1, 1000),
      integer_param("classes", integer(d.model.classes), "", "labels, Gaussian classes along the first axis", 2, 256),
      real_param("class_separation", d.model.class_separation, "standard deviations",
                 "distance between adjacent class means", 0.0, 1e6),
      integer_param("validation_size", integer(d.model.validation_size), "points",
                    "clean points from the true distribution that score the classifier", 1, 1e6),
  };
}

std::string check_params(const scenario::Params& p) {
  if (p.real("label_noise_min") > p.real("label_noise_max"))
    return fmt::format("expected label_noise_min <= label_noise_max, found {} > {}", p.real("label_noise_min"),
                       p.real("label_noise_max"));
  if (p.text("method") == "knn_shapley") {
    if (p.text("players") != "points")
      return "expected players \"points\" with method \"knn_shapley\" (a provider's value is the sum of its "
             "points'), found \"" + p.text("players") + "\"";
    if (p.text("utility") != "soft_label")
      return "expected utility \"soft_label\" with method \"knn_shapley\" (its closed form is for that utility), "
             "found \"" + p.text("utility") + "\"";
  }
  return {};
}

Settings settings_from_params(const scenario::Params& p) {
  Settings s;
  s.model.dims = count(p, "dimensions");
  s.model.classes = count(p, "classes");
  s.model.class_separation = p.real("class_separation");
  s.model.validation_size = count(p, "validation_size");
  s.points_per_provider = count(p, "points_per_provider");
  s.label_noise_min = p.real("label_noise_min");
  s.label_noise_max = p.real("label_noise_max");
  ValuationConfig& v = s.valuation;
  v.method = value_of(method_names, p.text("method"), "method");
  v.players = value_of(players_names, p.text("players"), "players");
  v.utility.score = value_of(score_names, p.text("utility"), "utility");
  v.utility.k = count(p, "k");
  v.utility.ties = value_of(ties_names, p.text("vote_ties"), "vote_ties");
  v.utility.empty = value_of(empty_names, p.text("empty_utility"), "empty_utility");
  v.tmc.truncation_tolerance = p.real("truncation_tolerance");
  v.tmc.truncation_steps = count(p, "truncation_steps");
  v.tmc.max_permutations = count(p, "max_permutations");
  v.tmc.convergence_window = count(p, "convergence_window");
  v.tmc.convergence_threshold = p.real("convergence_threshold");
  return s;
}

}  // namespace dais::models::data_valuation
