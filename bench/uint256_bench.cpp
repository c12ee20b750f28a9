// The measurement behind sim/evm/uint256.hpp's choice: the EVM's hot word operations on our four-limb
// uint256 against Boost.Multiprecision's fixed-width 256-bit unsigned integer. Prints ns per operation.

#include <boost/multiprecision/cpp_int.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "sim/evm/uint256.hpp"

namespace mp = boost::multiprecision;
using boost_u256 = mp::number<mp::cpp_int_backend<256, 256, mp::unsigned_magnitude, mp::unchecked, void>>;
using dais::evm::uint256;

namespace {

constexpr int n = 4096;
constexpr int rounds = 400;

template <class T, class Op>
double measure(const std::vector<T>& a, const std::vector<T>& b, Op op) {
  std::vector<T> out(n);
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (int i = 0; i < n; ++i) out[i] = op(a[i], b[(i + r) % n]);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  volatile auto sink = out[n / 2];
  (void)sink;
  return s * 1e9 / (static_cast<double>(n) * rounds);
}

boost_u256 to_boost(const uint256& v) {
  boost_u256 r = 0;
  for (int i = 3; i >= 0; --i) r = (r << 64) | boost_u256(v.w[i]);
  return r;
}

}  // namespace

int main() {
  std::mt19937_64 rng(1);
  std::vector<uint256> a(n), b(n), small(n);
  std::vector<boost_u256> ba(n), bb(n), bsmall(n);
  for (int i = 0; i < n; ++i) {
    a[i] = uint256{rng(), rng(), rng(), rng()};
    b[i] = uint256{rng(), rng(), rng() >> (rng() % 64), 0};  // divisors of mixed width
    small[i] = uint256{rng(), 0, 0, 0};
    ba[i] = to_boost(a[i]);
    bb[i] = to_boost(b[i]);
    bsmall[i] = to_boost(small[i]);
  }
  std::printf("%-10s %12s %12s\n", "op", "uint256 ns", "boost ns");
  auto row = [&](const char* name, double ours, double theirs) { std::printf("%-10s %12.2f %12.2f\n", name, ours, theirs); };
  row("add", measure(a, b, [](const uint256& x, const uint256& y) { return x + y; }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x + y); }));
  row("sub", measure(a, b, [](const uint256& x, const uint256& y) { return x - y; }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x - y); }));
  row("mul", measure(a, b, [](const uint256& x, const uint256& y) { return x * y; }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x * y); }));
  row("div", measure(a, b, [](const uint256& x, const uint256& y) { return x / y; }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x / y); }));
  row("div64", measure(a, small, [](const uint256& x, const uint256& y) { return x / y; }),
      measure(ba, bsmall, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x / y); }));
  row("shl", measure(a, b, [](const uint256& x, const uint256& y) { return x << static_cast<unsigned>(y.w[0] % 256); }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x << static_cast<unsigned>(y % 256)); }));
  row("lt", measure(a, b, [](const uint256& x, const uint256& y) { return uint256(x < y ? 1 : 0); }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) { return boost_u256(x < y ? 1 : 0); }));
  row("mulmod", measure(a, b, [](const uint256& x, const uint256& y) { return dais::evm::mulmod(x, y, y | 1); }),
      measure(ba, bb, [](const boost_u256& x, const boost_u256& y) {
        using wide = mp::number<mp::cpp_int_backend<512, 512, mp::unsigned_magnitude, mp::unchecked, void>>;
        return boost_u256(wide(x) * wide(y) % wide(y | 1));
      }));
  return 0;
}
