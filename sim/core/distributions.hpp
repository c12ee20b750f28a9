#pragma once
// The draws models make, on Boost.Random's platform-independent distributions.

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>

#include "sim/core/portable_math.hpp"
#include "sim/core/random.hpp"

namespace dais::core {

inline double draw_normal(RandomStream& rng, double mean, double sd) {
  return boost::random::normal_distribution<double>(mean, sd)(rng);
}

// exp(N(mu, sigma)), with the platform-independent exp.
inline double draw_lognormal(RandomStream& rng, double mu, double sigma) {
  return portable_exp(draw_normal(rng, mu, sigma));
}

inline double draw_exponential(RandomStream& rng, double rate) {
  return boost::random::exponential_distribution<double>(rate)(rng);
}

inline std::int64_t draw_poisson(RandomStream& rng, double mean) {
  if (mean <= 0.0) return 0;
  return boost::random::poisson_distribution<std::int64_t, double>(mean)(rng);
}

inline bool draw_bernoulli(RandomStream& rng, double p) { return rng.uniform01() < p; }

// Uniform on [lo, hi] inclusive.
inline std::int64_t draw_uniform_int(RandomStream& rng, std::int64_t lo, std::int64_t hi) {
  return boost::random::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

inline double draw_uniform(RandomStream& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform01(); }

}  // namespace dais::core
