#pragma once
// The discrete-event loop: step(), run(), run_until(). A model is any type with
//   void on_event(const Event& event, Simulation<Model>& sim);
// dispatched statically, so the loop pays no virtual call per event. Every event is folded into the run
// fingerprint; an exception escaping a handler is rethrown with the simulated time, event number and target.

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

#include "sim/core/event_queue.hpp"
#include "sim/core/fingerprint.hpp"
#include "sim/core/sim_time.hpp"

namespace dais::core {

// An error raised while handling an event, carrying where in the run it happened.
class EventError : public std::runtime_error {
 public:
  EventError(const std::string& what, SimTime time, std::uint64_t event_number, EventData data)
      : std::runtime_error(what), time_(time), event_number_(event_number), data_(data) {}
  [[nodiscard]] SimTime time() const noexcept { return time_; }
  [[nodiscard]] std::uint64_t event_number() const noexcept { return event_number_; }
  [[nodiscard]] EventData data() const noexcept { return data_; }

 private:
  SimTime time_;
  std::uint64_t event_number_;
  EventData data_;
};

std::string describe_event_failure(const std::exception& e, SimTime time, std::uint64_t event_number,
                                   EventData data);

template <class Model>
class Simulation {
 public:
  explicit Simulation(Model& model) : model_(model) {}

  [[nodiscard]] SimTime now() const noexcept { return now_; }
  [[nodiscard]] std::uint64_t events_processed() const noexcept { return processed_; }
  [[nodiscard]] Fingerprint& fingerprint() noexcept { return fingerprint_; }
  [[nodiscard]] EventQueue& queue() noexcept { return queue_; }

  // Schedules an event at an absolute time, which must not be in the past.
  EventHandle schedule_at(SimTime at, EventData data, std::int32_t priority = 0) {
    if (at < now_) throw std::logic_error("cannot schedule an event in the past");
    return queue_.push(at, priority, data);
  }
  EventHandle schedule_in(SimTime delay, EventData data, std::int32_t priority = 0) {
    return schedule_at(now_ + delay, data, priority);
  }
  bool cancel(EventHandle handle) noexcept { return queue_.cancel(handle); }

  // Runs the earliest event; false when the queue is empty.
  bool step() {
    Event event;
    if (!queue_.pop(event)) return false;
    dispatch(event);
    return true;
  }

  // Runs until the queue is empty.
  void run() {
    while (step()) {
    }
  }

  // Runs every event with time <= limit, then sets the clock to limit.
  void run_until(SimTime limit) {
    while (queue_.next_time() <= limit) step();
    if (now_ < limit) now_ = limit;
  }

 private:
  void dispatch(const Event& event) {
    now_ = event.time;
    ++processed_;
    fingerprint_.add(static_cast<std::uint64_t>(event.time.ticks()));
    fingerprint_.add((std::uint64_t{event.data.kind} << 32) | event.data.target);
    try {
      model_.on_event(event, *this);
    } catch (const EventError&) {
      throw;
    } catch (const std::exception& e) {
      throw EventError(describe_event_failure(e, now_, processed_, event.data), now_, processed_, event.data);
    }
  }

  Model& model_;
  EventQueue queue_;
  SimTime now_;
  std::uint64_t processed_ = 0;
  Fingerprint fingerprint_;
};

}  // namespace dais::core
