// The guard's decisions across the boundary: config in (JSON text, once), then per request a
// few numeric calls (route match, cache use, store decision) and strings packed as
// NUL-separated UTF-8 where a call needs several (cache key parts, client-IP inputs, Vary names).
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "bridge.hpp"
#include "bridge_error.hpp"
#include "edgeguard/guard/cache_key.hpp"
#include "edgeguard/guard/client_ip.hpp"
#include "edgeguard/guard/decision.hpp"
#include "edgeguard/guard/guard.hpp"

using namespace edgeguard::guard;

namespace {

// Results js/guard.js reads by these slots (32-bit words; the wasm's pointers are 32-bit).
std::string text;

struct Store {
  double store, personal, ttl_ms, swr_ms, sie_ms, age_ms, detail;
} store;
// seam: guard
enum class StoreSlot : uint32_t { store, personal, ttl_ms, swr_ms, sie_ms, age_ms, detail, count };
static_assert(EG_SLOT(Store, store, double, StoreSlot::store) &&
                  EG_SLOT(Store, personal, double, StoreSlot::personal) &&
                  EG_SLOT(Store, ttl_ms, double, StoreSlot::ttl_ms) &&
                  EG_SLOT(Store, swr_ms, double, StoreSlot::swr_ms) &&
                  EG_SLOT(Store, sie_ms, double, StoreSlot::sie_ms) &&
                  EG_SLOT(Store, age_ms, double, StoreSlot::age_ms) &&
                  EG_SLOT(Store, detail, double, StoreSlot::detail) && sizeof(Store) == 8 * size_t(StoreSlot::count),
              "js/guard.js reads Store by StoreSlot");
std::vector<std::string_view> vary_names;  // eg_guard_store's, kept so their room is allocated once

// Cache-Status detail values, by the index js/guard.js passes: each the name with '-' for '_'.
// seam: guard
enum class Detail : uint32_t {
  none, credentials, method, circuit_open, timeout, upstream_error, invalid_response, overloaded, coalesced,
  no_store, private_, set_cookie, status, no_lifetime, vary, no_rule, count
};
constexpr const char* kDetails[] = {"", "credentials", "method", "circuit-open", "timeout", "upstream-error",
                                    "invalid-response", "overloaded", "coalesced", "no-store", "private",
                                    "set-cookie", "status", "no-lifetime", "vary", "no-rule"};
static_assert(sizeof kDetails / sizeof *kDetails == size_t(Detail::count), "a text for each Detail");

// The detail saying why store_decision refused: none for a bypass (its caller says which).
// Every reason is a case: a new one does not compile without its detail.
Detail detail_of(StoreRefusal reason) {
  switch (reason) {
    case StoreRefusal::none: case StoreRefusal::bypass: return Detail::none;
    case StoreRefusal::status: return Detail::status;
    case StoreRefusal::no_store: return Detail::no_store;
    case StoreRefusal::private_: return Detail::private_;
    case StoreRefusal::set_cookie: return Detail::set_cookie;
    case StoreRefusal::vary: return Detail::vary;
    case StoreRefusal::no_lifetime: return Detail::no_lifetime;
  }
  return Detail::none;
}

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

// On failure, 0 and the reason through the error channel (bridge_error.hpp): config_invalid with
// the issue's JSON pointer as its option, or out_of_memory.
EG_COLD_EXPORT Guard* eg_guard_new(const uint8_t* data, uint32_t len) {
  if (!data) {
    report_error(ErrorCode::config_invalid, "", "has no text (a null pointer)");
    return nullptr;
  }
  try {
    auto guard = std::make_unique<Guard>();
    ConfigIssue i;
    if (guard->configure(std::string_view(reinterpret_cast<const char*>(data), len), i)) return guard.release();
    report_error(ErrorCode::config_invalid, i.path, i.message);
  } catch (const std::bad_alloc&) {
    report_error(ErrorCode::out_of_memory, "", "out of memory reading the gateway config");
  }
  return nullptr;
}

EG_EXPORT void eg_guard_free(Guard* guard) { delete guard; }

// The normalized configuration (JSON text), read once by js/guard.js.
EG_EXPORT const char* eg_guard_config(Guard* guard) {
  return text_result([&](std::string& out) { out = to_json(guard->config()); });
}

// What eg_guard_match answers when it finds no route index: no_route when no route matches,
// wrong_method when one matches the path but not the method, unreadable_path for a null path
// (never read as "/", which the catch-all route would match).
// seam: guard
enum class MatchResult : int32_t { no_route = -1, wrong_method = -2, unreadable_path = -3 };

// The route index, or a MatchResult.
EG_EXPORT int32_t eg_guard_match(Guard* guard, uint32_t method, const uint8_t* path, uint32_t len, int32_t upstream) {
  if (!path) return int32_t(MatchResult::unreadable_path);
  const Match m = guard->config().table.match(method, std::string_view(reinterpret_cast<const char*>(path), len), upstream);
  if (m.route != kNoRoute) return int32_t(m.route);
  return int32_t(m.method_mismatch ? MatchResult::wrong_method : MatchResult::no_route);
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

// facts: OriginFact bits; lifetimes -1 when not given; `vary` is the origin's Vary names joined
// by NUL ("" for none). Null for a null `vary` or out of memory, never a decision.
EG_EXPORT const Store* eg_guard_store(Guard* guard, uint32_t route, uint32_t use, uint32_t status, uint32_t facts,
                                      double ttl_ms, double swr_ms, double sie_ms, double age_ms,
                                      const uint8_t* vary, uint32_t len) {
  if (!vary) return nullptr;
  store = {0, 0, 0, 0, 0, 0, 0};
  if (route >= guard->config().routes.size() || use > uint32_t(CacheUse::bypass_credentials)) return &store;
  vary_names.clear();
  try {
    if (len > 0) {
      for_each_nul_part({reinterpret_cast<const char*>(vary), len},
                        [](std::string_view name) { vary_names.push_back(name); });
    }
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
  const OriginPolicy origin{facts, ttl_ms, swr_ms, sie_ms, age_ms, vary_names.data(), vary_names.size()};
  const StoreDecision d = store_decision(guard->config().routes[route], CacheUse(use), status, origin);
  store = {d.store ? 1.0 : 0.0, d.personal ? 1.0 : 0.0, d.ttl_ms, d.swr_ms, d.sie_ms, d.age_ms,
           d.store ? 0.0 : double(detail_of(d.reason))};
  return &store;
}

EG_EXPORT const char* eg_guard_cache_status(uint32_t outcome, double ttl_left_ms, uint32_t fwd_status,
                                            uint32_t stored, uint32_t detail) {
  if (outcome > uint32_t(CacheOutcome::expired)) outcome = uint32_t(CacheOutcome::bypass);
  if (detail >= sizeof(kDetails) / sizeof(kDetails[0])) detail = 0;
  return text_result([&](std::string& out) {
    out = cache_status(CacheOutcome(outcome), ttl_left_ms, fwd_status, stored != 0, kDetails[detail]);
  });
}
