#include "sim/chain/artifact.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace dais::chain {

namespace {

evm::Bytes bytecode_of(const std::string& hex, const std::string& file, const std::string& name) {
  if (hex.find("__") != std::string::npos)  // a library placeholder: hex digits never hold '_' 
    throw ArtifactError(fmt::format("{}: {} links libraries that are not linked in; link them before loading", file, name));
  if (hex.empty() || hex == "0x")
    throw ArtifactError(fmt::format("{}: {} has no bytecode (an interface or an abstract contract?)", file, name));
  try {
    return evm::from_hex(hex);
  } catch (const std::exception& e) {
    throw ArtifactError(fmt::format("{}: the bytecode of {} is not hex: {}", file, name, e.what()));
  }
}

Artifact pick(std::vector<Artifact> candidates, const std::string& file, const std::string& contract) {
  std::string names;
  for (const Artifact& a : candidates) names += (names.empty() ? "" : ", ") + a.name;
  if (!contract.empty()) {
    for (Artifact& a : candidates)
      if (a.name == contract) return std::move(a);
    throw ArtifactError(fmt::format("{}: no contract \"{}\" (it holds {})", file, contract, names.empty() ? "none" : names));
  }
  if (candidates.size() != 1)
    throw ArtifactError(fmt::format("{}: holds {} contracts ({}); name the one to use", file, candidates.size(), names));
  return std::move(candidates.front());
}

}  // namespace

Artifact parse_artifact(const nlohmann::json& doc, const std::string& file, const std::string& contract) {
  if (!doc.is_object()) throw ArtifactError(fmt::format("{}: not a contract artifact (expected a JSON object)", file));
  // solc standard-JSON output: every contract of every source.
  if (doc.contains("contracts") && doc["contracts"].is_object()) {
    std::vector<Artifact> candidates;
    std::vector<std::string> undeployable;
    for (const auto& [source, contracts] : doc["contracts"].items()) {
      for (const auto& [name, c] : contracts.items()) {
        const std::string hex = c.value("/evm/bytecode/object"_json_pointer, std::string());
        if (hex.empty()) {
          undeployable.push_back(name);
          if (name != contract) continue;
        }
        candidates.push_back({name, file, "solc", c.value("abi", nlohmann::json::array()),
                              bytecode_of(hex, file, name), doc.value("dais_settings", nlohmann::json::object())});
      }
    }
    return pick(std::move(candidates), file, contract);
  }
  if (!doc.contains("abi") || !doc.contains("bytecode"))
    throw ArtifactError(fmt::format("{}: not a contract artifact: expected solc's standard JSON (\"contracts\"), or "
                                    "a Foundry or Hardhat artifact (\"abi\" and \"bytecode\")",
                                    file));
  const nlohmann::json& code = doc["bytecode"];
  const bool foundry = code.is_object();
  std::string name = doc.value("contractName", "");
  if (name.empty()) name = std::filesystem::path(file).stem().string();  // Foundry: out/File.sol/Name.json
  const std::string hex = foundry ? code.value("object", std::string()) : code.get<std::string>();
  Artifact a{name, file, foundry ? "foundry" : "hardhat", doc["abi"], bytecode_of(hex, file, name), nlohmann::json::object()};
  return pick({std::move(a)}, file, contract);
}

Artifact load_artifact(const std::filesystem::path& file, const std::string& contract) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ArtifactError(fmt::format("{}: cannot read the artifact", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(fmt::format("{}: not JSON: {}", file.string(), e.what()));
  }
  return parse_artifact(doc, file.string(), contract);
}

}  // namespace dais::chain
