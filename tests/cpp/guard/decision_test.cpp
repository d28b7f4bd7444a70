#include "edgeguard/guard/decision.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>

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

OriginPolicy said(uint32_t facts) {
  OriginPolicy origin;
  origin.facts = facts;
  return origin;
}

TEST(Decision, StoreUsesTheRouteLifetimesUnlessTheOriginSaysOtherwise) {
  StoreDecision d = store_decision(cached(), CacheUse::shared, 200, OriginPolicy{});
  EXPECT_TRUE(d.store);
  EXPECT_FALSE(d.personal);
  EXPECT_EQ(d.ttl_ms, 60000);
  EXPECT_EQ(d.swr_ms, 10000);
  EXPECT_EQ(d.sie_ms, 3600000);

  OriginPolicy origin = said(kExplicitTtl);
  origin.ttl_ms = 5000;
  origin.sie_ms = 1000;
  d = store_decision(cached(), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.ttl_ms, 5000);
  EXPECT_EQ(d.swr_ms, 10000);
  EXPECT_EQ(d.sie_ms, 1000);
  d = store_decision(cached(false, false), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.ttl_ms, 60000);  // the route wins when it says so
  EXPECT_EQ(d.sie_ms, 3600000);

  origin.facts |= kMustRevalidate;
  d = store_decision(cached(), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.swr_ms, 0);
  EXPECT_EQ(d.sie_ms, 0);
  d = store_decision(cached(false, false), CacheUse::shared, 200, origin);
  EXPECT_EQ(d.swr_ms, 10000);  // ... must-revalidate included
  EXPECT_EQ(d.sie_ms, 3600000);
}

TEST(Decision, OnlyAnExplicitLifetimeBeatsTheRoutesAndDatesTheEntry) {
  OriginPolicy heuristic;  // from Last-Modified
  heuristic.ttl_ms = 360000;
  heuristic.age_ms = 4000;
  StoreDecision d = store_decision(cached(), CacheUse::shared, 200, heuristic);
  EXPECT_EQ(d.ttl_ms, 60000);
  EXPECT_EQ(d.age_ms, 0);
  OriginPolicy explicit_ttl = heuristic;
  explicit_ttl.facts = kExplicitTtl;
  d = store_decision(cached(), CacheUse::shared, 200, explicit_ttl);
  EXPECT_EQ(d.ttl_ms, 360000);
  EXPECT_EQ(d.age_ms, 4000);
  // The route's lifetimes, yet the origin's answer is as old as it says.
  d = store_decision(cached(false, false), CacheUse::shared, 200, explicit_ttl);
  EXPECT_EQ(d.ttl_ms, 60000);
  EXPECT_EQ(d.age_ms, 4000);
  // Explicit, but not read (a directive refused the answer first): the route's.
  d = store_decision(cached(true), CacheUse::per_user, 200, said(kExplicitTtl | kPrivate));
  EXPECT_EQ(d.ttl_ms, 60000);
  // Older than its lifetime and every stale window: nothing left to serve.
  OriginPolicy old = said(kExplicitTtl);
  old.ttl_ms = 60000;
  old.age_ms = 120000;
  EXPECT_TRUE(store_decision(cached(), CacheUse::shared, 200, old).store);  // within the route's stale-if-error
  old.sie_ms = 30000;
  EXPECT_EQ(store_decision(cached(), CacheUse::shared, 200, old).reason, StoreRefusal::no_lifetime);
  old.sie_ms = 60001;
  EXPECT_TRUE(store_decision(cached(), CacheUse::shared, 200, old).store);
  // max-age=0 with the route's stale windows: stored, stale at once.
  OriginPolicy zero = said(kExplicitTtl);
  zero.ttl_ms = 0;
  d = store_decision(cached(), CacheUse::shared, 200, zero);
  EXPECT_TRUE(d.store);
  EXPECT_EQ(d.ttl_ms, 0);
  EXPECT_EQ(d.swr_ms, 10000);
}

TEST(Decision, NeverStoresAcrossUsers) {
  // Each fact on a shared route, on a per-user route that respects the origin, and on one that
  // overrides it: whether it is stored, and whether the answer is its client's alone.
  struct Case {
    uint32_t fact;
    bool shared, per_user, per_user_overriding, personal;
    StoreRefusal reason;
  };
  const Case cases[] = {
      {kNoStore, false, false, true, true, StoreRefusal::no_store},
      {kNoCache, false, false, true, true, StoreRefusal::no_store},
      {kVaryStar, false, false, false, true, StoreRefusal::vary},
      {kPrivate, false, true, true, true, StoreRefusal::private_},
      {kSetCookie, false, true, true, true, StoreRefusal::set_cookie},
      {kMustRevalidate, true, true, true, false, StoreRefusal::none},
      {kExplicitTtl, true, true, true, false, StoreRefusal::none},
  };
  for (const Case& c : cases) {
    const StoreDecision shared = store_decision(cached(), CacheUse::shared, 200, said(c.fact));
    EXPECT_EQ(shared.store, c.shared) << c.fact;
    EXPECT_EQ(shared.personal, c.personal) << c.fact;
    EXPECT_EQ(shared.reason, c.reason) << c.fact;
    const StoreDecision mine = store_decision(cached(true), CacheUse::per_user, 200, said(c.fact));
    EXPECT_EQ(mine.store, c.per_user) << c.fact;
    EXPECT_EQ(mine.personal, c.personal) << c.fact;
    EXPECT_EQ(store_decision(cached(true, false), CacheUse::per_user, 200, said(c.fact)).store, c.per_user_overriding)
        << c.fact;
  }
}

TEST(Decision, AuthorizationIsPrivateUnlessTheRouteKeysPerUser) {
  const StoreDecision shared = store_decision(cached(), CacheUse::shared, 200, said(kAuthorization));
  EXPECT_FALSE(shared.store);
  EXPECT_TRUE(shared.personal);
  EXPECT_EQ(shared.reason, StoreRefusal::private_);
  // The per-user route opted in to the request's credentials: its own answer, nobody else's.
  const StoreDecision mine = store_decision(cached(true), CacheUse::per_user, 200, said(kAuthorization));
  EXPECT_TRUE(mine.store);
  EXPECT_FALSE(mine.personal);
  EXPECT_TRUE(store_decision(cached(true), CacheUse::per_user, 200, said(kAuthorization | kPrivate)).personal);
}

TEST(Decision, BypassIsNeverStored) {
  for (CacheUse use : {CacheUse::bypass_no_rule, CacheUse::bypass_method, CacheUse::bypass_credentials}) {
    const StoreDecision d = store_decision(cached(), use, 200, OriginPolicy{});
    EXPECT_FALSE(d.store);
    EXPECT_EQ(d.reason, StoreRefusal::bypass);
  }
  EXPECT_TRUE(store_decision(cached(), CacheUse::bypass_credentials, 200, said(kSetCookie)).personal);
}

TEST(Decision, AVaryHeaderTheRouteDoesNotListBlocksStoring) {
  Route route = cached(true, false);
  route.cache.vary = {"accept-language", "x-tenant"};
  const auto varying = [&](std::initializer_list<std::string_view> names) {
    OriginPolicy origin;
    origin.vary = names.begin();
    origin.vary_count = names.size();
    return store_decision(route, CacheUse::per_user, 200, origin);
  };
  EXPECT_TRUE(varying({}).store);
  EXPECT_TRUE(varying({"x-tenant"}).store);
  EXPECT_TRUE(varying({"accept-language", "x-tenant"}).store);
  EXPECT_TRUE(varying({"accept-encoding", "accept-language"}).store);  // fetch() decoded the body
  EXPECT_FALSE(varying({"accept-language", "origin"}).store);
  EXPECT_EQ(varying({"accept-language", "origin"}).reason, StoreRefusal::vary);
  EXPECT_FALSE(varying({"x-tenant "}).store);  // names compare whole
  EXPECT_FALSE(varying({""}).store);
  // Not a personal answer: one nobody's key could hold.
  EXPECT_FALSE(varying({"origin"}).personal);
  route.cache.vary.clear();
  EXPECT_FALSE(varying({"x-tenant"}).store);
  EXPECT_TRUE(varying({"accept-encoding"}).store);
}

TEST(Decision, StatusesAndLifetimes) {
  EXPECT_TRUE(store_decision(cached(), CacheUse::shared, 404, OriginPolicy{}).store);
  for (uint32_t s : {201u, 206u, 302u, 429u, 500u, 502u, 503u}) {
    EXPECT_FALSE(store_decision(cached(), CacheUse::shared, s, OriginPolicy{}).store) << s;
  }
  OriginPolicy zero = said(kExplicitTtl);
  zero.ttl_ms = 0;
  zero.swr_ms = 0;
  zero.sie_ms = 0;
  EXPECT_EQ(store_decision(cached(), CacheUse::shared, 200, zero).reason, StoreRefusal::no_lifetime);
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
