#include "edgeguard/guard/decision.hpp"

#include <gtest/gtest.h>

#include "edgeguard/guard/method.hpp"

using namespace edgeguard::guard;

namespace {

Route cached(bool per_user = false, bool respect_origin = true) {
  Route r;
  r.methods = kGet | kHead;
  r.cache.enabled = true;
  r.cache.ttl_ms = 60000;
  r.cache.swr_ms = 10000;
  r.cache.sie_ms = 3600000;
  r.cache.per_user = per_user;
  r.cache.respect_origin = respect_origin;
  return r;
}

}  // namespace

TEST(Decision, CacheUse) {
  EXPECT_EQ(cache_use(Route{}, kGet, false), CacheUse::bypass_no_rule);
  EXPECT_EQ(cache_use(cached(), kGet, false), CacheUse::shared);
  EXPECT_EQ(cache_use(cached(), kHead, false), CacheUse::shared);
  EXPECT_EQ(cache_use(cached(), kPost, false), CacheUse::bypass_method);
  EXPECT_EQ(cache_use(cached(), kGet, true), CacheUse::bypass_credentials);
  EXPECT_EQ(cache_use(cached(true), kGet, true), CacheUse::per_user);
  EXPECT_EQ(cache_use(cached(true), kGet, false), CacheUse::per_user);
}

TEST(Decision, StoreUsesTheRouteLifetimesUnlessTheOriginSaysOtherwise) {
  StoreDecision d = store_decision(cached(), CacheUse::shared, 200, OriginPolicy{});
  EXPECT_TRUE(d.store);
  EXPECT_EQ(d.ttl_ms, 60000);
  EXPECT_EQ(d.swr_ms, 10000);
  EXPECT_EQ(d.sie_ms, 3600000);

  OriginPolicy origin;
  origin.ttl_ms = 5000;
  origin.sie_ms = 1000;
  d = store_decision(cached(), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.ttl_ms, 5000);
  EXPECT_EQ(d.swr_ms, 10000);
  EXPECT_EQ(d.sie_ms, 1000);
  d = store_decision(cached(false, false), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.ttl_ms, 60000);  // the route wins when it says so

  origin.must_revalidate = true;
  d = store_decision(cached(), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.swr_ms, 0);
  EXPECT_EQ(d.sie_ms, 0);
}

TEST(Decision, NeverStoresAcrossUsers) {
  OriginPolicy priv;
  priv.is_private = true;
  EXPECT_FALSE(store_decision(cached(), CacheUse::shared, 200, priv).store);
  EXPECT_STREQ(store_decision(cached(), CacheUse::shared, 200, priv).reason, "private");
  EXPECT_TRUE(store_decision(cached(true), CacheUse::per_user, 200, priv).store);
  OriginPolicy cookie;
  cookie.set_cookie = true;
  EXPECT_FALSE(store_decision(cached(), CacheUse::shared, 200, cookie).store);
  EXPECT_TRUE(store_decision(cached(true), CacheUse::per_user, 200, cookie).store);
  OriginPolicy no_store;
  no_store.no_store = true;
  EXPECT_FALSE(store_decision(cached(), CacheUse::shared, 200, no_store).store);
  EXPECT_FALSE(store_decision(cached(true), CacheUse::per_user, 200, no_store).store);
  // Only a per-user route that overrides the origin stores a no-store answer.
  EXPECT_TRUE(store_decision(cached(true, false), CacheUse::per_user, 200, no_store).store);
  EXPECT_FALSE(store_decision(cached(), CacheUse::bypass_credentials, 200, OriginPolicy{}).store);
  OriginPolicy vary;
  vary.vary_unlisted = true;
  EXPECT_STREQ(store_decision(cached(true, false), CacheUse::per_user, 200, vary).reason, "vary");
}

TEST(Decision, StatusesAndLifetimes) {
  EXPECT_TRUE(store_decision(cached(), CacheUse::shared, 404, OriginPolicy{}).store);
  for (uint32_t s : {201u, 206u, 302u, 429u, 500u, 502u, 503u}) {
    EXPECT_FALSE(store_decision(cached(), CacheUse::shared, s, OriginPolicy{}).store) << s;
  }
  OriginPolicy zero;
  zero.ttl_ms = 0;
  zero.swr_ms = 0;
  zero.sie_ms = 0;
  EXPECT_STREQ(store_decision(cached(), CacheUse::shared, 200, zero).reason, "no-lifetime");
}

TEST(Decision, FailureAnswers) {
  EXPECT_TRUE(failure_answer(Failure::timeout, true).serve_stale);
  EXPECT_EQ(failure_answer(Failure::timeout, false).status, 504u);
  EXPECT_EQ(failure_answer(Failure::circuit_open, false).status, 503u);
  EXPECT_EQ(failure_answer(Failure::network, false).status, 502u);
  EXPECT_EQ(failure_answer(Failure::invalid_response, false).status, 502u);
  EXPECT_EQ(failure_answer(Failure::bulkhead_full, false).status, 503u);
  EXPECT_EQ(failure_answer(Failure::upstream_status, false).status, 0u);
  EXPECT_TRUE(failure_answer(Failure::upstream_status, true).serve_stale);
}

TEST(Decision, CacheStatusText) {
  EXPECT_EQ(cache_status(CacheOutcome::hit, 59500, 0, false, ""), "edgeguard; hit; ttl=59");
  EXPECT_EQ(cache_status(CacheOutcome::stale_swr, -2000, 0, false, ""),
            "edgeguard; hit; ttl=-2; detail=stale-while-revalidate");
  EXPECT_EQ(cache_status(CacheOutcome::stale_error, -90500, 503, false, ""),
            "edgeguard; fwd=stale; ttl=-91; fwd-status=503; detail=stale-if-error");
  EXPECT_EQ(cache_status(CacheOutcome::stale_error, -1, 0, false, "circuit-open"),
            "edgeguard; fwd=stale; ttl=-1; detail=circuit-open");
  EXPECT_EQ(cache_status(CacheOutcome::miss, 0, 200, true, ""), "edgeguard; fwd=uri-miss; fwd-status=200; stored");
  EXPECT_EQ(cache_status(CacheOutcome::bypass, 0, 200, false, "credentials"),
            "edgeguard; fwd=bypass; fwd-status=200; detail=credentials");
}
