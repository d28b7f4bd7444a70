#include "edgeguard/guard/config_schema.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using edgeguard::guard::check_schema;
using edgeguard::guard::ConfigIssue;
using nlohmann::json;

namespace {

json minimal() {
  return json::parse(R"({"upstreams": {"api": {"origin": "http://127.0.0.1:8080"}}, "routes": [{"path": "/v1"}]})");
}

ConfigIssue refused(const json& doc) {
  ConfigIssue issue;
  EXPECT_FALSE(check_schema(doc.dump(), issue)) << doc.dump();
  return issue;
}

TEST(ConfigSchema, TakesAMinimalConfigAndLeavesTheRestToConfigCpp) {
  ConfigIssue issue;
  EXPECT_TRUE(check_schema(minimal().dump(), issue)) << issue.path << " " << issue.message;
  // The schema checks shape only: naming an upstream that does not exist is config.cpp's refusal.
  json j = minimal();
  j["routes"][0]["upstream"] = "nope";
  EXPECT_TRUE(check_schema(j.dump(), issue)) << issue.path << " " << issue.message;
}

// The reason is the schema's own x-message, read from the file the build embeds, so the two
// cannot drift; the validator alone would say "must be equal to constant".
TEST(ConfigSchema, ARuleBetweenMembersGivesTheSchemasReason) {
  std::ifstream in(EDGEGUARD_TEST_DATA "/../js/config.schema.json");
  ASSERT_TRUE(in) << "js/config.schema.json";
  const json schema = json::parse(in);
  const std::string reason = schema["properties"]["security"]["properties"]["cors"]["oneOf"][1]["then"]
                                   ["properties"]["credentials"]["x-message"];
  json j = minimal();
  j["security"] = {{"cors", {{"origins", "*"}, {"credentials", true}}}};
  const ConfigIssue issue = refused(j);
  EXPECT_EQ(issue.path, "/security/cors/credentials");
  EXPECT_EQ(issue.message, reason);
}

// With every error collected, the deepest names the value to fix, wherever it is reported.
TEST(ConfigSchema, TheDeepestOfSeveralFailuresIsNamed) {
  json j = minimal();
  j["aaa"] = 1;  // an unknown member, reported at the root
  j["routes"][0]["cache"] = {{"ttlMs", -1}};
  j["zzz"] = 2;
  const ConfigIssue issue = refused(j);
  EXPECT_EQ(issue.path, "/routes/0/cache/ttlMs");
  EXPECT_EQ(issue.message, "must be >= 0");
}

}  // namespace
