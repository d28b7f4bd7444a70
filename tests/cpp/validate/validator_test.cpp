#include "edgeguard/validate/validator.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

using edgeguard::validate::Options;
using edgeguard::validate::SchemaError;
using edgeguard::validate::parse_schema;
using harness::Check;
using nlohmann::json;

namespace {

const char* kOrder = R"({
  "type": "object",
  "required": ["id", "email", "items"],
  "properties": {
    "id": {"type": "integer", "minimum": 1},
    "email": {"type": "string", "format": "email"},
    "items": {"type": "array", "minItems": 1, "items": {
      "type": "object", "required": ["sku", "qty"],
      "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"},
                     "qty": {"type": "integer", "minimum": 1}}}},
    "revenue": {"type": "number", "x-severity": "warning", "exclusiveMinimum": 0}
  }
})";

}  // namespace

TEST(Validator, AcceptsValidDocumentsAndReportsTheFirstErrorByDefault) {
  Check check(kOrder);
  EXPECT_TRUE(check(R"({"id": 1, "email": "a@b.co", "items": [{"sku": "ABC-1", "qty": 2}]})").valid);
  const auto out = check(R"({"id": 0, "email": 5, "items": []})");
  EXPECT_FALSE(out.valid);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0]["instancePath"], "/id");
}

TEST(Validator, AllErrorsReportsEveryFailure) {
  Check check(kOrder, harness::all_errors());
  const auto out = check(R"({"id": 0, "email": 5, "items": [{"sku": "abc", "qty": 0}]})");
  EXPECT_FALSE(out.valid);
  std::vector<std::string> paths;
  for (const json& e : out.errors) paths.push_back(e["instancePath"].get<std::string>() + " " +
                                                   e["keyword"].get<std::string>());
  EXPECT_EQ(paths, (std::vector<std::string>{"/id minimum", "/email type", "/items/0/sku pattern",
                                             "/items/0/qty minimum"}));
}

TEST(Validator, WarningSubschemasReportWithoutInvalidating) {
  Check check(kOrder, harness::all_errors());
  const auto out = check(R"({"id": 1, "email": "a@b.co", "items": [{"sku": "ABC-1", "qty": 1}],
                             "revenue": 0})");
  EXPECT_TRUE(out.valid);
  EXPECT_TRUE(out.errors.empty());
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_EQ(out.warnings[0]["instancePath"], "/revenue");
  EXPECT_EQ(out.warnings[0]["keyword"], "exclusiveMinimum");
  // A hard error elsewhere keeps the warning beside it.
  const auto both = check(R"({"id": 1, "email": "a@b.co", "items": [], "revenue": 0})");
  EXPECT_FALSE(both.valid);
  EXPECT_EQ(both.errors.size(), 1u);
  EXPECT_EQ(both.warnings.size(), 1u);
}

TEST(Validator, FormatsAreAnnotationsUnlessAsserted) {
  Check annotate(R"({"format": "email"})");
  EXPECT_TRUE(annotate(R"("not an email")").valid);
  Options o;
  o.assert_formats = true;
  Check assert_(R"({"format": "email"})", o);
  EXPECT_FALSE(assert_(R"("not an email")").valid);
  EXPECT_TRUE(assert_(R"("joe@example.com")").valid);
  EXPECT_TRUE(assert_("12").valid);  // formats only constrain strings
}

TEST(Validator, LengthsCountCodePoints) {
  Check check(R"({"minLength": 2, "maxLength": 2})");
  EXPECT_TRUE(check("\"\xf0\x9f\x98\x80\xc3\xa9\"").valid);   // 2 code points, 6 bytes
  EXPECT_TRUE(check(R"("\ud83d\ude00\u00e9")").valid);      // the same, escaped
  EXPECT_FALSE(check("\"\xf0\x9f\x98\x80\"").valid);
}

TEST(Validator, PatternsRunInLinearTime) {
  Check check(R"({"pattern": "^(a+)+$"})");
  // A backtracking engine needs ~2^30 steps per input here (hours for these); a linear one
  // answers at once.
  for (int n : {30, 5000}) {
    EXPECT_FALSE(check("\"" + std::string(n, 'a') + "!\"").valid);
    EXPECT_TRUE(check("\"" + std::string(n, 'a') + "\"").valid);
  }
}

TEST(Validator, ProtoKeysArePlainData) {
  Check check(R"({"properties": {"__proto__": {"type": "string"}}, "required": ["__proto__"],
                 "additionalProperties": false})");
  EXPECT_TRUE(check(R"({"__proto__": "x"})").valid);
  EXPECT_FALSE(check(R"({"__proto__": 1})").valid);
  EXPECT_FALSE(check(R"({"constructor": "x", "__proto__": "x"})").valid);
}

TEST(Validator, ManyPropertiesAreLookedUpByHash) {
  std::string schema = R"({"additionalProperties": false, "properties": {)";
  std::string doc = "{";
  for (int k = 0; k < 500; ++k) {
    schema += (k ? "," : "") + std::string("\"p") + std::to_string(k) + "\": {\"const\": " +
              std::to_string(k) + "}";
    doc += (k ? "," : "") + std::string("\"p") + std::to_string(k) + "\": " + std::to_string(k);
  }
  Check check(schema + "}}");
  EXPECT_TRUE(check(doc + "}").valid);
  EXPECT_FALSE(check(doc + ", \"p500\": 1}").valid);
  EXPECT_FALSE(check(R"({"p7": 8})").valid);
}

TEST(Validator, LimitsBoundSizeAndDepth) {
  Options o;
  o.limits.max_bytes = 16;
  o.limits.max_depth = 3;
  Check check("{}", o);
  auto out = check(R"({"a": "0123456789abcdef"})");
  EXPECT_FALSE(out.valid);
  EXPECT_EQ(out.errors[0]["params"]["code"], "PAYLOAD_TOO_LARGE");
  out = check("[[[[1]]]]");
  EXPECT_EQ(out.errors[0]["params"]["code"], "PAYLOAD_TOO_DEEP");
  EXPECT_TRUE(check("[[[1]]]").valid);
  o.limits.max_depth = 100000;
  EXPECT_THROW(Check("{}", o), std::invalid_argument);
}

TEST(Validator, SelfReferencingSchemasStopAtTheRecursionBound) {
  Check check(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
                 "$ref": "#/$defs/a"})");
  const auto out = check("1");
  EXPECT_FALSE(out.valid);
  EXPECT_EQ(out.errors[0]["message"], "schema recursion is too deep");
}

TEST(Validator, AddedSchemasCanBeTargetedById) {
  Check check(R"({"type": "object"})");
  check.validator().add_schema(parse_schema(R"({"$id": "urn:item", "type": "string"})"), "");
  EXPECT_TRUE(check(R"("x")", "urn:item").valid);
  EXPECT_FALSE(check("1", "urn:item").valid);
  EXPECT_FALSE(check(R"("x")").valid);
  EXPECT_THROW(check("1", "urn:missing"), std::invalid_argument);
  Check with_known(R"({"$ref": "urn:a"})", {},
                   {{"urn:a", parse_schema(R"({"type": "integer"})")},
                    {"urn:b", parse_schema(R"({"type": "string", "$defs": {"c": {"$id": "urn:c", "minimum": 3}}})")}});
  EXPECT_TRUE(with_known("1").valid);
  EXPECT_TRUE(with_known(R"("x")", "urn:b").valid);
  EXPECT_FALSE(with_known("1", "urn:b").valid);
  EXPECT_FALSE(with_known("2", "urn:c").valid);
  EXPECT_TRUE(with_known("4", "urn:c").valid);
  EXPECT_THROW(check.validator().add_schema(parse_schema(R"({"type": "nope"})"), "urn:bad"),
               SchemaError);
}

TEST(Validator, ReusesItsBuffersAcrossDocuments) {
  Check check(kOrder, harness::all_errors());
  for (int k = 0; k < 3; ++k) {
    EXPECT_FALSE(check(R"({"id": "x"})").valid);
    EXPECT_TRUE(check(R"({"id": 1, "email": "a@b.co", "items": [{"sku": "ABC-1", "qty": 2}]})").valid);
  }
}

TEST(Validator, LongDecimalsNearABoundAreComparedExactly) {
  // 0.10000000000000001 is the double 0.1; 0.10000000000000003 is the next one up.
  Check check(R"({"exclusiveMinimum": 0.1, "maximum": 20.990000000000002})");
  EXPECT_FALSE(check("0.10000000000000001").valid);
  EXPECT_TRUE(check("0.10000000000000003").valid);
  EXPECT_TRUE(check("20.990000000000002").valid);
  EXPECT_FALSE(check("20.990000000000006").valid);
  EXPECT_TRUE(check("12.345678901234567").valid);
}
