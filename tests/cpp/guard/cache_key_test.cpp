#include "edgeguard/guard/cache_key.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::guard;

namespace {

std::string key(std::string_view method, std::string_view path, std::string_view query,
                std::vector<std::string_view> vary_values = {}, std::vector<std::string> names = {},
                bool per_user = false, std::string_view user = "") {
  KeyParts p{method, path, query, vary_values.data(), vary_values.size(), per_user, user};
  std::string out;
  build_cache_key(p, names, out);
  return out;
}

}  // namespace

TEST(CacheKey, MethodPathAndSortedQuery) {
  EXPECT_EQ(key("GET", "/v1/brands/1", ""), "GET /v1/brands/1");
  EXPECT_EQ(key("GET", "/v1/brands", "b=2&a=1"), "GET /v1/brands?a=1&b=2");
  EXPECT_EQ(key("GET", "/v1/brands", "a=1&b=2"), key("GET", "/v1/brands", "b=2&a=1"));
  // Repeated names keep their order: they may mean a list.
  EXPECT_NE(key("GET", "/x", "a=2&a=1"), key("GET", "/x", "a=1&a=2"));
  EXPECT_EQ(key("GET", "/x", "&&a=1&"), "GET /x?a=1");
  EXPECT_NE(key("GET", "/x", ""), key("HEAD", "/x", ""));
}

TEST(CacheKey, VaryHeadersAreInTheKey) {
  const std::vector<std::string> names = {"accept-language", "accept"};
  const std::string fr = key("GET", "/x", "", {"fr", "application/json"}, names);
  const std::string en = key("GET", "/x", "", {"en", "application/json"}, names);
  EXPECT_NE(fr, en);
  EXPECT_EQ(fr, "GET /x\naccept-language:fr\naccept:application/json");
  EXPECT_NE(key("GET", "/x", "", {"", ""}, names), key("GET", "/x", ""));
}

TEST(CacheKey, PerUserKeysNeverCollideAcrossUsers) {
  const std::string alice = key("GET", "/me", "", {}, {}, true, "alice");
  const std::string bob = key("GET", "/me", "", {}, {}, true, "bob");
  EXPECT_NE(alice, bob);
  EXPECT_NE(alice, key("GET", "/me", ""));
  // A query cannot forge the user part: the separator is a newline, which URLs cannot hold.
  EXPECT_NE(alice, key("GET", "/me", "user:alice"));
}

TEST(CacheKey, ManyParamsKeepTheQueryAsGiven) {
  std::string q;
  for (int i = 70; i > 0; --i) q += "p" + std::to_string(i) + "=1&";
  q.pop_back();
  EXPECT_EQ(key("GET", "/x", q), "GET /x?" + q);
}

TEST(CacheKey, EachHostHasItsOwnEntries) {
  KeyParts p{"GET", "/v1/brands/1", "", nullptr, 0, false, "", "shop.example"};
  std::string shop;
  build_cache_key(p, {}, shop);
  EXPECT_EQ(shop, "GET /v1/brands/1\nhost:shop.example");
  p.host = "attacker.test";
  std::string other;
  build_cache_key(p, {}, other);
  EXPECT_NE(shop, other);
  // The path comes first, so a prefix of method and path still selects every host's entries.
  EXPECT_EQ(shop.rfind("GET /v1/brands/", 0), 0u);
  EXPECT_EQ(key("GET", "/v1/brands/1", ""), "GET /v1/brands/1");
}
