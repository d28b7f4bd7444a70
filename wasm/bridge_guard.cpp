// The guard's decisions across the boundary: config in (JSON text, once), then per request a
// few numeric calls (route match, cache use, store decision) and strings packed as
// NUL-separated UTF-8 where a call needs several (cache key parts, client-IP inputs).
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "bridge.hpp"
#include "edgeguard/guard/cache_key.hpp"
#include "edgeguard/guard/client_ip.hpp"
#include "edgeguard/guard/decision.hpp"
#include "edgeguard/guard/guard.hpp"

using namespace edgeguard::guard;

namespace {

// status 0: the config is invalid (path, message); 1: out of memory.
struct Issue {
  const char* path;
  const char* message;
  uint32_t status;
} issue;
std::string issue_path, issue_message, text;

struct Store {
  double store, ttl_ms, swr_ms, sie_ms;
} store;

struct FailureResult {
  uint32_t serve_stale;
  uint32_t status;
  const char* title;
  const char* type;
} failure;

// Cache-Status detail values, by the index js/guard.js passes.
constexpr const char* kDetails[] = {"", "credentials", "method", "circuit-open", "timeout", "upstream-error",
                                    "invalid-response", "overloaded", "coalesced", "no-store", "private",
                                    "set-cookie", "status", "no-lifetime", "no-rule"};

// Text results live in `text` until the next call; an allocation failure is a null result
// (CORE_FAILED in js/core.js), never an exception crossing into JS.
template <class F>
const char* text_result(F&& fill) {
  try {
    fill(text);
    return text.c_str();
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

}  // namespace

EG_EXPORT Guard* eg_guard_new(const uint8_t* data, uint32_t len) {
  uint32_t status = 0;
  issue_path.clear();
  issue_message = "out of memory";
  if (!data) {
    issue_message = "has no text (a null pointer)";
  } else {
    try {
      auto guard = std::make_unique<Guard>();
      ConfigIssue i;
      if (guard->configure(std::string_view(reinterpret_cast<const char*>(data), len), i)) return guard.release();
      issue_path = std::move(i.path);
      issue_message = std::move(i.message);
    } catch (const std::bad_alloc&) {
      status = 1;
    }
  }
  issue = {issue_path.c_str(), issue_message.c_str(), status};
  return nullptr;
}

EG_EXPORT const Issue* eg_guard_issue() { return &issue; }

EG_EXPORT void eg_guard_free(Guard* guard) { delete guard; }

// The normalized configuration (JSON text), read once by js/guard.js.
EG_EXPORT const char* eg_guard_config(Guard* guard) {
  return text_result([&](std::string& out) { out = to_json(guard->config()).dump(); });
}

// The route index; -1 when no route matches, -2 when one matches the path but not the method,
// -3 for a null path (never read as "/", which the catch-all route would match).
EG_EXPORT int32_t eg_guard_match(Guard* guard, uint32_t method, const uint8_t* path, uint32_t len, int32_t upstream) {
  if (!path) return -3;
  const Match m = guard->config().table.match(method, std::string_view(reinterpret_cast<const char*>(path), len), upstream);
  if (m.route != kNoRoute) return int32_t(m.route);
  return m.method_mismatch ? -2 : -1;
}

// `data` is "header\0remote"; null for anything else.
EG_EXPORT const char* eg_guard_client_ip(Guard* guard, const uint8_t* data, uint32_t len) {
  std::string_view parts[2];
  if (split(data, len, parts, 2) != 2) return nullptr;
  return text_result([&](std::string& out) { out = client_ip(guard->config().client_ip, parts[0], parts[1]); });
}

EG_EXPORT uint32_t eg_guard_cache_use(Guard* guard, uint32_t route, uint32_t method, uint32_t has_credentials) {
  if (route >= guard->config().routes.size()) return uint32_t(CacheUse::bypass_no_rule);
  return uint32_t(cache_use(guard->config().routes[route], method, has_credentials != 0));
}

// `data` is "method\0path\0query\0vary values...\0user\0host"; the user part is read for per-user routes.
EG_EXPORT const char* eg_guard_cache_key(Guard* guard, uint32_t route, uint32_t per_user, const uint8_t* data,
                                         uint32_t len) {
  if (route >= guard->config().routes.size()) return nullptr;
  const auto& vary = guard->config().routes[route].cache.vary;
  std::string_view parts[5 + kMaxVary];  // the config refuses more vary headers, so split() stays inside
  const size_t n = split(data, len, parts, 5 + vary.size());
  if (n != 5 + vary.size()) return nullptr;
  const KeyParts key{parts[0], parts[1], parts[2], parts + 3, vary.size(), per_user != 0, parts[3 + vary.size()],
                     parts[4 + vary.size()]};
  return text_result([&](std::string& out) { build_cache_key(key, vary, out); });
}

// flags: 1 no-store, 2 private, 4 Set-Cookie, 8 must-revalidate, 16 an unlisted Vary header;
// lifetimes -1 when not given.
EG_EXPORT const Store* eg_guard_store(Guard* guard, uint32_t route, uint32_t use, uint32_t status, uint32_t flags,
                                      double ttl_ms, double swr_ms, double sie_ms) {
  store = {0, 0, 0, 0};
  if (route >= guard->config().routes.size() || use > uint32_t(CacheUse::bypass_credentials)) return &store;
  const OriginPolicy origin{(flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
                            (flags & 16) != 0, ttl_ms, swr_ms, sie_ms};
  const StoreDecision d = store_decision(guard->config().routes[route], CacheUse(use), status, origin);
  store = {d.store ? 1.0 : 0.0, d.ttl_ms, d.swr_ms, d.sie_ms};
  return &store;
}

EG_EXPORT const FailureResult* eg_guard_failure(uint32_t kind, uint32_t stale_usable) {
  if (kind > uint32_t(Failure::bulkhead_full)) kind = uint32_t(Failure::network);
  const FailureAnswer a = failure_answer(Failure(kind), stale_usable != 0);
  failure = {a.serve_stale ? 1u : 0u, a.status, a.title, a.type};
  return &failure;
}

EG_EXPORT const char* eg_guard_cache_status(uint32_t outcome, double ttl_left_ms, uint32_t fwd_status,
                                            uint32_t stored, uint32_t detail) {
  if (outcome > uint32_t(CacheOutcome::expired)) outcome = uint32_t(CacheOutcome::bypass);
  if (detail >= sizeof(kDetails) / sizeof(kDetails[0])) detail = 0;
  return text_result([&](std::string& out) {
    out = cache_status(CacheOutcome(outcome), ttl_left_ms, fwd_status, stored != 0, kDetails[detail]);
  });
}
