#include "edgeguard/guard/decision.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "edgeguard/guard/method.hpp"

namespace edgeguard::guard {

CacheUse cache_use(const Route& route, uint32_t method, bool has_credentials) {
  if (!route.cache.enabled) return CacheUse::bypass_no_rule;
  if ((method & (kGet | kHead)) == 0) return CacheUse::bypass_method;
  if (route.cache.per_user) return CacheUse::per_user;
  return has_credentials ? CacheUse::bypass_credentials : CacheUse::shared;
}

namespace {

// Statuses a cache may store without explicit freshness (RFC 9110 section 15.1), minus the
// ones a gateway should not repeat (206 needs range handling).
bool storable_status(uint32_t status) {
  switch (status) {
    case 200: case 203: case 204: case 300: case 301: case 308: case 404: case 405: case 410: case 414: case 501:
      return true;
    default:
      return false;
  }
}

StoreDecision refuse(StoreRefusal reason, bool personal) {
  StoreDecision d;
  d.reason = reason;
  d.personal = personal;
  return d;
}

// Whether the route's key holds every request header the origin varies on. fetch() decoded the
// body, so the Accept-Encoding variants are all the same bytes here.
bool vary_listed(const CacheRule& rule, const OriginPolicy& origin) {
  for (size_t i = 0; i < origin.vary_count; ++i) {
    const std::string_view name = origin.vary[i];
    if (name != "accept-encoding" && std::find(rule.vary.begin(), rule.vary.end(), name) == rule.vary.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

StoreDecision store_decision(const Route& route, CacheUse use, uint32_t status, const OriginPolicy& origin) {
  const bool per_user = use == CacheUse::per_user;
  const auto has = [&](OriginFact fact) { return (origin.facts & fact) != 0; };
  // Authorization is the request's credentials: a per-user route opted in to storing those.
  const bool is_private = has(kPrivate) || (has(kAuthorization) && !per_user);
  // The answer must not be replayed to anyone else, whether or not this route may keep it.
  const bool personal = has(kNoStore) || has(kNoCache) || has(kVaryStar) || is_private || has(kSetCookie);
  if (use != CacheUse::shared && !per_user) return refuse(StoreRefusal::bypass, personal);
  if (!storable_status(status)) return refuse(StoreRefusal::status, personal);
  // Only a per-user route that overrides the origin keeps what the origin said not to store (it
  // cannot revalidate, so no-cache is the same).
  if ((has(kNoStore) || has(kNoCache)) && (route.cache.respect_origin || !per_user)) {
    return refuse(StoreRefusal::no_store, personal);
  }
  if (is_private && !per_user) return refuse(StoreRefusal::private_, personal);
  if (has(kSetCookie) && !per_user) return refuse(StoreRefusal::set_cookie, personal);
  // Stored under a key without that header, one variant would be served for all of them; Vary: *
  // names headers no key can hold.
  if (has(kVaryStar) || !vary_listed(route.cache, origin)) return refuse(StoreRefusal::vary, personal);
  StoreDecision d;
  d.store = true;
  d.personal = personal;
  d.ttl_ms = route.cache.ttl_ms;
  d.swr_ms = route.cache.swr_ms;
  d.sie_ms = route.cache.sie_ms;
  // A lifetime the origin chose; a heuristic one (from Last-Modified) does not beat the route's.
  const bool explicit_ttl = has(kExplicitTtl) && origin.ttl_ms >= 0;
  if (route.cache.respect_origin) {
    if (explicit_ttl) d.ttl_ms = origin.ttl_ms;
    if (origin.swr_ms >= 0) d.swr_ms = origin.swr_ms;
    if (origin.sie_ms >= 0) d.sie_ms = origin.sie_ms;
    if (has(kMustRevalidate)) d.swr_ms = d.sie_ms = 0;  // RFC 9111 5.2.2.2: never served stale
  }
  if (explicit_ttl) d.age_ms = origin.age_ms;
  // Nothing left to serve, fresh or stale, once it is as old as it is.
  if (d.ttl_ms + std::max(d.swr_ms, d.sie_ms) <= d.age_ms) return refuse(StoreRefusal::no_lifetime, personal);
  return d;
}

std::string cache_status(CacheOutcome outcome, double ttl_left_ms, uint32_t fwd_status, bool stored,
                         const char* detail) {
  std::string out = "edgeguard";
  // RFC 9211 ttl: seconds of freshness left, negative once stale.
  const auto ttl = int64_t(std::floor(ttl_left_ms / 1000));
  switch (outcome) {
    case CacheOutcome::hit:
      out += "; hit; ttl=" + std::to_string(ttl);
      break;
    case CacheOutcome::stale_swr:
      out += "; hit; ttl=" + std::to_string(ttl);
      if (!*detail) detail = "stale-while-revalidate";
      break;
    case CacheOutcome::stale_error:
      out += "; fwd=stale; ttl=" + std::to_string(ttl);
      if (!*detail) detail = "stale-if-error";
      break;
    case CacheOutcome::miss:
      out += "; fwd=uri-miss";
      break;
    case CacheOutcome::expired:
      out += "; fwd=stale";
      break;
    case CacheOutcome::bypass:
      out += "; fwd=bypass";
      break;
  }
  if (fwd_status) out += "; fwd-status=" + std::to_string(fwd_status);
  if (stored) out += "; stored";
  if (*detail) {
    out += "; detail=";
    out += detail;
  }
  return out;
}

}  // namespace edgeguard::guard
