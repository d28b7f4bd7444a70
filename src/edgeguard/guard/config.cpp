#include "edgeguard/guard/config.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "edgeguard/guard/method.hpp"
#include "edgeguard/json/escape.hpp"
#include "edgeguard/validate/canonical_text.hpp"
#include "edgeguard/validate/number_text.hpp"
#include "edgeguard/validate/validator.hpp"

namespace edgeguard::guard {

using json::Value;

namespace {

// Thrown inside this file only: parse_config turns it into a ConfigIssue.
struct Bad {
  std::string path;
  std::string message;
};

// Everything here reads a document that passed check_schema(): its types, ranges, required and
// known members, and the rules between members it can state, are the schema's. What follows is
// what a schema cannot say: values compared with other values, limits in bytes (maxLength counts
// characters), and the normalized forms.

std::string child(const std::string& path, std::string_view key) {
  return ::edgeguard::json::pointer_child(path, key);
}

std::string child(const std::string& path, size_t index) { return path + '/' + std::to_string(index); }

// A value of a kind the schema should have refused: an issue, never a value read as another kind.
void expect(bool schema_checked) {
  if (!schema_checked) throw std::logic_error("the configuration schema let a value of the wrong type through");
}

template <class T>
T as(const Value& v) {
  if constexpr (std::is_same_v<T, bool>) {
    expect(v.is_boolean());
    return v.boolean();
  } else if constexpr (std::is_same_v<T, std::string>) {
    expect(v.is_string());
    return v.text();
  } else {
    expect(v.is_number());
    return T(v.number());  // the schema's ranges fit T, and a double holds them exactly
  }
}

// `false` turns a section off wherever the document allows it.
bool is_false(const Value& v) { return v.is_boolean() && !v.boolean(); }

const Value* find(const Value& obj, std::string_view key) { return obj.find(key); }

const Value& at(const Value& obj, std::string_view key) {
  const Value* v = obj.find(key);
  expect(v != nullptr);
  return *v;
}

template <class T>
T value(const Value& obj, std::string_view key, T fallback) {
  const Value* v = find(obj, key);
  return v ? as<T>(*v) : fallback;
}

// A section given as an object, or null when absent or `false`.
Value section(const Value& obj, std::string_view key) {
  const Value* v = find(obj, key);
  return v && !is_false(*v) ? *v : Value();
}

// A string the core copies into headers, labels or paths, bounded in bytes.
std::string text(const Value& obj, std::string_view key, const std::string& path, std::string fallback, size_t max_bytes) {
  const Value* v = find(obj, key);
  if (!v) return fallback;
  expect(v->is_string());
  const std::string& s = v->text();
  if (s.size() > max_bytes) throw Bad{child(path, key), "must be at most " + std::to_string(max_bytes) + " bytes"};
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

// Header names are case-insensitive (RFC 9110 section 5.1): the core keeps them lower-case.
std::string header(const Value& v) { return lower(as<std::string>(v)); }

// The origin without its trailing slashes, so a request path appends to it.
std::string origin(const Value& v) {
  std::string s = as<std::string>(v);
  const size_t host_end = std::min(s.find('/', s.find("://") + 3), s.size());
  while (s.size() > host_end && s.back() == '/') s.pop_back();
  return s;
}

Upstream parse_upstream(const std::string& name, const Value& v) {
  Upstream u;
  u.name = name;
  u.origin = origin(at(v, "origin"));
  u.timeout_ms = value(v, "timeoutMs", 10000.0);
  u.breaker = section(v, "breaker");
  u.retry = section(v, "retry");
  u.bulkhead = section(v, "bulkhead");
  return u;
}

uint32_t methods(const Value* v) {
  if (!v) return kAnyMethod;
  auto one = [](const Value& m) -> uint32_t {
    const std::string name = as<std::string>(m);
    if (name == "*") return kAnyMethod;
    const uint32_t bit = method_bit(name);
    return bit == kGet ? (kGet | kHead) : bit;  // a GET route answers HEAD too (RFC 9110 9.3.2)
  };
  if (!v->is_array()) return one(*v);
  uint32_t bits = 0;
  for (const Value& m : *v) bits |= one(m);
  return bits;
}

// `{}`: a shared tier with its defaults.
Value empty_object() {
  Value v;
  json::parse("{}", json::Limits{}, v);
  return v;
}

CacheRule parse_cache(const Value& v, const std::string& path) {
  CacheRule c;
  if (is_false(v)) return c;
  c.enabled = true;
  c.ttl_ms = value(v, "ttlMs", 0.0);
  c.swr_ms = value(v, "staleWhileRevalidateMs", 0.0);
  c.sie_ms = value(v, "staleIfErrorMs", 0.0);
  c.respect_origin = value(v, "respectOrigin", true);
  c.per_user = value(v, "perUser", false);
  if (const Value* shared = find(v, "shared"); shared && !is_false(*shared)) {
    c.shared = shared->is_object() ? *shared : empty_object();
  }
  if (const Value* vary = find(v, "vary")) {
    expect(vary->is_array());
    const std::string p = child(path, "vary");
    for (size_t i = 0; i < vary->size(); ++i) {
      std::string name = header((*vary)[i]);
      // Header names compare without case: a schema's pattern could say that only letter by letter.
      if (name == "authorization" || name == "cookie") {
        throw Bad{child(p, i), "cannot be a credential header: use perUser to cache per user"};
      }
      // The gateway writes these for the upstream (js/reverse-proxy.js): a key of the client's
      // value is not what the upstream answered for, so one client's answer would reach another.
      if (name == "x-forwarded-for" || name == "x-forwarded-host" || name == "x-forwarded-proto" ||
          name == "traceparent" || name == "tracestate") {
        throw Bad{child(p, i), "cannot be a header the gateway sets for the upstream"};
      }
      // uniqueItems compares spellings; "Accept" and "accept" are one header.
      if (std::find(c.vary.begin(), c.vary.end(), name) != c.vary.end()) throw Bad{child(p, i), "is listed twice"};
      c.vary.push_back(std::move(name));
    }
  }
  return c;
}

RateLimitRule parse_rate_limit(const Value& v) {
  RateLimitRule r;
  r.global = value<std::string>(v, "scope", "local") == "global";
  const std::string key = value<std::string>(v, "key", "ip");
  if (key == "user") r.key = RateLimitRule::by_user;
  else if (key == "route") r.key = RateLimitRule::by_route;
  else if (key.rfind("header:", 0) == 0) {
    r.key = RateLimitRule::by_header;
    r.header = lower(key.substr(7));
  }
  // Members in name order, as the options were written before.
  r.options_json = "{";
  if (const Value* max_keys = find(v, "maxKeys")) r.options_json += "\"maxKeys\":" + validate::canonical_text(*max_keys) + ",";
  r.options_json += "\"policies\":" + validate::canonical_text(at(v, "policies")) + "}";
  return r;
}

Route parse_route(const Value& v, const std::string& path, const std::vector<Upstream>& upstreams) {
  Route r;
  r.path = text(v, "path", path, "", 2048);
  r.name = text(v, "name", path, r.path, 200);
  r.methods = methods(find(v, "method"));
  if (const Value* u = find(v, "upstream")) {
    // A value that must name a member of another object: JSON Schema compares no two values.
    const std::string name = as<std::string>(*u);
    const auto it = std::find_if(upstreams.begin(), upstreams.end(), [&](const Upstream& up) { return up.name == name; });
    if (it == upstreams.end()) {
      throw Bad{child(path, "upstream"), "names no upstream (\"" + name + "\" is not in /upstreams)"};
    }
    r.upstream = uint32_t(it - upstreams.begin());
  } else {
    expect(upstreams.size() == 1);  // the schema requires a name when there are more
  }
  if (const Value* val = find(v, "validate")) {
    // `false` too: a schema refusing everything.
    if (const Value* s = find(*val, "request")) r.request_schema = *s;
    if (const Value* s = find(*val, "query")) r.query_schema = *s;
    if (const Value* s = find(*val, "response")) r.response_schema = *s;
  }
  if (const Value* rl = find(v, "rateLimit"); rl && !is_false(*rl)) {
    r.rate_limited = true;
    r.rate_limit = parse_rate_limit(*rl);
  }
  if (const Value* c = find(v, "cache")) r.cache = parse_cache(*c, child(path, "cache"));
  if (r.cache.enabled && (r.methods & (kGet | kHead)) == 0) {
    throw Bad{child(path, "cache"), "only GET and HEAD answers are cached: the route has neither method"};
  }
  r.max_body_bytes = value<uint64_t>(v, "maxBodyBytes", 0);
  return r;
}

// Comma-separated, as the CORS headers list them.
std::string joined(const Value& list, bool lower_case) {
  expect(list.is_array());
  std::string out;
  for (const Value& item : list) out += (out.empty() ? "" : ", ") + (lower_case ? header(item) : as<std::string>(item));
  return out;
}

Cors parse_cors(const Value& v) {
  Cors c;
  if (is_false(v)) return c;
  c.enabled = true;
  const Value& origins = at(v, "origins");
  if (origins.is_string()) {
    c.any_origin = true;  // '*'
  } else {
    expect(origins.is_array());
    for (const Value& o : origins) c.origins.push_back(origin(o));
  }
  if (const Value* l = find(v, "methods")) c.methods = joined(*l, false);
  if (const Value* l = find(v, "headers")) c.headers = joined(*l, true);
  if (const Value* l = find(v, "exposeHeaders")) c.expose = joined(*l, true);
  c.max_age_s = value<uint32_t>(v, "maxAgeSeconds", 600);
  c.credentials = value(v, "credentials", false);
  return c;
}

void parse_security_headers(const Value* v, const std::string& path, Security& s) {
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
  for (const Default& d : kDefaults) {
    const Value* given = v ? find(*v, d.key) : nullptr;
    if (given && given->is_boolean()) {
      if (!given->boolean()) continue;
      given = nullptr;
    }
    s.headers.emplace_back(std::string(d.name), given ? text(*v, d.key, path, "", 8192) : std::string(d.value));
  }
}

Security parse_security(const Value* v, const std::string& path) {
  Security s;
  if (!v) {
    parse_security_headers(nullptr, child(path, "headers"), s);
    return s;
  }
  s.max_body_bytes = value<uint64_t>(*v, "maxBodyBytes", 1 << 20);
  if (const Value* cors = find(*v, "cors")) s.cors = parse_cors(*cors);
  parse_security_headers(find(*v, "headers"), child(path, "headers"), s);
  if (const Value* rid = find(*v, "requestId")) {
    if (const Value* h = find(*rid, "header")) s.request_id_header = header(*h);
    s.trust_request_id = value(*rid, "trustIncoming", false);
  }
  return s;
}

std::string observability_path(const Value& obj, std::string_view key, const std::string& path, std::string fallback) {
  const Value* v = find(obj, key);
  if (!v) return fallback;
  return is_false(*v) ? "" : text(obj, key, path, "", 2048);
}

void parse(const Value& doc, Config& c) {
  c.service = text(doc, "service", "", "edgeguard", 200);
  c.store = section(doc, "store");
  const Value& upstreams = at(doc, "upstreams");
  expect(upstreams.is_object());
  for (size_t k = 0; k < upstreams.size(); ++k) c.upstreams.push_back(parse_upstream(upstreams.name(k), upstreams[k]));

  const Value& routes = at(doc, "routes");
  expect(routes.is_array());
  std::unordered_set<std::string> names;
  for (size_t i = 0; i < routes.size(); ++i) {
    const std::string p = child("/routes", i);
    Route r = parse_route(routes[i], p, c.upstreams);
    // A name defaults to the route's path, and uniqueItems compares whole routes, not names.
    if (!names.insert(r.name).second) {
      throw Bad{child(p, "name"), "\"" + r.name + "\" names another route too"};
    }
    CompiledRoute compiled;
    const char* error = "";
    // The path's syntax is the route table's (a parameter named twice, '*' not last, the counts).
    if (!RouteTable::compile(r.path, compiled.segments, error)) throw Bad{child(p, "path"), error};
    compiled.methods = r.methods;
    compiled.upstream = int32_t(r.upstream);
    c.table.add(std::move(compiled));
    c.routes.push_back(std::move(r));
  }

  if (const Value* ip = find(doc, "clientIp")) {
    const std::string h = lower(value<std::string>(*ip, "header", "cf-connecting-ip"));
    c.client_ip.source = h == "x-forwarded-for" ? ClientIpPolicy::forwarded_for
                         : h == "none"          ? ClientIpPolicy::remote
                                                : ClientIpPolicy::cf_connecting_ip;
    c.client_ip.trusted_hops = value<uint32_t>(*ip, "trustedHops", 1);
  }
  if (const Value* id = find(doc, "identity")) {
    if (const Value* h = find(*id, "userHeader")) c.user_header = header(*h);
  }
  c.security = parse_security(find(doc, "security"), "/security");
  // A value compared with another member's value, without case: no JSON Schema keyword does that.
  for (size_t i = 0; i < c.routes.size(); ++i) {
    const std::vector<std::string>& vary = c.routes[i].cache.vary;
    const auto at = std::find(vary.begin(), vary.end(), c.security.request_id_header);
    if (at != vary.end()) {
      throw Bad{child(child(child(child("/routes", i), "cache"), "vary"), size_t(at - vary.begin())),
                "cannot be the request id header, which the gateway sets for the upstream"};
    }
  }
  if (const Value* obs = find(doc, "observability")) {
    c.health_path = observability_path(*obs, "healthPath", "/observability", c.health_path);
    c.metrics_path = observability_path(*obs, "metricsPath", "/observability", c.metrics_path);
    if (!c.health_path.empty() && c.health_path == c.metrics_path) {  // two values compared: no keyword does
      throw Bad{"/observability/metricsPath", "must differ from healthPath"};
    }
  }
}

// The pieces of the normalized configuration's text, which js/guard.js reads with JSON.parse.
std::string quoted(std::string_view s) {
  std::string out;
  json::append_quoted(out, s);
  return out;
}

std::string number(double d) {
  std::string out;
  validate::js_number_text(d, out);
  return out;
}

std::string number(uint64_t n) { return std::to_string(n); }

std::string boolean(bool b) { return b ? "true" : "false"; }

std::string object(std::initializer_list<std::pair<std::string_view, std::string>> members) {
  std::string out = "{";
  for (const auto& [name, value] : members) out += (out.size() > 1 ? "," : "") + quoted(name) + ':' + value;
  return out + '}';
}

std::string array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) out += (out.size() > 1 ? "," : "") + item;
  return out + ']';
}

std::string quoted_array(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) out.push_back(quoted(item));
  return array(out);
}

}  // namespace

bool parse_config(std::string_view text, Config& out, ConfigIssue& issue) {
  try {
    if (!check_schema(text, issue)) return false;
    Value doc;
    if (json::parse(text, json::Limits{SIZE_MAX, validate::kMaxDepthLimit}, doc)) {  // as the schema check read it
      issue = {"", "is not valid JSON"};
      return false;
    }
    Config c;
    parse(doc, c);
    out = std::move(c);
    return true;
  } catch (const Bad& bad) {
    issue = {bad.path, bad.message};
  } catch (const std::bad_alloc&) {
    throw;  // not a fault of the document: the caller reports it as out of memory
  } catch (const std::exception& e) {  // a value the schema should have refused: never escapes
    issue = {"", e.what()};
  }
  return false;
}

std::string to_json(const Config& c) {
  using validate::canonical_text;
  std::vector<std::string> upstreams;
  for (const Upstream& u : c.upstreams) {
    upstreams.push_back(object({{"name", quoted(u.name)}, {"origin", quoted(u.origin)}, {"timeoutMs", number(u.timeout_ms)},
                                {"breaker", canonical_text(u.breaker)}, {"retry", canonical_text(u.retry)},
                                {"bulkhead", canonical_text(u.bulkhead)}}));
  }
  static constexpr const char* kKeys[] = {"ip", "header", "user", "route"};
  std::vector<std::string> routes;
  for (const Route& r : c.routes) {
    const std::string rate_limit = r.rate_limited
        ? object({{"key", quoted(kKeys[r.rate_limit.key])}, {"header", quoted(r.rate_limit.header)},
                  {"scope", quoted(r.rate_limit.global ? "global" : "local")}, {"options", r.rate_limit.options_json}})
        : "null";
    const std::string cache = r.cache.enabled
        ? object({{"ttlMs", number(r.cache.ttl_ms)}, {"staleWhileRevalidateMs", number(r.cache.swr_ms)},
                  {"staleIfErrorMs", number(r.cache.sie_ms)}, {"respectOrigin", boolean(r.cache.respect_origin)},
                  {"vary", quoted_array(r.cache.vary)}, {"perUser", boolean(r.cache.per_user)},
                  {"shared", canonical_text(r.cache.shared)}})
        : "null";
    routes.push_back(object(
        {{"name", quoted(r.name)}, {"path", quoted(r.path)}, {"methods", number(uint64_t(r.methods))},
         {"upstream", number(uint64_t(r.upstream))},
         {"maxBodyBytes", number(r.max_body_bytes ? r.max_body_bytes : c.security.max_body_bytes)},
         {"validate", object({{"request", canonical_text(r.request_schema)}, {"query", canonical_text(r.query_schema)},
                              {"response", canonical_text(r.response_schema)}})},
         {"rateLimit", rate_limit}, {"cache", cache}}));
  }
  const Cors& cors = c.security.cors;
  std::vector<std::string> headers;
  for (const auto& [name, value] : c.security.headers) headers.push_back(quoted_array({name, value}));
  static constexpr const char* kSources[] = {"cf-connecting-ip", "x-forwarded-for", "none"};
  return object({
      {"service", quoted(c.service)},
      {"upstreams", array(upstreams)},
      {"routes", array(routes)},
      {"clientIp", object({{"header", quoted(kSources[c.client_ip.source])},
                           {"trustedHops", number(uint64_t(c.client_ip.trusted_hops))}})},
      {"userHeader", quoted(c.user_header)},
      {"security",
       object({{"maxBodyBytes", number(c.security.max_body_bytes)},
               {"headers", array(headers)},
               {"requestIdHeader", quoted(c.security.request_id_header)},
               {"trustRequestId", boolean(c.security.trust_request_id)},
               {"cors", cors.enabled ? object({{"anyOrigin", boolean(cors.any_origin)}, {"origins", quoted_array(cors.origins)},
                                               {"methods", quoted(cors.methods)}, {"headers", quoted(cors.headers)},
                                               {"exposeHeaders", quoted(cors.expose)},
                                               {"maxAgeSeconds", number(uint64_t(cors.max_age_s))},
                                               {"credentials", boolean(cors.credentials)}})
                                     : "null"}})},
      {"healthPath", quoted(c.health_path)},
      {"metricsPath", quoted(c.metrics_path)},
      {"store", canonical_text(c.store)},
  });
}

}  // namespace edgeguard::guard
