#include "edgeguard/validate/errors.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

using harness::Check;
using nlohmann::json;

namespace {

// The single error of validating `doc` against `schema`.
json only_error(const std::string& schema, const std::string& doc) {
  Check check(schema);
  const auto out = check(doc);
  EXPECT_FALSE(out.valid) << schema << " / " << doc;
  EXPECT_EQ(out.errors.size(), 1u) << out.errors.dump();
  return out.errors.empty() ? json() : out.errors[0];
}

}  // namespace

TEST(Errors, AreShapedLikeAjv) {
  const json e = only_error(R"({"properties": {"a": {"items": {"type": "string"}}}})",
                            R"({"a": ["x", 5]})");
  EXPECT_EQ(e, json::parse(R"({"instancePath": "/a/1", "schemaPath": "#/properties/a/items/type",
    "keyword": "type", "params": {"type": "string"}, "message": "must be string"})"));
}

TEST(Errors, NameParamsAndMessagesPerKeyword) {
  struct Case {
    const char* schema;
    const char* doc;
    const char* keyword;
    const char* params;
    const char* message;
  };
  const Case cases[] = {
      {R"({"required": ["id"]})", "{}", "required", R"({"missingProperty": "id"})",
       "must have required property 'id'"},
      {R"({"minimum": 5})", "3", "minimum", R"({"comparison": ">=", "limit": 5})", "must be >= 5"},
      {R"({"exclusiveMaximum": 5})", "5", "exclusiveMaximum", R"({"comparison": "<", "limit": 5})",
       "must be < 5"},
      {R"({"multipleOf": 0.5})", "0.3", "multipleOf", R"({"multipleOf": 0.5})",
       "must be multiple of 0.5"},
      {R"({"maxLength": 2})", R"("abc")", "maxLength", R"({"limit": 2})",
       "must NOT have more than 2 characters"},
      {R"({"pattern": "^a"})", R"("b")", "pattern", R"({"pattern": "^a"})",
       "must match pattern \"^a\""},
      {R"({"enum": ["a", 1]})", "2", "enum", R"({"allowedValues": ["a", 1]})",
       "must be equal to one of the allowed values"},
      {R"({"const": {"a": 1}})", "2", "const", R"({"allowedValue": {"a": 1}})",
       "must be equal to constant"},
      {R"({"uniqueItems": true})", "[1, 2, 1]", "uniqueItems", R"({"i": 2, "j": 0})",
       "must NOT have duplicate items (items ## 0 and 2 are identical)"},
      {R"({"additionalProperties": false})", R"({"x": 1})", "additionalProperties",
       R"({"additionalProperty": "x"})", "must NOT have additional properties"},
      {R"({"minItems": 2})", "[1]", "minItems", R"({"limit": 2})", "must NOT have fewer than 2 items"},
      {R"({"contains": {"type": "string"}})", "[1]", "contains", R"({"minContains": 1})",
       "must contain at least 1 valid item(s)"},
      {R"({"oneOf": [{}, {}]})", "1", "oneOf", R"({"passingSchemas": [0, 1]})",
       "must match exactly one schema in oneOf"},
      {R"({"not": {}})", "1", "not", "{}", "must NOT be valid"},
      {R"({"dependentRequired": {"a": ["b"]}})", R"({"a": 1})", "dependentRequired",
       R"({"property": "a", "missingProperty": "b", "depsCount": 1, "deps": "b"})",
       "must have property b when property a is present"},
      {R"({"type": ["string", "null"]})", "1", "type", R"({"type": ["string", "null"]})",
       "must be string,null"},
      {"false", "1", "false schema", "{}", "boolean schema is false"},
  };
  for (const Case& c : cases) {
    const json e = only_error(c.schema, c.doc);
    EXPECT_EQ(e["keyword"], c.keyword) << c.schema;
    EXPECT_EQ(e["params"], json::parse(c.params)) << c.schema;
    EXPECT_EQ(e["message"], c.message) << c.schema;
  }
}

TEST(Errors, EscapeKeysInInstancePaths) {
  const json e = only_error(R"({"additionalProperties": {"type": "string"}})", R"({"a/b~c": 1})");
  EXPECT_EQ(e["instancePath"], "/a~1b~0c");
  EXPECT_EQ(e["schemaPath"], "#/additionalProperties/type");
}

TEST(Errors, MalformedDocumentsGiveOneJsonErrorWithOffsetLineAndColumn) {
  Check check(R"({"type": "object"})");
  const auto out = check("{\n  \"a\": tru }");
  EXPECT_FALSE(out.valid);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0]["keyword"], "json");
  EXPECT_EQ(out.errors[0]["params"]["offset"], 9);
  EXPECT_EQ(out.errors[0]["params"]["line"], 2);
  EXPECT_EQ(out.errors[0]["params"]["column"], 8);
  EXPECT_EQ(out.errors[0]["params"]["code"], "PAYLOAD_MALFORMED");
}

TEST(Errors, RepeatedFailuresRenderTheSameAndDistinctOnesStayDistinct) {
  Check check(R"({"required": ["a", "b"], "properties": {"x": {"type": "string"}}})", harness::all_errors());
  const auto first = check(R"({"x": 1})");
  const auto again = check(R"({"x": 2})");
  EXPECT_EQ(first.errors, again.errors);
  ASSERT_EQ(first.errors.size(), 3u);
  EXPECT_EQ(first.errors[1]["params"]["missingProperty"], "a");
  EXPECT_EQ(first.errors[2]["params"]["missingProperty"], "b");
  const auto other = check(R"({"a": 1, "x": "s"})");
  ASSERT_EQ(other.errors.size(), 1u);
  EXPECT_EQ(other.errors[0]["message"], "must have required property 'b'");
}

TEST(Errors, KeyErrorsPointAtTheirObject) {
  Check check(R"({"properties": {"a": {"items": {"propertyNames": {"maxLength": 3}}}}})",
              harness::all_errors());
  const auto out = check(R"({"a": [{"ok": 1}, {"long key": 2}]})");
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[0]["keyword"], "maxLength");
  EXPECT_EQ(out.errors[0]["instancePath"], "/a/1");
  EXPECT_EQ(out.errors[1]["keyword"], "propertyNames");
  EXPECT_EQ(out.errors[1]["instancePath"], "/a/1");
  EXPECT_EQ(out.errors[1]["params"]["propertyName"], "long key");
}

TEST(Errors, InstancePathsStepOverSiblingsAndNeverCarryOverToTheNextReport) {
  Check check(R"({"properties": {"a": {"items": {"properties": {"v": {"type": "integer"}}}},
                  "z": {"type": "string"}}})",
              harness::all_errors());
  auto paths = [&](const std::string& doc) {
    std::vector<std::string> out;
    for (const json& e : check(doc).errors) out.push_back(e["instancePath"]);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(paths(R"({"pre": [1, 2, {"x": [3]}], "a": [{"v": 1}, {"w": [1], "v": "x"}, {"q": {}, "v": 2},
                      {"v": "y"}], "mid": {"k": 1}, "z": 5})"),
            (V{"/a/1/v", "/a/3/v", "/z"}));
  EXPECT_EQ(paths(R"({"a": [{"v": 1}], "z": 5})"), (V{"/z"}));
  EXPECT_EQ(paths(R"({"a": [{"v": "s"}]})"), (V{"/a/0/v"}));
  EXPECT_EQ(paths(R"([{"v": "not checked"}])"), V{});
}

TEST(Errors, TheIndexLocatesEachErrorAndGivesEachKeptTailOneId) {
  using namespace edgeguard::validate;
  Options options;
  options.eval.all_errors = true;
  Validator v(parse_schema(R"({"required": ["r"], "additionalProperties": false,
                               "properties": {"n": {"minimum": 5}, "r": {}}})"),
              options);
  auto report = [&](const std::string& doc) {
    EXPECT_FALSE(v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size()));
    return v.errors_report();
  };
  const std::string first = report(R"({"n": 1, "x": 0, "r": 0})");
  const std::vector<uint32_t> index = v.report_index();
  ASSERT_EQ(index.size(), 6u);  // path end, tail id, end: per error
  // Each error's path runs to the separator before its tail, its tail to its end.
  EXPECT_EQ(first.substr(0, index[0]), "/n");
  EXPECT_EQ(first[index[0]], kFieldSeparator);
  EXPECT_EQ(first.substr(index[0] + 1, index[2] - index[0] - 1).substr(0, 22), "#/properties/n/minimum");
  EXPECT_EQ(first[index[2]], kFieldSeparator);
  EXPECT_EQ(index[3], index[2] + 1);  // the key's error is its object's: path ""
  EXPECT_EQ(index[5], first.size());
  EXPECT_NE(index[1], kNoTail);  // minimum's tail is the schema's
  EXPECT_EQ(index[4], kNoTail);  // additionalProperties' names the key: never kept
  // The same failure again keeps its id; another failure gets another.
  report(R"({"n": 2})");
  const std::vector<uint32_t> again = v.report_index();
  ASSERT_EQ(again.size(), 6u);
  EXPECT_EQ(again[1], index[1]);
  EXPECT_NE(again[4], kNoTail);
  EXPECT_NE(again[4], index[1]);
}
