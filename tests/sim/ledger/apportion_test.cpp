#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "sim/ledger/apportion.hpp"

using namespace dais;
using ledger::TokenAmount;

namespace {

std::vector<std::uint64_t> split(std::uint64_t total, const std::vector<std::uint64_t>& w) {
  ledger::ApportionScratch scratch;
  std::vector<TokenAmount> out(w.size());
  ledger::apportion(TokenAmount::from_base_units(total), w, out, scratch);
  std::vector<std::uint64_t> v;
  for (auto a : out) v.push_back(static_cast<std::uint64_t>(a.base_units()));
  return v;
}

// Hamilton's method computed the slow, obvious way with exact rationals (numerators over W): the floors of
// quotient * w + rest * w / W, and one unit each to the largest remainders, ties to the lower index.
std::vector<u128> hamilton_units(u128 total, const std::vector<std::uint64_t>& w) {
  const u128 sum = std::accumulate(w.begin(), w.end(), u128{0});
  const u128 quotient = total / sum;
  const u128 rest = total % sum;
  std::vector<u128> out(w.size());
  std::vector<std::pair<u128, std::size_t>> rem;
  u128 paid = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const u128 num = rest * w[i];
    out[i] = quotient * w[i] + num / sum;
    paid += out[i];
    rem.emplace_back(num % sum, i);
  }
  std::sort(rem.begin(), rem.end(), [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (u128 k = 0; k < total - paid; ++k) ++out[static_cast<std::size_t>(rem[static_cast<std::size_t>(k)].second)];
  return out;
}

std::vector<std::uint64_t> hamilton(std::uint64_t total, const std::vector<std::uint64_t>& w) {
  std::vector<std::uint64_t> v;
  for (u128 x : hamilton_units(total, w)) v.push_back(static_cast<std::uint64_t>(x));
  return v;
}

}  // namespace

TEST_CASE("apportion gives floors then one unit each to the largest remainders", "[ledger][apportion]") {
  CHECK(split(10, {1, 1, 1}) == std::vector<std::uint64_t>{4, 3, 3});
  CHECK(split(7, {1, 2, 3, 4}) == std::vector<std::uint64_t>{1, 1, 2, 3});
  CHECK(split(100, {0, 5, 0}) == std::vector<std::uint64_t>{0, 100, 0});
  CHECK(split(0, {3, 4}) == std::vector<std::uint64_t>{0, 0});
  CHECK(split(5, {1, 1, 1, 1, 1, 1, 1}) == std::vector<std::uint64_t>{1, 1, 1, 1, 1, 0, 0});
}

TEST_CASE("apportion with no weight pays nothing and says so", "[ledger][apportion]") {
  ledger::ApportionScratch scratch;
  std::vector<TokenAmount> out(2, TokenAmount::from_base_units(9));
  const std::vector<std::uint64_t> zero{0, 0};
  CHECK_FALSE(ledger::apportion(TokenAmount::from_base_units(5), zero, out, scratch));
  CHECK(out[0].is_zero());
  CHECK(out[1].is_zero());
  const std::vector<std::uint64_t> none;
  std::vector<TokenAmount> empty;
  CHECK_FALSE(ledger::apportion(TokenAmount::from_base_units(5), none, empty, scratch));
}

TEST_CASE("apportion refuses mismatched sizes and weights that sum past 2^63", "[ledger][apportion]") {
  ledger::ApportionScratch scratch;
  std::vector<TokenAmount> out(1);
  const std::vector<std::uint64_t> two{1, 1};
  CHECK_THROWS_AS(ledger::apportion(TokenAmount{}, two, out, scratch), std::invalid_argument);
  std::vector<TokenAmount> out2(2);
  const std::vector<std::uint64_t> big{std::uint64_t{1} << 62, std::uint64_t{1} << 62};
  CHECK_THROWS_AS(ledger::apportion(TokenAmount{}, big, out2, scratch), std::invalid_argument);
  const std::vector<double> negative{1.0, -1.0};
  CHECK_THROWS_AS(ledger::apportion_real(TokenAmount{}, negative, out2, scratch), std::invalid_argument);
}

TEST_CASE("property: apportion equals Hamilton's method and pays the total exactly", "[ledger][apportion]") {
  std::mt19937_64 rng(7);
  ledger::ApportionScratch scratch;
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t n = 1 + rng() % 40;
    std::vector<std::uint64_t> w(n);
    for (auto& x : w) x = rng() % 4 == 0 ? 0 : rng() % (trial % 2 ? 1000 : (std::uint64_t{1} << 50));
    if (std::all_of(w.begin(), w.end(), [](auto x) { return x == 0; })) w[0] = 1;
    const std::uint64_t total = rng() % (std::uint64_t{1} << 40);
    const auto got = split(total, w);
    CHECK(got == hamilton(total, w));
    CHECK(std::accumulate(got.begin(), got.end(), std::uint64_t{0}) == total);
  }
}

TEST_CASE("property: apportion equals Hamilton's method on thousands of weights and 128-bit budgets", "[ledger][apportion]") {
  // Many weights, so the selection of the largest remainders goes through several digits, and ties among them
  // (few distinct weights) are settled by index.
  std::mt19937_64 rng(11);
  ledger::ApportionScratch scratch;
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 1 + rng() % 5000;
    const int weight_bits = 1 + static_cast<int>(rng() % 50);
    const bool few_values = trial % 3 == 0;
    std::vector<std::uint64_t> w(n);
    for (auto& x : w) x = few_values ? 1 + rng() % 4 : rng() >> (64 - weight_bits);
    if (std::all_of(w.begin(), w.end(), [](auto x) { return x == 0; })) w[0] = 1;
    const u128 total = (static_cast<u128>(rng() >> (rng() % 64)) << (rng() % 60)) + rng() % 1000;
    std::vector<TokenAmount> out(n);
    ledger::apportion(TokenAmount::from_base_units(total), w, out, scratch);
    const std::vector<u128> expected = hamilton_units(total, w);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < n; ++i) mismatches += out[i].base_units() != expected[i];
    CHECK(mismatches == 0);
  }
}

TEST_CASE("apportion is exact for 128-bit budgets", "[ledger][apportion]") {
  ledger::ApportionScratch scratch;
  const u128 total = (u128{1} << 100) + 12345;  // far above 64 bits
  const std::vector<std::uint64_t> w{3, 5, 7};
  std::vector<TokenAmount> out(3);
  ledger::apportion(TokenAmount::from_base_units(total), w, out, scratch);
  CHECK(out[0].base_units() + out[1].base_units() + out[2].base_units() == total);
  CHECK(out[0].base_units() - total * 3 / 15 <= 1);
  CHECK(out[1].base_units() - total * 5 / 15 <= 1);
  CHECK(out[2].base_units() - total * 7 / 15 <= 1);
}

TEST_CASE("real weights are shared in proportion, up to their quantization", "[ledger][apportion]") {
  ledger::ApportionScratch scratch;
  const std::vector<double> w{0.1, 0.2, 0.7};
  std::vector<TokenAmount> out(3);
  const u128 total = u128{1'000'000'000'000'000'000ULL} * 1000;
  ledger::apportion_real(TokenAmount::from_base_units(total), w, out, scratch);
  CHECK(out[0].base_units() + out[1].base_units() + out[2].base_units() == total);
  CHECK(static_cast<double>(out[0].base_units()) / static_cast<double>(total) == Approx(0.1).epsilon(1e-12));
  CHECK(static_cast<double>(out[2].base_units()) / static_cast<double>(total) == Approx(0.7).epsilon(1e-12));
}

TEST_CASE("stake-amount weights of any size are shared in proportion", "[ledger][apportion]") {
  ledger::ApportionScratch scratch;
  const std::vector<TokenAmount> stakes{TokenAmount::from_base_units(u128{1} << 90),
                                        TokenAmount::from_base_units(u128{3} << 90), TokenAmount{}};
  std::vector<TokenAmount> out(3);
  ledger::apportion_amounts(TokenAmount::from_base_units(4000), stakes, out, scratch);
  CHECK(out[0].base_units() == 1000);
  CHECK(out[1].base_units() == 3000);
  CHECK(out[2].base_units() == 0);
}
