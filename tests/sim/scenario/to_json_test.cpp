// The normal form: to_json(load(file)) written to a file loads back to a scenario with the same normal form.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/scenario/scenario.hpp"

using dais::core::SimTime;
using namespace dais::scenario;
using namespace dais::scenario::testing;

namespace {

// Loads `doc`, writes its normal form, loads that and checks both scenarios agree.
void check_round_trip(const TempDir& dir, const ojson& doc, int n) {
  const Scenario first = load(dir.write("in" + std::to_string(n) + ".json", doc));
  const nlohmann::json normal = to_json(first);
  const fs::path again = dir.write("normal" + std::to_string(n) + ".json", normal.dump(2));
  const Scenario second = load(again);
  INFO("scenario " << n << ":\n" << doc.dump(2));
  CHECK(to_json(second).dump(2) == normal.dump(2));
  // And the structs themselves, beyond what to_json shows.
  CHECK(second.file == again);
  CHECK(second.epochs() == first.epochs());
  REQUIRE(second.rewards.size() == first.rewards.size());
  for (std::size_t i = 0; i < first.rewards.size(); ++i)
    CHECK(second.rewards[i].share_parts == first.rewards[i].share_parts);
  REQUIRE(second.populations.size() == first.populations.size());
  for (std::size_t i = 0; i < first.populations.size(); ++i) {
    CHECK(second.populations[i].model.params.values() == first.populations[i].model.params.values());
  }
  CHECK(second.emission.params.values() == first.emission.params.values());
  CHECK(second.token.initial_supply == first.token.initial_supply);
}

// A random valid scenario of the test catalog: every optional key sometimes present, every parameter type drawn.
class ScenarioGenerator {
 public:
  explicit ScenarioGenerator(std::uint64_t seed) : random_(seed) {}

  ojson next() {
    ojson doc;
    doc["name"] = "random_" + std::to_string(below(1000));
    if (coin()) doc["description"] = "drawn " + std::to_string(below(100));
    if (coin()) doc["seed"] = random_();
    if (coin()) doc["replicates"] = 1 + below(1000);
    const SimTime epoch = small_duration(SimTime::seconds(1));
    doc["epoch"] = format_duration(epoch);
    doc["horizon"] = format_duration(epoch * static_cast<SimTime::rep>(1 + below(500)));
    decimals_ = 1 + static_cast<unsigned>(below(30));  // the worker's default cost, "2.5", needs one
    ojson token = ojson::object();
    if (coin()) token["symbol"] = pick<std::string>({"DAI", "GPU", "T", "ABCDEFGHIJKLMNOP"});
    if (coin() || decimals_ != 18) token["decimals"] = decimals_;
    if (coin()) token["initial_supply"] = amount();
    doc["token"] = token;
    doc["emission"] = emission();

    std::set<std::string> played;
    const std::uint64_t populations = 1 + below(4);
    for (std::uint64_t i = 0; i < populations; ++i) {
      const std::string role = pick<std::string>({"data_provider", "developer", "compute_provider"});
      played.insert(role);
      ojson pop{{"name", "pop" + std::to_string(i)}, {"role", role}, {"count", below(1000)}};
      if (role == "developer" && coin()) {
        pop["model"] = "builder";
        pop["params"] = {{"team_size", 1 + below(50)}, {"budget", amount()}};
      } else {
        pop["model"] = "worker";
        pop["params"] = worker_params();
      }
      doc["agents"].push_back(pop);
    }
    if (coin()) doc["entry"] = {{"rate", unit_real() * 100}, {"condition", pick<std::string>({"always", "mean_profit_positive"})}};

    // Shares in thousandths, so the doubles' shortest forms are the decimals that sum to 1.
    std::vector<std::uint64_t> thousandths(played.size(), 0);
    std::uint64_t left = 1000;
    for (std::size_t i = 0; i + 1 < thousandths.size(); ++i) {
      thousandths[i] = below(left + 1);
      left -= thousandths[i];
    }
    thousandths.back() = left;
    std::size_t i = 0;
    for (const std::string& role : played) {
      ojson entry{{"share", static_cast<double>(thousandths[i++]) / 1000.0}};
      if (coin()) {
        entry["rule"] = "proportional";
      } else {
        const double low = unit_real();
        const double high = low + (1 - low) * unit_real();
        entry["rule"] = "tiered";
        entry["params"] = {{"low", low}, {"high", high}, {"offset", -1 - static_cast<std::int64_t>(below(10))}};
      }
      doc["rewards"][role] = entry;
    }
    if (coin()) doc["outputs"] = {{"epochs", coin()}, {"agents", coin()}, {"transfers", coin()}};
    return doc;
  }

 private:
  std::uint64_t below(std::uint64_t n) { return random_() % n; }
  bool coin() { return (random_() & 1) != 0; }
  double unit_real() { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }
  template <class T>
  T pick(std::initializer_list<T> options) {
    return *(options.begin() + below(options.size()));
  }

  // A whole number (1 to 10^digits) of a random unit, at least `least`.
  SimTime duration(SimTime least, int digits) {
    const SimTime::rep units[] = {1, 1000, 1'000'000, 60'000'000, 3'600'000'000, SimTime::ticks_per_day,
                                  7 * SimTime::ticks_per_day, 365 * SimTime::ticks_per_day};
    SimTime::rep limit = 1;
    const std::uint64_t places = 1 + below(static_cast<std::uint64_t>(digits));
    for (std::uint64_t i = 0; i < places; ++i) limit *= 10;
    const SimTime::rep unit = units[below(std::size(units))];
    const SimTime d = SimTime::from_ticks(unit * (1 + static_cast<SimTime::rep>(below(static_cast<std::uint64_t>(limit)))));
    return d < least ? least : d;
  }
  // At most a century.
  SimTime small_duration(SimTime least) {
    const SimTime d = duration(least, 3);
    return d > SimTime::days(365 * 100) ? SimTime::days(365 * 100) : d;
  }

  // A token amount as JSON that fits 128 bits: a whole number, or a decimal string with up to the token's decimals.
  ojson amount() {
    std::uint64_t bound = 1;  // 10^min(9, 37 - decimals): the amount fits 128 bits
    for (unsigned i = 0; i < std::min(9u, 37 - decimals_); ++i) bound *= 10;
    const std::uint64_t whole = below(bound);
    if (coin()) return whole;
    std::string text = std::to_string(whole);
    const unsigned places = static_cast<unsigned>(below(decimals_ + 1));
    if (places > 0) {
      text += ".";
      for (unsigned i = 0; i < places; ++i) text += static_cast<char>('0' + below(10));
    }
    return text;
  }

  ojson worker_params() {
    ojson p = ojson::object();
    if (coin()) p["capacity"] = 1 + below(100);
    if (coin()) p["exit_probability"] = unit_real();
    if (coin()) p["staking"] = coin();
    if (coin()) p["strategy"] = pick<std::string>({"greedy", "cautious", "random"});
    if (coin()) p["cost"] = amount();
    if (coin()) p["patience"] = format_duration(small_duration(SimTime::seconds(3600)));
    return p;
  }

  ojson emission() {
    switch (below(3)) {
      case 0: return {{"schedule", "fixed"}, {"params", {{"per_epoch", amount()}}}};
      case 1:
        return {{"schedule", "decay"},
                {"params",
                 {{"initial", amount()},
                  {"factor", unit_real()},
                  {"period", format_duration(small_duration(SimTime::seconds(3600)))}}}};
      default: {
        const double low = unit_real();
        ojson params = ojson::object();
        if (coin()) {
          params["min_rate"] = low * 0.1;
          params["max_rate"] = low * 0.1 + (1 - low * 0.1) * unit_real();
        }
        return {{"schedule", "bounded"}, {"params", params}};
      }
    }
  }

  std::mt19937_64 random_;
  unsigned decimals_ = 18;
};

}  // namespace

TEST_CASE("the normal form of hand-written scenarios loads back to the same normal form", "[scenario][to_json]") {
  const TempDir dir;
  std::vector<ojson> docs = {minimal_scenario(), three_role_scenario()};
  ojson everything = three_role_scenario();
  everything["description"] = "every key";
  everything["seed"] = 18446744073709551615ULL;
  everything["replicates"] = 12;
  everything["epoch"] = "90min";
  everything["horizon"] = "3d";
  everything["token"] = {{"symbol", "DAI"}, {"decimals", 6}, {"initial_supply", "1000.000001"}};
  everything["emission"] = {{"schedule", "decay"}, {"params", {{"initial", "0.5"}, {"factor", 0.1}, {"period", "36h"}}}};
  everything["agents"][0]["params"] = {{"capacity", 1}, {"exit_probability", 0.3333333333333333}, {"staking", true},
                                       {"strategy", "random"}, {"cost", "0.000001"}, {"patience", "1.5h"}};
  everything["agents"][1] = {{"name", "labs"}, {"role", "developer"}, {"model", "builder"}, {"count", 0},
                             {"params", {{"team_size", 50}, {"budget", 7}}}};
  everything["rewards"]["developer"] = {{"share", 0.3}, {"rule", "tiered"},
                                        {"params", {{"low", 0}, {"high", 1}, {"offset", -10}}}};
  everything["entry"] = {{"rate", 0.125}, {"condition", "mean_profit_positive"}};
  everything["outputs"] = {{"epochs", false}, {"agents", false}, {"transfers", true}};
  docs.push_back(everything);
  ojson zero_decimals = minimal_scenario();
  zero_decimals["token"] = {{"decimals", 0}, {"initial_supply", "340282366920938463463374607431768211455"}};
  zero_decimals["agents"][0]["params"] = {{"cost", 3}};
  docs.push_back(zero_decimals);
  ojson tiny_share = three_role_scenario();
  tiny_share["rewards"]["data_provider"]["share"] = 0.0000001;
  tiny_share["rewards"]["developer"]["share"] = 0.5999999;
  docs.push_back(tiny_share);
  for (std::size_t i = 0; i < docs.size(); ++i) check_round_trip(dir, docs[i], static_cast<int>(i));
}

TEST_CASE("the normal form of a scenario built with extends needs no extends", "[scenario][to_json]") {
  const TempDir dir;
  dir.write("base.json", three_role_scenario());
  const Scenario child = load(dir.write("child.json", ojson{{"extends", "base.json"}, {"name", "child"}}));
  const nlohmann::json normal = to_json(child);
  CHECK_FALSE(normal.contains("extends"));
  CHECK(to_json(load(dir.write("normal.json", normal.dump()))) == normal);
}

TEST_CASE("the normal form of random scenarios loads back to the same normal form", "[scenario][to_json]") {
  const TempDir dir;
  ScenarioGenerator generate(42);
  for (int n = 0; n < 200; ++n) check_round_trip(dir, generate.next(), n);
}
