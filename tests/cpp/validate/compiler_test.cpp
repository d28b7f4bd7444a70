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
       edgeguard::validate::parse_schema(R"({"$defs": {"id": {"type": "integer", "minimum": 1}}})")}};
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

// Found by schema_compiler_fuzz: a number no double can hold.
TEST(Compiler, SchemaTextThatIsNotJsonIsASchemaError) {
  for (const char* text : {"777777777E777", R"({"minimum": 1e400})", "{", ""})
    EXPECT_THROW(edgeguard::validate::parse_schema(text), SchemaError) << text;
}

// What nlohmann's parser, which read schemas before, took: a byte order mark, and a NUL byte
// ending the text.
TEST(Compiler, SchemaTextTakesWhatItTookBefore) {
  using edgeguard::validate::parse_schema;
  EXPECT_EQ(parse_schema("\xEF\xBB\xBF{\"type\": \"string\"}"), parse_schema(R"({"type": "string"})"));
  EXPECT_EQ(parse_schema(std::string("{\"minimum\": 1}\0{", 16)), parse_schema(R"({"minimum": 1})"));
  EXPECT_THROW(parse_schema(std::string("{\"minimum\": 1\0}", 15)), SchemaError);
  EXPECT_THROW(parse_schema("\xEF\xBB{}"), SchemaError);
  EXPECT_NO_THROW(parse_schema("[[[]]]", 3));
  try {
    parse_schema("[[[[]]]]", 3);
    ADD_FAILURE() << "nesting beyond the limit";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "schema nesting too deep");
  }
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

namespace {

using edgeguard::validate::Options;
using edgeguard::validate::Validator;
using edgeguard::validate::parse_schema;

// Subschemas every kind of compile failure comes from.
const char* const kBroken[] = {
    R"({"$ref": "#/nope"})",         R"({"$ref": "https://elsewhere.example/b.json"})",
    R"({"type": "strin"})",          R"({"pattern": "(a)\\1"})",
    R"({"pattern": "("})",           R"({"x-sanitize": "shout"})",
    R"({"minLength": -1})",          R"({"x-severity": "loud"})",
    R"({"multipleOf": 0})",          R"({"enum": 3})",
    R"({"allOf": []})",              R"({"properties": {"y": 3}})",
    R"({"patternProperties": {"(?<=a)b": {}}})",
};

// An object schema requiring `x`, which must match `sub`.
std::string requiring_x(const std::string& sub) {
  return R"({"type": "object", "required": ["x"], "properties": {"x": )" + sub + "}}";
}

bool validates(Validator& v, const std::string& doc, const std::string& id) {
  return v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), id);
}

}  // namespace

// Issue 12: a node was cached before its keywords were filled; after a failed fill the
// half-filled node stayed reachable and accepted anything.
TEST(Compiler, AFailedAddLeavesNothingReachableEveryTime) {
  for (const char* broken : kBroken) {
    SCOPED_TRACE(broken);
    Validator v(parse_schema("true"), Options{});
    for (int attempt = 0; attempt < 2; ++attempt) {
      EXPECT_THROW(v.add_schema(parse_schema(requiring_x(broken)), "https://ex/b"), SchemaError);
      EXPECT_THROW(validates(v, "{}", "https://ex/b"), std::invalid_argument);
      // A schema reaching the failed one finds nothing there.
      EXPECT_THROW(v.add_schema(parse_schema(R"({"$ref": "https://ex/b"})"), "https://ex/c"), SchemaError);
      EXPECT_THROW(v.add_schema(parse_schema(R"({"$ref": "https://ex/b#/properties/x"})"), "https://ex/d"),
                   SchemaError);
    }
    // The validator still works: a good schema under the same id compiles and checks.
    v.add_schema(parse_schema(requiring_x("{}")), "https://ex/b");
    EXPECT_FALSE(validates(v, "{}", "https://ex/b"));
    EXPECT_TRUE(validates(v, R"({"x": 1})", "https://ex/b"));
  }
}

TEST(Compiler, ReAddingAnIdWithABrokenSchemaFailsAndKeepsTheOldOne) {
  for (const char* broken : kBroken) {
    SCOPED_TRACE(broken);
    Validator v(parse_schema("true"), Options{});
    v.add_schema(parse_schema(R"({"type": "object", "required": ["x"]})"), "https://ex/b");
    for (int attempt = 0; attempt < 2; ++attempt) {
      EXPECT_THROW(v.add_schema(parse_schema(requiring_x(broken)), "https://ex/b"), SchemaError);
      EXPECT_FALSE(validates(v, "{}", "https://ex/b"));
      EXPECT_TRUE(validates(v, R"({"x": 1})", "https://ex/b"));
    }
    // A schema added later resolves the id to the old, good one.
    v.add_schema(parse_schema(R"({"$ref": "https://ex/b"})"), "https://ex/c");
    EXPECT_FALSE(validates(v, "{}", "https://ex/c"));
    EXPECT_TRUE(validates(v, R"({"x": 1})", "https://ex/c"));
  }
}

TEST(Compiler, ABrokenKnownSchemaIsRefusedAtConstruction) {
  for (const char* broken : kBroken) {
    SCOPED_TRACE(broken);
    const Validator::Schemas schemas = {{"https://example.com/a.json", parse_schema(requiring_x(broken))}};
    EXPECT_THROW(Validator(parse_schema("true"), Options{}, schemas), SchemaError);
    // The main schema reaching it fails as well.
    EXPECT_THROW(Validator(parse_schema(R"({"$ref": "https://example.com/a.json"})"), Options{}, schemas),
                 SchemaError);
  }
}

TEST(Compiler, ABrokenResourceCompiledOnDemandFailsEveryTime) {
  // `$defs/b` is a resource of its own, compiled only when validation targets it.
  const Validator::Schemas schemas = {
      {"https://ex/s", parse_schema(R"({"$defs": {"b": {"$id": "https://ex/s/b", "type": "object",
                                        "required": ["x"], "properties": {"x": {"$ref": "#/nope"}}}}})")}};
  Validator v(parse_schema("true"), Options{}, schemas);
  for (int attempt = 0; attempt < 3; ++attempt)
    EXPECT_THROW(validates(v, "{}", "https://ex/s/b"), SchemaError);
}

TEST(Compiler, AFailedCompileLeavesTheProgramAsItWas) {
  edgeguard::validate::Program program;
  edgeguard::validate::Compiler compiler(program, {});
  compiler.atomically([&] {
    compiler.add(parse_schema(R"({"properties": {"a": {"enum": [1, 2]}}})"), "https://ex/a");
    return compiler.compile("https://ex/a");
  });
  const auto nodes = program.nodes.size(), strings = program.strings.size(),
             constants = program.constant_node.size(), objects = program.objects.size();
  for (const char* broken : kBroken) {
    SCOPED_TRACE(broken);
    EXPECT_THROW(compiler.atomically([&] {
                   compiler.add(parse_schema(R"({"$defs": {"e": {"enum": [3, 4]}}, "allOf": [{"$ref": "https://ex/a"}, )" +
                                             requiring_x(broken) + "]}"),
                                "https://ex/b");
                   return compiler.compile("https://ex/b");
                 }),
                 SchemaError);
    EXPECT_FALSE(compiler.has("https://ex/b"));
    EXPECT_EQ(program.nodes.size(), nodes);
    EXPECT_EQ(program.strings.size(), strings);
    EXPECT_EQ(program.constant_node.size(), constants);
    EXPECT_EQ(program.objects.size(), objects);
  }
}
