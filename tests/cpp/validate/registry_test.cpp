#include "edgeguard/validate/registry.hpp"

#include <gtest/gtest.h>

#include "edgeguard/validate/validator.hpp"

using edgeguard::validate::DuplicateSchema;
using edgeguard::validate::Options;
using edgeguard::validate::parse_schema;
using edgeguard::validate::Registry;
using edgeguard::validate::SchemaError;
using edgeguard::validate::UnknownSchema;
using edgeguard::validate::Validator;

namespace {

bool valid(Validator& v, const std::string& doc) {
  return v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size());
}

// A registry whose "urn:order" reaches "urn:money" only, beside schemas nothing reaches.
std::shared_ptr<Registry> orders() {
  auto r = std::make_shared<Registry>();
  r->add("urn:money", R"({"$id": "urn:money", "type": "number", "multipleOf": 0.01})");
  r->add("urn:order", R"({"$id": "urn:order", "type": "object",
                          "properties": {"total": {"$ref": "urn:money"}}})");
  for (int k = 0; k < 50; ++k) {
    const std::string id = "urn:other" + std::to_string(k);
    r->add(id, R"({"$id": ")" + id + R"(", "enum": [1, 2, 3], "properties": {"a": {"$ref": "urn:money"}}})");
  }
  return r;
}

}  // namespace

TEST(Registry, CompilesOnlyWhatAValidatorReaches) {
  auto r = orders();
  Validator v(r, std::string("urn:order"), Options{});
  EXPECT_TRUE(valid(v, R"({"total": 1.25})"));
  EXPECT_FALSE(valid(v, R"({"total": 1.255})"));
  Registry::Compiled& compiled = r->compiled({});
  EXPECT_TRUE(compiled.has("urn:order"));
  EXPECT_TRUE(compiled.has("urn:money"));
  EXPECT_FALSE(compiled.has("urn:other0"));  // stored, never parsed
}

TEST(Registry, ValidatorsShareOneCompiledCopy) {
  auto r = orders();
  Validator first(r, std::string("urn:order"), Options{});
  const size_t nodes = r->compiled({}).program().nodes.size();
  for (int k = 0; k < 20; ++k) {
    Validator again(r, std::string("urn:order"), Options{});
    Validator whole(r, parse_schema(R"({"$ref": "urn:order"})"), Options{});
    EXPECT_TRUE(valid(again, R"({"total": 2})"));
    EXPECT_FALSE(valid(whole, R"({"total": "2"})"));
  }
  // The anonymous {"$ref"} schema, compiled once for all twenty: one node.
  EXPECT_EQ(r->compiled({}).program().nodes.size(), nodes + 1);
}

TEST(Registry, CompileOptionsGetTheirOwnProgram) {
  auto r = std::make_shared<Registry>();
  r->add("urn:mail", R"({"$id": "urn:mail", "format": "email"})");
  Options annotate, assert_formats;
  assert_formats.assert_formats = true;
  Validator lax(r, std::string("urn:mail"), annotate);
  Validator strict(r, std::string("urn:mail"), assert_formats);
  EXPECT_TRUE(valid(lax, R"("not a mail")"));
  EXPECT_FALSE(valid(strict, R"("not a mail")"));
}

TEST(Registry, AFailedCompileLeavesNoValidatorAndNothingHalfCompiled) {
  auto r = std::make_shared<Registry>();
  r->add("urn:bad", R"({"$id": "urn:bad", "minLength": "x"})");
  r->add("urn:uses-bad", R"({"$id": "urn:uses-bad", "properties": {"a": {"$ref": "urn:bad"}}})");
  EXPECT_THROW(Validator(r, std::string("urn:uses-bad"), Options{}), SchemaError);
  EXPECT_FALSE(r->compiled({}).has("urn:uses-bad"));
  EXPECT_TRUE(r->compiled({}).program().nodes.empty());
  // Again: the same error, never a node cached by the first try that accepts anything.
  EXPECT_THROW(Validator(r, std::string("urn:uses-bad"), Options{}), SchemaError);
  EXPECT_THROW(Validator(r, std::string("urn:nothing"), Options{}), UnknownSchema);
}

TEST(Registry, AnIdNamesOneSchema) {
  auto r = orders();
  r->add("urn:money", R"({"$id": "urn:money", "type": "number", "multipleOf": 0.01})");  // same: no-op
  r->add("urn:money", R"({"multipleOf": 0.01, "$id": "urn:money", "type": "number"})");  // written otherwise
  EXPECT_THROW(r->add("urn:money", R"({"$id": "urn:money"})"), DuplicateSchema);
  EXPECT_THROW(r->add("#", "{}"), SchemaError);
  // A nested $id that a stored schema already has would hide it from every other $ref.
  EXPECT_THROW(Validator(r, parse_schema(R"({"$defs": {"m": {"$id": "urn:money"}}})"), Options{}),
               SchemaError);
  Validator v(r, std::string("urn:order"), Options{});
  EXPECT_FALSE(valid(v, R"({"total": 0.001})"));
  // A schema given whole with a $id is added to the registry and found by that id.
  Validator named(r, parse_schema(R"({"$id": "urn:flag", "type": "boolean"})"), Options{});
  EXPECT_TRUE(r->holds("urn:flag"));
  Validator by_id(r, std::string("urn:flag"), Options{});
  EXPECT_FALSE(valid(by_id, "1"));
}

TEST(Registry, FindsResourcesNestedInStoredSchemasAndRelativeReferences) {
  auto r = std::make_shared<Registry>();
  r->add("https://ex.com/lib.json", R"({"$id": "https://ex.com/lib.json",
      "$defs": {"id": {"$id": "ident.json", "type": "integer"}, "name": {"$anchor": "name", "type": "string"}}})");
  r->add("https://ex.com/user.json", R"({"$id": "https://ex.com/user.json", "type": "object",
      "properties": {"id": {"$ref": "ident.json"}, "name": {"$ref": "lib.json#name"}}})");
  Validator v(r, std::string("https://ex.com/user.json"), Options{});
  EXPECT_TRUE(valid(v, R"({"id": 1, "name": "a"})"));
  EXPECT_FALSE(valid(v, R"({"id": "1"})"));
  EXPECT_FALSE(valid(v, R"({"name": 1})"));
}

TEST(Registry, ValidateByIdCompilesFromTheRegistryOnce) {
  auto r = orders();
  Validator v(r, std::string("urn:order"), Options{});
  const std::string doc = "1.001";
  EXPECT_FALSE(v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), "urn:money"));
  EXPECT_THROW(v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), "urn:none"),
               std::invalid_argument);
  v.add_schema(parse_schema(R"({"type": "string"})"), "urn:text");
  EXPECT_TRUE(r->holds("urn:text"));
}

TEST(Registry, ASchemaGivenWholeThatFailsToCompileIsNotKept) {
  auto r = orders();
  EXPECT_THROW(Validator(r, parse_schema(R"({"$id": "urn:broken", "minimum": "x"})"), Options{}),
               SchemaError);
  EXPECT_FALSE(r->holds("urn:broken"));
  Validator v(r, std::string("urn:order"), Options{});
  EXPECT_THROW(v.add_schema(parse_schema(R"({"$ref": "urn:nowhere"})"), "urn:dangling"), SchemaError);
  EXPECT_FALSE(r->holds("urn:dangling"));
  // A schema stored before keeps its place when a validator's copy of it fails elsewhere.
  r->add("urn:kept", R"({"$id": "urn:kept", "minimum": "x"})");
  EXPECT_THROW(Validator(r, parse_schema(R"({"$id": "urn:kept", "minimum": "x"})"), Options{}), SchemaError);
  EXPECT_TRUE(r->holds("urn:kept"));
}

TEST(Registry, AValidatorKeepsItsRegistryAlive) {
  auto r = orders();
  auto v = std::make_unique<Validator>(r, std::string("urn:order"), Options{});
  r.reset();
  EXPECT_FALSE(valid(*v, R"({"total": "x"})"));
}
