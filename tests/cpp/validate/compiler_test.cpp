#include "edgeguard/validate/compiler.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

using edgeguard::validate::SchemaError;
using harness::Check;

namespace {

// The path a SchemaError names for `schema`, or "no error".
std::string error_path(const std::string& schema) {
  try {
    Check check(schema);
  } catch (const SchemaError& e) {
    return e.path();
  }
  return "no error";
}

}  // namespace

TEST(Compiler, RejectsInvalidSchemasNamingThePath) {
  EXPECT_EQ(error_path(R"({"properties": {"a": {"minLength": -1}}})"), "#/properties/a/minLength");
  EXPECT_EQ(error_path(R"({"type": "strin"})"), "#/type");
  EXPECT_EQ(error_path(R"({"items": {"required": "a"}})"), "#/items/required");
  EXPECT_EQ(error_path(R"({"allOf": []})"), "#/allOf");
  EXPECT_EQ(error_path(R"({"anyOf": [{}, 3]})"), "#/anyOf/1");
  EXPECT_EQ(error_path(R"({"multipleOf": 0})"), "#/multipleOf");
  EXPECT_EQ(error_path(R"({"$defs": {"a": {"$ref": "#/$defs/missing"}}, "$ref": "#/$defs/a"})"),
            "#/$defs/a/$ref");
  EXPECT_EQ(error_path(R"({"$ref": "http://example.com/unknown.json"})"), "#/$ref");
  EXPECT_EQ(error_path(R"({"x-severity": "loud"})"), "#/x-severity");
  EXPECT_EQ(error_path(R"({"x-sanitize": ["trim", "shout"]})"), "#/x-sanitize");
  EXPECT_EQ(error_path("3"), "#");
}

TEST(Compiler, RejectsPatternsTheLinearEngineCannotRun) {
  // Backreferences need backtracking: refused at compile time, never silently passed.
  EXPECT_EQ(error_path(R"({"pattern": "(a)\\1"})"), "#/pattern");
  EXPECT_EQ(error_path(R"({"patternProperties": {"(a)\\1": {}}})"), "#/patternProperties/(a)\\1");
}

TEST(Compiler, ResolvesReferencesAcrossRegisteredSchemas) {
  edgeguard::validate::Validator::Schemas schemas = {
      {"https://example.com/defs.json",
       nlohmann::json::parse(R"({"$defs": {"id": {"type": "integer", "minimum": 1}}})")}};
  Check check(R"({"$id": "https://example.com/api/order.json",
                  "properties": {"id": {"$ref": "../defs.json#/$defs/id"}}})",
              {}, schemas);
  EXPECT_TRUE(check(R"({"id": 3})").valid);
  const auto bad = check(R"({"id": 0})");
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.errors[0]["schemaPath"], "https://example.com/defs.json#/$defs/id/minimum");
}

TEST(Compiler, ResolvesTheBuiltInMetaSchemas) {
  Check draft7(R"({"$ref": "http://json-schema.org/draft-07/schema#"})");
  EXPECT_TRUE(draft7(R"({"type": "string"})").valid);
  EXPECT_FALSE(draft7(R"({"type": 12})").valid);
  Check draft2020(R"({"$ref": "https://json-schema.org/draft/2020-12/schema"})");
  EXPECT_TRUE(draft2020(R"({"prefixItems": [{"type": "string"}]})").valid);
  EXPECT_FALSE(draft2020(R"({"minLength": -1})").valid);
}

TEST(Compiler, ChoosesTheDraftFromSchemaOrOptions) {
  // In draft-07 an array `items` is positional; in 2020-12 it is an error (prefixItems).
  Check draft7(R"({"$schema": "http://json-schema.org/draft-07/schema#",
                   "items": [{"type": "string"}], "additionalItems": false})");
  EXPECT_TRUE(draft7(R"(["a"])").valid);
  EXPECT_FALSE(draft7(R"(["a", 1])").valid);
  edgeguard::validate::Options o;
  o.draft = edgeguard::validate::Draft::draft7;
  Check by_option(R"({"dependencies": {"a": ["b"]}})", o);
  EXPECT_FALSE(by_option(R"({"a": 1})").valid);
  EXPECT_EQ(error_path(R"({"items": [{"type": "string"}]})"), "#/items");
}

TEST(Compiler, RefusesSchemasNestedTooDeeply) {
  auto nested = [](int n) {
    std::string s;
    for (int k = 0; k < n; ++k) s += R"({"not": )";
    return s + "{}" + std::string(n, '}');
  };
  EXPECT_EQ(error_path(nested(100)), "no error");
  EXPECT_EQ(error_path(nested(230)).substr(0, 11), "#/not/not/n");  // by the compiler
  EXPECT_EQ(error_path(nested(100000)), "#");                      // before parsing completes
  std::string chain = R"({"$ref": "#/$defs/d0", "$defs": {)";
  for (int k = 0; k < 1000; ++k)
    chain += (k ? "," : "") + std::string("\"d") + std::to_string(k) + "\": {\"$ref\": \"#/$defs/d" +
             std::to_string(k + 1) + "\"}";
  chain += R"(, "d1000": {"type": "string"}}})";
  EXPECT_NE(error_path(chain), "no error");
}
