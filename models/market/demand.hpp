#pragma once
// Inference demand and the developers' models: how much consumers ask for, and whose models they use.
//
// A developer's model quality this epoch combines its own work c (its contribution draw) with the data the
// network's data providers contributed, shared among the developers (d = data contributed / developers), as a
// Cobb-Douglas production: q = c^(1 - data_weight) * d^data_weight. With data_weight 0 quality is the work alone.
//
// Demand: jobs arrive as a Poisson process whose rate, from the second epoch on, is
//   rate = arrival_rate * (P / P0)^(-price_elasticity) * (Q / Q0)^quality_elasticity,
// P the price of a job in fiat (the compute fee plus the model fee, in tokens, times the token's price), Q the
// developers' mean model quality, both as of the epoch just ended, P0 and Q0 their values in the first epoch
// (so the first epoch runs at arrival_rate, and the elasticities are the usual constant ones). The multiplier
// is held within [1/max_demand_multiplier, max_demand_multiplier] so that the consumers' funds stay bounded.
//
// Each job served also pays `model_fee` tokens to the developers, shared by their models' share of demand:
// in proportion to q^quality_sensitivity (1: pro rata on quality; large: winner takes most), exact to the base
// unit. That fee income is what makes quality pay, whatever the developers' reward rule.

#include <span>
#include <vector>

#include "sim/ledger/token_amount.hpp"

namespace dais::models {

struct DemandConfig {
  double price_elasticity = 0.0;
  double quality_elasticity = 0.0;
  double data_weight = 0.0;
  double quality_sensitivity = 1.0;
  double max_demand_multiplier = 10.0;
  ledger::TokenAmount model_fee;

  // Whether the arrival rate moves at all.
  [[nodiscard]] bool varies() const noexcept { return price_elasticity != 0.0 || quality_elasticity != 0.0; }
  // Whether the developers' models matter to the market at all: otherwise demand ignores them.
  [[nodiscard]] bool uses_models() const noexcept {
    return !model_fee.is_zero() || quality_elasticity != 0.0 || data_weight != 0.0;
  }
};

// q = c^(1 - data_weight) * data_per_developer^data_weight, for each developer's work c, in place.
void model_qualities(std::span<double> work_to_quality, double data_per_developer, double data_weight);

// Weights of the developers' shares of demand, q^sensitivity, scaled so the largest is 1 (keeps any exponent
// finite). Zero qualities weigh nothing.
void demand_weights(std::span<const double> qualities, double sensitivity, std::vector<double>& out);

// The demand rate's multiplier after an epoch with job price `price` and mean quality `quality`.
class DemandCurve {
 public:
  explicit DemandCurve(const DemandConfig& config) : config_(config) {}
  // Returns the multiplier of the base arrival rate for the next epoch; the first call sets the references.
  double next_multiplier(double price, double quality);
  [[nodiscard]] double multiplier() const noexcept { return multiplier_; }

 private:
  DemandConfig config_;
  bool has_reference_ = false;
  double reference_price_ = 0.0;
  double reference_quality_ = 0.0;
  double multiplier_ = 1.0;
};

}  // namespace dais::models
