#include "edgeguard/validate/cleaner.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

using edgeguard::validate::EvalOptions;
using edgeguard::validate::Options;
using harness::Check;
using nlohmann::json;

namespace {

Options with(void (*set)(EvalOptions&)) {
  Options o;
  set(o.eval);
  return o;
}

}  // namespace

TEST(Cleaner, UseDefaultsFillsAbsentProperties) {
  Check check(R"({"properties": {"role": {"default": "user"}, "tags": {"default": []},
                  "inner": {"properties": {"on": {"default": true}}}}})",
              with([](EvalOptions& e) { e.use_defaults = true; }));
  const auto out = check(R"({"inner": {}, "tags": ["a"]})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"inner": {"on": true}, "tags": ["a"], "role": "user"})"));
}

TEST(Cleaner, RemoveAdditionalDropsRejectedMembersInsteadOfFailing) {
  const char* schema = R"({"properties": {"a": {}, "n": {"additionalProperties": {"type": "string"},
                           "properties": {"k": {}}}}, "additionalProperties": false})";
  Check additional(schema, with([](EvalOptions& e) { e.remove_additional = EvalOptions::Remove::additional; }));
  auto out = additional(R"({"a": 1, "x": 2, "n": {"k": 1, "s": "y", "t": 3}})");
  EXPECT_FALSE(out.valid);  // n.t fails its additionalProperties schema: only `false` removes
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"a": 1, "n": {"k": 1, "s": "y", "t": 3}})"));
  Check failing(schema, with([](EvalOptions& e) { e.remove_additional = EvalOptions::Remove::failing; }));
  out = failing(R"({"a": 1, "x": 2, "n": {"k": 1, "s": "y", "t": 3}})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"a": 1, "n": {"k": 1, "s": "y"}})"));
  Check all(R"({"properties": {"a": {}}})", with([](EvalOptions& e) { e.remove_additional = EvalOptions::Remove::all; }));
  out = all(R"({"a": 1, "b": {"c": 2}})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(out.cleaned, R"({"a":1})");
}

TEST(Cleaner, SanitizesStringsBeforeCheckingThem) {
  Check check(R"({"properties": {
      "name": {"x-sanitize": ["trim", "lowercase"], "maxLength": 3},
      "bio": {"x-sanitize": ["strip-tags", "escape-html"]}}})",
              with([](EvalOptions& e) { e.sanitize = true; }));
  const auto out = check(R"({"name": "  BoB  ", "bio": "<b>Tom</b> & \"Jerry\"<script>x</script>"})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned),
            json::parse(R"({"name": "bob", "bio": "Tom &amp; &quot;Jerry&quot;x"})"));
}

TEST(Cleaner, LeavesFailedBranchesOut) {
  Check check(R"({"anyOf": [{"required": ["x"], "properties": {"d": {"default": 1}}},
                            {"properties": {"e": {"default": 2}}}]})",
              with([](EvalOptions& e) { e.use_defaults = true; }));
  const auto out = check("{}");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"e": 2})"));
}

TEST(Cleaner, SanitizeOrderIsFixed) {
  std::string out;
  edgeguard::validate::sanitize("  <i>A&B</i>  ", 0xF, out);
  EXPECT_EQ(out, "a&amp;b");
}
