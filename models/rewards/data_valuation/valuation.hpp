#pragma once
// Data valuation: how much each training point, and each data provider, is worth to a K-nearest-neighbour
// classifier (knn_utility.hpp). Pure functions: data and settings in, values out. Formulas and sources:
// ../shared/MECHANISMS.md section 4.
//
//   leave_one_out  phi_p = U(D) - U(D \ p)                                   exact, O(V (N log N + K^2))
//   knn_shapley    Shapley values of the soft_label utility in closed form   exact, O(V N log N)
//                  (Jia et al., "Efficient task-specific data valuation for nearest neighbor algorithms",
//                  VLDB 2019, Theorem 1)
//   tmc_shapley    Data Shapley by truncated Monte Carlo over permutations   estimate (Ghorbani & Zou, ICML 2019)
//   exact_shapley  Shapley values by enumerating every coalition             exact, O(2^P V N): P <= 20 players
//
// Players are the training points (provider values = the sum of their points' values) or the providers
// themselves (a provider joins or leaves with all its points: a different game, whose Shapley values are not
// the sums of the point values). Shapley values satisfy efficiency: they sum to U(D) - U(empty set).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "models/rewards/data_valuation/data_model.hpp"
#include "models/rewards/data_valuation/knn_utility.hpp"

namespace dais::models::data_valuation {

enum class Players { points, providers };

struct Valuation {
  Players players = Players::points;
  std::vector<double> point_values;     // one per training point; empty when the providers are the players
  std::vector<double> provider_values;  // one per provider: its points' sum, or its own value as a player
  std::vector<double> standard_errors;  // tmc_shapley: per player, the standard error of its estimate
  double full_utility = 0.0;            // U(D)
  double empty_utility = 0.0;           // U(empty set)
  std::size_t permutations = 0;         // tmc_shapley: permutations walked
  bool converged = false;               // tmc_shapley: stopped by the convergence criterion, not the cap
  // tmc_shapley: the criterion's last value; 1 before the window is full; while not converged, the first
  // relative change found at or above the threshold (a lower bound of the largest, enough to go on).
  double convergence_error = 1.0;
  std::uint64_t marginals = 0;          // tmc_shapley: marginal contributions computed (truncated ones excluded)

  [[nodiscard]] std::span<const double> player_values() const noexcept {
    return players == Players::points ? std::span<const double>(point_values) : std::span<const double>(provider_values);
  }
};

Valuation leave_one_out(const KnnUtility& utility, Players players);

// Throws std::invalid_argument when config.score is not soft_label (the closed form holds for that utility).
// U(empty set) other than 0 shifts every value by -U(empty set) / N (the Shapley value of the game 1[S empty]).
Valuation knn_shapley(const Dataset& train, const Dataset& validation, const UtilityConfig& config);

inline constexpr std::size_t exact_shapley_max_players = 20;
// Throws std::invalid_argument with more than exact_shapley_max_players players.
Valuation exact_shapley(const KnnUtility& utility, Players players);

struct TmcConfig {
  // A permutation is truncated (the rest of its marginals taken as 0) once `truncation_steps` consecutive
  // utilities lie within truncation_tolerance * U(D) of U(D). 0 turns truncation off. (DShap: 0.01 and
  // "more than 5" consecutive steps, i.e. 6.) Truncation biases the estimate: the marginals it drops are not
  // 0 for a KNN classifier, where a late point still displaces neighbours. On the tests' 160-point world of
  // clean and noisy providers, tolerance 0.01 leaves the values about 11% (L1) from the exact ones however
  // many permutations are walked, 0.05 about 40%; 0 is unbiased.
  double truncation_tolerance = 0.01;
  std::size_t truncation_steps = 6;
  std::size_t max_permutations = 1000;
  // After permutation T >= convergence_window, the error is the largest, over the last convergence_window
  // running estimates phi(t), of sum_p |phi_p(t) - phi_p(T)| / sum_p |phi_p(T)|: the mean absolute change
  // relative to the mean absolute value. Below convergence_threshold the walk stops. 0: run to the cap.
  // (DShap divides point by point, which explodes on values near 0; the ratio of sums does not.)
  std::size_t convergence_window = 100;
  double convergence_threshold = 0.05;
};

// Walks random permutations of the players and adds them one by one, keeping each one's marginal
// contribution. Permutation t is drawn from the stream (seed, replicate, entity t, tmc_permutation, epoch):
// it depends on nothing else, so the walks can be split across threads or ranks and give the same values.
class TmcSampler {
 public:
  // Holds a rank table of 4 N V bytes (the rank of each point for each validation point). `utility` must
  // outlive the sampler.
  TmcSampler(const KnnUtility& utility, Players players, const TmcConfig& config, const StreamBase& streams);

  [[nodiscard]] std::size_t player_count() const noexcept { return group_start_.size() - 1; }
  // The order of the players in permutation t (Fisher-Yates on Boost.Random's uniform integers).
  [[nodiscard]] std::vector<std::uint32_t> permutation(std::uint64_t t) const;
  // marginals[p] <- U(predecessors of p and p) - U(predecessors of p) along permutation t, 0 after truncation.
  // Returns how many marginals were computed before truncation (player_count() when not truncated).
  std::size_t walk(std::uint64_t t, std::span<double> marginals);

 private:
  void reset() noexcept;
  void add(std::uint32_t point) noexcept;
  [[nodiscard]] double current() const noexcept { return added_ == 0 ? utility_.empty() : total_ / utility_.denominator(); }

  const KnnUtility& utility_;
  TmcConfig config_;
  StreamBase streams_;
  std::size_t k_ = 1;
  std::size_t v_ = 0;
  std::vector<std::uint32_t> group_start_;    // player p owns members_[group_start_[p] .. group_start_[p+1])
  std::vector<std::uint32_t> members_;
  std::vector<std::uint32_t> rank_;           // rank_[i * V + v]: place of point i in validation point v's order
  // Per validation point: its nearest neighbours among the points added so far, as (rank, label), nearest first.
  std::vector<std::uint32_t> near_rank_;      // V rows of K
  std::vector<std::uint32_t> near_label_;     // V rows of K
  std::vector<std::uint32_t> near_count_;
  std::vector<std::uint32_t> bound_;          // rank a point must beat to enter: the K-th's, or none while < K
  std::vector<double> raw_;                   // each validation point's raw score
  double total_ = 0.0;
  std::size_t added_ = 0;
};

Valuation tmc_shapley(const KnnUtility& utility, Players players, const TmcConfig& config, const StreamBase& streams);

// One entry point for the settings a reward rule declares (params.hpp).
enum class Method { leave_one_out, knn_shapley, tmc_shapley, exact_shapley };

struct ValuationConfig {
  Method method = Method::knn_shapley;
  Players players = Players::points;
  UtilityConfig utility;
  TmcConfig tmc;
};

// Throws std::invalid_argument on a combination the method cannot value (knn_shapley of providers or of the
// majority_vote utility; exact_shapley of more than 20 players) and on inconsistent data.
Valuation value_data(const Dataset& train, const Dataset& validation, const ValuationConfig& config,
                     const StreamBase& streams);

}  // namespace dais::models::data_valuation
