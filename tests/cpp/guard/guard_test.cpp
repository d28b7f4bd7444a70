#include "edgeguard/guard/guard.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::guard;

namespace {

const char* kConfig = R"({
  "service": "brands",
  "upstreams": { "api": { "origin": "http://127.0.0.1:1" }, "search": { "origin": "http://127.0.0.1:2" } },
  "routes": [ { "name": "brand", "path": "/v1/brands/:id", "upstream": "api" },
              { "name": "search", "path": "/search", "upstream": "search" } ]
})";

Guard configured() {
  Guard g;
  ConfigIssue issue;
  EXPECT_TRUE(g.configure(kConfig, issue)) << issue.path << " " << issue.message;
  return g;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(Guard, RecordsRequestsByRouteAndOutcome) {
  Guard g = configured();
  g.record(0, Outcome::ok, 3, 12, 0, 10);
  g.record(0, Outcome::ok, 0, 1, 0, -1);
  g.record(0, Outcome::rate_limited, -1, 0.5, 0, -1);
  g.record(kNoRoute, Outcome::not_found, -1, 0.1, UINT32_MAX, -1);
  g.record_stored(0);
  g.upstream_event(0, UpstreamEvent::retry);
  g.upstream_event(0, UpstreamEvent::budget_exhausted);
  g.set_breaker_state(1, BreakerState::open);
  const std::string text = g.prometheus();
  EXPECT_TRUE(contains(text, "edgeguard_requests_total{route=\"brand\",outcome=\"ok\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "edgeguard_requests_total{route=\"brand\",outcome=\"rate_limited\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_requests_total{route=\"(none)\",outcome=\"not_found\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_cache_total{route=\"brand\",result=\"miss\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_cache_total{route=\"brand\",result=\"hit\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_cache_total{route=\"brand\",result=\"stored\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_rate_limited_total{route=\"brand\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_request_duration_seconds_count{route=\"brand\"} 3\n"));
  EXPECT_TRUE(contains(text, "edgeguard_request_duration_seconds_bucket{route=\"brand\",le=\"0.001\"} 2\n"));
  EXPECT_TRUE(contains(text, "edgeguard_upstream_duration_seconds_count{upstream=\"api\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_circuit_state{upstream=\"search\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_circuit_state{upstream=\"api\"} 0\n"));
  EXPECT_TRUE(contains(text, "edgeguard_retries_total{upstream=\"api\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_retry_budget_exhausted_total{upstream=\"api\"} 1\n"));
}

TEST(Guard, OutOfRangeInputsAreIgnored) {
  Guard g = configured();
  const std::string before = g.prometheus();
  g.record(7, Outcome::ok, 0, 1, 0, 1);
  g.record(0, Outcome(99), 0, 1, 0, 1);
  g.upstream_event(9, UpstreamEvent::retry);
  g.set_breaker_state(0, BreakerState(42));
  EXPECT_EQ(g.prometheus(), before);
}

TEST(Guard, HealthFollowsTheBreakers) {
  Guard g = configured();
  g.set_gauges(12, 3);
  std::string doc = g.health("1.2.3", "2026-01-01T00:00:00Z");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::pass);
  EXPECT_TRUE(contains(doc, R"("status":"pass","version":"1.2.3","serviceId":"brands")")) << doc;
  EXPECT_TRUE(contains(doc, R"("upstream:api":[{"componentType":"http","observedValue":"closed","status":"pass")"));
  EXPECT_TRUE(contains(doc, R"("cache:entries":[{"componentType":"datastore","observedValue":12,"observedUnit":"entries")"));

  g.set_breaker_state(0, BreakerState::half_open);
  g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::warn);
  g.set_breaker_state(0, BreakerState::open);
  doc = g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::warn);  // search still serves
  EXPECT_TRUE(contains(doc, R"("observedValue":"open","status":"fail")"));
  g.set_breaker_state(1, BreakerState::forced_open);
  g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::fail);  // nothing can be reached
}

TEST(Guard, BadConfigIsRefused) {
  Guard g;
  ConfigIssue issue;
  EXPECT_FALSE(g.configure(R"({"upstreams": {}, "routes": []})", issue));
  EXPECT_EQ(issue.path, "/upstreams");
}

TEST(Guard, NoStoreNoStoreCheckOrSeries) {
  Guard g = configured();
  EXPECT_FALSE(contains(g.health("1", "t"), "\"store\""));
  EXPECT_FALSE(contains(g.prometheus(), "edgeguard_store_calls_total{"));
}

TEST(Guard, StoreCountersFollowTheTotalsAndNeverGoBack) {
  Guard g = configured();
  g.set_store(StoreReading{BreakerState::closed, 10, 2, 3, 1, 2, 1, 1.5, 4, 20, 31});
  g.set_store(StoreReading{BreakerState::open, 12, 2, 7, 1, 5, 1, 1.5, 4, 20, 31});
  g.set_store(StoreReading{BreakerState::open, 11, 2, 7, 1, 5, 1, 1.5, 4, 20, 31});  // a lower total moves nothing
  g.set_rate_limit_fallbacks(0, 4);
  g.set_rate_limit_fallbacks(0, 9);
  g.set_rate_limit_fallbacks(5, 9);  // no such route
  g.set_open_reports(1, 2);
  g.set_open_reports(7, 2);  // no such upstream
  const std::string text = g.prometheus();
  EXPECT_TRUE(contains(text, "edgeguard_store_calls_total{result=\"ok\"} 12\n")) << text;
  EXPECT_TRUE(contains(text, "edgeguard_store_calls_total{result=\"timeout\"} 2\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_calls_total{result=\"unavailable\"} 7\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_calls_total{result=\"error\"} 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_refused_total 5\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_late_total 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_latency_seconds{quantile=\"0.5\"} 0.0015\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_latency_seconds{quantile=\"1\"} 0.031\n"));
  EXPECT_TRUE(contains(text, "edgeguard_store_circuit_state 1\n"));
  EXPECT_TRUE(contains(text, "edgeguard_rate_limit_fallback_total{route=\"brand\"} 9\n"));
  EXPECT_TRUE(contains(text, "edgeguard_circuit_open_reports{upstream=\"search\"} 2\n"));
  EXPECT_FALSE(contains(text, "edgeguard_circuit_open_reports{upstream=\"api\"}"));
  EXPECT_FALSE(contains(text, "route=\"(none)\""));
}

TEST(Guard, SharedCacheCountsFollowTheTotalsByRoute) {
  Guard g = configured();
  EXPECT_FALSE(contains(g.prometheus(), "edgeguard_shared_cache_total{"));  // no shared route read: no series
  g.set_shared_cache(0, SharedCacheResult::hit, 3);
  g.set_shared_cache(0, SharedCacheResult::hit, 5);
  g.set_shared_cache(0, SharedCacheResult::hit, 4);  // a lower total moves nothing
  g.set_shared_cache(0, SharedCacheResult::lease_timeout, 1);
  g.set_shared_cache(5, SharedCacheResult::hit, 9);  // no such route
  g.set_shared_cache(0, SharedCacheResult::count, 9);  // no such result
  const std::string text = g.prometheus();
  EXPECT_TRUE(contains(text, "edgeguard_shared_cache_total{route=\"brand\",result=\"hit\"} 5\n")) << text;
  EXPECT_TRUE(contains(text, "edgeguard_shared_cache_total{route=\"brand\",result=\"lease_timeout\"} 1\n"));
  EXPECT_FALSE(contains(text, "route=\"(none)\""));
}

TEST(Guard, AStoreDownDegradesHealthButNeverFailsIt) {
  Guard g = configured();
  g.set_store(StoreReading{});
  std::string doc = g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::pass);
  EXPECT_TRUE(contains(doc, R"("store":[{"componentType":"datastore","observedValue":"closed","status":"pass")")) << doc;
  g.set_store(StoreReading{BreakerState::half_open});
  g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::warn);
  g.set_store(StoreReading{BreakerState::open});
  doc = g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::warn);
  EXPECT_TRUE(contains(doc, R"("observedValue":"open","status":"fail")")) << doc;
  EXPECT_TRUE(contains(doc, "answer locally"));
  g.set_store(StoreReading{BreakerState(42)});  // ignored
  g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::warn);
  g.set_store(StoreReading{BreakerState::closed});
  g.health("1", "t");
  EXPECT_EQ(g.health_status(), edgeguard::metrics::Health::pass);
}
