#pragma once
// Contract artifacts, as the tools that build contracts write them, so a user can bring the contract they will
// deploy: solc's standard-JSON output ({"contracts": {"File.sol": {"Name": {"abi", "evm": {"bytecode"}}}}}),
// Foundry's out/File.sol/Name.json ({"abi", "bytecode": {"object"}}) and Hardhat's artifacts/.../Name.json
// ({"contractName", "abi", "bytecode": "0x..."}).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "sim/evm/types.hpp"

namespace dais::chain {

class ArtifactError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Artifact {
  std::string name;           // the contract's name
  std::string file;           // where it was read from
  std::string format;         // "solc", "foundry" or "hardhat"
  nlohmann::json abi;
  evm::Bytes bytecode;        // creation code
  nlohmann::json build;       // compiler and settings when the file records them (solc output compiled by dais)
};

// Loads `contract` from `file`, in whichever of the three formats it is; `contract` may be empty when the file
// holds exactly one deployable contract. An error names the file and what is wrong (no such contract, with the
// ones there are; unlinked libraries; no bytecode, as for an interface or abstract contract).
Artifact load_artifact(const std::filesystem::path& file, const std::string& contract = "");
Artifact parse_artifact(const nlohmann::json& document, const std::string& file, const std::string& contract = "");

}  // namespace dais::chain
