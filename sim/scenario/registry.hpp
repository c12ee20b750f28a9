#pragma once
// Registries by name: {name, description, parameter specs, factory}. Models fill them by an explicit
// register_*() call from sim/app (static self-registration is dropped by the linker in static libraries).
// An unknown name is answered with the list of valid names.

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/params.hpp"

namespace dais::scenario {

struct ComponentInfo {
  std::string name;
  std::string description;  // one line
  std::vector<ParamSpec> params;
  // For agent models: the roles this model can play; for rules: the roles they can pay (empty: any).
  std::vector<std::string> roles = {};
  // Checks a combination of parameters no single range can express; returns "" when valid, else a message
  // in the loader's form ("expected min_inflation <= max_inflation, found 0.2 > 0.1"). May be empty.
  std::function<std::string(const Params&)> check = {};
  // A rule that runs a contract: its scenario must have a "chain" section.
  bool needs_chain = false;
  // A rule that pays one side of a mechanism whose other side is another role's rule (Yuma's incentives and
  // dividends): {role, rule}; a scenario that picks this rule must pay that role by that rule.
  std::optional<std::pair<std::string, std::string>> paired_with = std::nullopt;
};

// What the scenario loader needs to validate a choice, without knowing the factory's type.
class ComponentIndex {
 public:
  virtual ~ComponentIndex() = default;
  [[nodiscard]] virtual const ComponentInfo* find(const std::string& name) const = 0;
  [[nodiscard]] virtual std::vector<const ComponentInfo*> all() const = 0;
  // "a", "b" or "c" — for error messages.
  [[nodiscard]] std::string names_list() const;
};

template <class Factory>
class Registry final : public ComponentIndex {
 public:
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  void add(ComponentInfo info, Factory make) {
    if (find(info.name) != nullptr) throw std::logic_error(kind_ + " '" + info.name + "' registered twice");
    entries_.push_back(Entry{std::move(info), std::move(make)});
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.info.name < b.info.name; });
  }

  [[nodiscard]] const ComponentInfo* find(const std::string& name) const override {
    for (const Entry& e : entries_)
      if (e.info.name == name) return &e.info;
    return nullptr;
  }
  [[nodiscard]] std::vector<const ComponentInfo*> all() const override {
    std::vector<const ComponentInfo*> out;
    for (const Entry& e : entries_) out.push_back(&e.info);
    return out;
  }
  // The factory for a name the loader has already validated.
  [[nodiscard]] const Factory& factory(const std::string& name) const {
    for (const Entry& e : entries_)
      if (e.info.name == name) return e.factory;
    throw std::out_of_range("no " + kind_ + " named '" + name + "'; valid names: " + names_list());
  }
  [[nodiscard]] const std::string& kind() const noexcept { return kind_; }

 private:
  struct Entry {
    ComponentInfo info;
    Factory factory;
  };
  std::string kind_;
  std::vector<Entry> entries_;
};

struct Scenario;
struct Catalog;

// A top-level scenario section a model reads itself ("governance", "locks"): the loader keeps its JSON in
// Scenario::sections and leaves the checks to the model, which may look at the whole scenario.
struct ScenarioSection {
  std::string name;
  std::string description;  // one line
  // Throws ScenarioErrors listing every problem of `section`, the value at "/<name>" of the scenario `file`.
  // Called only for a scenario that has loaded without other errors, so `scenario` is complete.
  std::function<void(const nlohmann::json& section, const Scenario& scenario, const Catalog& catalog,
                     const std::string& file)>
      validate;
};

// Everything a scenario may name: the roles agents play, agent models, reward rules, emission schedules,
// market models, token-market models, and the sections models own.
struct Catalog {
  std::vector<std::string> roles;
  const ComponentIndex* agents = nullptr;
  const ComponentIndex* rules = nullptr;
  const ComponentIndex* schedules = nullptr;
  const ComponentIndex* markets = nullptr;
  const ComponentIndex* token_markets = nullptr;
  const std::vector<ScenarioSection>* sections = nullptr;
};

}  // namespace dais::scenario
