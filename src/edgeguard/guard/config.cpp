#include "edgeguard/guard/config.hpp"

#include <algorithm>
#include <unordered_set>


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

// Everything here reads a document that passed check_schema(): its types, ranges, required and
// known members are the schema's. What follows is what a schema cannot say: rules across
// members, limits in bytes (maxLength counts characters), and the normalized forms.

std::string child(const std::string& path, std::string_view key) {
  return ::edgeguard::json::pointer_child(path, key);
}

std::string child(const std::string& path, size_t index) { return path + '/' + std::to_string(index); }

// `false` turns a section off wherever the document allows it.
bool is_false(const json& v) { return v.is_boolean() && !v.get<bool>(); }

const json* find(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

template <class T>
T value(const json& obj, std::string_view key, T fallback) {
  const json* v = find(obj, key);
  return v ? v->get<T>() : fallback;
}

// A section given as an object, or null when absent or `false`.
json section(const json& obj, std::string_view key) {
  const json* v = find(obj, key);
  return v && !is_false(*v) ? *v : json();
}

// A string the core copies into headers, labels or paths, bounded in bytes.
std::string text(const json& obj, std::string_view key, const std::string& path, std::string fallback, size_t max_bytes) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes) throw Bad{child(path, key), "must be at most " + std::to_string(max_bytes) + " bytes"};
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

// Header names are case-insensitive (RFC 9110 section 5.1): the core keeps them lower-case.
std::string header(const json& v) { return lower(v.get<std::string>()); }

// The origin without its trailing slashes, so a request path appends to it.
std::string origin(const json& v) {
  std::string s = v.get<std::string>();
  const size_t host_end = std::min(s.find('/', s.find("://") + 3), s.size());
  while (s.size() > host_end && s.back() == '/') s.pop_back();
  return s;
}

Upstream parse_upstream(const std::string& name, const json& v) {
  Upstream u;
  u.name = name;
  u.origin = origin(v.at("origin"));
  u.timeout_ms = value(v, "timeoutMs", 10000.0);
  u.breaker = section(v, "breaker");
  u.retry = section(v, "retry");
  u.bulkhead = section(v, "bulkhead");
  return u;
}

uint32_t methods(const json* v) {
  if (!v) return kAnyMethod;
  auto one = [](const json& m) -> uint32_t {
    const auto& name = m.get_ref<const std::string&>();
    if (name == "*") return kAnyMethod;
    const uint32_t bit = method_bit(name);
    return bit == kGet ? (kGet | kHead) : bit;  // a GET route answers HEAD too (RFC 9110 9.3.2)
  };
  if (!v->is_array()) return one(*v);
  uint32_t bits = 0;
  for (const json& m : *v) bits |= one(m);
  return bits;
}

CacheRule parse_cache(const json& v, const std::string& path) {
  CacheRule c;
  if (is_false(v)) return c;
  c.enabled = true;
  c.ttl_ms = value(v, "ttlMs", 0.0);
  c.swr_ms = value(v, "staleWhileRevalidateMs", 0.0);
  c.sie_ms = value(v, "staleIfErrorMs", 0.0);
  c.respect_origin = value(v, "respectOrigin", true);
  c.per_user = value(v, "perUser", false);
  if (const json* shared = find(v, "shared"); shared && !is_false(*shared)) {
    // Strictly never across users: a key with the user in it never leaves the instance's memory.
    if (c.per_user) {
      throw Bad{child(path, "shared"), "cannot be combined with perUser: entries keyed per user stay in each instance's memory"};
    }
    c.shared = shared->is_object() ? *shared : json::object();
  }
  if (const json* vary = find(v, "vary")) {
    const std::string p = child(path, "vary");
    for (size_t i = 0; i < vary->size(); ++i) {
      std::string name = header((*vary)[i]);
      if (name == "authorization" || name == "cookie") {
        throw Bad{child(p, i), "cannot be a credential header: use perUser to cache per user"};
      }
      // uniqueItems compares spellings; "Accept" and "accept" are one header.
      if (std::find(c.vary.begin(), c.vary.end(), name) != c.vary.end()) throw Bad{child(p, i), "is listed twice"};
      c.vary.push_back(std::move(name));
    }
  }
  return c;
}

RateLimitRule parse_rate_limit(const json& v) {
  RateLimitRule r;
  r.global = value<std::string>(v, "scope", "local") == "global";
  const std::string key = value<std::string>(v, "key", "ip");
  if (key == "user") r.key = RateLimitRule::by_user;
  else if (key == "route") r.key = RateLimitRule::by_route;
  else if (key.rfind("header:", 0) == 0) {
    r.key = RateLimitRule::by_header;
    r.header = lower(key.substr(7));
  }
  json options = {{"policies", v.at("policies")}};
  if (const json* max_keys = find(v, "maxKeys")) options["maxKeys"] = *max_keys;
  r.options_json = options.dump();
  return r;
}

Route parse_route(const json& v, const std::string& path, const std::vector<Upstream>& upstreams) {
  Route r;
  r.path = text(v, "path", path, "", 2048);
  r.name = text(v, "name", path, r.path, 200);
  r.methods = methods(find(v, "method"));
  if (const json* u = find(v, "upstream")) {
    const auto it = std::find_if(upstreams.begin(), upstreams.end(),
                                 [&](const Upstream& up) { return up.name == u->get_ref<const std::string&>(); });
    if (it == upstreams.end()) {
      throw Bad{child(path, "upstream"), "names no upstream (\"" + u->get<std::string>() + "\" is not in /upstreams)"};
    }
    r.upstream = uint32_t(it - upstreams.begin());
  } else if (upstreams.size() != 1) {
    throw Bad{child(path, "upstream"), "is required when there is more than one upstream"};
  }
  if (const json* val = find(v, "validate")) {
    r.request_schema = value(*val, "request", json());  // `false` too: a schema refusing everything
    r.query_schema = value(*val, "query", json());
    r.response_schema = value(*val, "response", json());
  }
  if (const json* rl = find(v, "rateLimit"); rl && !is_false(*rl)) {
    r.rate_limited = true;
    r.rate_limit = parse_rate_limit(*rl);
  }
  if (const json* c = find(v, "cache")) r.cache = parse_cache(*c, child(path, "cache"));
  if (r.cache.enabled && (r.methods & (kGet | kHead)) == 0) {
    throw Bad{child(path, "cache"), "only GET and HEAD answers are cached: the route has neither method"};
  }
  r.max_body_bytes = value<uint64_t>(v, "maxBodyBytes", 0);
  return r;
}

// Comma-separated, as the CORS headers list them.
std::string joined(const json& list, bool lower_case) {
  std::string out;
  for (const json& item : list) out += (out.empty() ? "" : ", ") + (lower_case ? header(item) : item.get<std::string>());
  return out;
}

Cors parse_cors(const json& v, const std::string& path) {
  Cors c;
  if (is_false(v)) return c;
  c.enabled = true;
  const json& origins = v.at("origins");
  if (origins.is_string()) {
    c.any_origin = true;  // '*'
  } else {
    for (const json& o : origins) c.origins.push_back(origin(o));
  }
  if (const json* l = find(v, "methods")) c.methods = joined(*l, false);
  if (const json* l = find(v, "headers")) c.headers = joined(*l, true);
  if (const json* l = find(v, "exposeHeaders")) c.expose = joined(*l, true);
  c.max_age_s = value<uint32_t>(v, "maxAgeSeconds", 600);
  c.credentials = value(v, "credentials", false);
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
  for (const Default& d : kDefaults) {
    const json* given = v ? find(*v, d.key) : nullptr;
    if (given && given->is_boolean()) {
      if (!given->get<bool>()) continue;
      given = nullptr;
    }
    s.headers.emplace_back(std::string(d.name), given ? text(*v, d.key, path, "", 8192) : std::string(d.value));
  }
}

Security parse_security(const json* v, const std::string& path) {
  Security s;
  if (!v) {
    parse_security_headers(nullptr, child(path, "headers"), s);
    return s;
  }
  s.max_body_bytes = value<uint64_t>(*v, "maxBodyBytes", 1 << 20);
  if (const json* cors = find(*v, "cors")) s.cors = parse_cors(*cors, child(path, "cors"));
  parse_security_headers(find(*v, "headers"), child(path, "headers"), s);
  if (const json* rid = find(*v, "requestId")) {
    if (const json* h = find(*rid, "header")) s.request_id_header = header(*h);
    s.trust_request_id = value(*rid, "trustIncoming", false);
  }
  return s;
}

std::string observability_path(const json& obj, std::string_view key, const std::string& path, std::string fallback) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  return is_false(*v) ? "" : text(obj, key, path, "", 2048);
}

void parse(const json& doc, Config& c) {
  c.service = text(doc, "service", "", "edgeguard", 200);
  c.store = section(doc, "store");
  for (const auto& [name, upstream] : doc.at("upstreams").items()) c.upstreams.push_back(parse_upstream(name, upstream));

  const json& routes = doc.at("routes");
  std::unordered_set<std::string> names;
  for (size_t i = 0; i < routes.size(); ++i) {
    const std::string p = child("/routes", i);
    Route r = parse_route(routes[i], p, c.upstreams);
    if (!names.insert(r.name).second) {
      throw Bad{child(p, "name"), "\"" + r.name + "\" names another route too"};
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
    const std::string h = lower(value<std::string>(*ip, "header", "cf-connecting-ip"));
    c.client_ip.source = h == "x-forwarded-for" ? ClientIpPolicy::forwarded_for
                         : h == "none"          ? ClientIpPolicy::remote
                                                : ClientIpPolicy::cf_connecting_ip;
    c.client_ip.trusted_hops = value<uint32_t>(*ip, "trustedHops", 1);
    if (find(*ip, "trustedHops") && c.client_ip.source != ClientIpPolicy::forwarded_for) {
      throw Bad{"/clientIp/trustedHops", "only applies to x-forwarded-for"};
    }
  }
  if (const json* id = find(doc, "identity")) {
    if (const json* h = find(*id, "userHeader")) c.user_header = header(*h);
  }
  for (size_t i = 0; i < c.routes.size(); ++i) {
    if (c.routes[i].rate_limited && c.routes[i].rate_limit.key == RateLimitRule::by_user && c.user_header.empty()) {
      throw Bad{child(child("/routes", i), "rateLimit") + "/key", "is 'user' but /identity/userHeader is not set"};
    }
  }
  c.security = parse_security(find(doc, "security"), "/security");
  if (const json* obs = find(doc, "observability")) {
    c.health_path = observability_path(*obs, "healthPath", "/observability", c.health_path);
    c.metrics_path = observability_path(*obs, "metricsPath", "/observability", c.metrics_path);
    if (!c.health_path.empty() && c.health_path == c.metrics_path) {
      throw Bad{"/observability/metricsPath", "must differ from healthPath"};
    }
  }
}

}  // namespace

bool parse_config(std::string_view text, Config& out, ConfigIssue& issue) {
  try {
    if (!check_schema(text, issue)) return false;
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) {  // a text the validator's reader took and nlohmann's did not
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
