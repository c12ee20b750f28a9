// The rpc backend against anvil (from npm), and the parity of the two backends on the same transactions.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim/chain/contract.hpp"
#include "sim/chain/embedded.hpp"
#include "sim/chain/rpc.hpp"

using namespace dais::chain;

namespace {

const Address owner = Address::from_u64(0xA11CE);

struct Outcome {
  std::vector<Receipt> receipts;
  std::vector<uint256> balances;
};

// Deploys ProRataRewards and runs three epochs of distribute and claims.
Outcome run_b3_like(Chain& chain) {
  BlockClock clock(12, 1'700'000'000);
  const Artifact artifact = load_artifact(DAIS_CONTRACTS_JSON, "ProRataRewards");
  Outcome o;
  Receipt deployed;
  Contract c = Contract::deploy(chain, clock, owner, artifact, {std::string("Reward"), std::string("RWD"), uint256(1'000'000)},
                                &deployed);
  o.receipts.push_back(deployed);
  std::vector<Address> agents;
  std::vector<AbiValue> to;
  for (std::uint64_t i = 1; i <= 5; ++i) {
    agents.push_back(Address::from_u64(0x1000 + i));
    to.emplace_back(agents.back());
  }
  for (int epoch = 0; epoch < 3; ++epoch) {
    clock.advance_to(86'400 * (epoch + 1));
    std::vector<AbiValue> weights;
    for (std::uint64_t i = 1; i <= 5; ++i) weights.emplace_back(uint256(i * (epoch + 2)));
    o.receipts.push_back(c.transact(owner, "distribute", {to, weights}));
    for (const Address& a : agents) o.receipts.push_back(c.transact(a, "claim", {}));
  }
  o.receipts.push_back(c.try_transact(agents[0], "claim", {}));  // nothing left: a revert
  for (const Address& a : agents) o.balances.push_back(c.call(owner, "balanceOf", {a})[0].word());
  o.balances.push_back(c.call(owner, "balanceOf", {c.address()})[0].word());
  return o;
}

}  // namespace

TEST_CASE("anvil starts on a free loopback port and stops with its owner", "[chain][rpc][anvil]") {
  std::string url;
  {
    AnvilNode node({DAIS_ANVIL, 1'700'000'000});
    url = node.url();
    CHECK_THAT(node.version(), Catch::StartsWith("anvil"));
    auto chain = make_rpc_chain(url);
    CHECK_THAT(chain->describe(), Catch::Contains(url));
  }
  CHECK_THROWS_WITH(make_rpc_chain(url, std::chrono::milliseconds(500)), Catch::Contains("refused the connection"));
}

TEST_CASE("the embedded chain and anvil give the same receipts, logs, gas and balances", "[chain][rpc][anvil][parity]") {
  auto embedded = make_embedded_chain();
  const Outcome e = run_b3_like(*embedded);
  AnvilNode node({DAIS_ANVIL, 1'700'000'000});
  auto rpc = make_rpc_chain(node.url());
  const Outcome a = run_b3_like(*rpc);
  REQUIRE(e.receipts.size() == a.receipts.size());
  for (std::size_t i = 0; i < e.receipts.size(); ++i) {
    INFO("transaction " << i);
    CHECK(e.receipts[i].success == a.receipts[i].success);
    CHECK(e.receipts[i].gas_used == a.receipts[i].gas_used);
    CHECK(e.receipts[i].block_number == a.receipts[i].block_number);
    CHECK(e.receipts[i].created == a.receipts[i].created);
    REQUIRE(e.receipts[i].logs.size() == a.receipts[i].logs.size());
    for (std::size_t l = 0; l < e.receipts[i].logs.size(); ++l) {
      CHECK(e.receipts[i].logs[l].address == a.receipts[i].logs[l].address);
      CHECK(e.receipts[i].logs[l].topics == a.receipts[i].logs[l].topics);
      CHECK(e.receipts[i].logs[l].data == a.receipts[i].logs[l].data);
    }
  }
  CHECK(e.balances == a.balances);
  // The revert data comes back from both, and explains itself the same way.
  const ContractAbi abi(load_artifact(DAIS_CONTRACTS_JSON, "ProRataRewards").abi);
  CHECK(abi.explain_revert(a.receipts.back().output) == abi.explain_revert(e.receipts.back().output));
  CHECK_THAT(abi.explain_revert(a.receipts.back().output), Catch::StartsWith("reverted: NothingToClaim("));
}

TEST_CASE("a node that never answers is a clear error within the deadline, not a hang", "[chain][rpc]") {
  // A socket that listens but never reads: connections are accepted by the kernel, requests never answered.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(make_rpc_chain(url, std::chrono::milliseconds(300)),
                    Catch::Contains("did not answer within 300 ms (web3_clientVersion)"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  ::close(fd);
  CHECK_THROWS_WITH(make_rpc_chain("ftp://example", std::chrono::milliseconds(300)), Catch::Contains("expected an http:// URL"));
}
