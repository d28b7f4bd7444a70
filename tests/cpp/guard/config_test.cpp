#include "edgeguard/guard/config.hpp"

#include <functional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "edgeguard/guard/method.hpp"

using namespace edgeguard::guard;
using nlohmann::json;

namespace {

json minimal() {
  return json::parse(R"({
    "upstreams": { "api": { "origin": "http://127.0.0.1:8080/" } },
    "routes": [ { "method": "GET", "path": "/v1/brands/:id" } ]
  })");
}

ConfigIssue refused(const json& doc) {
  Config c;
  ConfigIssue issue;
  EXPECT_FALSE(parse_config(doc.dump(), c, issue)) << doc.dump();
  return issue;
}

}  // namespace

TEST(Config, MinimalConfigGetsDefaults) {
  Config c;
  ConfigIssue issue;
  ASSERT_TRUE(parse_config(minimal().dump(), c, issue)) << issue.path << " " << issue.message;
  ASSERT_EQ(c.upstreams.size(), 1u);
  EXPECT_EQ(c.upstreams[0].origin, "http://127.0.0.1:8080");  // trailing slash removed
  EXPECT_EQ(c.upstreams[0].timeout_ms, 10000);
  ASSERT_EQ(c.routes.size(), 1u);
  EXPECT_EQ(c.routes[0].name, "/v1/brands/:id");
  EXPECT_EQ(c.routes[0].methods, kGet | kHead);
  EXPECT_EQ(c.routes[0].upstream, 0u);
  EXPECT_FALSE(c.routes[0].cache.enabled);
  EXPECT_EQ(c.client_ip.source, ClientIpPolicy::cf_connecting_ip);
  EXPECT_EQ(c.security.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.security.headers.size(), 5u);
  EXPECT_EQ(c.health_path, "/healthz");
  EXPECT_EQ(c.metrics_path, "/metrics");
  EXPECT_EQ(c.table.match(kHead, "/v1/brands/3").route, 0u);
}

TEST(Config, FullConfig) {
  const json doc = json::parse(R"({
    "service": "brands-gateway",
    "upstreams": {
      "api": { "origin": "https://api.example.com/base", "timeoutMs": 2500,
               "breaker": { "minimumCalls": 5 }, "retry": { "maxAttempts": 2 }, "bulkhead": { "maxConcurrent": 50 } },
      "search": { "origin": "http://10.0.0.5:9200" }
    },
    "routes": [
      { "name": "brand", "method": ["GET"], "path": "/v1/brands/:id", "upstream": "api",
        "validate": { "response": { "type": "object" } },
        "rateLimit": { "key": "header:X-Api-Key", "policies": [ { "limit": 10, "windowMs": 1000 } ] },
        "cache": { "ttlMs": 60000, "staleWhileRevalidateMs": 30000, "staleIfErrorMs": 86400000,
                   "vary": ["Accept-Language"], "respectOrigin": false } },
      { "name": "create", "method": "POST", "path": "/v1/brands", "upstream": "api",
        "validate": { "request": { "type": "object", "required": ["name"] } }, "maxBodyBytes": 4096 },
      { "name": "search", "path": "/search/*", "upstream": "search", "rateLimit": { "key": "user", "policies": [ { "limit": 5, "windowMs": 1000 } ] } }
    ],
    "clientIp": { "header": "X-Forwarded-For", "trustedHops": 2 },
    "identity": { "userHeader": "X-User-Id" },
    "security": { "maxBodyBytes": 65536, "cors": { "origins": ["https://app.example.com"], "credentials": true },
                  "headers": { "frameOptions": "SAMEORIGIN", "contentSecurityPolicy": false },
                  "requestId": { "header": "X-Correlation-Id", "trustIncoming": true } },
    "observability": { "healthPath": "/_health", "metricsPath": false }
  })");
  Config c;
  ConfigIssue issue;
  ASSERT_TRUE(parse_config(doc.dump(), c, issue)) << issue.path << " " << issue.message;
  EXPECT_EQ(c.service, "brands-gateway");
  EXPECT_EQ(c.upstreams[0].origin, "https://api.example.com/base");
  EXPECT_EQ(c.upstreams[0].breaker.find("minimumCalls")->text(), "5");
  EXPECT_TRUE(c.upstreams[1].retry.is_null());
  const Route& brand = c.routes[0];
  EXPECT_EQ(brand.rate_limit.key, RateLimitRule::by_header);
  EXPECT_EQ(brand.rate_limit.header, "x-api-key");
  EXPECT_EQ(json::parse(brand.rate_limit.options_json)["policies"][0]["limit"], 10);
  EXPECT_TRUE(brand.cache.enabled);
  EXPECT_FALSE(brand.cache.respect_origin);
  EXPECT_EQ(brand.cache.vary, std::vector<std::string>{"accept-language"});
  EXPECT_TRUE(brand.request_schema.is_null());
  EXPECT_TRUE(*brand.response_schema.find("type") == "object");
  EXPECT_EQ(c.routes[1].methods, kPost);
  EXPECT_EQ(c.routes[1].max_body_bytes, 4096u);
  EXPECT_EQ(c.routes[2].upstream, 1u);
  EXPECT_EQ(c.client_ip.source, ClientIpPolicy::forwarded_for);
  EXPECT_EQ(c.client_ip.trusted_hops, 2u);
  EXPECT_EQ(c.user_header, "x-user-id");
  EXPECT_TRUE(c.security.cors.enabled);
  EXPECT_TRUE(c.security.cors.credentials);
  ASSERT_EQ(c.security.headers.size(), 4u);  // the CSP is off
  EXPECT_EQ(c.security.headers[2].second, "SAMEORIGIN");
  EXPECT_EQ(c.security.request_id_header, "x-correlation-id");
  EXPECT_EQ(c.health_path, "/_health");
  EXPECT_EQ(c.metrics_path, "");

  const json normalized = json::parse(to_json(c));
  EXPECT_EQ(normalized["routes"][0]["cache"]["vary"][0], "accept-language");
  EXPECT_EQ(normalized["routes"][1]["maxBodyBytes"], 4096);
  EXPECT_EQ(normalized["routes"][2]["maxBodyBytes"], 65536);
  EXPECT_EQ(normalized["routes"][2]["rateLimit"]["key"], "user");
  EXPECT_TRUE(normalized["routes"][1]["cache"].is_null());
  EXPECT_EQ(normalized["security"]["headers"][0][0], "strict-transport-security");
}

TEST(Config, IssuesNameTheExactPath) {
  json j = minimal();
  j["routes"][0]["path"] = "v1/brands";
  ConfigIssue i = refused(j);
  EXPECT_EQ(i.path, "/routes/0/path");
  EXPECT_EQ(i.message, "must start with '/' (or be '*')");

  j = minimal();
  j["routes"][0]["upstream"] = "nope";
  EXPECT_EQ(refused(j).path, "/routes/0/upstream");

  j = minimal();
  j["routes"][0]["cache"] = {{"ttlMs", -1}};
  i = refused(j);
  EXPECT_EQ(i.path, "/routes/0/cache/ttlMs");
  EXPECT_EQ(i.message, "must be >= 0");  // the schema's words

  j = minimal();
  j["routes"][0]["cahce"] = true;
  i = refused(j);
  EXPECT_EQ(i.path, "/routes/0/cahce");
  EXPECT_EQ(i.message, "is not a known option");

  j = minimal();
  j["upstreams"]["a/b"] = {{"origin", "ftp://x"}};
  EXPECT_EQ(refused(j).path, "/upstreams/a~1b/origin");

  j = minimal();
  j["routes"][0]["method"] = {"GET", "BREW"};
  EXPECT_EQ(refused(j).path, "/routes/0/method/1");

  j = minimal();
  j["routes"][0]["rateLimit"] = {{"key", "user"}, {"policies", {{{"limit", 1}, {"windowMs", 1000}}}}};
  EXPECT_EQ(refused(j).path, "/routes/0/rateLimit/key");  // no identity.userHeader

  j = minimal();
  j["routes"][0]["rateLimit"] = {{"key", "cookie"}, {"policies", json::array()}};
  EXPECT_EQ(refused(j).path, "/routes/0/rateLimit/key");

  j = minimal();
  j["routes"][0]["cache"] = {{"ttlMs", 1000}, {"vary", {"Authorization"}}};
  EXPECT_EQ(refused(j).path, "/routes/0/cache/vary/0");

  // Headers the gateway sets for the upstream: the client's value is not what it answered for.
  for (const char* rewritten : {"X-Forwarded-For", "x-forwarded-host", "X-Forwarded-Proto", "traceparent", "TraceState"}) {
    j = minimal();
    j["routes"][0]["cache"] = {{"ttlMs", 1000}, {"vary", {"Accept", rewritten}}};
    EXPECT_EQ(refused(j).path, "/routes/0/cache/vary/1") << rewritten;
  }
  j = minimal();
  j["routes"][0]["cache"] = {{"ttlMs", 1000}, {"vary", {"X-Trace"}}};
  j["security"] = {{"requestId", {{"header", "x-trace"}}}};
  EXPECT_EQ(refused(j).path, "/routes/0/cache/vary/0");
  j["security"] = json::object();  // the request id header is then X-Request-Id
  Config accepted;
  ConfigIssue issue;
  EXPECT_TRUE(parse_config(j.dump(), accepted, issue)) << issue.path << " " << issue.message;

  j = minimal();
  j["routes"][0]["method"] = "POST";
  j["routes"][0]["cache"] = {{"ttlMs", 1000}};
  EXPECT_EQ(refused(j).path, "/routes/0/cache");

  j = minimal();
  j["routes"].push_back(j["routes"][0]);
  EXPECT_EQ(refused(j).path, "/routes/1/name");

  j = minimal();
  j["security"] = {{"cors", {{"origins", "*"}, {"credentials", true}}}};
  EXPECT_EQ(refused(j).path, "/security/cors/credentials");

  j = minimal();
  j["security"] = {{"headers", {{"hsts", "a\nb"}}}};
  EXPECT_EQ(refused(j).path, "/security/headers/hsts");

  j = minimal();
  j["clientIp"] = {{"header", "cf-connecting-ip"}, {"trustedHops", 2}};
  EXPECT_EQ(refused(j).path, "/clientIp/trustedHops");

  j = minimal();
  j["observability"] = {{"healthPath", "/x"}, {"metricsPath", "/x"}};
  EXPECT_EQ(refused(j).path, "/observability/metricsPath");

  j = minimal();
  j["upstreams"]["other"] = {{"origin", "http://b"}};
  EXPECT_EQ(refused(j).path, "/routes/0/upstream");  // ambiguous without a name

  EXPECT_EQ(refused(json::array()).path, "");
  EXPECT_EQ(refused(json::object()).path, "/upstreams");
}

TEST(Config, WhatOnlyTheSchemaSaysIsCheckedToo) {
  // Rules config.cpp does not repeat: the core never takes a document the schema refuses.
  json j = minimal();
  j["store"] = {{"mode", "sometimes"}};
  ConfigIssue i = refused(j);
  EXPECT_EQ(i.path, "/store/mode");
  EXPECT_EQ(i.message, "must be equal to one of the allowed values");

  j = minimal();
  j["store"] = {{"prefix", "has space"}};
  EXPECT_EQ(refused(j).path, "/store/prefix");

  j = minimal();
  j["service"] = "";
  EXPECT_EQ(refused(j).path, "/service");

  j = minimal();
  j["upstreams"]["api"]["breaker"] = nullptr;  // false turns it off; null is no option
  EXPECT_EQ(refused(j).path, "/upstreams/api/breaker");

  j = minimal();
  j["upstreams"]["api"]["origin"] = "http://a\\b";
  EXPECT_EQ(refused(j).path, "/upstreams/api/origin");

  j = minimal();
  j["security"] = {{"headers", {{"referrerPolicy", "a\x7f"}}}};
  EXPECT_EQ(refused(j).path, "/security/headers/referrerPolicy");
  j["security"]["headers"]["referrerPolicy"] = "a\tb";  // tab is a header value's whitespace
  Config c;
  EXPECT_TRUE(parse_config(j.dump(), c, i)) << i.path << " " << i.message;

  j = minimal();
  j["routes"][0]["rateLimit"] = {{"policies", {{{"limit", 0}, {"windowMs", 1000}}}}};
  EXPECT_EQ(refused(j).path, "/routes/0/rateLimit/policies/0/limit");

  // A body limit is the request validator's maxBytes: 1 to 2^32 - 1, taken as it is.
  for (const uint64_t bad : {uint64_t{0}, uint64_t{1} << 32}) {
    j = minimal();
    j["routes"][0]["maxBodyBytes"] = bad;
    EXPECT_EQ(refused(j).path, "/routes/0/maxBodyBytes") << bad;
    j = minimal();
    j["security"] = {{"maxBodyBytes", bad}};
    EXPECT_EQ(refused(j).path, "/security/maxBodyBytes") << bad;
  }
  j = minimal();
  j["routes"][0]["maxBodyBytes"] = UINT32_MAX;
  EXPECT_TRUE(parse_config(j.dump(), c, i)) << i.path << " " << i.message;
}

TEST(Config, LimitsInBytesAreTheCores) {
  // maxLength counts characters; what the core copies into labels and headers is bounded in bytes.
  json j = minimal();
  std::string name;
  for (int k = 0; k < 100; ++k) name += "\xc3\xa9";  // 100 characters, 200 bytes
  j["service"] = name;
  Config c;
  ConfigIssue i;
  EXPECT_TRUE(parse_config(j.dump(), c, i)) << i.path << " " << i.message;
  j["service"] = name + "\xc3\xa9";
  i = refused(j);
  EXPECT_EQ(i.path, "/service");
  EXPECT_EQ(i.message, "must be at most 200 bytes");

  j = minimal();
  j["routes"][0]["cache"] = {{"ttlMs", 1000}, {"vary", {"Accept", "accept"}}};  // one header, two spellings
  EXPECT_EQ(refused(j).path, "/routes/0/cache/vary/1");
}

TEST(Config, MalformedJsonIsAnIssueNotACrash) {
  Config c;
  ConfigIssue issue;
  EXPECT_FALSE(parse_config("{\"upstreams\": ", c, issue));
  EXPECT_EQ(issue.message, "is not valid JSON");
  EXPECT_FALSE(parse_config("", c, issue));
  EXPECT_FALSE(parse_config(std::string(100000, '['), c, issue));
}

TEST(Config, WrongTypesEverywhereAreIssues) {
  // Every option replaced by a value of each wrong type: always an issue with a path, never a throw.
  const json doc = json::parse(R"({
    "upstreams": { "api": { "origin": "http://a", "timeoutMs": 5, "breaker": {}, "retry": {}, "bulkhead": {} } },
    "routes": [ { "name": "r", "method": "GET", "path": "/a", "upstream": "api",
      "validate": { "request": {}, "query": {}, "response": {} },
      "rateLimit": { "key": "ip", "policies": [ { "limit": 1, "windowMs": 1000 } ], "maxKeys": 10 },
      "cache": { "ttlMs": 1, "staleWhileRevalidateMs": 1, "staleIfErrorMs": 1, "respectOrigin": true, "vary": ["a"], "perUser": false,
        "shared": { "leaseMs": 1 } },
      "maxBodyBytes": 1 } ],
    "clientIp": { "header": "x-forwarded-for", "trustedHops": 1 },
    "identity": { "userHeader": "x-user" },
    "security": { "maxBodyBytes": 1, "cors": { "origins": ["http://o"], "methods": ["GET"], "headers": ["x"],
      "exposeHeaders": ["y"], "maxAgeSeconds": 1, "credentials": false }, "headers": { "hsts": "x" },
      "requestId": { "header": "x-id", "trustIncoming": false } },
    "observability": { "healthPath": "/h", "metricsPath": "/m" }
  })");
  Config c;
  ConfigIssue issue;
  ASSERT_TRUE(parse_config(doc.dump(), c, issue)) << issue.path << " " << issue.message;
  const json wrong[] = {json(nullptr), json(true), json(-1), json(1.5), json("s"), json::array(), json::object()};
  size_t refusals = 0;
  std::function<void(const json::json_pointer&, const json&)> walk = [&](const json::json_pointer& ptr, const json& v) {
    for (const json& w : wrong) {
      json mutated = doc;
      mutated[ptr] = w;
      Config out;
      ConfigIssue i;
      bool ok = false;
      EXPECT_NO_THROW(ok = parse_config(mutated.dump(), out, i)) << ptr.to_string();
      if (!ok) {
        ++refusals;
        EXPECT_FALSE(i.message.empty()) << ptr.to_string();
      }
    }
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) walk(ptr / it.key(), it.value());
    } else if (v.is_array()) {
      for (size_t k = 0; k < v.size(); ++k) walk(ptr / k, v[k]);
    }
  };
  walk(json::json_pointer(""), doc);
  EXPECT_GT(refusals, 200u);
}

TEST(Config, StoreSectionAndRateLimitScope) {
  json j = minimal();
  Config c;
  ConfigIssue issue;
  ASSERT_TRUE(parse_config(j.dump(), c, issue));
  EXPECT_TRUE(c.store.is_null());
  EXPECT_TRUE(json::parse(to_json(c))["store"].is_null());

  j["store"] = {{"prefix", "gw:"}, {"mode", "exact"}};
  j["routes"][0]["rateLimit"] = {{"scope", "global"}, {"policies", {{{"limit", 5}, {"windowMs", 1000}}}}};
  j["routes"].push_back({{"path", "/local"}, {"rateLimit", {{"policies", {{{"limit", 5}, {"windowMs", 1000}}}}}}});
  Config d;
  ASSERT_TRUE(parse_config(j.dump(), d, issue)) << issue.path << " " << issue.message;
  EXPECT_TRUE(d.routes[0].rate_limit.global);
  EXPECT_FALSE(d.routes[1].rate_limit.global);  // 'local' unless asked
  const json out = json::parse(to_json(d));
  EXPECT_EQ(out["store"]["mode"], "exact");
  EXPECT_EQ(out["routes"][0]["rateLimit"]["scope"], "global");
  EXPECT_EQ(out["routes"][1]["rateLimit"]["scope"], "local");

  j["routes"][0]["rateLimit"]["scope"] = "everywhere";
  issue = refused(j);
  EXPECT_EQ(issue.path, "/routes/0/rateLimit/scope");
  EXPECT_EQ(issue.message, "must be equal to one of the allowed values");
  j["routes"][0]["rateLimit"]["scope"] = "global";
  j["store"] = 3;
  EXPECT_EQ(refused(j).path, "/store");
}

TEST(Config, SharedCacheTier) {
  json j = minimal();
  j["routes"][0]["cache"] = {{"ttlMs", 1000}};
  Config c;
  ConfigIssue issue;
  ASSERT_TRUE(parse_config(j.dump(), c, issue)) << issue.path << " " << issue.message;
  EXPECT_TRUE(c.routes[0].cache.shared.is_null());  // memory only unless asked
  EXPECT_TRUE(json::parse(to_json(c))["routes"][0]["cache"]["shared"].is_null());

  j["routes"][0]["cache"]["shared"] = false;
  Config off;
  ASSERT_TRUE(parse_config(j.dump(), off, issue));
  EXPECT_TRUE(off.routes[0].cache.shared.is_null());
  j["routes"][0]["cache"]["shared"] = nullptr;  // the schema's type: a boolean or an object
  EXPECT_EQ(refused(j).path, "/routes/0/cache/shared");
  j["routes"][0]["cache"]["shared"] = true;
  Config d;
  ASSERT_TRUE(parse_config(j.dump(), d, issue));
  EXPECT_EQ(json::parse(to_json(d))["routes"][0]["cache"]["shared"], json::object());
  j["routes"][0]["cache"]["shared"] = {{"leaseMs", 0}};
  Config e;
  ASSERT_TRUE(parse_config(j.dump(), e, issue));
  EXPECT_EQ(json::parse(to_json(e))["routes"][0]["cache"]["shared"]["leaseMs"], 0);  // checked by the cache, in js/

  j["routes"][0]["cache"]["shared"] = "yes";
  issue = refused(j);
  EXPECT_EQ(issue.path, "/routes/0/cache/shared");
  // A key with the user in it never goes to the shared tier: refused, never quietly kept local.
  j["routes"][0]["cache"]["shared"] = true;
  j["routes"][0]["cache"]["perUser"] = true;
  issue = refused(j);
  EXPECT_EQ(issue.path, "/routes/0/cache/shared");
  EXPECT_NE(issue.message.find("perUser"), std::string::npos);
}

TEST(Config, RulesBetweenMembersAreTheSchemas) {
  // js/config.schema.json states them (if/then, a `false` member); the refusal names the member
  // and gives the reason, not the validator's generic words.
  auto expect_refused = [](const json& doc, const char* path, const char* message) {
    const ConfigIssue i = refused(doc);
    EXPECT_EQ(i.path, path) << doc.dump();
    EXPECT_EQ(i.message, message) << doc.dump();
  };
  auto expect_accepted = [](const json& doc) {
    Config c;
    ConfigIssue i;
    EXPECT_TRUE(parse_config(doc.dump(), c, i)) << doc.dump() << ": " << i.path << " " << i.message;
  };

  // A route names its upstream when there is more than one.
  json j = minimal();
  j["upstreams"]["other"] = {{"origin", "http://b"}};
  j["routes"].push_back({{"path", "/b"}, {"upstream", "other"}});
  expect_refused(j, "/routes/0/upstream", "is required when there is more than one upstream");
  j["routes"][0]["upstream"] = "api";
  expect_accepted(j);
  j = minimal();
  j.erase("upstreams");  // the missing upstreams are named, not the routes' upstream
  expect_refused(j, "/upstreams", "is required");

  // A route limited per user needs the header that names the user.
  j = minimal();
  j["routes"][0]["rateLimit"] = {{"key", "user"}, {"policies", {{{"limit", 1}, {"windowMs", 1000}}}}};
  expect_refused(j, "/routes/0/rateLimit/key", "is 'user' but /identity/userHeader is not set");
  j["identity"] = json::object();
  expect_refused(j, "/routes/0/rateLimit/key", "is 'user' but /identity/userHeader is not set");
  j["identity"]["userHeader"] = "X-User";
  expect_accepted(j);
  j = minimal();
  j["routes"][0]["rateLimit"] = {{"key", "ip"}, {"policies", {{{"limit", 1}, {"windowMs", 1000}}}}};
  expect_accepted(j);

  // A per-user cache stays in the instance's memory.
  j = minimal();
  j["routes"][0]["cache"] = {{"ttlMs", 1000}, {"perUser", true}, {"shared", json::object()}};
  expect_refused(j, "/routes/0/cache/shared",
                 "cannot be combined with perUser: entries keyed per user stay in each instance's memory");
  j["routes"][0]["cache"]["shared"] = false;
  expect_accepted(j);
  j["routes"][0]["cache"]["shared"] = "yes";  // a wrong type keeps the type's words
  expect_refused(j, "/routes/0/cache/shared", "must be boolean,object");

  // Browsers refuse credentials with any origin.
  j = minimal();
  j["security"] = {{"cors", {{"origins", "*"}, {"credentials", true}}}};
  expect_refused(j, "/security/cors/credentials", "cannot be true with origins '*' (browsers refuse it): list the origins");
  j["security"]["cors"]["credentials"] = false;
  expect_accepted(j);
  j["security"]["cors"] = {{"origins", {"https://app.example"}}, {"credentials", true}};
  expect_accepted(j);

  // trustedHops counts the proxies that append to X-Forwarded-For.
  j = minimal();
  j["clientIp"] = {{"header", "CF-Connecting-IP"}, {"trustedHops", 2}};
  expect_refused(j, "/clientIp/trustedHops", "only applies to x-forwarded-for");
  j["clientIp"] = {{"trustedHops", 2}};  // the default header is cf-connecting-ip
  expect_refused(j, "/clientIp/trustedHops", "only applies to x-forwarded-for");
  j["clientIp"] = {{"header", "none"}, {"trustedHops", 2}};
  expect_refused(j, "/clientIp/trustedHops", "only applies to x-forwarded-for");
  j["clientIp"] = {{"header", "X-Forwarded-For"}, {"trustedHops", 2}};
  expect_accepted(j);

  // Every instance reads the same configuration: an id in it would make them all one.
  j = minimal();
  j["upstreams"]["api"]["breaker"] = {{"share", {{"quorum", 2}, {"instanceId", "pod-0"}}}};
  expect_refused(j, "/upstreams/api/breaker/share/instanceId",
                 "cannot be set: every gateway instance reads the same configuration, and ids must be unique");
  j["upstreams"]["api"]["breaker"]["share"]["instanceId"] = nullptr;
  expect_refused(j, "/upstreams/api/breaker/share/instanceId",
                 "cannot be set: every gateway instance reads the same configuration, and ids must be unique");
  j["upstreams"]["api"]["breaker"]["share"].erase("instanceId");
  expect_accepted(j);
}
