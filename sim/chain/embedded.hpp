#pragma once
// The embedded backend: the in-process EVM (dais::evm) holding the whole chain state in memory. Fees are zero
// (gas is measured, not paid in ether), so accounts need no funding.

#include <memory>

#include "sim/chain/chain.hpp"

namespace dais::chain {

std::unique_ptr<Chain> make_embedded_chain(std::int64_t chain_id = 31337);

}  // namespace dais::chain
