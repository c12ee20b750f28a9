#include "models/market/demand.hpp"

#include <algorithm>
#include <cmath>

namespace dais::models {

void model_qualities(std::span<double> work_to_quality, double data_per_developer, double data_weight) {
  if (data_weight == 0.0) return;
  const double data_term = std::pow(data_per_developer, data_weight);
  for (double& q : work_to_quality) q = std::pow(q, 1.0 - data_weight) * data_term;
}

void demand_weights(std::span<const double> qualities, double sensitivity, std::vector<double>& out) {
  out.assign(qualities.begin(), qualities.end());
  const double largest = qualities.empty() ? 0.0 : *std::max_element(qualities.begin(), qualities.end());
  if (!(largest > 0.0)) return;
  for (double& w : out) w = w > 0.0 ? std::pow(w / largest, sensitivity) : 0.0;
}

double DemandCurve::next_multiplier(double price, double quality) {
  if (!has_reference_) {
    has_reference_ = true;
    reference_price_ = price;
    reference_quality_ = quality;
  }
  double m = 1.0;
  // A zero price or quality in the first epoch leaves nothing to compare with: that factor stays 1.
  if (config_.price_elasticity != 0.0 && reference_price_ > 0.0 && price > 0.0)
    m *= std::pow(price / reference_price_, -config_.price_elasticity);
  if (config_.quality_elasticity != 0.0 && reference_quality_ > 0.0)
    m *= quality > 0.0 ? std::pow(quality / reference_quality_, config_.quality_elasticity) : 0.0;
  multiplier_ = std::clamp(m, 1.0 / config_.max_demand_multiplier, config_.max_demand_multiplier);
  return multiplier_;
}

}  // namespace dais::models
