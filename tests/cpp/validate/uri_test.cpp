#include "edgeguard/validate/uri.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::validate;

TEST(Uri, ResolvesRelativeReferencesPerRfc3986) {
  const char* base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},   {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},          {"//g", "http://g"},         {"?y", "http://a/b/c/d;p?y"},
      {"#s", "http://a/b/c/d;p?q#s"}, {"../g", "http://a/b/g"},   {"../../g", "http://a/g"},
      {"../..", "http://a/"},        {"g;x=1/../y", "http://a/b/c/y"}, {"", "http://a/b/c/d;p?q"},
  };
  for (auto& [ref, want] : cases) EXPECT_EQ(resolve_uri(base, ref), want) << ref;
}

TEST(Uri, HandlesUrnsAndEmptyBases) {
  EXPECT_EQ(resolve_uri("urn:uuid:deadbeef", "#/$defs/a"), "urn:uuid:deadbeef#/$defs/a");
  EXPECT_EQ(resolve_uri("", "#foo"), "#foo");
  EXPECT_EQ(resolve_uri("", "item.json"), "item.json");
  EXPECT_EQ(resolve_uri("http://x/y/", "urn:z"), "urn:z");
}

TEST(Uri, SplitsFragmentsAndDecodesPercentEscapes) {
  EXPECT_EQ(uri_without_fragment("http://x/y#/a"), "http://x/y");
  EXPECT_EQ(uri_fragment("http://x/y#/a"), "/a");
  EXPECT_EQ(uri_fragment("http://x/y"), "");
  EXPECT_EQ(percent_decode("/a%25b%22c%2"), "/a%b\"c%2");
}
