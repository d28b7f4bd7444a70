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
      // Section 5.4.2's abnormal examples.
      {"../../../g", "http://a/g"},  {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},       {"g.", "http://a/b/c/g."},      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},   {"..g", "http://a/b/c/..g"},    {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},  {"g/./h", "http://a/b/c/g/h"},  {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"}, {"http:g", "http:g"},
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

// An id is registered and looked up under one spelling: section 5.2.4's examples, as ids.
TEST(Uri, NormalizesDotSegmentsOfIds) {
  const std::pair<const char*, const char*> cases[] = {
      {"http://a/b/c/./../../g", "http://a/g"}, {"http://a/mid/content=5/../6", "http://a/mid/6"},
      {"https://x/a/./b.json", "https://x/a/b.json"}, {"/a/./b", "/a/b"},
      {"https://x/a/c/../b.json#/$defs/../x", "https://x/a/b.json#/$defs/../x"},
      {"urn:example:a", "urn:example:a"}, {"https://x", "https://x"}, {"https://x/a?q=./b", "https://x/a?q=./b"},
      // Relative: resolved later against a base, which its dot segments are about.
      {"../b.json", "../b.json"}, {"a/./b.json", "a/./b.json"}, {"", ""}, {"#frag", "#frag"},
  };
  for (auto& [id, want] : cases) EXPECT_EQ(normalize_uri(id), want) << id;
}
