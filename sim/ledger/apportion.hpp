#pragma once
// Exact division of a token amount by weights, so the sum paid equals the budget to the base unit.
// The rule (Hamilton's largest-remainder method), documented because results depend on it:
//   1. each weight i gets floor(total * w_i / W) base units, W = sum of weights;
//   2. the base units left over (fewer than the number of weights) go one each to the weights with the
//      largest remainders (total * w_i mod W), ties to the lower index.
// Real-valued weights are first quantized to integers w_i = floor(x_i * 2^k), with k chosen so that
// W < 2^62 (a relative precision of about 2^-42 per weight for a million weights); token-amount weights
// are shifted right until their sum is below 2^62.

#include <cstdint>
#include <span>
#include <vector>

#include "sim/ledger/token_amount.hpp"

namespace dais::ledger {

// A reusable buffer (one word per weight), so apportioning every epoch costs no allocation once warm.
struct ApportionScratch {
  std::vector<std::uint64_t> remainders;
};

// How what rounding leaves over is paid: by largest remainder (everything is paid), or not at all (each share
// rounded down, as a contract computing budget * w_i / sum(w) in integers does).
enum class Rounding { largest_remainder, down };

// Returns false (and writes zeros) when every weight is zero: nothing can be paid.
// Requires out.size() == weights.size() and sum(weights) < 2^63.
bool apportion(TokenAmount total, std::span<const std::uint64_t> weights, std::span<TokenAmount> out,
               ApportionScratch& scratch, Rounding rounding = Rounding::largest_remainder);

// Weights must be finite and non-negative (std::invalid_argument otherwise).
bool apportion_real(TokenAmount total, std::span<const double> weights, std::span<TokenAmount> out,
                    ApportionScratch& scratch, Rounding rounding = Rounding::largest_remainder);

// The integer weights apportion_real uses for real weights: floor(x_i * 2^k), k such that they sum below 2^62.
void quantize_weights(std::span<const double> weights, std::span<std::uint64_t> out);

// Weights given as token amounts (stakes); quantized by a right shift so their sum fits.
bool apportion_amounts(TokenAmount total, std::span<const TokenAmount> weights, std::span<TokenAmount> out,
                       ApportionScratch& scratch);

}  // namespace dais::ledger
