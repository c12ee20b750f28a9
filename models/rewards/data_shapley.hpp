#pragma once
// `data_shapley`: data providers paid by what their data is worth to a task, valued by the data-valuation library
// (models/rewards/data_valuation; ../shared/MECHANISMS.md §4): Data Shapley (Ghorbani & Zou, ICML 2019,
// https://arxiv.org/abs/1904.02868) and KNN-Shapley (Jia et al., VLDB 2019, https://arxiv.org/abs/1908.08619).
//
//   reward_i = budget · φ_i⁺ / Σ_j φ_j⁺,   φ⁺ = φ if φ > 1e-9, else 0,
//
// where φ_i is the value this epoch of provider i's data to a K-nearest-neighbour classifier scored on a clean
// validation set, by `method`: with players "points", the sum of its points' values (Shapley or leave-one-out);
// with players "providers", its own value in the game whose players are the providers.
//
// The data. Provider i holds points_per_provider labelled points of the data model (data_model.hpp), its labels
// flipped with a rate drawn once, Uniform[label_noise_min, label_noise_max]. Points and rate come from streams keyed
// by its agent id (seed, replicate, agent, purpose; substream 0): a provider's data is the same in every epoch and
// in every design run on the same seed and replicate, and does not depend on who else provides data. A provider
// whose contribution is only a share Q of real data (EpochContext::data_quality; a low_quality_data agent) has its
// rate replaced by Q · rate + (1 − Q) · (classes − 1) / classes: a share 1 − Q of its points carry random labels. The
// validation set is drawn once per run. An epoch's data are exactly what generate_world draws for its providers
// in ascending agent id, with StreamBase {seed, replicate, 0}.
//
// The contribution q_i. A provider whose contribution this epoch is positive makes its data available; one with
// q_i <= 0 withholds it and is valued as absent: paid nothing, and the others are valued without its data. Beyond
// that q_i plays no part: the rule pays for what the data is worth, not for the volume of work, which is what
// `proportional` pays (compare_data_rules.json sets the two side by side). The contributor model draws q afresh
// each epoch; scaling a provider's data by it would make the value of unchanged data swing with a luck that says
// nothing about its quality, and pay the same luck `proportional` pays.
//
// Negative values. Data that lowers the classifier's score (φ_i < 0: mislabelled points displace good neighbours)
// is paid nothing and charged nothing (the rule only apportions the budget). Values are differences of a score in
// [0, 1], and one at or below 1e-9 counts as 0: that is rounding noise, and data worth exactly nothing must not be
// paid by the sign of a rounding error. When no φ_i is positive (useless data, or no data), nothing is paid and the
// pipeline records the budget as unpaid; otherwise the budget is paid to the base unit, by largest remainder on the
// φ⁺ (sim/ledger/apportion.hpp).
//
// Randomness and order. tmc_shapley's permutation t in epoch e comes from the stream (seed, replicate, t, e): its
// estimate is drawn afresh each epoch, so its errors average out over epochs instead of favouring the same
// providers for a whole run. Providers are valued in ascending agent id whatever order the contributors come in:
// the rewards depend on the seed, the replicate, the epoch and who contributes, nothing else.
//
// Cost. A provider's points are drawn when it first appears and dropped when it leaves; the values are kept while
// the epoch's providers are the previous epoch's (tmc_shapley's excepted: they are redrawn). Otherwise an epoch
// values the N points of its providers against V validation points:
//   knn_shapley     O(V N log N) time, O(N) memory: with the defaults (50 points, V = 200) 22 ms at 100 providers
//                   and 0.22 s at 1,000 (bench_data_valuation), so a year of daily epochs whose providers change
//                   every day takes 8 s at 100 providers, and a few ms when they do not change
//   leave_one_out   O(V N log N) for the neighbour orders (4 V N bytes), then at most O(V K N)
//   tmc_shapley     the orders, a rank table (4 V N bytes), then O(V N) per permutation, up to max_permutations
//   exact_shapley   O(2^P V N) for P players (points, or providers); more than 20 stops the run with an error

#include "models/rewards/reward_rule.hpp"
#include "sim/scenario/registry.hpp"

namespace dais::models {

void register_data_shapley(scenario::Registry<RuleFactory>& rules);

}  // namespace dais::models
