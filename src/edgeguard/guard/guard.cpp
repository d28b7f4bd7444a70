#include "edgeguard/guard/guard.hpp"

#include <string>
#include <utility>

namespace edgeguard::guard {

namespace {

// A gauge's value as its metric prints it.
std::string number_text(double v) {
  std::string out;
  metrics::append_number(out, v);
  return out;
}

constexpr const char* kOutcomes[] = {"ok", "cache_hit", "stale", "rate_limited", "invalid_request", "too_large",
                                     "not_found", "method_not_allowed", "circuit_open", "timeout",
                                     "upstream_error", "invalid_response", "overloaded", "preflight"};
constexpr const char* kCacheResults[] = {"hit", "stale", "stale_if_error", "miss", "bypass", "expired", "stored"};
constexpr const char* kStates[] = {"closed", "open", "halfOpen", "forcedOpen", "disabled", "metricsOnly"};
constexpr uint32_t kStored = 6;
constexpr const char* kSharedCacheResults[] = {"hit", "stale", "miss", "stale_if_error", "write", "unshareable",
                                               "too_large", "skip", "error", "timeout", "lease", "lease_wait",
                                               "lease_timeout", "not_for_everyone"};
static_assert(std::size(kSharedCacheResults) == size_t(SharedCacheResult::count));

const std::vector<double> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,    1,     2.5,  5,     10};

}  // namespace

bool Guard::configure(std::string_view config_json, ConfigIssue& issue) {
  if (!parse_config(config_json, config_, issue)) return false;
  using metrics::Kind;
  const char* error = "";
  auto family = [&](const char* name, const char* help, Kind kind, std::vector<std::string> labels,
                    const std::vector<double>& buckets = {}) {
    return registry_.family(name, help, kind, labels, buckets, error);
  };
  requests_ = family("edgeguard_requests_total", "Requests answered, by route and outcome.", Kind::counter,
                     {"route", "outcome"});
  duration_ = family("edgeguard_request_duration_seconds", "Time to answer a request, by route.",
                     Kind::histogram, {"route"}, kLatencyBuckets);
  upstream_duration_ = family("edgeguard_upstream_duration_seconds", "Time the upstream took, by upstream.",
                              Kind::histogram, {"upstream"}, kLatencyBuckets);
  cache_ = family("edgeguard_cache_total", "Cache lookups and stores, by route and result.", Kind::counter,
                  {"route", "result"});
  rate_limited_ = family("edgeguard_rate_limited_total", "Requests refused by a rate limit, by route.",
                         Kind::counter, {"route"});
  breaker_ = family("edgeguard_circuit_state",
                    "Circuit breaker state by upstream: 0 closed, 1 open, 2 half-open, 3 forced open, "
                    "4 disabled, 5 metrics only.",
                    Kind::gauge, {"upstream"});
  calls_ = family("edgeguard_upstream_calls_total", "Calls made to an upstream, retries included.", Kind::counter,
                  {"upstream"});
  retries_ = family("edgeguard_retries_total", "Retried upstream calls, by upstream.", Kind::counter, {"upstream"});
  budget_ = family("edgeguard_retry_budget_exhausted_total", "Retries refused because the retry budget was spent.",
                   Kind::counter, {"upstream"});
  cache_entries_ = family("edgeguard_cache_entries", "Entries in the response cache.", Kind::gauge, {});
  limiter_keys_ = family("edgeguard_rate_limit_keys", "Keys tracked by the rate limiters.", Kind::gauge, {});
  store_calls_ = family("edgeguard_store_calls_total",
                        "Calls to the shared store, by result: ok, timeout (no answer by the deadline), unavailable "
                        "(unreachable, or not sent while its breaker is open), error (the store answered an error).",
                        Kind::counter, {"result"});
  store_refused_ = family("edgeguard_store_refused_total",
                          "Store calls not sent because the store's breaker was open (counted as unavailable too).",
                          Kind::counter, {});
  store_late_ = family("edgeguard_store_late_total", "Store answers that came after their call's deadline, dropped.",
                       Kind::counter, {});
  store_latency_ = family("edgeguard_store_latency_seconds",
                          "Latency of the store's last 1024 answered calls, by quantile (1 is the maximum).",
                          Kind::gauge, {"quantile"});
  store_state_ = family("edgeguard_store_circuit_state",
                        "State of the breaker in front of the store, encoded as edgeguard_circuit_state.", Kind::gauge,
                        {});
  limit_fallbacks_ = family("edgeguard_rate_limit_fallback_total",
                            "Rate-limit decisions of a global route answered by its local fallback (the store failed).",
                            Kind::counter, {"route"});
  open_reports_ = family("edgeguard_circuit_open_reports",
                         "Instances reporting the upstream's circuit open, as a shared breaker last read the store.",
                         Kind::gauge, {"upstream"});
  shared_cache_ = family("edgeguard_shared_cache_total",
                         "A route's shared cache tier (cache.shared), by result: reads (hit, stale, miss, "
                         "stale_if_error served when the upstream failed), writes, values kept out (unshareable, "
                         "too_large; not_for_everyone: private, no-store, Set-Cookie or asked with credentials), "
                         "store calls failed (skip: its breaker open, error, timeout) and leases.",
                         Kind::counter, {"route", "result"});
  states_.assign(config_.upstreams.size(), BreakerState::closed);
  for (uint32_t u = 0; u < config_.upstreams.size(); ++u) set_breaker_state(u, BreakerState::closed);
  return true;
}

uint32_t Guard::route_series(uint32_t family, uint32_t route, uint32_t value, const char* value_name) {
  const uint64_t key = (uint64_t(family) << 48) | (uint64_t(route) << 16) | value;
  const auto it = series_.find(key);
  if (it != series_.end()) return it->second;
  const std::string_view name = route < config_.routes.size() ? std::string_view(config_.routes[route].name)
                                                              : std::string_view("(none)");
  const std::string_view values[] = {name, value_name ? std::string_view(value_name) : std::string_view()};
  const uint32_t id = registry_.series(family, values, value_name ? 2 : 1);
  series_.emplace(key, id);
  return id;
}

uint32_t Guard::upstream_series(uint32_t family, uint32_t upstream) {
  const uint64_t key = (uint64_t(family) << 48) | (uint64_t(upstream) << 16) | 0xffff;
  const auto it = series_.find(key);
  if (it != series_.end()) return it->second;
  const std::string_view values[] = {config_.upstreams[upstream].name};
  const uint32_t id = registry_.series(family, values, 1);
  series_.emplace(key, id);
  return id;
}

void Guard::record(uint32_t route, Outcome outcome, int32_t cache, double latency_ms, uint32_t upstream,
                   double upstream_latency_ms) {
  if (route != kNoRoute && route >= config_.routes.size()) return;
  if (outcome >= Outcome::count) return;
  registry_.add(route_series(requests_, route, uint32_t(outcome), kOutcomes[size_t(outcome)]), 1);
  if (latency_ms >= 0) registry_.observe(route_series(duration_, route, 0xfffe, nullptr), latency_ms / 1000);
  if (cache >= 0 && cache < int32_t(kStored)) {
    registry_.add(route_series(cache_, route, uint32_t(cache), kCacheResults[cache]), 1);
  }
  if (outcome == Outcome::rate_limited) registry_.add(route_series(rate_limited_, route, 0xfffd, nullptr), 1);
  if (upstream < config_.upstreams.size() && upstream_latency_ms >= 0) {
    registry_.observe(upstream_series(upstream_duration_, upstream), upstream_latency_ms / 1000);
  }
}

void Guard::record_stored(uint32_t route) {
  if (route >= config_.routes.size()) return;
  registry_.add(route_series(cache_, route, kStored, kCacheResults[kStored]), 1);
}

void Guard::upstream_event(uint32_t upstream, UpstreamEvent event) {
  if (upstream >= config_.upstreams.size()) return;
  const uint32_t family = event == UpstreamEvent::retry ? retries_
                          : event == UpstreamEvent::call ? calls_ : budget_;
  registry_.add(upstream_series(family, upstream), 1);
}

void Guard::set_breaker_state(uint32_t upstream, BreakerState state) {
  if (upstream >= config_.upstreams.size() || uint32_t(state) > uint32_t(BreakerState::metrics_only)) return;
  states_[upstream] = state;
  registry_.set(upstream_series(breaker_, upstream), double(state));
}

void Guard::set_gauges(double cache_entries, double limiter_keys) {
  cache_entries_value_ = cache_entries;
  limiter_keys_value_ = limiter_keys;
  registry_.set(registry_.series(cache_entries_, nullptr, 0), cache_entries);
  registry_.set(registry_.series(limiter_keys_, nullptr, 0), limiter_keys);
}

namespace {

// A counter fed a total read elsewhere: it moves by the difference, never back.
void advance_to(metrics::Registry& registry, uint32_t series, double total) {
  const double by = total - registry.value(series);
  if (by > 0) registry.add(series, by);
}

}  // namespace

void Guard::set_store(const StoreReading& r) {
  if (uint32_t(r.breaker) > uint32_t(BreakerState::metrics_only)) return;
  has_store_ = true;
  store_breaker_ = r.breaker;
  const std::pair<const char*, double> results[] = {
      {"ok", r.ok}, {"timeout", r.timeouts}, {"unavailable", r.unavailable}, {"error", r.errors}};
  for (const auto& [name, total] : results) {
    const std::string_view value = name;
    advance_to(registry_, registry_.series(store_calls_, &value, 1), total);
  }
  advance_to(registry_, registry_.series(store_refused_, nullptr, 0), r.refused);
  advance_to(registry_, registry_.series(store_late_, nullptr, 0), r.late);
  const std::pair<const char*, double> quantiles[] = {
      {"0.5", r.p50_ms}, {"0.9", r.p90_ms}, {"0.99", r.p99_ms}, {"1", r.max_ms}};
  for (const auto& [name, ms] : quantiles) {
    const std::string_view value = name;
    registry_.set(registry_.series(store_latency_, &value, 1), ms / 1000);
  }
  registry_.set(registry_.series(store_state_, nullptr, 0), double(r.breaker));
}

void Guard::set_rate_limit_fallbacks(uint32_t route, double total) {
  if (route >= config_.routes.size()) return;
  advance_to(registry_, route_series(limit_fallbacks_, route, 0xfffc, nullptr), total);
}

void Guard::set_shared_cache(uint32_t route, SharedCacheResult result, double total) {
  if (route >= config_.routes.size() || result >= SharedCacheResult::count) return;
  const uint32_t r = uint32_t(result);
  advance_to(registry_, route_series(shared_cache_, route, r, kSharedCacheResults[r]), total);
}

void Guard::set_open_reports(uint32_t upstream, double reports) {
  if (upstream >= config_.upstreams.size()) return;
  registry_.set(upstream_series(open_reports_, upstream), reports);
}

const std::string& Guard::prometheus() {
  text_.clear();
  registry_.prometheus(text_);
  return text_;
}

const std::string& Guard::health(std::string_view version, std::string_view time) {
  using metrics::Check;
  using metrics::Health;
  std::vector<Check> checks;
  size_t failing = 0;
  for (size_t u = 0; u < config_.upstreams.size(); ++u) {
    const BreakerState s = states_[u];
    const Health h = s == BreakerState::open || s == BreakerState::forced_open ? Health::fail
                     : s == BreakerState::half_open ? Health::warn : Health::pass;
    failing += h == Health::fail;
    checks.push_back(Check{"upstream:" + config_.upstreams[u].name, "http",
                           std::string("\"") + kStates[size_t(s)] + "\"", "", h,
                           h == Health::fail ? "circuit open: calls fail fast, cached routes serve stale" : "", false});
  }
  // Every upstream down: the service as a whole fails.
  if (failing == config_.upstreams.size()) {
    for (Check& c : checks) c.critical = true;
  }
  checks.push_back(Check{"cache:entries", "datastore", number_text(cache_entries_value_), "entries",
                         Health::pass, "", false});
  if (has_store_) {
    // Not critical: while the store is away, shared limits and breakers answer from their local
    // fallback, so the service is degraded (warn), never failing for it.
    const BreakerState s = store_breaker_;
    const Health h = s == BreakerState::open || s == BreakerState::forced_open ? Health::fail
                     : s == BreakerState::half_open ? Health::warn : Health::pass;
    checks.push_back(Check{"store", "datastore", std::string("\"") + kStates[size_t(s)] + "\"", "", h,
                           h == Health::pass ? ""
                           : h == Health::warn ? "probing the store after failures"
                                               : "store unreachable: shared limits, breakers and cache tiers answer locally",
                           false});
  }
  checks.push_back(Check{"rateLimiter:keys", "component", number_text(limiter_keys_value_), "keys",
                         Health::pass, "", false});
  health_status_ = metrics::overall(checks);
  text_.clear();
  metrics::format_health(text_, config_.service, version, time, checks);
  return text_;
}

}  // namespace edgeguard::guard
