// The embedded chain with a real contract: ProRataRewards (models/contracts), compiled by the build's solc.

#include <catch2/catch.hpp>

#include "sim/chain/contract.hpp"
#include "sim/chain/embedded.hpp"

using namespace dais::chain;

namespace {

const Artifact& pro_rata() {
  static const Artifact a = load_artifact(DAIS_CONTRACTS_JSON, "ProRataRewards");
  return a;
}

const Address owner = Address::from_u64(0xA11CE);

}  // namespace

TEST_CASE("artifacts load from solc output, and errors name the file and the contracts there are", "[chain][artifact]") {
  const Artifact& a = pro_rata();
  CHECK(a.format == "solc");
  CHECK(a.name == "ProRataRewards");
  CHECK_FALSE(a.bytecode.empty());
  CHECK(a.build["evmVersion"] == "cancun");
  CHECK_THROWS_WITH(load_artifact(DAIS_CONTRACTS_JSON, "Nope"), Catch::Contains("no contract \"Nope\" (it holds "));
  const auto foundry = nlohmann::json::parse(R"({"abi": [], "bytecode": {"object": "0x6001600055"}})");
  CHECK(parse_artifact(foundry, "out/Counter.sol/Counter.json").name == "Counter");
  CHECK(parse_artifact(foundry, "out/Counter.sol/Counter.json").format == "foundry");
  const auto hardhat = nlohmann::json::parse(R"({"contractName": "Token", "abi": [], "bytecode": "0x6001"})");
  CHECK(parse_artifact(hardhat, "artifacts/Token.json").format == "hardhat");
  const auto linked = nlohmann::json::parse(R"({"contractName": "L", "abi": [], "bytecode": "0x73__$abc$__6001"})");
  CHECK_THROWS_WITH(parse_artifact(linked, "x.json"), Catch::Contains("links libraries"));
}

TEST_CASE("ProRataRewards pays pro rata on the embedded chain, with Transfer events and gas", "[chain][embedded]") {
  auto chain = make_embedded_chain();
  BlockClock clock(12, 1'700'000'000);
  Receipt deployed;
  Contract c = Contract::deploy(*chain, clock, owner, pro_rata(), {std::string("Reward"), std::string("RWD"), uint256(1000)},
                                &deployed);
  CHECK(deployed.gas_used > 100'000);
  CHECK(deployed.block_number == 1);
  const std::vector<Address> agents{Address::from_u64(1), Address::from_u64(2), Address::from_u64(3)};
  std::vector<AbiValue> to;
  for (const Address& a : agents) to.emplace_back(a);
  const Receipt d = c.transact(owner, "distribute",
                               {to, std::vector<AbiValue>{std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{4}}});
  CHECK(d.success);
  // 1000 * 1/7, 2/7, 4/7 rounded down: 142, 285, 571; 2 tokens stay in the contract.
  CHECK(c.call(owner, "claimable", {agents[1]})[0].word() == uint256(285));
  const auto mint = c.abi().decode_event(d.logs.at(0));
  REQUIRE(mint.has_value());
  CHECK(mint->name == "Transfer");
  CHECK(mint->at("from").address() == Address{});
  CHECK(mint->at("to").address() == c.address());
  CHECK(mint->at("value").word() == uint256(1000));
  const Receipt claim = c.transact(agents[2], "claim", {});
  CHECK(claim.gas_used > 21'000);
  const auto paid = c.abi().decode_event(claim.logs.at(0));
  CHECK(paid->at("to").address() == agents[2]);
  CHECK(paid->at("value").word() == uint256(571));
  CHECK(c.call(owner, "balanceOf", {agents[2]})[0].word() == uint256(571));
  CHECK(c.call(owner, "balanceOf", {c.address()})[0].word() == uint256(429));
  CHECK(claim.block_number == 3);
}

TEST_CASE("a revert is explained with the contract's own error", "[chain][embedded]") {
  auto chain = make_embedded_chain();
  BlockClock clock(12, 0);
  Contract c = Contract::deploy(*chain, clock, owner, pro_rata(), {std::string("R"), std::string("R"), uint256(10)});
  const Address stranger = Address::from_u64(0xBAD);
  CHECK_THROWS_WITH(c.transact(stranger, "distribute", {std::vector<AbiValue>{}, std::vector<AbiValue>{}}),
                    Catch::Contains("distribute(address[],uint256[]) from 0x0000000000000000000000000000000000000bad") &&
                        Catch::Contains("reverted: NotOwner(caller=0x0000000000000000000000000000000000000bad)"));
  const Receipt r = c.try_transact(stranger, "claim", {});
  CHECK_FALSE(r.success);
  CHECK(c.abi().explain_revert(r.output) == "reverted: NothingToClaim(account=0x0000000000000000000000000000000000000bad)");
}

TEST_CASE("blocks follow simulated time, one transaction each, block_time apart", "[chain]") {
  BlockClock clock(12, 1000);
  CHECK(clock.next_block() == std::pair<std::int64_t, std::int64_t>{1, 1012});
  CHECK(clock.next_block() == std::pair<std::int64_t, std::int64_t>{2, 1024});
  clock.advance_to(86'400);  // a day later: the timestamp jumps, the numbers go on
  CHECK(clock.next_block() == std::pair<std::int64_t, std::int64_t>{3, 87'400});
  CHECK(clock.next_block() == std::pair<std::int64_t, std::int64_t>{4, 87'412});
  clock.advance_to(86'400);  // never back
  CHECK(clock.next_block() == std::pair<std::int64_t, std::int64_t>{5, 87'424});
}
