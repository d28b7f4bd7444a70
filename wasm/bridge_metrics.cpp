// The guard's metrics and health across the boundary: one record call per answered request,
// events as they happen, and the Prometheus text and health document formatted in the core.
#include <new>
#include <string>
#include <string_view>

#include "bridge.hpp"
#include "edgeguard/resilience/circuit_breaker.hpp"
#include "edgeguard/guard/guard.hpp"

using namespace edgeguard::guard;

namespace {

// js/ passes a breaker's state as the breaker numbers it (js/seam/breaker.js's State).
using edgeguard::resilience::State;
static_assert(uint32_t(BreakerState::closed) == uint32_t(State::closed) &&
                  uint32_t(BreakerState::open) == uint32_t(State::open) &&
                  uint32_t(BreakerState::half_open) == uint32_t(State::half_open) &&
                  uint32_t(BreakerState::forced_open) == uint32_t(State::forced_open) &&
                  uint32_t(BreakerState::disabled) == uint32_t(State::disabled) &&
                  uint32_t(BreakerState::metrics_only) == uint32_t(State::metrics_only),
              "BreakerState numbers the states as resilience::State does");

// A new series allocates: the calls that record return 0, or 1 when memory ran out (js/guard.js
// throws OUT_OF_MEMORY), instead of an exception crossing into JS.
template <class F>
uint32_t recorded(F&& record) {
  try {
    record();
    return 0;
  } catch (const std::bad_alloc&) {
    return 1;
  }
}

}  // namespace

// `route` -1 for none; `cache` -1 when the request never reached the cache.
EG_EXPORT uint32_t eg_guard_record(Guard* guard, int32_t route, uint32_t outcome, int32_t cache, double latency_ms,
                                   int32_t upstream, double upstream_latency_ms) {
  return recorded([&] {
    guard->record(route < 0 ? kNoRoute : uint32_t(route), Outcome(outcome), cache, latency_ms,
                  upstream < 0 ? UINT32_MAX : uint32_t(upstream), upstream_latency_ms);
  });
}

EG_EXPORT uint32_t eg_guard_record_stored(Guard* guard, uint32_t route) {
  return recorded([&] { guard->record_stored(route); });
}

EG_EXPORT uint32_t eg_guard_upstream_event(Guard* guard, uint32_t upstream, uint32_t event) {
  return recorded([&] {
    if (event <= uint32_t(UpstreamEvent::call)) guard->upstream_event(upstream, UpstreamEvent(event));
  });
}

EG_EXPORT uint32_t eg_guard_breaker_state(Guard* guard, uint32_t upstream, uint32_t state) {
  return recorded([&] { guard->set_breaker_state(upstream, BreakerState(state)); });
}

EG_EXPORT uint32_t eg_guard_gauges(Guard* guard, double cache_entries, double limiter_keys) {
  return recorded([&] { guard->set_gauges(cache_entries, limiter_keys); });
}

// The store's stats() (store.d.ts), read by js/guard.js before each health or metrics answer.
EG_EXPORT uint32_t eg_guard_store_reading(Guard* guard, uint32_t breaker, double ok, double timeouts,
                                          double unavailable, double errors, double refused, double late,
                                          double p50_ms, double p90_ms, double p99_ms, double max_ms) {
  return recorded([&] {
    guard->set_store(StoreReading{BreakerState(breaker), ok, timeouts, unavailable, errors, refused, late, p50_ms,
                                  p90_ms, p99_ms, max_ms});
  });
}

EG_EXPORT uint32_t eg_guard_limit_fallbacks(Guard* guard, uint32_t route, double total) {
  return recorded([&] { guard->set_rate_limit_fallbacks(route, total); });
}

// One count of a route's shared cache tier (Cache stats().shared), read before each metrics answer.
EG_EXPORT uint32_t eg_guard_shared_cache(Guard* guard, uint32_t route, uint32_t result, double total) {
  return recorded([&] { guard->set_shared_cache(route, SharedCacheResult(result), total); });
}

EG_EXPORT uint32_t eg_guard_open_reports(Guard* guard, uint32_t upstream, double reports) {
  return recorded([&] { guard->set_open_reports(upstream, reports); });
}

// Null when the text cannot be allocated (CORE_FAILED in js/core.js): never an exception in JS.
EG_EXPORT const char* eg_guard_prometheus(Guard* guard) {
  try {
    return guard->prometheus().c_str();
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

// `data` is "version\0time"; null for anything else.
EG_EXPORT const char* eg_guard_health(Guard* guard, const uint8_t* data, uint32_t len) {
  std::string_view parts[2];
  if (split(data, len, parts, 2) != 2) return nullptr;
  try {
    return guard->health(parts[0], parts[1]).c_str();
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
