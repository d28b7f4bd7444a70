#pragma once
// The gateway's configuration, parsed once from JSON (json::Value: a cold path) into what the
// pipeline reads per request: compiled routes, resolved upstream indices, header lists.
// Options owned by other jobs (breaker, retry, bulkhead, rate-limit policies, schemas) are kept
// as JSON and handed to their classes, which check them.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeguard/guard/client_ip.hpp"
#include "edgeguard/guard/config_schema.hpp"
#include "edgeguard/guard/method.hpp"
#include "edgeguard/guard/route_table.hpp"
#include "edgeguard/json/value.hpp"

namespace edgeguard::guard {

struct Upstream {
  std::string name;
  std::string origin;  // scheme://host[:port], no trailing slash
  double timeout_ms = 10000;
  json::Value breaker;   // CircuitBreaker options, or null for none
  json::Value retry;     // Retry options, or null for none
  json::Value bulkhead;  // Bulkhead options, or null for none
};

// The most request headers a cache rule may vary on: the wasm bridge sizes its key parts by it.
constexpr size_t kMaxVary = 16;

struct CacheRule {
  bool enabled = false;
  double ttl_ms = 0;
  double swr_ms = 0;
  double sie_ms = 0;
  bool respect_origin = true;     // the origin's Cache-Control wins over the route's lifetimes
  std::vector<std::string> vary;  // request header names, lower-case
  bool per_user = false;          // opt-in: credentialed requests/private responses, keyed per user
  json::Value shared;          // the shared tier's options ({} for its defaults), or null: memory only
};

struct RateLimitRule {
  enum Key : uint8_t { by_ip, by_header, by_user, by_route } key = by_ip;
  std::string header;  // for `header:<name>`, lower-case
  std::string options_json;  // {"policies": [...]} for the RateLimiter
  bool global = false;  // scope 'global': one limit across every instance, kept in the store
};

struct Route {
  std::string name;
  std::string path;
  uint32_t methods = kAnyMethod;
  uint32_t upstream = 0;
  json::Value request_schema;  // null when absent
  json::Value query_schema;
  json::Value response_schema;
  bool rate_limited = false;
  RateLimitRule rate_limit;
  CacheRule cache;
  uint64_t max_body_bytes = 0;  // 0: the security default
};

struct Cors {
  bool enabled = false;
  bool any_origin = false;
  std::vector<std::string> origins;
  std::string methods = "GET, HEAD, POST, PUT, PATCH, DELETE";
  std::string headers = "content-type, authorization";
  std::string expose;
  uint32_t max_age_s = 600;
  bool credentials = false;
};

struct Security {
  uint64_t max_body_bytes = 1 << 20;
  Cors cors;
  std::vector<std::pair<std::string, std::string>> headers;  // added to every answer
  std::string request_id_header = "x-request-id";
  bool trust_request_id = false;  // reuse an incoming id (only behind a proxy that sets it)
};

struct Config {
  std::string service = "edgeguard";
  std::vector<Upstream> upstreams;
  std::vector<Route> routes;
  RouteTable table;
  ClientIpPolicy client_ip;
  std::string user_header;  // set by a verified layer in front (e.g. an auth proxy); lower-case
  Security security;
  std::string health_path = "/healthz";
  std::string metrics_path = "/metrics";
  // The store section (shared limits' mode, fallback, key prefix...), or null: options the
  // RateLimiter and the store wiring in js/ check, as with a breaker's.
  json::Value store;
};

// Checks `text` against the schema (config_schema.hpp), then what the schema cannot say, and
// parses it; false with `issue` filled when the document is not acceptable.
bool parse_config(std::string_view text, Config& out, ConfigIssue& issue);

// The normalized configuration as JSON text, for the JS layer that builds the policy objects.
std::string to_json(const Config& config);

}  // namespace edgeguard::guard
