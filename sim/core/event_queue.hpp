#pragma once
// The future event set: a 4-ary min-heap ordered by (time, priority, insertion sequence), so ties break
// the same way on every run. Cancellation marks an event stale; the queue drops it when it reaches the top.
// Memory is bounded by the live (and not yet dropped) events, not by the total scheduled.
// A heap entry is 24 bytes, the ordering key and a slot number; the event's data waits in its slot. A 4-ary
// heap has half the levels of a binary one, and a node's four children share a cache line or two.
// pop() leaves its entry at the root, vacant, and the next push() moves into that place and sifts down: a
// handler that schedules a follow-up pays one sift-down instead of a sift-down and a sift-up, and one that
// schedules the very next event (a Poisson source) pays almost nothing. Keys are unique, so the heap's shape
// never changes which event comes out next.

#include <cstdint>
#include <vector>

#include "sim/core/int128.hpp"
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
  std::int32_t priority = 0;  // lower runs first among events at the same time; within [-32768, 32767]
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
  // Throws std::out_of_range for a priority outside [-32768, 32767] or past 2^48 events scheduled.
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
  // (time, priority, sequence) as two words compared in order: the time with its sign bit flipped, so that
  // unsigned order is time order, and the priority (offset to 16 unsigned bits) above the 48-bit sequence.
  struct Entry {
    std::uint64_t time;
    std::uint64_t order;
    std::uint32_t slot;
  };
  struct Slot {
    EventData data;
    std::uint32_t generation = 0;
    bool pending = false;
  };
  // One 128-bit comparison (a compare and a subtract with borrow), no branch: which of two entries comes first
  // is a coin toss to the branch predictor.
  static bool earlier(const Entry& a, const Entry& b) noexcept {
    return ((u128{a.time} << 64) | a.order) < ((u128{b.time} << 64) | b.order);
  }
  void sift_up(std::size_t hole, Entry entry) noexcept;
  void sift_down_from_root(Entry entry) noexcept;
  void pop_top() noexcept;
  // Fills a vacant root and drops cancelled events from the top, so that the root is the earliest live event.
  void drop_stale_top();
  void release(std::uint32_t slot) noexcept;

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_sequence_ = 0;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;  // cancelled entries still in the heap; while 0, the top needs no check
  bool root_vacant_ = false;  // the root is the event pop() last returned, its slot already released
};

}  // namespace dais::core
