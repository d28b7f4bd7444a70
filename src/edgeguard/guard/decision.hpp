#pragma once
// The pipeline's decisions that are not I/O: whether a request may use the cache, whether a
// response may be stored and for how long, and the Cache-Status (RFC 9211) text of every answer.
// (What a failure turns into is js/guard.js's FAILED, with js/problem.js's problems.)
#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>

#include "edgeguard/guard/config.hpp"

namespace edgeguard::guard {

// seam: guard
enum class CacheUse : uint32_t {
  shared = 0,    // look up and store under the shared key
  per_user = 1,  // the route opted in: look up and store under a key with the user key
  bypass_no_rule = 2,
  bypass_method = 3,
  bypass_credentials = 4,  // Authorization or Cookie on a route that did not opt in
};

CacheUse cache_use(const Route& route, uint32_t method, bool has_credentials);

// What the request and the origin's response said, as js/http-cache.js's responseFacts reads them:
// one bit each, weighed against the route by store_decision.
// seam: guard
enum OriginFact : uint32_t {
  kNoStore = 1u << 0,        // Cache-Control: no-store, on the request or the response
  kNoCache = 1u << 1,        // no-cache, or Pragma: no-cache without Cache-Control
  kVaryStar = 1u << 2,       // Vary: *
  kPrivate = 1u << 3,        // Cache-Control: private
  kAuthorization = 1u << 4,  // the request had Authorization; the response does not allow sharing it (RFC 9111 3.5)
  kSetCookie = 1u << 5,
  kMustRevalidate = 1u << 6,  // must-revalidate or proxy-revalidate
  kExplicitTtl = 1u << 7,     // ttl_ms is from s-maxage, max-age or Expires, not from Last-Modified
};

struct OriginPolicy {
  uint32_t facts = 0;  // OriginFact bits
  double ttl_ms = -1;  // -1: the origin gave no freshness lifetime
  double swr_ms = -1;  // -1: not given
  double sie_ms = -1;
  double age_ms = 0;  // how old the response already is
  const std::string_view* vary = nullptr;  // the request header names of its Vary, lower-case
  size_t vary_count = 0;
};

// Why a response is not stored (the bridge shows it as its Cache-Status detail).
enum class StoreRefusal : uint8_t { none, bypass, status, no_store, private_, set_cookie, vary, no_lifetime };

struct StoreDecision {
  bool store = false;
  bool personal = false;  // an answer for its client alone: no route shares it
  StoreRefusal reason = StoreRefusal::none;  // why not
  double ttl_ms = 0;
  double swr_ms = 0;
  double sie_ms = 0;
  double age_ms = 0;
};

StoreDecision store_decision(const Route& route, CacheUse use, uint32_t status, const OriginPolicy& origin);

// seam: guard
enum class CacheOutcome : uint32_t {
  hit = 0,         // fresh entry served
  stale_swr = 1,   // stale entry served while revalidating in the background
  stale_error = 2, // stale entry served because the upstream failed
  miss = 3,        // forwarded, no entry
  bypass = 4,      // the request may not use the cache
  expired = 5,     // forwarded, an entry existed but was too old to serve
};

// The Cache-Status field value (RFC 9211): `edgeguard; hit; ttl=12`, `edgeguard; fwd=stale;
// fwd-status=503; detail=stale-if-error`, `edgeguard; fwd=uri-miss; stored`, ...
// `ttl_left_ms` is freshness left (negative once stale); `fwd_status` 0 when none was received.
std::string cache_status(CacheOutcome outcome, double ttl_left_ms, uint32_t fwd_status, bool stored,
                         const char* detail);

}  // namespace edgeguard::guard
