#pragma once
// One configured gateway: the parsed config and the metrics the pipeline records, with the
// metric families fixed here so every deployment exposes the same names.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "edgeguard/guard/config.hpp"
#include "edgeguard/guard/decision.hpp"
#include "edgeguard/metrics/health.hpp"
#include "edgeguard/metrics/registry.hpp"

namespace edgeguard::guard {

// How a request ended; the label values of edgeguard_requests_total.
// seam: guard
enum class Outcome : uint32_t {
  ok = 0,               // the upstream's answer (any status it chose) was forwarded
  cache_hit = 1,        // answered from cache without the upstream (fresh or revalidating)
  stale = 2,            // answered from stale cache because the upstream failed
  rate_limited = 3,
  invalid_request = 4,
  too_large = 5,
  not_found = 6,        // no route
  method_not_allowed = 7,
  circuit_open = 8,
  timeout = 9,
  upstream_error = 10,  // unreachable, or a failure status passed through
  invalid_response = 11,
  overloaded = 12,      // bulkhead full
  preflight = 13,
  count = 14,
};

// Index = CircuitBreaker states as js/breaker.js names them.
enum class BreakerState : uint32_t { closed = 0, open = 1, half_open = 2, forced_open = 3, disabled = 4, metrics_only = 5 };

// seam: guard
enum class UpstreamEvent : uint32_t { retry = 0, budget_exhausted = 1, call = 2 };

// The counts of a route's shared cache tier, by the result label of edgeguard_shared_cache_total:
// the SharedCacheStats fields (cache.d.ts) and the gateway's own count of answers that are not for
// everyone; never renumbered.
// seam: guard
enum class SharedCacheResult : uint32_t {
  hit = 0, stale = 1, miss = 2, stale_if_error = 3, write = 4, unshareable = 5, too_large = 6, skip = 7,
  error = 8, timeout = 9, lease = 10, lease_wait = 11, lease_timeout = 12,
  not_for_everyone = 13,  // answers kept out of every tier: private, no-store, Set-Cookie, or asked with credentials
  count = 14,
};

// The shared store as js/ reads it (store.d.ts StoreStats): totals since the store was made and
// the latency of its last answered calls.
struct StoreReading {
  BreakerState breaker = BreakerState::closed;  // the breaker in front of the store
  double ok = 0, timeouts = 0, unavailable = 0, errors = 0;  // every call ends as one of these
  double refused = 0;  // of `unavailable`: not sent, the store's breaker was open
  double late = 0;     // answers after their call's deadline, dropped
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

class Guard {
 public:
  // Parses the config and registers the metric families; false with `issue` on a bad config.
  bool configure(std::string_view config_json, ConfigIssue& issue);

  const Config& config() const { return config_; }

  // One call per answered request. `route` may be kNoRoute; `cache` is the cache outcome or
  // -1 when the request never reached the cache; latencies in ms (negative: none).
  void record(uint32_t route, Outcome outcome, int32_t cache, double latency_ms, uint32_t upstream,
              double upstream_latency_ms);
  void record_stored(uint32_t route);
  void upstream_event(uint32_t upstream, UpstreamEvent event);
  void set_breaker_state(uint32_t upstream, BreakerState state);
  void set_gauges(double cache_entries, double limiter_keys);
  // A gateway with a store reports it on every health or metrics read; without one, no store
  // check or series appears.
  void set_store(const StoreReading& reading);
  // Decisions a route's shared limiter took from its local fallback because the store failed (a total).
  void set_rate_limit_fallbacks(uint32_t route, double total);
  // A shared breaker's view: the instances reporting its upstream open, as last read from the store.
  void set_open_reports(uint32_t upstream, double reports);
  // A route's shared cache tier: the total of one of its counts (SharedCacheResult).
  void set_shared_cache(uint32_t route, SharedCacheResult result, double total);

  const std::string& prometheus();
  // `time` is the caller's RFC 3339 timestamp (the core reads no clock).
  const std::string& health(std::string_view version, std::string_view time);
  metrics::Health health_status() const { return health_status_; }

 private:
  uint32_t route_series(uint32_t family, uint32_t route, uint32_t value, const char* value_name);
  uint32_t upstream_series(uint32_t family, uint32_t upstream);

  Config config_;
  metrics::Registry registry_{2000};
  uint32_t requests_ = 0, duration_ = 0, upstream_duration_ = 0, cache_ = 0, rate_limited_ = 0, breaker_ = 0,
           retries_ = 0, budget_ = 0, calls_ = 0, cache_entries_ = 0, limiter_keys_ = 0, store_calls_ = 0,
           store_refused_ = 0, store_late_ = 0, store_latency_ = 0, store_state_ = 0, limit_fallbacks_ = 0,
           open_reports_ = 0, shared_cache_ = 0;
  std::unordered_map<uint64_t, uint32_t> series_;  // (family, route/upstream, value) -> series id
  std::vector<BreakerState> states_;
  double cache_entries_value_ = 0, limiter_keys_value_ = 0;
  bool has_store_ = false;
  BreakerState store_breaker_ = BreakerState::closed;
  metrics::Health health_status_ = metrics::Health::pass;
  std::string text_;
};

}  // namespace edgeguard::guard
