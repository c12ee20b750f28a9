#pragma once
// The future event set: a 4-ary min-heap ordered by (time, priority, insertion sequence), so ties break
// the same way on every run. Cancellation marks an event stale; the queue drops it when it reaches the top.
// Memory is bounded by the live (and not yet dropped) events, not by the total scheduled.
// A heap entry is a 16-byte ordering key and a slot number; the event's data waits in its slot. A 4-ary
// heap has half the levels of a binary one, and a node's four children's keys share a cache line or two.
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
  [[nodiscard]] bool empty() noexcept { drop_stale_top(); return keys_.empty(); }
  [[nodiscard]] std::size_t live() const noexcept { return live_; }
  // Time of the earliest live event (SimTime::max() if none).
  [[nodiscard]] SimTime next_time() noexcept {
    drop_stale_top();
    return keys_.empty() ? SimTime::max() : SimTime::from_ticks(static_cast<SimTime::rep>(time_bits(keys_.front()) ^ sign_bit));
  }
  [[nodiscard]] std::uint64_t scheduled_total() const noexcept { return next_sequence_; }
  void reserve(std::size_t n);

 private:
  // (time, priority, sequence) as one 128-bit key, compared in one step (a compare and a subtract with
  // borrow): the time with its sign bit flipped, so that unsigned order is time order, in the high word; the
  // priority (offset to 16 unsigned bits) above the 48-bit sequence in the low word.
  using Key = u128;
  static constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  static std::uint64_t time_bits(Key key) noexcept { return static_cast<std::uint64_t>(key >> 64); }
  struct Slot {
    EventData data;
    std::uint32_t generation = 0;
    bool pending = false;
  };
  void sift_up(std::size_t hole, Key key, std::uint32_t slot) noexcept;
  void sift_down_from_root(Key key, std::uint32_t slot) noexcept;
  void pop_top() noexcept;
  // Fills a vacant root and drops cancelled events from the top, so that the root is the earliest live event.
  // Inline, with the work out of line: every pop and next_time() passes here, and usually finds nothing to do
  // but the one sift-down.
  void drop_stale_top() {
    if (root_vacant_) fill_vacant_root();
    if (stale_ > 0) drop_cancelled_top();
  }
  void fill_vacant_root() noexcept;
  void drop_cancelled_top() noexcept;
  void release(std::uint32_t slot) noexcept;

  // The heap as two parallel arrays: the keys, which sifting compares, packed four children to 64 bytes, and
  // the slot of each position, only moved.
  std::vector<Key> keys_;
  std::vector<std::uint32_t> slot_at_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_sequence_ = 0;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;  // cancelled entries still in the heap; while 0, the top needs no check
  bool root_vacant_ = false;  // the root is the event pop() last returned, its slot already released
};

}  // namespace dais::core
