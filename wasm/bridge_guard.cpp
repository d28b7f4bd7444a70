// The guard's decisions across the boundary: config in (JSON text, once), then per request a
// few numeric calls (route match, cache use, store decision) and strings packed as
// NUL-separated UTF-8 where a call needs several (cache key parts, client-IP inputs).
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

struct Issue {
  const char* path;
  const char* message;
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

}  // namespace

EG_EXPORT Guard* eg_guard_new(const uint8_t* data, uint32_t len) {
  auto* guard = new (std::nothrow) Guard();
  if (!guard) {
    issue_path.clear();
    issue_message = "out of memory";
  } else {
    ConfigIssue i;
    if (guard->configure(std::string_view(reinterpret_cast<const char*>(data), data ? len : 0), i)) return guard;
    delete guard;
    issue_path = std::move(i.path);
    issue_message = std::move(i.message);
  }
  issue = {issue_path.c_str(), issue_message.c_str()};
  return nullptr;
}

EG_EXPORT const Issue* eg_guard_issue() { return &issue; }

EG_EXPORT void eg_guard_free(Guard* guard) { delete guard; }

// The normalized configuration (JSON text), read once by js/guard.js.
EG_EXPORT const char* eg_guard_config(Guard* guard) {
  text = to_json(guard->config()).dump();
  return text.c_str();
}

// The route index; -1 when no route matches, -2 when one matches the path but not the method.
EG_EXPORT int32_t eg_guard_match(Guard* guard, uint32_t method, const uint8_t* path, uint32_t len, int32_t upstream) {
  const Match m = guard->config().table.match(
      method, std::string_view(reinterpret_cast<const char*>(path), path ? len : 0), upstream);
  if (m.route != kNoRoute) return int32_t(m.route);
  return m.method_mismatch ? -2 : -1;
}

// `data` is "header\0remote".
EG_EXPORT const char* eg_guard_client_ip(Guard* guard, const uint8_t* data, uint32_t len) {
  std::string_view parts[2];
  split(data, len, parts, 2);
  text = client_ip(guard->config().client_ip, parts[0], parts[1]);
  return text.c_str();
}

EG_EXPORT uint32_t eg_guard_cache_use(Guard* guard, uint32_t route, uint32_t method, uint32_t has_credentials) {
  if (route >= guard->config().routes.size()) return uint32_t(CacheUse::bypass_no_rule);
  return uint32_t(cache_use(guard->config().routes[route], method, has_credentials != 0));
}

// `data` is "method\0path\0query\0vary values...\0user"; the user part is read for per-user routes.
EG_EXPORT const char* eg_guard_cache_key(Guard* guard, uint32_t route, uint32_t per_user, const uint8_t* data,
                                         uint32_t len) {
  if (route >= guard->config().routes.size()) return nullptr;
  const auto& vary = guard->config().routes[route].cache.vary;
  std::string_view parts[4 + 16];
  const size_t n = split(data, len, parts, 4 + vary.size());
  if (n != 4 + vary.size()) return nullptr;
  const KeyParts key{parts[0], parts[1], parts[2], parts + 3, vary.size(), per_user != 0, parts[3 + vary.size()]};
  build_cache_key(key, vary, text);
  return text.c_str();
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
  text = cache_status(CacheOutcome(outcome), ttl_left_ms, fwd_status, stored != 0, kDetails[detail]);
  return text.c_str();
}
