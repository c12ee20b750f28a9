#include "sim/core/event_queue.hpp"

#include <stdexcept>

namespace dais::core {

namespace {

constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
constexpr int sequence_bits = 48;
constexpr std::uint64_t sequence_mask = (std::uint64_t{1} << sequence_bits) - 1;
constexpr std::int32_t priority_offset = 32768;

}  // namespace

EventHandle EventQueue::push(SimTime time, std::int32_t priority, EventData data) {
  if (priority < -priority_offset || priority >= priority_offset)
    throw std::out_of_range("event priority outside [-32768, 32767]");
  if (next_sequence_ > sequence_mask) throw std::out_of_range("more than 2^48 events scheduled");
  std::uint32_t slot = 0;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back({});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot];
  s.data = data;
  s.pending = true;
  const std::uint64_t order = (static_cast<std::uint64_t>(priority + priority_offset) << sequence_bits) | next_sequence_++;
  const Entry entry{static_cast<std::uint64_t>(time.ticks()) ^ sign_bit, order, slot};
  if (root_vacant_) {
    root_vacant_ = false;
    sift_down_from_root(entry);
  } else {
    heap_.emplace_back();
    sift_up(heap_.size() - 1, entry);
  }
  ++live_;
  return EventHandle{slot, s.generation};
}

void EventQueue::sift_up(std::size_t hole, Entry entry) noexcept {
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!earlier(entry, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = entry;
}

// Puts `entry` in the root's place and moves it down, the earliest child rising each level.
void EventQueue::sift_down_from_root(Entry entry) noexcept {
  const std::size_t n = heap_.size();
  std::size_t hole = 0;
  while (true) {
    const std::size_t first = 4 * hole + 1;
    if (first >= n) break;
    std::size_t best = first;
    if (first + 4 <= n) {
      // A tournament of the four children, selected with conditional moves.
      const std::size_t a = earlier(heap_[first + 1], heap_[first]) ? first + 1 : first;
      const std::size_t b = earlier(heap_[first + 3], heap_[first + 2]) ? first + 3 : first + 2;
      best = earlier(heap_[b], heap_[a]) ? b : a;
    } else {
      for (std::size_t c = first + 1; c < n; ++c) best = earlier(heap_[c], heap_[best]) ? c : best;
    }
    if (!earlier(heap_[best], entry)) break;
    heap_[hole] = heap_[best];
    hole = best;
  }
  heap_[hole] = entry;
}

// Removes the root: the last entry takes its place.
void EventQueue::pop_top() noexcept {
  const Entry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down_from_root(last);
}

bool EventQueue::cancel(EventHandle handle) noexcept {
  if (handle.slot >= slots_.size()) return false;
  Slot& s = slots_[handle.slot];
  if (!s.pending || s.generation != handle.generation) return false;
  s.pending = false;  // stays in the heap as a stale entry until it reaches the top
  --live_;
  ++stale_;
  return true;
}

void EventQueue::release(std::uint32_t slot) noexcept {
  ++slots_[slot].generation;
  slots_[slot].pending = false;
  free_slots_.push_back(slot);
}

void EventQueue::drop_stale_top() {
  if (root_vacant_) {
    root_vacant_ = false;
    pop_top();
  }
  while (stale_ > 0 && !heap_.empty() && !slots_[heap_.front().slot].pending) {
    release(heap_.front().slot);
    pop_top();
    --stale_;
  }
}

bool EventQueue::pop(Event& out) {
  drop_stale_top();
  if (heap_.empty()) return false;
  const Entry top = heap_.front();
  out = Event{SimTime::from_ticks(static_cast<SimTime::rep>(top.time ^ sign_bit)),
              static_cast<std::int32_t>(top.order >> sequence_bits) - priority_offset, top.order & sequence_mask,
              slots_[top.slot].data};
  release(top.slot);
  root_vacant_ = true;
  --live_;
  return true;
}

SimTime EventQueue::next_time() noexcept {
  drop_stale_top();
  return heap_.empty() ? SimTime::max() : SimTime::from_ticks(static_cast<SimTime::rep>(heap_.front().time ^ sign_bit));
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

}  // namespace dais::core
