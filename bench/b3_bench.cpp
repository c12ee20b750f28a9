// Workload B3 (../shared/BENCH.md): ProRataRewards in the loop. N agents, T epochs; each epoch one
// distribute(to, weights) with every agent, then one claim() per agent; every Transfer event is decoded and
// applied to a dais ledger (mint to the contract, transfers to the agents), as the contract-backed rule does.
// Prints transactions/s and gas/s end to end, on the embedded chain and on anvil, and their ratio.
//
//   bench_b3 [--agents N] [--epochs T] [--backend embedded|anvil|both]

#include <fmt/format.h>

#include <chrono>
#include <unordered_map>

#include "sim/chain/contract.hpp"
#include "sim/chain/embedded.hpp"
#include "sim/chain/rpc.hpp"
#include "sim/ledger/ledger.hpp"

namespace {

using namespace dais;
using chain::AbiValue;
using chain::Address;

struct Figures {
  std::int64_t transactions = 0;
  std::int64_t gas = 0;
  double seconds = 0;
};

Figures run(chain::Chain& backend, int agents, int epochs) {
  chain::BlockClock clock(12, 1'700'000'000);
  const chain::Artifact artifact = chain::load_artifact(DAIS_CONTRACTS_JSON, "ProRataRewards");
  const Address owner = Address::from_u64(0xA11CE);
  chain::Contract c = chain::Contract::deploy(backend, clock, owner, artifact,
                                              {std::string("Reward"), std::string("RWD"), chain::uint256(1'000'000'000)});
  ledger::Ledger books;
  std::unordered_map<Address, ledger::AccountId, evm::AddressHash> account_of;
  account_of[c.address()] = books.open_account();
  std::vector<Address> addresses;
  std::vector<AbiValue> to;
  for (int i = 0; i < agents; ++i) {
    addresses.push_back(Address::from_u64(0x10000 + static_cast<std::uint64_t>(i)));
    to.emplace_back(addresses.back());
    account_of[addresses.back()] = books.open_account();
  }
  const auto transfer_topic = chain::topic_of("Transfer(address,address,uint256)");
  Figures f;
  const auto apply = [&](const chain::Receipt& r) {
    ++f.transactions;
    f.gas += r.gas_used;
    for (const evm::Log& log : r.logs) {
      if (log.topics.empty() || log.topics[0] != transfer_topic) continue;
      const auto event = c.abi().decode_event(log);
      const Address from = event->at("from").address();
      const auto amount = ledger::TokenAmount::from_base_units(
          static_cast<u128>(event->at("value").word().w[0]) | (static_cast<u128>(event->at("value").word().w[1]) << 64));
      const ledger::AccountId dest = account_of.at(event->at("to").address());
      if (from == Address{}) books.mint(dest, amount, "contract");
      else books.transfer(account_of.at(from), dest, amount, "contract");
    }
  };
  const auto start = std::chrono::steady_clock::now();
  for (int e = 0; e < epochs; ++e) {
    clock.advance_to(86'400LL * (e + 1));
    std::vector<AbiValue> weights;
    for (int i = 0; i < agents; ++i) weights.emplace_back(chain::uint256(static_cast<std::uint64_t>(1 + (i * 7919 + e) % 97)));
    apply(c.transact(owner, "distribute", {to, weights}));
    for (const Address& a : addresses) apply(c.transact(a, "claim", {}));
  }
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  books.check_conservation();
  return f;
}

void print(const char* name, const Figures& f) {
  fmt::print("  {:<9} {} transactions in {:.3f} s: {:.0f} tx/s, {:.1f} Mgas/s ({:.0f} gas per transaction)\n", name,
             f.transactions, f.seconds, static_cast<double>(f.transactions) / f.seconds, static_cast<double>(f.gas) / f.seconds / 1e6,
             static_cast<double>(f.gas) / static_cast<double>(f.transactions));
}

}  // namespace

int main(int argc, char** argv) {
  int agents = 100;
  int epochs = 365;
  std::string backend = "both";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--agents" && i + 1 < argc) agents = std::stoi(argv[++i]);
    else if (a == "--epochs" && i + 1 < argc) epochs = std::stoi(argv[++i]);
    else if (a == "--backend" && i + 1 < argc) backend = argv[++i];
    else {
      fmt::print(stderr, "usage: bench_b3 [--agents N] [--epochs T] [--backend embedded|anvil|both]\n");
      return 2;
    }
  }
  fmt::print("B3: N={} T={}: {} transactions\n", agents, epochs, epochs * (agents + 1));
  Figures embedded;
  Figures anvil;
  if (backend != "anvil") {
    auto c = chain::make_embedded_chain();
    embedded = run(*c, agents, epochs);
    print("embedded", embedded);
  }
  if (backend != "embedded") {
    chain::AnvilNode node({DAIS_ANVIL, 1'700'000'000});
    auto c = chain::make_rpc_chain(node.url());
    anvil = run(*c, agents, epochs);
    print("anvil", anvil);
  }
  if (backend == "both")
    fmt::print("embedded / anvil: {:.0f}x the transactions per second\n",
               (static_cast<double>(embedded.transactions) / embedded.seconds) / (static_cast<double>(anvil.transactions) / anvil.seconds));
  return 0;
}
