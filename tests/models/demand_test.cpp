#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/market/demand.hpp"

using namespace dais::models;

TEST_CASE("model quality is the Cobb-Douglas of the developer's work and the data per developer", "[models][demand]") {
  std::vector<double> q{1.0, 4.0, 9.0};
  model_qualities(q, 16.0, 0.5);
  CHECK(q[0] == Approx(4.0));   // 1^0.5 * 16^0.5
  CHECK(q[1] == Approx(8.0));   // 4^0.5 * 4
  CHECK(q[2] == Approx(12.0));  // 9^0.5 * 4
  std::vector<double> unchanged{2.0, 3.0};
  model_qualities(unchanged, 100.0, 0.0);
  CHECK(unchanged == std::vector<double>{2.0, 3.0});
  std::vector<double> data_only{2.0, 3.0};
  model_qualities(data_only, 5.0, 1.0);
  CHECK(data_only == std::vector<double>{5.0, 5.0});
}

TEST_CASE("demand weights go as quality to the sensitivity, largest 1, zero quality weighs nothing", "[models][demand]") {
  std::vector<double> w;
  demand_weights(std::vector<double>{1.0, 2.0, 0.0, 4.0}, 2.0, w);
  REQUIRE(w.size() == 4);
  CHECK(w[0] == Approx(1.0 / 16));
  CHECK(w[1] == Approx(0.25));
  CHECK(w[2] == 0.0);
  CHECK(w[3] == 1.0);
  demand_weights(std::vector<double>{1.0, 1e300}, 100.0, w);  // finite whatever the exponent
  CHECK(w[0] == 0.0);
  CHECK(w[1] == 1.0);
  demand_weights(std::vector<double>{0.0, 0.0}, 1.0, w);
  CHECK(w == std::vector<double>{0.0, 0.0});
}

TEST_CASE("the demand curve has constant elasticities relative to the first epoch, within its bounds", "[models][demand]") {
  DemandConfig c;
  c.price_elasticity = 1.5;
  c.quality_elasticity = 0.5;
  c.max_demand_multiplier = 4.0;
  DemandCurve curve(c);
  CHECK(curve.next_multiplier(2.0, 9.0) == 1.0);  // the first epoch is the reference
  CHECK(curve.next_multiplier(2.0, 36.0) == Approx(2.0));
  CHECK(curve.next_multiplier(8.0, 9.0) == 0.25);  // 4^-1.5 = 1/8, held at 1/4
  CHECK(curve.multiplier() == 0.25);
  CHECK(curve.next_multiplier(0.5, 9.0) == 4.0);  // 0.25^-1.5 = 8, held at 4
  CHECK(curve.next_multiplier(2.0, 0.0) == 0.25);  // no quality: as low as allowed
}

TEST_CASE("a price elasticity of 1 keeps the fiat spent on jobs constant", "[models][demand]") {
  DemandConfig c;
  c.price_elasticity = 1.0;
  c.max_demand_multiplier = 1e6;
  DemandCurve curve(c);
  curve.next_multiplier(3.0, 1.0);
  for (double price : {0.3, 1.0, 7.5, 30.0}) CHECK(curve.next_multiplier(price, 1.0) * price == Approx(3.0));
}
