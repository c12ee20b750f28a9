#pragma once
// A scenario: one world and its batch, loaded from JSON into typed, validated structs. The loader is
// strict: unknown keys (with "did you mean"), wrong types, out-of-range values and impossible combinations
// are errors naming the file, the JSON pointer, what was expected and what was found. All problems in a
// file are reported, not just the first.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/ledger/token_amount.hpp"
#include "sim/scenario/params.hpp"
#include "sim/scenario/registry.hpp"
#include "sim/scenario/sweep.hpp"

namespace dais::scenario {

// A registered component picked by name, with its parameters validated and defaults filled in.
struct ComponentChoice {
  std::string name;
  Params params;
};

struct TokenSpec {
  std::string symbol = "TOKEN";
  unsigned decimals = 18;
  ledger::TokenAmount initial_supply;  // minted to the treasury at genesis
};

// A group of agents that share a role, a behaviour model and parameters.
struct Population {
  std::string name;   // unique within the scenario; defaults to the role
  std::string role;
  ComponentChoice model;
  std::int64_t count = 0;  // agents at the start
};

enum class EntryCondition { always, mean_profit_positive };

// New agents arriving each epoch: Poisson(rate) in total, each joining a population chosen with
// probability proportional to the populations' initial counts.
struct EntrySpec {
  double rate = 0.0;
  EntryCondition condition = EntryCondition::always;
};

// How one role is paid: its share of each epoch's emission and the rule that splits it.
// Shares are exact decimals with up to 18 places, held as parts of share_scale, so a 40% share of 1000 tokens
// is exactly 400 tokens and the shares of a scenario sum to exactly 1.
inline constexpr std::uint64_t share_scale = 1'000'000'000'000'000'000ULL;

struct RoleRewards {
  std::string role;
  double share = 0.0;            // for reports
  std::uint64_t share_parts = 0; // share * share_scale, exact
  ComponentChoice rule;
};

struct OutputSpec {
  bool epochs = true;
  bool agents = true;
  bool transfers = false;
};

// The blockchain that contract-backed rules run on (sim/chain).
enum class ChainBackend { embedded, anvil, rpc };
struct ChainSpec {
  ChainBackend backend = ChainBackend::embedded;
  std::string url;                                       // rpc: the node's JSON-RPC URL
  core::SimTime block_time = core::SimTime::seconds(12);
  ledger::TokenAmount gas_price;                         // tokens per unit of gas, charged to whoever sends
  std::int64_t genesis_time = 1'700'000'000;             // unix timestamp of block 0
};

struct Scenario {
  std::string name;
  std::string description;
  std::filesystem::path file;
  std::uint64_t seed = 1;
  std::int64_t replicates = 1;
  core::SimTime epoch_length;
  core::SimTime horizon;
  TokenSpec token;
  ComponentChoice emission;
  std::vector<Population> populations;
  EntrySpec entry;
  std::vector<RoleRewards> rewards;
  OutputSpec outputs;
  std::optional<ChainSpec> chain;  // present when some rule runs a contract
  std::optional<ComponentChoice> market;        // the compute market the compute providers serve, if any
  std::optional<ComponentChoice> token_market;  // where the token trades against a quote currency, if anywhere
  // The sections models read themselves (Catalog::sections), by name, as written and validated by their model.
  std::map<std::string, nlohmann::json> sections;

  [[nodiscard]] std::int64_t epochs() const noexcept { return horizon.ticks() / epoch_length.ticks(); }
};

// One problem in a scenario file.
struct ScenarioError {
  std::string file;
  std::string pointer;   // JSON pointer, "" for the whole document
  std::string message;   // "expected X, found Y" plus any hint
  std::string variant = {};  // which variants of a sweep have the problem; "" for all (or no sweep)
  [[nodiscard]] std::string to_string() const;  // "<file>: [<variant>: ]<pointer>: <message>"
};

class ScenarioErrors : public std::runtime_error {
 public:
  explicit ScenarioErrors(std::vector<ScenarioError> errors);
  [[nodiscard]] const std::vector<ScenarioError>& errors() const noexcept { return errors_; }

 private:
  std::vector<ScenarioError> errors_;
};

// One variant of a batch: the scenario with the sweep's values for it set.
struct Variant {
  std::string label;                // "rewards.compute_provider.rule=stake_weighted"; the scenario name without a sweep
  std::vector<std::string> values;  // each sweep parameter's value as written to CSV
  Scenario scenario;
};

// What a scenario file asks to run: its variants (one without a sweep), each for the scenario's replicates.
// Replicate r of every variant uses the same seed and so the same random numbers: designs compare paired.
struct Batch {
  Sweep sweep;
  std::vector<Variant> variants;
  [[nodiscard]] const Scenario& base() const { return variants.front().scenario; }
};

// Loads, resolves `extends`, expands the sweep and validates every variant. Throws ScenarioErrors with every
// problem found; a problem of only some variants names them.
Batch load_batch(const std::filesystem::path& file, const Catalog& catalog);

// Loads a scenario file without a sweep (a sweep is an error here).
Scenario load_scenario(const std::filesystem::path& file, const Catalog& catalog);

// The scenario in normal form: every key and parameter spelt out, defaults filled in, amounts as exact
// decimals, durations in their shortest unit. What the manifest records and hashes; it loads back to the same
// scenario.
nlohmann::json to_json(const Scenario& scenario);

// A token amount as scenarios write it: a decimal string ("10.5") or a whole number of tokens, converted exactly
// with the token's `decimals`. nullopt otherwise, with *problem set to "expected ..., found ..." and the reason.
std::optional<ledger::TokenAmount> read_token_amount(const nlohmann::json& value, unsigned decimals,
                                                     std::string* problem);

// For "did you mean": the candidate closest to `word`, within a third of its length (at least 1 edit, at most 3),
// or "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// Parses "12s", "1.5h", "1d", "2w", "1y" (y = 365 d), "500ms", "10us", "30min". Returns nullopt if malformed.
std::optional<core::SimTime> parse_duration(std::string_view text);
// Shortest exact form: "1d", "90min", "12s".
std::string format_duration(core::SimTime duration);

}  // namespace dais::scenario
