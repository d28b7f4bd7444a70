#include "edgeguard/guard/config.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <unordered_set>

#include <fmt/format.h>

#include "edgeguard/guard/method.hpp"
#include "edgeguard/json/escape.hpp"

namespace edgeguard::guard {

using nlohmann::json;

namespace {

// Thrown inside this file only: parse_config turns it into a ConfigIssue.
struct Bad {
  std::string path;
  std::string message;
};

constexpr double kMaxTimeoutMs = 0x7fffffff;
constexpr double kMaxLifetimeMs = 1e12;  // ~31 years: "forever" in practice, still finite
constexpr size_t kMaxRoutes = 10000;
constexpr size_t kMaxUpstreams = 1000;

std::string child(const std::string& path, std::string_view key) {
  return ::edgeguard::json::pointer_child(path, key);
}

std::string child(const std::string& path, size_t index) { return path + '/' + std::to_string(index); }

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

void require_object(const json& v, const std::string& path) {
  if (!v.is_object()) throw Bad{path, fmt::format("must be an object (got {})", type_name(v))};
}

void check_keys(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      std::string names;
      for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      throw Bad{child(path, it.key()), fmt::format("is not a known option (expected one of {})", names)};
    }
  }
}

// `false` turns a section off wherever the document allows it.
bool is_false(const json& v) { return v.is_boolean() && !v.get<bool>(); }

const json* find(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

double number(const json& obj, std::string_view key, const std::string& path, double min, double max, double fallback) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < min || v->get<double>() > max ||
      std::floor(v->get<double>()) != v->get<double>()) {
    throw Bad{child(path, key), fmt::format("must be an integer from {} to {}", min, max)};
  }
  return v->get<double>();
}

bool boolean(const json& obj, std::string_view key, const std::string& path, bool fallback) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  if (!v->is_boolean()) throw Bad{child(path, key), fmt::format("must be a boolean (got {})", type_name(*v))};
  return v->get<bool>();
}

std::string string(const json& obj, std::string_view key, const std::string& path, std::string fallback,
                   size_t max_len = 4096) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  if (!v->is_string()) throw Bad{child(path, key), fmt::format("must be a string (got {})", type_name(*v))};
  const auto& s = v->get_ref<const std::string&>();
  if (s.empty() || s.size() > max_len) {
    throw Bad{child(path, key), fmt::format("must be a non-empty string of at most {} bytes", max_len)};
  }
  return s;
}

// RFC 9110 token characters: what a header name may hold.
bool header_name(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

std::string header(const json& v, const std::string& path) {
  if (!v.is_string() || !header_name(v.get_ref<const std::string&>())) {
    throw Bad{path, "must be an HTTP header name (RFC 9110 token characters)"};
  }
  return lower(v.get<std::string>());
}

// Header values may not hold control characters other than tab (RFC 9110 section 5.5).
std::string header_value(const json& v, const std::string& path) {
  if (!v.is_string()) throw Bad{path, fmt::format("must be a string (got {})", type_name(v))};
  const auto& s = v.get_ref<const std::string&>();
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) throw Bad{path, "must not contain control characters"};
  }
  if (s.size() > 8192) throw Bad{path, "must be at most 8192 bytes"};
  return s;
}

std::string origin(const json& v, const std::string& path) {
  if (!v.is_string()) throw Bad{path, fmt::format("must be a string (got {})", type_name(v))};
  std::string s = v.get<std::string>();
  const size_t scheme = s.rfind("http://", 0) == 0 ? 7 : s.rfind("https://", 0) == 0 ? 8 : 0;
  if (scheme == 0) throw Bad{path, "must be an http:// or https:// URL"};
  const size_t host_end = std::min(s.find('/', scheme), s.size());
  if (host_end == scheme) throw Bad{path, "must name a host"};
  if (s.find_first_of("?#", scheme) != std::string::npos) throw Bad{path, "must not have a query or fragment"};
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f || c == '\\') throw Bad{path, "must not contain spaces, backslashes or control characters"};
  }
  while (s.size() > host_end && s.back() == '/') s.pop_back();
  return s;
}

const json& nullable_object(const json& obj, std::string_view key, const std::string& path) {
  static const json null_value;
  const json* v = find(obj, key);
  if (!v || v->is_null() || is_false(*v)) return null_value;
  require_object(*v, child(path, key));
  return *v;
}

Upstream parse_upstream(const std::string& name, const json& v, const std::string& path) {
  require_object(v, path);
  check_keys(v, path, {"origin", "timeoutMs", "breaker", "retry", "bulkhead"});
  Upstream u;
  u.name = name;
  const json* o = find(v, "origin");
  if (!o) throw Bad{child(path, "origin"), "is required"};
  u.origin = origin(*o, child(path, "origin"));
  u.timeout_ms = number(v, "timeoutMs", path, 1, kMaxTimeoutMs, 10000);
  u.breaker = nullable_object(v, "breaker", path);
  u.retry = nullable_object(v, "retry", path);
  u.bulkhead = nullable_object(v, "bulkhead", path);
  return u;
}

uint32_t methods(const json* v, const std::string& path) {
  if (!v) return kAnyMethod;
  auto one = [&](const json& m, const std::string& p) -> uint32_t {
    if (m.is_string() && m.get_ref<const std::string&>() == "*") return kAnyMethod;
    const uint32_t bit = m.is_string() ? method_bit(m.get_ref<const std::string&>()) : 0;
    if (!bit) throw Bad{p, "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or *"};
    return bit == kGet ? (kGet | kHead) : bit;  // a GET route answers HEAD too (RFC 9110 9.3.2)
  };
  if (!v->is_array()) return one(*v, path);
  if (v->empty()) throw Bad{path, "must list at least one method"};
  uint32_t bits = 0;
  for (size_t i = 0; i < v->size(); ++i) bits |= one((*v)[i], child(path, i));
  return bits;
}

CacheRule parse_cache(const json& v, const std::string& path) {
  CacheRule c;
  if (is_false(v)) return c;
  require_object(v, path);
  check_keys(v, path, {"ttlMs", "staleWhileRevalidateMs", "staleIfErrorMs", "respectOrigin", "vary", "perUser", "shared"});
  c.enabled = true;
  if (!find(v, "ttlMs")) throw Bad{child(path, "ttlMs"), "is required"};
  c.ttl_ms = number(v, "ttlMs", path, 0, kMaxLifetimeMs, 0);
  c.swr_ms = number(v, "staleWhileRevalidateMs", path, 0, kMaxLifetimeMs, 0);
  c.sie_ms = number(v, "staleIfErrorMs", path, 0, kMaxLifetimeMs, 0);
  c.respect_origin = boolean(v, "respectOrigin", path, true);
  c.per_user = boolean(v, "perUser", path, false);
  if (const json* shared = find(v, "shared"); shared && !shared->is_null() && !is_false(*shared)) {
    const std::string p = child(path, "shared");
    if (!shared->is_boolean() && !shared->is_object()) throw Bad{p, "must be a boolean or an object of shared tier options"};
    // Strictly never across users: a key with the user in it never leaves the instance's memory.
    if (c.per_user) throw Bad{p, "cannot be combined with perUser: entries keyed per user stay in each instance's memory"};
    c.shared = shared->is_object() ? *shared : json::object();
  }
  if (const json* vary = find(v, "vary")) {
    const std::string p = child(path, "vary");
    if (!vary->is_array()) throw Bad{p, "must be an array of header names"};
    if (vary->size() > kMaxVary) throw Bad{p, "must list at most 16 headers"};
    for (size_t i = 0; i < vary->size(); ++i) {
      std::string name = header((*vary)[i], child(p, i));
      if (name == "authorization" || name == "cookie") {
        throw Bad{child(p, i), "cannot be a credential header: use perUser to cache per user"};
      }
      if (std::find(c.vary.begin(), c.vary.end(), name) != c.vary.end()) throw Bad{child(p, i), "is listed twice"};
      c.vary.push_back(std::move(name));
    }
  }
  return c;
}

RateLimitRule parse_rate_limit(const json& v, const std::string& path) {
  require_object(v, path);
  check_keys(v, path, {"key", "policies", "maxKeys", "scope"});
  RateLimitRule r;
  const std::string scope = string(v, "scope", path, "local", 20);
  if (scope != "local" && scope != "global") throw Bad{child(path, "scope"), "must be 'local' or 'global'"};
  r.global = scope == "global";
  const std::string key = string(v, "key", path, "ip", 300);
  if (key == "ip") r.key = RateLimitRule::by_ip;
  else if (key == "user") r.key = RateLimitRule::by_user;
  else if (key == "route") r.key = RateLimitRule::by_route;
  else if (key.rfind("header:", 0) == 0) {
    r.key = RateLimitRule::by_header;
    r.header = header(json(key.substr(7)), child(path, "key"));
  } else {
    throw Bad{child(path, "key"), "must be 'ip', 'user', 'route' or 'header:<name>'"};
  }
  const json* policies = find(v, "policies");
  if (!policies) throw Bad{child(path, "policies"), "is required"};
  if (!policies->is_array() || policies->empty()) throw Bad{child(path, "policies"), "must be a non-empty array"};
  for (size_t i = 0; i < policies->size(); ++i) require_object((*policies)[i], child(child(path, "policies"), i));
  json options = {{"policies", *policies}};
  if (const json* max_keys = find(v, "maxKeys")) options["maxKeys"] = *max_keys;
  r.options_json = options.dump();
  return r;
}

const json& schema(const json& obj, std::string_view key, const std::string& path) {
  static const json null_value;
  const json* v = find(obj, key);
  if (!v) return null_value;
  if (!v->is_object() && !v->is_boolean()) throw Bad{child(path, key), "must be a JSON Schema (an object or a boolean)"};
  return *v;
}

Route parse_route(const json& v, const std::string& path, const std::vector<Upstream>& upstreams) {
  require_object(v, path);
  check_keys(v, path, {"name", "method", "path", "upstream", "validate", "rateLimit", "cache", "maxBodyBytes"});
  Route r;
  const json* p = find(v, "path");
  if (!p) throw Bad{child(path, "path"), "is required"};
  r.path = string(v, "path", path, "", 2048);
  r.name = string(v, "name", path, r.path, 200);
  r.methods = methods(find(v, "method"), child(path, "method"));
  if (const json* u = find(v, "upstream")) {
    if (!u->is_string()) throw Bad{child(path, "upstream"), "must be the name of an upstream"};
    const auto it = std::find_if(upstreams.begin(), upstreams.end(),
                                 [&](const Upstream& up) { return up.name == u->get_ref<const std::string&>(); });
    if (it == upstreams.end()) {
      throw Bad{child(path, "upstream"), fmt::format("names no upstream (\"{}\" is not in /upstreams)", u->get<std::string>())};
    }
    r.upstream = uint32_t(it - upstreams.begin());
  } else if (upstreams.size() != 1) {
    throw Bad{child(path, "upstream"), "is required when there is more than one upstream"};
  }
  if (const json* val = find(v, "validate")) {
    const std::string vp = child(path, "validate");
    require_object(*val, vp);
    check_keys(*val, vp, {"request", "query", "response"});
    r.request_schema = schema(*val, "request", vp);
    r.query_schema = schema(*val, "query", vp);
    r.response_schema = schema(*val, "response", vp);
  }
  if (const json* rl = find(v, "rateLimit"); rl && !is_false(*rl)) {
    r.rate_limited = true;
    r.rate_limit = parse_rate_limit(*rl, child(path, "rateLimit"));
  }
  if (const json* c = find(v, "cache")) r.cache = parse_cache(*c, child(path, "cache"));
  if (r.cache.enabled && (r.methods & (kGet | kHead)) == 0) {
    throw Bad{child(path, "cache"), "only GET and HEAD answers are cached: the route has neither method"};
  }
  r.max_body_bytes = uint64_t(number(v, "maxBodyBytes", path, 0, double(1ull << 40), 0));
  return r;
}

Cors parse_cors(const json& v, const std::string& path) {
  Cors c;
  if (is_false(v)) return c;
  require_object(v, path);
  check_keys(v, path, {"origins", "methods", "headers", "exposeHeaders", "maxAgeSeconds", "credentials"});
  c.enabled = true;
  const json* origins = find(v, "origins");
  const std::string op = child(path, "origins");
  if (!origins) throw Bad{op, "is required ('*' or a list of origins)"};
  if (origins->is_string() && origins->get_ref<const std::string&>() == "*") {
    c.any_origin = true;
  } else if (origins->is_array() && !origins->empty()) {
    for (size_t i = 0; i < origins->size(); ++i) c.origins.push_back(origin((*origins)[i], child(op, i)));
  } else {
    throw Bad{op, "must be '*' or a non-empty array of origins"};
  }
  auto list = [&](std::string_view key, bool methods_only, std::string& out) {
    const json* l = find(v, key);
    if (!l) return;
    const std::string lp = child(path, key);
    if (!l->is_array()) throw Bad{lp, "must be an array"};
    out.clear();
    for (size_t i = 0; i < l->size(); ++i) {
      const json& item = (*l)[i];
      std::string name;
      if (!methods_only) {
        name = header(item, child(lp, i));
      } else if (item.is_string() && method_bit(item.get_ref<const std::string&>())) {
        name = item.get<std::string>();
      } else {
        throw Bad{child(lp, i), "must be an HTTP method in capitals"};
      }
      out += (out.empty() ? "" : ", ") + name;
    }
  };
  list("methods", true, c.methods);
  list("headers", false, c.headers);
  list("exposeHeaders", false, c.expose);
  c.max_age_s = uint32_t(number(v, "maxAgeSeconds", path, 0, 86400, 600));
  c.credentials = boolean(v, "credentials", path, false);
  if (c.credentials && c.any_origin) {
    throw Bad{child(path, "credentials"), "cannot be true with origins '*' (browsers refuse it): list the origins"};
  }
  return c;
}

void parse_security_headers(const json* v, const std::string& path, Security& s) {
  struct Default {
    std::string_view key, name, value;
  };
  static constexpr Default kDefaults[] = {
      {"hsts", "strict-transport-security", "max-age=31536000; includeSubDomains"},
      {"contentTypeOptions", "x-content-type-options", "nosniff"},
      {"frameOptions", "x-frame-options", "DENY"},
      {"referrerPolicy", "referrer-policy", "no-referrer"},
      {"contentSecurityPolicy", "content-security-policy", "default-src 'none'; frame-ancestors 'none'"},
  };
  if (v && is_false(*v)) return;
  if (v) {
    require_object(*v, path);
    check_keys(*v, path, {"hsts", "contentTypeOptions", "frameOptions", "referrerPolicy", "contentSecurityPolicy"});
  }
  for (const Default& d : kDefaults) {
    const json* given = v ? find(*v, d.key) : nullptr;
    if (given && given->is_boolean()) {
      if (!given->get<bool>()) continue;
      given = nullptr;
    }
    s.headers.emplace_back(std::string(d.name),
                           given ? header_value(*given, child(path, d.key)) : std::string(d.value));
  }
}

Security parse_security(const json* v, const std::string& path) {
  Security s;
  if (!v) {
    parse_security_headers(nullptr, child(path, "headers"), s);
    return s;
  }
  require_object(*v, path);
  check_keys(*v, path, {"maxBodyBytes", "cors", "headers", "requestId"});
  s.max_body_bytes = uint64_t(number(*v, "maxBodyBytes", path, 0, double(1ull << 40), double(1 << 20)));
  if (const json* cors = find(*v, "cors")) s.cors = parse_cors(*cors, child(path, "cors"));
  parse_security_headers(find(*v, "headers"), child(path, "headers"), s);
  if (const json* rid = find(*v, "requestId")) {
    const std::string rp = child(path, "requestId");
    require_object(*rid, rp);
    check_keys(*rid, rp, {"header", "trustIncoming"});
    if (const json* h = find(*rid, "header")) s.request_id_header = header(*h, child(rp, "header"));
    s.trust_request_id = boolean(*rid, "trustIncoming", rp, false);
  }
  return s;
}

std::string observability_path(const json& obj, std::string_view key, const std::string& path, std::string fallback) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  if (is_false(*v)) return "";
  const std::string p = string(obj, key, path, "", 2048);
  if (p.front() != '/') throw Bad{child(path, key), "must start with '/' (or be false to turn it off)"};
  return p;
}

void parse(const json& doc, Config& c) {
  require_object(doc, "");
  check_keys(doc, "", {"$schema", "service", "upstreams", "routes", "clientIp", "identity", "security", "observability",
                       "store"});
  c.service = string(doc, "service", "", "edgeguard", 200);
  c.store = nullable_object(doc, "store", "");

  const json* ups = find(doc, "upstreams");
  if (!ups) throw Bad{"/upstreams", "is required"};
  require_object(*ups, "/upstreams");
  if (ups->empty()) throw Bad{"/upstreams", "must name at least one upstream"};
  if (ups->size() > kMaxUpstreams) throw Bad{"/upstreams", "must name at most 1000 upstreams"};
  for (auto it = ups->begin(); it != ups->end(); ++it) {
    c.upstreams.push_back(parse_upstream(it.key(), it.value(), child("/upstreams", it.key())));
  }

  const json* routes = find(doc, "routes");
  if (!routes) throw Bad{"/routes", "is required"};
  if (!routes->is_array()) throw Bad{"/routes", "must be an array"};
  if (routes->size() > kMaxRoutes) throw Bad{"/routes", "must have at most 10000 routes"};
  std::unordered_set<std::string> names;
  for (size_t i = 0; i < routes->size(); ++i) {
    const std::string p = child("/routes", i);
    Route r = parse_route((*routes)[i], p, c.upstreams);
    if (!names.insert(r.name).second) {
      throw Bad{child(p, "name"), fmt::format("\"{}\" names another route too", r.name)};
    }
    CompiledRoute compiled;
    const char* error = "";
    if (!RouteTable::compile(r.path, compiled.segments, error)) throw Bad{child(p, "path"), error};
    compiled.methods = r.methods;
    compiled.upstream = int32_t(r.upstream);
    c.table.add(std::move(compiled));
    c.routes.push_back(std::move(r));
  }

  if (const json* ip = find(doc, "clientIp")) {
    require_object(*ip, "/clientIp");
    check_keys(*ip, "/clientIp", {"header", "trustedHops"});
    const std::string h = lower(string(*ip, "header", "/clientIp", "cf-connecting-ip", 100));
    if (h == "cf-connecting-ip") c.client_ip.source = ClientIpPolicy::cf_connecting_ip;
    else if (h == "x-forwarded-for") c.client_ip.source = ClientIpPolicy::forwarded_for;
    else if (h == "none") c.client_ip.source = ClientIpPolicy::remote;
    else throw Bad{"/clientIp/header", "must be 'cf-connecting-ip', 'x-forwarded-for' or 'none' (the peer address)"};
    c.client_ip.trusted_hops = uint32_t(number(*ip, "trustedHops", "/clientIp", 1, 32, 1));
    if (find(*ip, "trustedHops") && c.client_ip.source != ClientIpPolicy::forwarded_for) {
      throw Bad{"/clientIp/trustedHops", "only applies to x-forwarded-for"};
    }
  }
  if (const json* id = find(doc, "identity")) {
    require_object(*id, "/identity");
    check_keys(*id, "/identity", {"userHeader"});
    if (const json* h = find(*id, "userHeader")) c.user_header = header(*h, "/identity/userHeader");
  }
  for (size_t i = 0; i < c.routes.size(); ++i) {
    if (c.routes[i].rate_limited && c.routes[i].rate_limit.key == RateLimitRule::by_user && c.user_header.empty()) {
      throw Bad{child(child("/routes", i), "rateLimit") + "/key", "is 'user' but /identity/userHeader is not set"};
    }
  }
  c.security = parse_security(find(doc, "security"), "/security");
  if (const json* obs = find(doc, "observability")) {
    require_object(*obs, "/observability");
    check_keys(*obs, "/observability", {"healthPath", "metricsPath"});
    c.health_path = observability_path(*obs, "healthPath", "/observability", c.health_path);
    c.metrics_path = observability_path(*obs, "metricsPath", "/observability", c.metrics_path);
    if (!c.health_path.empty() && c.health_path == c.metrics_path) {
      throw Bad{"/observability/metricsPath", "must differ from healthPath"};
    }
  }
}

}  // namespace

bool parse_config(std::string_view text, Config& out, ConfigIssue& issue) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    issue = {"", "is not valid JSON"};
    return false;
  }
  try {
    Config c;
    parse(doc, c);
    out = std::move(c);
    return true;
  } catch (const Bad& bad) {
    issue = {bad.path, bad.message};
  } catch (const std::bad_alloc&) {
    throw;  // not a fault of the document: the caller reports it as out of memory
  } catch (const std::exception& e) {  // nlohmann type errors: never escape
    issue = {"", e.what()};
  }
  return false;
}

json to_json(const Config& c) {
  json upstreams = json::array();
  for (const Upstream& u : c.upstreams) {
    upstreams.push_back({{"name", u.name}, {"origin", u.origin}, {"timeoutMs", u.timeout_ms},
                         {"breaker", u.breaker}, {"retry", u.retry}, {"bulkhead", u.bulkhead}});
  }
  static constexpr const char* kKeys[] = {"ip", "header", "user", "route"};
  json routes = json::array();
  for (const Route& r : c.routes) {
    json route = {{"name", r.name}, {"path", r.path}, {"methods", r.methods}, {"upstream", r.upstream},
                  {"maxBodyBytes", r.max_body_bytes ? r.max_body_bytes : c.security.max_body_bytes},
                  {"validate", {{"request", r.request_schema}, {"query", r.query_schema}, {"response", r.response_schema}}}};
    route["rateLimit"] = r.rate_limited
        ? json{{"key", kKeys[r.rate_limit.key]}, {"header", r.rate_limit.header},
               {"scope", r.rate_limit.global ? "global" : "local"},
               {"options", json::parse(r.rate_limit.options_json)}}
        : json();
    route["cache"] = r.cache.enabled
        ? json{{"ttlMs", r.cache.ttl_ms}, {"staleWhileRevalidateMs", r.cache.swr_ms},
               {"staleIfErrorMs", r.cache.sie_ms}, {"respectOrigin", r.cache.respect_origin},
               {"vary", r.cache.vary}, {"perUser", r.cache.per_user}, {"shared", r.cache.shared}}
        : json();
    routes.push_back(std::move(route));
  }
  const Cors& cors = c.security.cors;
  json headers = json::array();
  for (const auto& [name, value] : c.security.headers) headers.push_back({name, value});
  static constexpr const char* kSources[] = {"cf-connecting-ip", "x-forwarded-for", "none"};
  return {
      {"service", c.service},
      {"upstreams", upstreams},
      {"routes", routes},
      {"clientIp", {{"header", kSources[c.client_ip.source]}, {"trustedHops", c.client_ip.trusted_hops}}},
      {"userHeader", c.user_header},
      {"security",
       {{"maxBodyBytes", c.security.max_body_bytes},
        {"headers", headers},
        {"requestIdHeader", c.security.request_id_header},
        {"trustRequestId", c.security.trust_request_id},
        {"cors", cors.enabled ? json{{"anyOrigin", cors.any_origin}, {"origins", cors.origins},
                                     {"methods", cors.methods}, {"headers", cors.headers},
                                     {"exposeHeaders", cors.expose}, {"maxAgeSeconds", cors.max_age_s},
                                     {"credentials", cors.credentials}}
                              : json()}}},
      {"healthPath", c.health_path},
      {"metricsPath", c.metrics_path},
      {"store", c.store},
  };
}

}  // namespace edgeguard::guard
