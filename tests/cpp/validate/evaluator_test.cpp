#include "edgeguard/validate/evaluator.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

using harness::Check;

namespace {

// `"x-severity": "warning"` spliced into a schema.
const std::string W = R"("x-severity": "warning", )";

struct Case {
  std::string schema, doc;
  bool valid;
  size_t warnings;
};

void expect(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.schema + " on " + c.doc);
    Check check(c.schema, harness::all_errors());
    const auto out = check(c.doc);
    EXPECT_EQ(out.valid, c.valid);
    EXPECT_EQ(out.warnings.size(), c.warnings);
    EXPECT_EQ(out.errors.empty(), out.valid);
  }
}

}  // namespace

// A quotient far below 1 is no multiple (only 0 is); the tolerance for inexact quotients such as
// 0.3 / 0.1 is relative to the quotient, as Ajv and `type: integer` agree.
TEST(Evaluator, MultipleOfRefusesTinyNonZeroQuotients) {
  expect({
      {R"({"multipleOf": 1})", "1e-300", false, 0},
      {R"({"multipleOf": 1})", "5e-324", false, 0},
      {R"({"multipleOf": 1})", "-1e-99", false, 0},
      {R"({"multipleOf": 1})", "1e-20", false, 0},
      {R"({"multipleOf": 1})", "0", true, 0},
      {R"({"multipleOf": 1})", "1e300", true, 0},
      {R"({"multipleOf": 0.1})", "0.3", true, 0},
      {R"({"multipleOf": 0.01})", "19.99", true, 0},
      {R"({"multipleOf": 1e-300})", "3e-300", true, 0},
      {R"({"multipleOf": 1e-300})", "1e-301", false, 0},
  });
}

// Trailing zeros read as an exponent: 1e20 and 100000000000000000000 (JSON.stringify's text of
// 1e20) are the same decimal on either side, decided exactly; division would take any quotient
// past 1e9 for a multiple.
TEST(Evaluator, MultipleOfReadsBothSpellingsOfADecimalAlike) {
  expect({
      {R"({"multipleOf": 1e20})", "100000000000000000000", true, 0},
      {R"({"multipleOf": 100000000000000000000})", "1e20", true, 0},
      {R"({"multipleOf": 100000000000000000000})", "150000000000000000000", false, 0},
      {R"({"multipleOf": 7})", "1e20", false, 0},
      {R"({"multipleOf": 7})", "100000000000000000000", false, 0},
      {R"({"multipleOf": 7})", "700000000000000000000", true, 0},
      {R"({"multipleOf": 3e22})", "1e45", false, 0},
      {R"({"multipleOf": 30000000000000000000000})", "1e45", false, 0},
      {R"({"multipleOf": 30000000000000000000000})", "9e22", true, 0},
      {R"({"multipleOf": 0.5})", "1.50000000000000000000000000", true, 0},
      {R"({"multipleOf": 0.5})", "1.25000000000000000000000000", false, 0},
      {R"({"multipleOf": 1e-25})", "1.00000000000000000000000010", true, 0},
      // A double is a multiple of itself: the schema's text is the value's own shortest digits,
      // not nlohmann's other digits for the same double.
      {R"({"multipleOf": 1.993340290592047e-77})", "1.993340290592047e-77", true, 0},
      {R"({"multipleOf": 1613727462159628.2})", "1613727462159628.2", true, 0},
      {R"({"multipleOf": 1613727462159628.2})", "3227454924319256.4", true, 0},
  });
}

// Issue 12, item 5: a warning subschema whose failure counted as passing inverted the parent's
// test. Where a parent tests whether a subschema matches, x-severity has no effect.
TEST(Evaluator, WarningsDoNotChangeWhatAParentTests) {
  expect({
      {R"({"not": {)" + W + R"("type": "integer"}})", R"("a")", true, 0},
      {R"({"not": {)" + W + R"("type": "integer"}})", "1", false, 0},
      {R"({"anyOf": [{)" + W + R"("type": "integer"}, {"type": "boolean"}]})", R"("s")", false, 0},
      {R"({"anyOf": [{)" + W + R"("type": "integer"}, {"type": "boolean"}]})", "1", true, 0},
      {R"({"oneOf": [{)" + W + R"("type": "integer"}, {"type": "string"}]})", R"("s")", true, 0},
      {R"({"oneOf": [{)" + W + R"("type": "integer"}, {"type": "string"}]})", "true", false, 0},
      {R"({"if": {)" + W + R"("type": "integer"}, "then": {"minimum": 5}, "else": {"type": "string"}})", "true", false, 0},
      {R"({"if": {)" + W + R"("type": "integer"}, "then": {"minimum": 5}, "else": {"type": "string"}})", R"("a")", true, 0},
      {R"({"contains": {)" + W + R"("type": "integer"}})", R"(["a"])", false, 0},
      {R"({"contains": {)" + W + R"("type": "integer"}})", R"(["a", 1])", true, 0},
      {R"({"contains": {)" + W + R"("const": 1}, "maxContains": 1})", "[1, 2, 3]", true, 0},
      // At any depth below the test, and through a $ref.
      {R"({"not": {"allOf": [{)" + W + R"("type": "integer"}]}})", R"("a")", true, 0},
      {R"({"not": {"properties": {"a": {)" + W + R"("type": "integer"}}}})", R"({"a": "x"})", true, 0},
      {R"({"anyOf": [{"$ref": "#/$defs/w"}, {"type": "boolean"}], "$defs": {"w": {)" + W +
           R"("type": "integer"}}})", R"("s")", false, 0},
      {R"({"anyOf": [{"items": {)" + W + R"("type": "integer"}}, {"type": "boolean"}]})", R"(["s"])", false, 0},
  });
}

TEST(Evaluator, WarningsElsewhereReportAndCountAsPassing) {
  expect({
      {R"({"allOf": [{)" + W + R"("type": "integer"}]})", R"("a")", true, 1},
      {R"({"if": {"type": "string"}, "then": {)" + W + R"("maxLength": 1}, "else": {)" + W +
           R"("type": "integer"}})", R"("ab")", true, 1},
      {R"({"if": {"type": "string"}, "then": {)" + W + R"("maxLength": 1}, "else": {)" + W +
           R"("type": "integer"}})", "true", true, 1},
      {R"({"dependentSchemas": {"a": {)" + W + R"("required": ["b"]}}})", R"({"a": 1})", true, 1},
      {R"({"prefixItems": [{)" + W + R"("type": "integer"}]})", R"(["a"])", true, 1},
      {R"({"items": {)" + W + R"("type": "integer"}})", R"(["a", "b"])", true, 2},
      {R"({"properties": {"a": {)" + W + R"("type": "integer"}}})", R"({"a": "x"})", true, 1},
      {R"({"patternProperties": {"^a": {)" + W + R"("type": "integer"}}})", R"({"ab": "x"})", true, 1},
      {R"({"additionalProperties": {)" + W + R"("type": "integer"}})", R"({"a": "x"})", true, 1},
      {R"({"propertyNames": {)" + W + R"("maxLength": 1}})", R"({"ab": 1})", true, 1},
      {R"({"unevaluatedProperties": {)" + W + R"("type": "integer"}})", R"({"a": "x"})", true, 1},
      {R"({"unevaluatedItems": {)" + W + R"("type": "integer"}})", R"(["x"])", true, 1},
      {R"({"$ref": "#/$defs/w", "$defs": {"w": {)" + W + R"("type": "integer"}}})", R"("a")", true, 1},
      // The parent tests the whole warning schema: its failures (the branches' and anyOf's)
      // are warnings.
      {"{" + W + R"("anyOf": [{"type": "integer"}, {"type": "boolean"}]})", R"("s")", true, 3},
      {"{" + W + R"("not": {"type": "integer"}})", "1", true, 1},
      // A hard failure beside a warning stays an error.
      {R"({"properties": {"a": {)" + W + R"("type": "integer"}, "b": {"type": "integer"}}})",
       R"({"a": "x", "b": "y"})", false, 1},
  });
}

// An exhausted recursion bound is an error of the whole run: it never reads as a pass under
// `not`, nor as a warning, and it ends the run at once.
TEST(Evaluator, TheRecursionBoundFailsTheRunWhateverTheParent) {
  for (const char* schema : {R"({"not": {"$ref": "#"}})", R"({"not": {"not": {"$ref": "#"}}})",
                             R"({"x-severity": "warning", "$ref": "#"})",
                             R"({"anyOf": [{"$ref": "#"}, {"$ref": "#"}, {"$ref": "#"}]})",
                             R"({"oneOf": [{"$ref": "#"}, {"$ref": "#"}]})",
                             R"({"if": {"$ref": "#"}, "then": true, "else": true})",
                             R"({"contains": {"$ref": "#/$defs/loop"}, "$defs": {"loop": {"$ref": "#/$defs/loop"}}})"}) {
    SCOPED_TRACE(schema);
    for (auto options : {edgeguard::validate::Options{}, harness::all_errors()}) {
      Check check(schema, options);
      const auto out = check("[1]");
      EXPECT_FALSE(out.valid);
      ASSERT_FALSE(out.errors.empty());
      EXPECT_EQ(out.errors.back()["message"], "schema recursion is too deep");
    }
  }
}

// Issue 12: recursive schemas refused documents deeper than 500 though max_depth allows 1000.
// The bound is set by the wasm engine's stack (evaluator.cpp); documents 1000 deep are followed
// through every applicator, and schemas spending more levels than that end in the recursion error.
TEST(Evaluator, RecursiveSchemasFollowDocuments1000Deep) {
  edgeguard::validate::Options o;
  o.limits.max_depth = 1000;
  auto arrays = [](int levels, const std::string& leaf) {
    return std::string(levels, '[') + leaf + std::string(levels, ']');
  };
  auto objects = [](int levels, const std::string& leaf) {
    std::string doc;
    for (int k = 0; k < levels; ++k) doc += R"({"a":)";
    return doc + leaf + std::string(levels, '}');
  };
  for (const char* schema : {
           R"({"type": ["array", "integer"], "items": {"$ref": "#"}})",
           R"({"$ref": "#/$defs/n", "$defs": {"n": {"type": ["array", "integer"], "items": {"$ref": "#/$defs/n"}}}})",
           R"({"type": ["object", "integer"], "properties": {"a": {"$ref": "#"}}})",
           R"({"type": ["object", "integer"], "additionalProperties": {"$ref": "#"}})",
           R"({"type": ["object", "integer"], "patternProperties": {"^a$": {"$ref": "#"}}})",
           R"({"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#"}}]})",
           R"({"oneOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#"}}]})",
           R"({"allOf": [{"type": ["array", "integer"]}, {"items": {"$ref": "#"}}]})",
           R"({"if": {"type": "array"}, "then": {"items": {"$ref": "#"}}, "else": {"type": "integer"}})",
           R"({"type": ["array", "integer"], "contains": {"$ref": "#"}})",
           R"({"type": ["array", "integer"], "unevaluatedItems": {"$ref": "#"}})",
           R"({"type": ["object", "integer"], "unevaluatedProperties": {"$ref": "#"}})"}) {
    SCOPED_TRACE(schema);
    for (auto options : {o, harness::all_errors()}) {
      options.limits.max_depth = 1000;
      Check check(schema, options);
      const bool objects_form = std::string(schema).find("roperties") != std::string::npos;
      auto doc = [&](const std::string& leaf) { return objects_form ? objects(1000, leaf) : arrays(1000, leaf); };
      EXPECT_TRUE(check(doc("1")).valid);
      const auto wrong = check(doc("true"));
      EXPECT_FALSE(wrong.valid);
      ASSERT_FALSE(wrong.errors.empty());
      EXPECT_NE(wrong.errors.back()["message"], "schema recursion is too deep");
    }
  }
  // Through not: a level is valid when the one below is not.
  Check alternating(R"({"type": ["array", "integer"], "items": {"not": {"$ref": "#"}}})", o);
  EXPECT_TRUE(alternating(arrays(1000, "1")).valid);
  EXPECT_FALSE(alternating(arrays(999, "1")).valid);
  // Three levels of evaluation per document level: past the bound, an error.
  Check costly(R"({"type": "array", "items": {"anyOf": [{"allOf": [{"$ref": "#"}]}]}})", o);
  const auto deep = costly(arrays(1000, "1"));
  EXPECT_FALSE(deep.valid);
  ASSERT_FALSE(deep.errors.empty());
  EXPECT_EQ(deep.errors.back()["message"], "schema recursion is too deep");
}

// Lengths are counted only when the byte length leaves them open (a code point is one to four
// bytes): at each side of those bounds, with four-byte characters, the count decides.
TEST(Evaluator, StringLengthsAtTheByteBounds) {
  const std::string clef = "\xF0\x9D\x84\x9E";  // U+1D11E, four bytes
  expect({
      {R"({"minLength": 1})", '"' + clef + '"', true, 0},
      {R"({"minLength": 2})", '"' + clef + '"', false, 0},
      {R"({"minLength": 2})", '"' + clef + clef + '"', true, 0},
      {R"({"minLength": 3})", '"' + clef + clef + '"', false, 0},
      {R"({"minLength": 2})", R"("abcdefg")", true, 0},
      {R"({"minLength": 8})", R"("abcdefg")", false, 0},
      {R"({"maxLength": 1})", '"' + clef + '"', true, 0},
      {R"({"maxLength": 1})", '"' + clef + "a\"", false, 0},
      {R"({"minLength": 2, "maxLength": 2})", '"' + clef + "\xC3\xA9\"", true, 0},
  });
}
