// The AMM's integer math against the EVM: UniswapV2Library's getAmountOut and getAmountIn compiled by solc
// (tests/models/contracts/UniswapV2Math.sol) and run on the embedded chain, for random inputs of every size up to
// the pair's uint112 reserves and 128-bit amounts. A revert must be a refusal in C++, and a result the same
// number (or, for getAmountIn, one past 128 bits that the C++ reports as an overflow).

#include <catch2/catch.hpp>

#include <memory>
#include <optional>

#include "models/market/amm.hpp"
#include "sim/chain/contract.hpp"
#include "sim/chain/embedded.hpp"
#include "sim/core/random.hpp"

using namespace dais;
using evm::uint256;

namespace {

const chain::Address caller = chain::Address::from_u64(0xA11CE);

uint256 wide(u128 x) { return {static_cast<std::uint64_t>(x), static_cast<std::uint64_t>(x >> 64), 0, 0}; }

// A number of `bits` random bits at most, the bit count itself uniform, so small and large values are as likely.
u128 random_number(core::RandomStream& rng, int max_bits) {
  const auto bits = static_cast<int>(rng() % static_cast<std::uint64_t>(max_bits + 1));
  if (bits == 0) return 0;
  const u128 value = (u128{rng()} << 64) | rng();
  return value >> (128 - bits);
}

class SolidityMath {
 public:
  SolidityMath()
      : chain_(chain::make_embedded_chain()),
        clock_(12, 0),
        contract_(chain::Contract::deploy(*chain_, clock_, caller,
                                          chain::load_artifact(DAIS_UNISWAP_MATH_JSON, "UniswapV2Math"), {})) {}

  // The function's result, or nothing when it reverts.
  std::optional<uint256> operator()(const char* function, u128 a, u128 b, u128 c) const {
    try {
      return contract_.call(caller, function, {wide(a), wide(b), wide(c)}).at(0).word();
    } catch (const chain::ChainError&) {
      return std::nullopt;
    }
  }

 private:
  std::unique_ptr<chain::Chain> chain_;
  chain::BlockClock clock_;
  chain::Contract contract_;
};

void check_same(const std::optional<uint256>& solidity, const models::AmountResult& ours) {
  if (!solidity) {
    CHECK_FALSE(ours.ok());
  } else if (ours.ok()) {
    CHECK(wide(ours.amount) == *solidity);
  } else {
    CHECK(ours.status == models::AmmStatus::overflow);
    CHECK(evm::bit_width(*solidity) > 128);
  }
}

}  // namespace

TEST_CASE("getAmountOut and getAmountIn agree with UniswapV2Library compiled by solc and run in the EVM",
          "[models][amm][chain]") {
  const SolidityMath solidity;
  core::RandomStream rng({11, 0, 0, 1});
  int reverted = 0;
  for (int i = 0; i < 400; ++i) {
    const u128 reserve_in = random_number(rng, 112);
    const u128 reserve_out = random_number(rng, 112);
    const u128 amount = random_number(rng, i % 4 == 0 ? 128 : 112);
    INFO(ledger::u128_to_string(amount) << " with reserves " << ledger::u128_to_string(reserve_in) << ", "
                                        << ledger::u128_to_string(reserve_out));
    const auto out = solidity("getAmountOut", amount, reserve_in, reserve_out);
    check_same(out, models::get_amount_out(amount, reserve_in, reserve_out));
    const auto in = solidity("getAmountIn", amount, reserve_in, reserve_out);
    check_same(in, models::get_amount_in(amount, reserve_in, reserve_out));
    reverted += !out + !in;
  }
  // Both kinds of answer were exercised.
  CHECK(reverted > 50);
  CHECK(reverted < 700);
}
