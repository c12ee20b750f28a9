#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "sim/core/simulation.hpp"

using namespace dais::core;

namespace {

struct Recorder {
  std::vector<std::pair<std::int64_t, std::uint64_t>> seen;
  void on_event(const Event& e, Simulation<Recorder>& sim) {
    seen.emplace_back(sim.now().ticks(), e.data.payload);
    if (e.data.kind == 1 && e.data.payload < 5)
      sim.schedule_in(SimTime::from_ticks(10), {1, 0, e.data.payload + 1});
    if (e.data.kind == 2) throw std::runtime_error("model failure");
  }
};

}  // namespace

TEST_CASE("run processes events in order and a handler can schedule more", "[core][simulation]") {
  Recorder r;
  Simulation<Recorder> sim(r);
  sim.schedule_at(SimTime::from_ticks(0), {1, 0, 0});
  sim.run();
  REQUIRE(r.seen.size() == 6);
  CHECK(r.seen.back() == std::pair<std::int64_t, std::uint64_t>{50, 5});
  CHECK(sim.events_processed() == 6);
  CHECK(sim.now().ticks() == 50);
}

TEST_CASE("run_until stops at the limit and advances the clock to it", "[core][simulation]") {
  Recorder r;
  Simulation<Recorder> sim(r);
  sim.schedule_at(SimTime::from_ticks(0), {1, 0, 0});
  sim.run_until(SimTime::from_ticks(25));
  CHECK(r.seen.size() == 3);  // t = 0, 10, 20
  CHECK(sim.now().ticks() == 25);
  CHECK(sim.step());
  CHECK(sim.now().ticks() == 30);
}

TEST_CASE("step on an empty queue returns false", "[core][simulation]") {
  Recorder r;
  Simulation<Recorder> sim(r);
  CHECK_FALSE(sim.step());
}

TEST_CASE("scheduling in the past is refused", "[core][simulation]") {
  Recorder r;
  Simulation<Recorder> sim(r);
  sim.schedule_at(SimTime::from_ticks(10), {0, 0, 0});
  sim.run();
  CHECK_THROWS_AS(sim.schedule_at(SimTime::from_ticks(5), {0, 0, 0}), std::logic_error);
}

TEST_CASE("an exception from a handler names the time, the event number and the entity", "[core][simulation]") {
  Recorder r;
  Simulation<Recorder> sim(r);
  sim.schedule_at(SimTime::seconds(3), {0, 0, 0});
  sim.schedule_at(SimTime::seconds(4), {2, 77, 0});
  try {
    sim.run();
    FAIL("expected an EventError");
  } catch (const EventError& e) {
    CHECK(std::string(e.what()) == "at simulated time 4s (event #2, kind 2, entity 77): model failure");
    CHECK(e.time() == SimTime::seconds(4));
    CHECK(e.event_number() == 2);
  }
}

TEST_CASE("the fingerprint depends on the event sequence and only on it", "[core][simulation]") {
  auto fingerprint_of = [](std::uint64_t start) {
    Recorder r;
    Simulation<Recorder> sim(r);
    sim.schedule_at(SimTime::from_ticks(static_cast<std::int64_t>(start)), {1, 0, 0});
    sim.run();
    return sim.fingerprint().value();
  };
  CHECK(fingerprint_of(0) == fingerprint_of(0));
  CHECK(fingerprint_of(0) != fingerprint_of(1));
}

TEST_CASE("SimTime arithmetic is exact and overflow is an error", "[core][time]") {
  CHECK(SimTime::days(1).ticks() == 86'400'000'000);
  CHECK((SimTime::seconds(2) + SimTime::seconds(3)) == SimTime::seconds(5));
  CHECK(SimTime::days(1) * 365 == SimTime::days(365));
  CHECK_THROWS_AS(SimTime::max() + SimTime::from_ticks(1), std::overflow_error);
  CHECK_THROWS_AS(SimTime::max() * 2, std::overflow_error);
}
