// The precompiles on known vectors: outputs and gas.

#include <catch2/catch.hpp>

#include "sim/evm/precompiles.hpp"

using namespace dais::evm;

namespace {
Result run(std::uint64_t address, const std::string& hex_input, std::int64_t gas = 1'000'000) {
  const Bytes input = from_hex(hex_input);
  return run_precompile(Address::from_u64(address), input, gas);
}
Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }
}  // namespace

TEST_CASE("precompile addresses are 0x01 to 0x0a", "[evm][precompiles]") {
  REQUIRE(is_precompile(Address::from_u64(1)));
  REQUIRE(is_precompile(Address::from_u64(10)));
  REQUIRE_FALSE(is_precompile(Address::from_u64(0)));
  REQUIRE_FALSE(is_precompile(Address::from_u64(11)));
}

TEST_CASE("ecrecover recovers the signer's address", "[evm][precompiles]") {
  const Result r = run(1,
                       "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
                       "000000000000000000000000000000000000000000000000000000000000001c"
                       "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
                       "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
  REQUIRE(r.status == Status::success);
  REQUIRE(to_hex(r.output) == "0x000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
  REQUIRE(r.gas_left == 1'000'000 - 3000);
  // A bad v gives an empty output, not a failure.
  const Result bad = run(1, std::string(64, '0') + std::string(62, '0') + "1d" + std::string(128, '1'));
  REQUIRE(bad.status == Status::success);
  REQUIRE(bad.output.empty());
}

TEST_CASE("sha256, ripemd160 and identity hash and charge per word", "[evm][precompiles]") {
  const Bytes abc = ascii("abc");
  Result r = run_precompile(Address::from_u64(2), abc, 1000);
  REQUIRE(to_hex(r.output) == "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  REQUIRE(r.gas_left == 1000 - 72);
  r = run_precompile(Address::from_u64(3), abc, 1000);
  REQUIRE(to_hex(r.output) == "0x0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  REQUIRE(r.gas_left == 1000 - 720);
  r = run_precompile(Address::from_u64(4), abc, 1000);
  REQUIRE(r.output == abc);
  REQUIRE(r.gas_left == 1000 - 18);
  REQUIRE(run_precompile(Address::from_u64(3), abc, 719).status == Status::out_of_gas);
}

TEST_CASE("modexp computes base^exp mod m with EIP-2565 pricing", "[evm][precompiles]") {
  const std::string lengths = std::string(62, '0') + "01" + std::string(62, '0') + "01" + std::string(62, '0') + "01";
  const Result r = run(5, lengths + "030507");
  REQUIRE(r.status == Status::success);
  REQUIRE(to_hex(r.output) == "0x05");  // 3^5 = 243 = 34*7 + 5
  REQUIRE(r.gas_left == 1'000'000 - 200);
  // A zero modulus gives zeros of the modulus length.
  REQUIRE(to_hex(run(5, lengths + "030500").output) == "0x00");
}

TEST_CASE("blake2f matches EIP-152's test vector 5 and refuses a bad final flag", "[evm][precompiles]") {
  // rounds 12 | h | m = "abc" padded to 128 bytes | t = (3, 0) | final
  const std::string input = "0000000c"
                            "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
                            "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b" +
                            ("616263" + std::string(250, '0')) + "0300000000000000" + "0000000000000000" + "01";
  REQUIRE(input.size() == 2 * 213);
  const Result r = run(9, input);
  REQUIRE(r.status == Status::success);
  REQUIRE(to_hex(r.output) ==
          "0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  REQUIRE(r.gas_left == 1'000'000 - 12);
  std::string bad = input;
  bad.back() = '2';
  REQUIRE(run(9, bad).status == Status::precompile_failure);
  REQUIRE(run(9, input.substr(2)).status == Status::precompile_failure);
}
