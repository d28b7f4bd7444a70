#include "edgeguard/guard/route_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "edgeguard/guard/method.hpp"

using namespace edgeguard::guard;

namespace {

RouteTable table(std::initializer_list<std::pair<const char*, uint32_t>> routes) {
  RouteTable t;
  for (const auto& [pattern, methods] : routes) {
    CompiledRoute r;
    const char* error = "";
    EXPECT_TRUE(RouteTable::compile(pattern, r.segments, error)) << pattern << ": " << error;
    r.methods = methods;
    r.upstream = 0;
    t.add(std::move(r));
  }
  return t;
}

}  // namespace

TEST(RouteTable, LiteralsAndParams) {
  const RouteTable t = table({{"/v1/brands", kGet}, {"/v1/brands/:id", kGet}, {"/v1/brands/:id/logo/:size", kGet}});
  EXPECT_EQ(t.match(kGet, "/v1/brands").route, 0u);
  const Match m = t.match(kGet, "/v1/brands/42");
  ASSERT_EQ(m.route, 1u);
  ASSERT_EQ(m.param_count, 1u);
  EXPECT_EQ(m.params[0].name, "id");
  EXPECT_EQ(m.params[0].value, "42");
  const Match two = t.match(kGet, "/v1/brands/acme/logo/large");
  ASSERT_EQ(two.route, 2u);
  EXPECT_EQ(two.params[1].name, "size");
  EXPECT_EQ(two.params[1].value, "large");
  EXPECT_EQ(t.match(kGet, "/v1/brand").route, kNoRoute);
  EXPECT_EQ(t.match(kGet, "/v1/brands/42/extra").route, kNoRoute);
  EXPECT_EQ(t.match(kGet, "/v2/brands/42").route, kNoRoute);
}

TEST(RouteTable, TrailingAndRepeatedSlashesAreIgnored) {
  const RouteTable t = table({{"/v1/brands/:id", kGet}});
  EXPECT_EQ(t.match(kGet, "/v1/brands/42/").route, 0u);
  EXPECT_EQ(t.match(kGet, "//v1//brands/42").route, 0u);
  // An empty segment cannot fill a parameter.
  EXPECT_EQ(t.match(kGet, "/v1/brands/").route, kNoRoute);
}

TEST(RouteTable, Wildcards) {
  const RouteTable t = table({{"/static/*/logo", kGet}, {"/files/*", kGet}, {"*", kAnyMethod}});
  EXPECT_EQ(t.match(kGet, "/static/acme/logo").route, 0u);
  EXPECT_EQ(t.match(kGet, "/static/acme/big/logo").route, 2u);  // `*` mid-pattern is one segment
  EXPECT_EQ(t.match(kGet, "/files").route, 1u);                 // a final `*` takes zero or more
  EXPECT_EQ(t.match(kGet, "/files/a/b/c.txt").route, 1u);
  EXPECT_EQ(t.match(kPost, "/anything/at/all").route, 2u);
  EXPECT_EQ(t.match(kGet, "/").route, 2u);
}

TEST(RouteTable, FirstMatchInOrderWins) {
  const RouteTable t = table({{"/v1/brands/new", kGet}, {"/v1/brands/:id", kGet}});
  EXPECT_EQ(t.match(kGet, "/v1/brands/new").route, 0u);
  EXPECT_EQ(t.match(kGet, "/v1/brands/7").route, 1u);
}

TEST(RouteTable, MethodsAndMismatch) {
  const RouteTable t = table({{"/v1/brands/:id", kGet | kHead}, {"/v1/brands/:id", kPut}});
  EXPECT_EQ(t.match(kPut, "/v1/brands/1").route, 1u);
  const Match m = t.match(kDelete, "/v1/brands/1");
  EXPECT_EQ(m.route, kNoRoute);
  EXPECT_TRUE(m.method_mismatch);
  EXPECT_FALSE(t.match(kDelete, "/nope").method_mismatch);
}

TEST(RouteTable, UpstreamFilter) {
  RouteTable t;
  for (int32_t u : {0, 1}) {
    CompiledRoute r;
    const char* error = "";
    ASSERT_TRUE(RouteTable::compile("/api/*", r.segments, error));
    r.methods = kAnyMethod;
    r.upstream = u;
    t.add(std::move(r));
  }
  EXPECT_EQ(t.match(kGet, "/api/x").route, 0u);
  EXPECT_EQ(t.match(kGet, "/api/x", 1).route, 1u);
  EXPECT_EQ(t.match(kGet, "/api/x", 2).route, kNoRoute);
}

TEST(RouteTable, BadPatternsAreRefusedWithAReason) {
  std::vector<Segment> s;
  const char* error = "";
  for (const char* bad : {"", "v1/brands", "/files/*/rest/*x", "/a/:", "/a/:id/:id", "/a/b*", "/a/:i-d", "/a?b"}) {
    error = "";
    EXPECT_FALSE(RouteTable::compile(bad, s, error)) << bad;
    EXPECT_STRNE(error, "") << bad;
  }
  std::string many = "";
  for (int i = 0; i < 17; ++i) many += "/:p" + std::to_string(i);
  EXPECT_FALSE(RouteTable::compile(many, s, error));
  std::string deep = "";
  for (int i = 0; i < 65; ++i) deep += "/a";
  EXPECT_FALSE(RouteTable::compile(deep, s, error));
}

TEST(RouteTable, MethodBits) {
  EXPECT_EQ(method_bit("GET"), kGet);
  EXPECT_EQ(method_bit("DELETE"), kDelete);
  EXPECT_EQ(method_bit("get"), 0u);  // methods are case-sensitive
  EXPECT_EQ(method_bit("BREW"), 0u);
}

TEST(RouteTable, IndexKeepsConfigOrderAcrossLiteralAndWildcardRoutes) {
  const RouteTable t = table({{"/:tenant/x", kGet}, {"/a/x", kGet}, {"/a/:id", kGet}, {"*", kGet}, {"/b", kGet}});
  EXPECT_EQ(t.match(kGet, "/a/x").route, 0u);
  EXPECT_EQ(t.match(kGet, "/a/y").route, 2u);
  EXPECT_EQ(t.match(kGet, "/b").route, 3u);  // "*" comes before "/b"
  EXPECT_EQ(t.match(kGet, "/").route, 3u);
  EXPECT_EQ(t.match(kGet, "").route, 3u);
}

TEST(RouteTable, ManyRoutesOnlyTryTheirBucket) {
  RouteTable t;
  for (int i = 0; i < 10000; ++i) {
    CompiledRoute r;
    const char* error = "";
    ASSERT_TRUE(RouteTable::compile("/r" + std::to_string(i) + "/:id", r.segments, error));
    r.methods = kGet;
    t.add(std::move(r));
  }
  EXPECT_EQ(t.match(kGet, "/r9999/7").route, 9999u);
  EXPECT_EQ(t.match(kGet, "/r0/7").route, 0u);
  EXPECT_EQ(t.match(kGet, "/r10000/7").route, kNoRoute);
}

namespace {

// Builds `n` routes sharing their first segments (the case a first-segment index cannot split)
// and matches one request per route; the best of three runs, in seconds.
double build_and_match(size_t n) {
  double best = 1e9;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    RouteTable t;
    for (size_t i = 0; i < n; ++i) {
      CompiledRoute r;
      const char* error = "";
      RouteTable::compile("/v1/res" + std::to_string(i) + "/:id/items/*", r.segments, error);
      r.methods = kGet;
      t.add(std::move(r));
    }
    size_t found = 0;
    for (size_t i = 0; i < n; ++i) found += t.match(kGet, "/v1/res" + std::to_string(i) + "/7/items/a/b").route == i;
    EXPECT_EQ(found, n);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

TEST(RouteTable, BuildingAndMatchingAreNLogNInRoutes) {
  const double t1 = build_and_match(2500);
  const double t4 = build_and_match(10000);
  std::printf("route table 2,500 -> 10,000 routes: %.4f s -> %.4f s, ratio %.2f\n", t1, t4, t4 / t1);
  EXPECT_LT(t4 / t1, 8.0);  // linear or n log n is ~4-5; quadratic ~16
}

TEST(RouteTable, FirstMatchWinsAcrossTrieBranches) {
  const RouteTable t = table({{"/v1/:x", kPost}, {"/v1/new", kGet}, {"/a/*", kGet}, {"/a/b/c", kGet}, {"/v1/:x/*", kGet},
                              {"/:any/new", kPut}});
  EXPECT_EQ(t.match(kPost, "/v1/new").route, 0u);  // a parameter route listed first beats the literal
  EXPECT_EQ(t.match(kGet, "/v1/new").route, 1u);
  EXPECT_EQ(t.match(kGet, "/a/b/c").route, 2u);    // a final `*` listed first beats a deeper literal
  EXPECT_EQ(t.match(kGet, "/v1/x/y/z").route, 4u);
  EXPECT_EQ(t.match(kPut, "/v1/new").route, 5u);
  const Match m = t.match(kDelete, "/v1/new");
  EXPECT_EQ(m.route, kNoRoute);
  EXPECT_TRUE(m.method_mismatch);
  const Match p = t.match(kGet, "/v1/abc/d");
  ASSERT_EQ(p.route, 4u);
  ASSERT_EQ(p.param_count, 1u);
  EXPECT_EQ(p.params[0].value, "abc");
}
