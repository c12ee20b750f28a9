#pragma once
// The future event set: a binary min-heap ordered by (time, priority, insertion sequence), so ties break
// the same way on every run. Cancellation marks an event stale; the queue drops it when it reaches the top.
// Memory is bounded by the live (and not yet dropped) events, not by the total scheduled.

#include <cstdint>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace dais::core {

// What an event asks the model to do: a model-defined kind, the entity it concerns, and one word of data.
struct EventData {
  std::uint32_t kind = 0;
  std::uint32_t target = 0;
  std::uint64_t payload = 0;
};

struct Event {
  SimTime time;
  std::int32_t priority = 0;  // lower runs first among events at the same time
  std::uint64_t sequence = 0;
  EventData data;
};

// Identifies a scheduled event for cancellation; stale handles are harmless.
struct EventHandle {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
};

class EventQueue {
 public:
  EventHandle push(SimTime time, std::int32_t priority, EventData data);
  // Marks the event stale. Returns false if it already ran or was cancelled.
  bool cancel(EventHandle handle) noexcept;
  // Removes and returns the earliest live event; false when none is left.
  bool pop(Event& out);
  [[nodiscard]] bool empty() noexcept { drop_stale_top(); return heap_.empty(); }
  [[nodiscard]] std::size_t live() const noexcept { return live_; }
  // Time of the earliest live event (SimTime::max() if none).
  [[nodiscard]] SimTime next_time() noexcept;
  [[nodiscard]] std::uint64_t scheduled_total() const noexcept { return next_sequence_; }
  void reserve(std::size_t n);

 private:
  struct Entry {
    SimTime time;
    std::int32_t priority;
    std::uint32_t slot;
    std::uint64_t sequence;
    EventData data;
  };
  struct Slot {
    std::uint32_t generation = 0;
    bool pending = false;
  };
  static bool later(const Entry& a, const Entry& b) noexcept {
    if (a.time != b.time) return a.time > b.time;
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.sequence > b.sequence;
  }
  void drop_stale_top();
  void pop_top();
  void release(std::uint32_t slot) noexcept;

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_sequence_ = 0;
  std::size_t live_ = 0;
};

}  // namespace dais::core
