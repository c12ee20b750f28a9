#include <catch2/catch.hpp>

#include <set>
#include <tuple>
#include <vector>

#include "sim/core/event_queue.hpp"

using dais::core::Event;
using dais::core::EventHandle;
using dais::core::EventQueue;
using dais::core::SimTime;

namespace {

std::vector<std::uint64_t> drain_payloads(EventQueue& q) {
  std::vector<std::uint64_t> out;
  Event e;
  while (q.pop(e)) out.push_back(e.data.payload);
  return out;
}

// A 64-bit LCG: the tests' random operations, the same on every platform.
struct Lcg {
  std::uint64_t state = 12345;
  std::uint64_t operator()() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  }
};

}  // namespace

TEST_CASE("events come out ordered by time, then priority, then insertion order", "[core][queue]") {
  EventQueue q;
  q.push(SimTime::seconds(5), 0, {0, 0, 1});
  q.push(SimTime::seconds(1), 0, {0, 0, 2});
  q.push(SimTime::seconds(5), -1, {0, 0, 3});
  q.push(SimTime::seconds(5), 0, {0, 0, 4});
  q.push(SimTime::seconds(1), 0, {0, 0, 5});
  CHECK(drain_payloads(q) == std::vector<std::uint64_t>{2, 5, 3, 1, 4});
}

TEST_CASE("a cancelled event is skipped and cancelling twice or after it ran does nothing", "[core][queue]") {
  EventQueue q;
  auto a = q.push(SimTime::seconds(1), 0, {0, 0, 1});
  auto b = q.push(SimTime::seconds(2), 0, {0, 0, 2});
  q.push(SimTime::seconds(3), 0, {0, 0, 3});
  CHECK(q.live() == 3);
  CHECK(q.cancel(b));
  CHECK_FALSE(q.cancel(b));
  CHECK(q.live() == 2);
  Event e;
  REQUIRE(q.pop(e));
  CHECK(e.data.payload == 1);
  CHECK_FALSE(q.cancel(a));  // already ran
  REQUIRE(q.pop(e));
  CHECK(e.data.payload == 3);
  CHECK(q.empty());
}

TEST_CASE("a handle to a recycled slot cannot cancel the event that reuses it", "[core][queue]") {
  EventQueue q;
  auto first = q.push(SimTime::seconds(1), 0, {0, 0, 1});
  Event e;
  REQUIRE(q.pop(e));
  auto second = q.push(SimTime::seconds(2), 0, {0, 0, 2});
  CHECK(second.slot == first.slot);
  CHECK_FALSE(q.cancel(first));
  REQUIRE(q.pop(e));
  CHECK(e.data.payload == 2);
}

TEST_CASE("cancelled events do not make the queue grow without bound", "[core][queue]") {
  EventQueue q;
  for (int round = 0; round < 1000; ++round) {
    auto h = q.push(SimTime::seconds(round + 10), 0, {});
    q.push(SimTime::seconds(round), 0, {});
    q.cancel(h);
    Event e;
    REQUIRE(q.pop(e));
  }
  CHECK(q.live() == 0);
  CHECK(q.empty());
  CHECK(q.next_time() == SimTime::max());
}

TEST_CASE("the queue matches a sorted reference on many random operations", "[core][queue]") {
  EventQueue q;
  std::vector<std::tuple<std::int64_t, std::int32_t, std::uint64_t>> reference;
  Lcg next;
  std::uint64_t seq = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto t = static_cast<std::int64_t>(next() % 100);
    const auto p = static_cast<std::int32_t>(next() % 3);
    q.push(SimTime::from_ticks(t), p, {0, 0, seq});
    reference.emplace_back(t, p, seq++);
  }
  std::sort(reference.begin(), reference.end());
  Event e;
  for (const auto& [t, p, s] : reference) {
    REQUIRE(q.pop(e));
    CHECK(e.time.ticks() == t);
    CHECK(e.priority == p);
    CHECK(e.data.payload == s);
  }
  CHECK_FALSE(q.pop(e));
}

TEST_CASE("interleaved pushes, pops and cancels keep (time, priority, sequence) order", "[core][queue]") {
  // A std::set of (time, priority, sequence) is the reference; the payload carries the sequence. Pushes right
  // after a pop take the vacant root's place, so this exercises that path as well as the plain push.
  using Key = std::tuple<std::int64_t, std::int32_t, std::uint64_t>;
  EventQueue q;
  std::set<Key> reference;
  std::vector<std::pair<Key, EventHandle>> handles;  // every event pushed, by sequence
  Lcg next;
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t op = next() % 8;
    if (op < 4) {  // push, mostly near the front, like a simulation's follow-up events
      const auto t = static_cast<std::int64_t>(op == 0 ? next() % 4 : next() % 1000);
      const auto p = static_cast<std::int32_t>(next() % 3) - 1;
      const std::uint64_t sequence = handles.size();
      handles.emplace_back(Key{t, p, sequence}, q.push(SimTime::from_ticks(t), p, {0, 0, sequence}));
      reference.emplace(t, p, sequence);
    } else if (op < 7) {
      Event e;
      REQUIRE(q.pop(e) == !reference.empty());
      if (reference.empty()) continue;
      const auto [t, p, sequence] = *reference.begin();
      reference.erase(reference.begin());
      REQUIRE(e.time.ticks() == t);
      REQUIRE(e.priority == p);
      REQUIRE(e.sequence == sequence);
      REQUIRE(e.data.payload == sequence);
    } else if (!handles.empty()) {  // cancel any event pushed so far, live or not
      const auto& [key, handle] = handles[next() % handles.size()];
      REQUIRE(q.cancel(handle) == (reference.erase(key) == 1));
    }
    REQUIRE(q.live() == reference.size());
    if (i % 16 != 0) continue;  // next_time() fills a vacant root; most pushes should find it still vacant
    REQUIRE(q.next_time().ticks() == (reference.empty() ? SimTime::max().ticks() : std::get<0>(*reference.begin())));
  }
  for (const auto& [t, p, sequence] : reference) {
    Event e;
    REQUIRE(q.pop(e));
    REQUIRE(e.sequence == sequence);
  }
  CHECK(q.empty());
}
