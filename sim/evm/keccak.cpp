#include "sim/evm/keccak.hpp"

#include <crypto++/keccak.h>

namespace dais::evm {

Bytes32 keccak256(BytesView data) noexcept {
  CryptoPP::Keccak_256 hash;
  hash.Update(data.data(), data.size());
  Bytes32 out;
  hash.Final(out.bytes.data());
  return out;
}

}  // namespace dais::evm
