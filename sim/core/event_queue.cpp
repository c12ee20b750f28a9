#include "sim/core/event_queue.hpp"

#include <algorithm>

namespace dais::core {

EventHandle EventQueue::push(SimTime time, std::int32_t priority, EventData data) {
  std::uint32_t slot = 0;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back({});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  slots_[slot].pending = true;
  heap_.push_back(Entry{time, priority, slot, next_sequence_++, data});
  std::push_heap(heap_.begin(), heap_.end(), later);
  ++live_;
  return EventHandle{slot, slots_[slot].generation};
}

bool EventQueue::cancel(EventHandle handle) noexcept {
  if (handle.slot >= slots_.size()) return false;
  Slot& s = slots_[handle.slot];
  if (!s.pending || s.generation != handle.generation) return false;
  s.pending = false;  // stays in the heap as a stale entry until it reaches the top
  --live_;
  return true;
}

void EventQueue::release(std::uint32_t slot) noexcept {
  ++slots_[slot].generation;
  slots_[slot].pending = false;
  free_slots_.push_back(slot);
}

void EventQueue::pop_top() {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  heap_.pop_back();
}

void EventQueue::drop_stale_top() {
  while (!heap_.empty() && !slots_[heap_.front().slot].pending) {
    release(heap_.front().slot);
    pop_top();
  }
}

bool EventQueue::pop(Event& out) {
  drop_stale_top();
  if (heap_.empty()) return false;
  const Entry& top = heap_.front();
  out = Event{top.time, top.priority, top.sequence, top.data};
  release(top.slot);
  pop_top();
  --live_;
  return true;
}

SimTime EventQueue::next_time() noexcept {
  drop_stale_top();
  return heap_.empty() ? SimTime::max() : heap_.front().time;
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

}  // namespace dais::core
