#pragma once
// The elliptic-curve precompiles: BN254 (alt_bn128) addition, scalar multiplication and pairing check
// (EIP-196, EIP-197) and the EIP-4844 point evaluation (a KZG proof check on BLS12-381).
// Each returns false for an input the precompile must refuse; the caller charges gas.

#include "sim/evm/types.hpp"

namespace dais::evm::curves {

bool bn254_add(BytesView input, Bytes& out);
bool bn254_mul(BytesView input, Bytes& out);
bool bn254_pairing(BytesView input, Bytes& out);  // input length a multiple of 192
bool point_evaluation(BytesView input, Bytes& out);  // exactly 192 bytes

}  // namespace dais::evm::curves
