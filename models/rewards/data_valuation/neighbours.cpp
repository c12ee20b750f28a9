#include "models/rewards/data_valuation/neighbours.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>

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
  b_.resize(n);
  constexpr unsigned digit_bits[3] = {11, 11, 10};
  constexpr unsigned digit_shift[3] = {0, 11, 22};
  std::array<std::array<std::uint32_t, 2048>, 3> count{};
  for (std::size_t i = 0; i < n; ++i) {
    // A non-negative double's bit pattern orders like its value.
    const auto high = static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(distances[i]) >> 32);
    a_[i] = {high, static_cast<std::uint32_t>(i)};
    for (unsigned d = 0; d < 3; ++d) ++count[d][(high >> digit_shift[d]) & ((1U << digit_bits[d]) - 1)];
  }
  // Stable passes, least significant digit first; a digit every point shares needs no pass.
  for (unsigned d = 0; d < 3; ++d) {
    const std::uint32_t buckets = 1U << digit_bits[d];
    const auto& c = count[d];
    if (std::find(c.begin(), c.begin() + buckets, static_cast<std::uint32_t>(n)) != c.begin() + buckets) continue;
    std::array<std::uint32_t, 2048> start;  // NOLINT: filled below
    std::uint32_t sum = 0;
    for (std::uint32_t k = 0; k < buckets; ++k) {
      start[k] = sum;
      sum += c[k];
    }
    for (const Keyed& x : a_) b_[start[(x.high >> digit_shift[d]) & (buckets - 1)]++] = x;
    a_.swap(b_);
  }
  // Runs of equal high bits: by the full distance, then by number (already in number order: the passes are
  // stable, so a run of equal distances needs no move).
  const auto before = [&](const Keyed& x, const Keyed& y) {
    const double dx = distances[x.index];
    const double dy = distances[y.index];
    return dx < dy || (dx == dy && x.index < y.index);
  };
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && a_[j].high == a_[i].high) ++j;
    if (j - i > 1 && !std::is_sorted(a_.begin() + static_cast<std::ptrdiff_t>(i), a_.begin() + static_cast<std::ptrdiff_t>(j), before))
      std::sort(a_.begin() + static_cast<std::ptrdiff_t>(i), a_.begin() + static_cast<std::ptrdiff_t>(j), before);
    i = j;
  }
  for (std::size_t i = 0; i < n; ++i) order[i] = a_[i].index;
}

}  // namespace dais::models::data_valuation
