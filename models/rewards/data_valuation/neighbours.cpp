#include "models/rewards/data_valuation/neighbours.hpp"

#include <algorithm>
#include <bit>

namespace dais::models::data_valuation {

FeatureColumns::FeatureColumns(const Dataset& train) : n_(train.size()), dims_(train.dims), columns_(n_ * dims_) {
  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t j = 0; j < dims_; ++j) columns_[j * n_ + i] = train.features[i * dims_ + j];
}

void FeatureColumns::squared_distances(std::span<const double> query, std::span<double> out) const noexcept {
  std::fill(out.begin(), out.end(), 0.0);
  double* __restrict d = out.data();
  for (std::size_t j = 0; j < dims_; ++j) {
    const double q = query[j];
    const double* __restrict col = columns_.data() + j * n_;
    for (std::size_t i = 0; i < n_; ++i) {
      const double t = col[i] - q;
      d[i] += t * t;
    }
  }
}

void NeighbourSorter::sort(std::span<const double> distances, std::span<std::uint32_t> order) {
  const std::size_t n = distances.size();
  a_.resize(n);
  // A squared distance is +0 or positive, so its bit pattern orders like its value.
  for (std::size_t i = 0; i < n; ++i) a_[i] = {std::bit_cast<std::uint64_t>(distances[i]), static_cast<std::uint32_t>(i)};
  std::sort(a_.begin(), a_.end(),
            [](const Keyed& x, const Keyed& y) { return x.key < y.key || (x.key == y.key && x.index < y.index); });
  for (std::size_t i = 0; i < n; ++i) order[i] = a_[i].index;
}

}  // namespace dais::models::data_valuation
