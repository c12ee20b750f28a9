#include "sim/core/event_queue.hpp"

#include <stdexcept>

namespace dais::core {

namespace {

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
  const Key key = (Key{static_cast<std::uint64_t>(time.ticks()) ^ sign_bit} << 64) | order;
  if (root_vacant_) {
    root_vacant_ = false;
    sift_down_from_root(key, slot);
  } else {
    keys_.emplace_back();
    slot_at_.emplace_back();
    sift_up(keys_.size() - 1, key, slot);
  }
  ++live_;
  return EventHandle{slot, s.generation};
}

void EventQueue::sift_up(std::size_t hole, Key key, std::uint32_t slot) noexcept {
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!(key < keys_[parent])) break;
    keys_[hole] = keys_[parent];
    slot_at_[hole] = slot_at_[parent];
    hole = parent;
  }
  keys_[hole] = key;
  slot_at_[hole] = slot;
}

// Puts `key` in the root's place and moves it down, the earliest child rising each level.
void EventQueue::sift_down_from_root(Key key, std::uint32_t slot) noexcept {
  Key* const keys = keys_.data();
  std::uint32_t* const slots = slot_at_.data();
  const std::size_t n = keys_.size();
  std::size_t hole = 0;
  for (std::size_t first = 1; first < n; first = 4 * hole + 1) {
    std::size_t best = first;
    if (first + 4 <= n) {
      // A tournament of the four children in arithmetic on the comparisons' results, without a branch: which
      // comes first is a coin toss to the branch predictor.
      const std::size_t a = first + static_cast<std::size_t>(keys[first + 1] < keys[first]);
      const std::size_t b = first + 2 + static_cast<std::size_t>(keys[first + 3] < keys[first + 2]);
      best = a ^ ((a ^ b) & (std::size_t{0} - static_cast<std::size_t>(keys[b] < keys[a])));
    } else {
      for (std::size_t c = first + 1; c < n; ++c) best = keys[c] < keys[best] ? c : best;
    }
    if (!(keys[best] < key)) break;
    keys[hole] = keys[best];
    slots[hole] = slots[best];
    hole = best;
  }
  keys[hole] = key;
  slots[hole] = slot;
}

// Removes the root: the last entry takes its place.
void EventQueue::pop_top() noexcept {
  const Key key = keys_.back();
  const std::uint32_t slot = slot_at_.back();
  keys_.pop_back();
  slot_at_.pop_back();
  if (!keys_.empty()) sift_down_from_root(key, slot);
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

void EventQueue::fill_vacant_root() noexcept {
  root_vacant_ = false;
  pop_top();
}

void EventQueue::drop_cancelled_top() noexcept {
  while (stale_ > 0 && !keys_.empty() && !slots_[slot_at_.front()].pending) {
    release(slot_at_.front());
    pop_top();
    --stale_;
  }
}

bool EventQueue::pop(Event& out) {
  drop_stale_top();
  if (keys_.empty()) return false;
  const std::uint64_t time = time_bits(keys_.front());
  const auto order = static_cast<std::uint64_t>(keys_.front());
  const std::uint32_t slot = slot_at_.front();
  out = Event{SimTime::from_ticks(static_cast<SimTime::rep>(time ^ sign_bit)),
              static_cast<std::int32_t>(order >> sequence_bits) - priority_offset, order & sequence_mask,
              slots_[slot].data};
  release(slot);
  root_vacant_ = true;
  --live_;
  return true;
}

void EventQueue::reserve(std::size_t n) {
  keys_.reserve(n);
  slot_at_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

}  // namespace dais::core
