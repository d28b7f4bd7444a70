#include "edgeguard/validate/metaschemas.hpp"

#include <gtest/gtest.h>

#include <string>

#include "edgeguard/validate/compiler.hpp"
#include "harness.hpp"

using edgeguard::validate::metaschema;

namespace {

constexpr const char* k2020 = "https://json-schema.org/draft/2020-12/";

// Each URI the compiler may look up (a $schema or $ref without its fragment, and the
// vocabularies the 2020-12 schema refers to), with a schema its text must refuse: the text is
// the right vocabulary, not just some JSON, and the refusal is its own (named by its schemaPath).
struct Case {
  std::string uri;
  const char* refused;
};
const Case kCases[] = {
    {"http://json-schema.org/draft-07/schema", R"({"dependencies": 3})"},
    {std::string(k2020) + "schema", R"({"definitions": 3})"},
    {std::string(k2020) + "meta/core", R"({"$anchor": "1st"})"},
    {std::string(k2020) + "meta/applicator", R"({"allOf": []})"},
    {std::string(k2020) + "meta/unevaluated", R"({"unevaluatedProperties": 3})"},
    {std::string(k2020) + "meta/validation", R"({"required": ["a", "a"]})"},
    {std::string(k2020) + "meta/meta-data", R"({"deprecated": "yes"})"},
    {std::string(k2020) + "meta/format-annotation", R"({"format": 5})"},
    {std::string(k2020) + "meta/content", R"({"contentMediaType": 5})"},
};

TEST(Metaschemas, EachParsesNamesItselfAndCompiles) {
  for (const Case& c : kCases) {
    const std::string_view text = metaschema(c.uri);
    ASSERT_FALSE(text.empty()) << c.uri;
    // Its $id is the URI it is filed under (draft-07's carries an empty fragment).
    const auto schema = edgeguard::validate::parse_schema(text);
    ASSERT_NE(schema.find("$id"), nullptr) << c.uri;
    std::string id = schema.find("$id")->text();
    if (id.back() == '#') id.pop_back();
    EXPECT_EQ(id, c.uri);
    harness::Check check(R"({"$ref": ")" + c.uri + R"("})");
    EXPECT_TRUE(check(R"({"title": "ok"})").valid) << c.uri;
    const auto out = check(c.refused);
    EXPECT_FALSE(out.valid) << c.uri << " took " << c.refused;
    ASSERT_FALSE(out.errors.empty()) << c.uri;
    EXPECT_EQ(out.errors[0]["schemaPath"].get<std::string>().rfind(c.uri + "#", 0), 0u) << out.errors.dump();
  }
}

// Lookups are exact: the compiler strips the fragment first, and other drafts are not built in.
TEST(Metaschemas, AnythingElseIsEmpty) {
  for (const char* uri : {"http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2019-09/schema",
                          "https://json-schema.org/draft/2020-12/meta/", "http://json-schema.org/draft-07/schema/", ""})
    EXPECT_TRUE(metaschema(uri).empty()) << uri;
}

}  // namespace
