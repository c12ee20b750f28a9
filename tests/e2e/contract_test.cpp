// Contract-backed rules end to end: the native rule and its Solidity twin pay the same, and the embedded
// EVM and anvil give the same results for the same scenario.

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sim/io/atomic_file.hpp"
#include "tests/e2e/cli_support.hpp"

namespace fs = std::filesystem;
using dais::test::read_table;
using dais::test::run_dais;
using dais::test::scratch_dir;

namespace {

const fs::path source_dir = DAIS_SOURCE_DIR;

// A scenario file (contract_pro_rata.json by default), one replicate, with changes.
fs::path variant(const fs::path& dir, const std::string& name, const nlohmann::json& changes,
                 const std::string& base = "contract_pro_rata.json") {
  nlohmann::json j = {{"extends", (source_dir / "scenarios" / base).string()}, {"replicates", 1}};
  for (const auto& [key, value] : changes.items()) j[key] = value;  // a null stays, to remove an inherited key
  const fs::path file = dir / (name + ".json");
  dais::io::write_file_atomically(file, j.dump(2));
  return file;
}

// Runs a contract scenario and its native twin (the developers' rule replaced) for 60 days and requires the
// same rewards, balances and exits of every agent.
void check_parity(const std::string& scenario, const nlohmann::json& native_rule) {
  const fs::path dir = scratch_dir("contract_parity");
  // No gas price: gas would change the agents' profits, and so who leaves, in one world and not the other.
  const auto contract = variant(dir, "contract", {{"horizon", "60d"}, {"chain", {{"gas_price", "0"}}}}, scenario);
  const auto native = variant(
      dir, "native", {{"horizon", "60d"}, {"chain", nullptr}, {"rewards", {{"developer", native_rule}}}}, scenario);
  REQUIRE(run_dais({"run", contract.string(), "--out", (dir / "c").string(), "--quiet"}).exit_code == 0);
  const auto r = run_dais({"run", native.string(), "--out", (dir / "n").string(), "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto c_agents = read_table(dir / "c/agents.csv");
  const auto n_agents = read_table(dir / "n/agents.csv");
  REQUIRE(c_agents.size() == n_agents.size());
  std::size_t claimants = 0;
  for (std::size_t i = 0; i < c_agents.size(); ++i) {
    INFO("agent " << i);
    CHECK(c_agents[i].at("rewards_tokens") == n_agents[i].at("rewards_tokens"));
    CHECK(c_agents[i].at("balance_tokens") == n_agents[i].at("balance_tokens"));
    CHECK(c_agents[i].at("exit_epoch") == n_agents[i].at("exit_epoch"));
    // A developer paid anything claimed it, and paid gas for that; nobody else sends transactions.
    const bool paid = c_agents[i].at("rewards_tokens") != "0";
    if (c_agents[i].at("role") == "developer" && paid) {
      ++claimants;
      CHECK(std::stoll(c_agents[i].at("gas_used")) > 0);
    } else {
      CHECK(c_agents[i].at("gas_used") == "0");
    }
  }
  CHECK(claimants > 50);
  // What rounding leaves: minted into the contract there, never minted here.
  const auto c_epochs = read_table(dir / "c/epochs.csv");
  const auto n_epochs = read_table(dir / "n/epochs.csv");
  CHECK(c_epochs[0].at("rewards_developer_tokens") == n_epochs[0].at("rewards_developer_tokens"));
  CHECK(c_epochs[0].at("unpaid_tokens") == n_epochs[0].at("unpaid_tokens"));
  CHECK(c_epochs[0].at("minted_tokens") == c_epochs[0].at("emission_tokens"));
  fs::remove_all(dir);
}

}  // namespace

TEST_CASE("ProRataRewards on the embedded EVM pays exactly what the native rule rounding down pays",
          "[e2e][contracts][parity]") {
  check_parity("contract_pro_rata.json", {{"rule", "proportional"}, {"params", {{"rounding", "down"}}}});
}

TEST_CASE("QuadraticFunding on the embedded EVM pays exactly what the native quadratic_funding rule pays",
          "[e2e][contracts][parity]") {
  check_parity("contract_quadratic_funding.json",
               {{"rule", "quadratic_funding"}, {"params", {{"donors", 600}, {"donation_sigma", 1.0}, {"rounding", "down"}}}});
}

TEST_CASE("the same contract scenario on the embedded EVM and on anvil writes the same bytes",
          "[e2e][contracts][anvil]") {
  const std::string scenario = GENERATE(as<std::string>{}, "contract_pro_rata.json", "contract_quadratic_funding.json");
  INFO(scenario);
  const fs::path dir = scratch_dir("contract_anvil");
  const nlohmann::json common = {{"horizon", "8d"}, {"outputs", {{"transfers", true}}}};
  const auto embedded = variant(dir, "embedded", common, scenario);
  nlohmann::json on_anvil = common;
  on_anvil["chain"] = {{"backend", "anvil"}};
  const auto anvil = variant(dir, "anvil", on_anvil, scenario);
  REQUIRE(run_dais({"run", embedded.string(), "--out", (dir / "e").string(), "--quiet"}).exit_code == 0);
  const auto r = run_dais({"run", anvil.string(), "--out", (dir / "a").string(), "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Balances, every token movement (transfers.csv is the ledger's journal of the Transfer events) and the gas
  // of every agent's transactions.
  for (const char* f : {"runs.csv", "epochs.csv", "agents.csv", "transfers.csv"}) {
    INFO(f);
    CHECK(dais::io::read_file(dir / "e" / f) == dais::io::read_file(dir / "a" / f));
  }
  CHECK(std::stoll(read_table(dir / "e/runs.csv")[0].at("gas_used")) > 0);
  fs::remove_all(dir);
}

TEST_CASE("a contract rule without a chain, or with a missing artifact, is a clear error", "[e2e][contracts]") {
  const fs::path dir = scratch_dir("contract_errors");
  const auto no_chain = variant(dir, "no_chain", {{"chain", nullptr}});
  const auto v = run_dais({"validate", no_chain.string()});
  CHECK(v.exit_code == 2);
  CHECK_THAT(v.err, Catch::Contains("/rewards/developer/rule: expected a scenario with a \"chain\" section for the rule "
                                    "\"contract\", found none"));
  const auto missing = variant(dir, "missing", {{"horizon", "2d"},
                                                {"rewards", {{"developer", {{"params", {{"artifact", "nowhere.json"}}}}}}}});
  const auto r = run_dais({"run", missing.string(), "--out", (dir / "m").string(), "--quiet"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("nowhere.json: cannot read the artifact"));
  fs::remove_all(dir);
}
