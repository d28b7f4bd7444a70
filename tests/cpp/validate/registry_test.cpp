#include "edgeguard/validate/registry.hpp"

#include <gtest/gtest.h>

#include "edgeguard/validate/validator.hpp"

using edgeguard::validate::DuplicateSchema;
using edgeguard::validate::kMaxAnonymousSchemas;
using edgeguard::validate::kMaxCachedTargets;
using edgeguard::validate::Options;
using edgeguard::validate::parse_schema;
using edgeguard::validate::Registry;
using edgeguard::validate::RegistryFull;
using edgeguard::validate::SchemaError;
using edgeguard::validate::UnknownSchema;
using edgeguard::validate::Validator;

namespace {

bool valid(Validator& v, const std::string& doc, const std::string& id = "") {
  return v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), id);
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

// Fail-open before: an id with a fragment compiled the whole document ({"$defs"}: accepts all).
TEST(Registry, AnIdWithAFragmentNamesItsSubschemaNeverTheDocument) {
  auto r = std::make_shared<Registry>();
  r->add("urn:defs", R"({"$id": "urn:defs", "$defs": {"pos": {"$anchor": "pos", "type": "number", "minimum": 0}}})");
  for (const std::string id : {"urn:defs#/$defs/pos", "urn:defs#pos"}) {
    Validator v(r, id, Options{});
    EXPECT_FALSE(valid(v, "-5")) << id;
    EXPECT_TRUE(valid(v, "5")) << id;
    Validator over(r, parse_schema("true"), Options{});
    EXPECT_FALSE(valid(over, "-5", id)) << id;
  }
  EXPECT_THROW(Validator(r, std::string("urn:defs#/$defs/none"), Options{}), UnknownSchema);
  EXPECT_THROW(Validator(r, std::string("urn:defs#nothing"), Options{}), UnknownSchema);
}

// Cross-talk before: a schema given whole (no $id) left its names in the shared program.
TEST(Registry, ASchemaWithoutIdLeavesNoNamesToOtherValidators) {
  auto r = std::make_shared<Registry>();
  Validator a(r, parse_schema(R"({"$defs": {"s": {"$anchor": "item", "$dynamicAnchor": "meta"},
                                  "u": {"$id": "urn:user"}, "i": {"$id": "item.json"}},
                                  "type": "object", "properties": {"u": {"$ref": "urn:user"}, "i": {"$ref": "#item"}}})"),
              Options{});
  EXPECT_FALSE(valid(a, "1"));
  for (const char* other : {R"({"type": "array", "items": {"$ref": "#item"}})", R"({"items": {"$dynamicRef": "#meta"}})",
                            R"({"$ref": "item.json"})", R"({"$ref": "urn:user"})"})
    EXPECT_THROW(Validator(r, parse_schema(other), Options{}), SchemaError) << other;
  EXPECT_THROW(Validator(r, std::string("urn:user"), Options{}), UnknownSchema);
  for (const char* id : {"#", "", "#item"}) EXPECT_THROW(Validator(r, std::string(id), Options{}), UnknownSchema) << id;
  EXPECT_NO_THROW(r->add("urn:user", R"({"$id": "urn:user", "type": "object", "required": ["name"]})"));
  Validator user(r, std::string("urn:user"), Options{});
  EXPECT_FALSE(valid(user, "{}"));
  EXPECT_FALSE(valid(a, "1"));
}

// Before: the last-try parse of every stored schema failed a compile on one nothing reached.
TEST(Registry, AStoredSchemaThatFailsToLoadFailsNoOtherCompile) {
  auto r = std::make_shared<Registry>();
  r->add("urn:c", R"({"$id": "urn:c", "$defs": {"n": {"$id": "urn:nested", "type": "string"}}})");
  r->add("urn:bad", R"({"$id": "urn:bad", "$defs": {"a": {"$id": "urn:c", "type": "number"}}})");  // reached by nothing
  r->add("urn:worse", "{not json");
  Validator v(r, parse_schema(R"({"$ref": "urn:nested"})"), Options{});
  EXPECT_FALSE(valid(v, "5"));
  EXPECT_TRUE(valid(v, R"("x")"));
  EXPECT_THROW(Validator(r, std::string("urn:bad"), Options{}), SchemaError);
}

// Before: "$id urn:item names another schema already", as two bundles of one API have it.
TEST(Registry, TheSameBundledResourceInTwoSchemas) {
  const std::string item = R"({"$id": "urn:item", "type": "string"})";
  const std::string s1 = R"({"type": "array", "items": {"$ref": "urn:item"}, "$defs": {"i": )" + item + "}}";
  const std::string s2 = R"({"$id": "urn:map", "additionalProperties": {"$ref": "urn:item"}, "$defs": {"i": )" + item + "}}";
  auto r = std::make_shared<Registry>();
  Validator a(r, parse_schema(s2), Options{});
  Validator b(r, parse_schema(s1), Options{});
  EXPECT_FALSE(valid(a, R"({"x": 5})"));
  EXPECT_FALSE(valid(b, "[5]"));
  EXPECT_TRUE(valid(b, R"(["x"])"));
  auto stored = std::make_shared<Registry>();
  stored->add("urn:item", item);
  Validator c(stored, parse_schema(s1), Options{});
  EXPECT_FALSE(valid(c, "[5]"));
  // Another schema under the same $id stays refused.
  EXPECT_THROW(Validator(stored, parse_schema(R"({"$defs": {"i": {"$id": "urn:item", "type": "number"}}})"), Options{}),
               SchemaError);
}

// Fail-open before (standalone too): a 2020-12 "$id": "#foo" took its document's URI.
TEST(Registry, AFragmentIdNestedIn2020NamesNoResource) {
  const char* odd = R"({"$id": "urn:odd", "type": "object", "$defs": {"a": {"$id": "#foo"}}})";
  Validator standalone(parse_schema(R"({"$ref": "urn:odd"})"), Options{}, {{"urn:odd", parse_schema(odd)}});
  EXPECT_FALSE(valid(standalone, "42"));
  auto r = std::make_shared<Registry>();
  r->add("urn:odd", odd);
  Validator v(r, parse_schema(R"({"$ref": "urn:odd"})"), Options{});
  EXPECT_FALSE(valid(v, "42"));
}

// Before: refused over a registry ("a schema in a registry needs a $id").
TEST(Registry, ARootIdThatIsOnlyAFragmentIsNoId) {
  auto r = std::make_shared<Registry>();
  for (const char* s : {R"({"$schema": "http://json-schema.org/draft-07/schema#", "$id": "#root", "type": "string"})",
                        R"({"$id": "#", "type": "string"})", R"({"$id": "", "type": "string"})"}) {
    Validator v(r, parse_schema(s), Options{});
    EXPECT_FALSE(valid(v, "1")) << s;
  }
  EXPECT_EQ(r->size(), 0u);
}

// Before: SCHEMA_NOT_FOUND (a standalone validator finds it).
TEST(Registry, AResourceNestedInAStoredSchemaIsATargetById) {
  auto r = std::make_shared<Registry>();
  r->add("urn:c", R"({"$id": "urn:c", "$defs": {"n": {"$id": "urn:nested", "type": "string"}}})");
  Validator v(r, std::string("urn:nested"), Options{});
  EXPECT_FALSE(valid(v, "5"));
  Validator over(r, parse_schema("true"), Options{});
  EXPECT_FALSE(valid(over, "5", "urn:nested"));
  EXPECT_THROW(Validator(r, std::string("urn:none"), Options{}), UnknownSchema);
}
// Lifetime (run under ASan): validators outlive their registry; a failing compile between two
// good ones leaves the earlier validators' answers, and a retry fails the same.
TEST(Registry, LifetimeAndFailedCompiles) {
  std::vector<std::unique_ptr<Validator>> kept;
  for (int k = 0; k < 20; ++k) {
    auto r = std::make_shared<Registry>();
    r->add("urn:n", R"({"$id": "urn:n", "type": "number", "enum": [1, 2, 3], "pattern": "^a"})");
    r->add("urn:bad", R"({"$id": "urn:bad", "properties": {"a": {"$ref": "urn:n"}, "b": {"enum": [7, 8]}, "c": {"minLength": "x"}}})");
    kept.push_back(std::make_unique<Validator>(r, std::string("urn:n"), Options{}));
    for (int t = 0; t < 3; ++t) EXPECT_THROW(Validator(r, std::string("urn:bad"), Options{}), SchemaError);
    EXPECT_THROW(Validator(r, parse_schema(R"({"$id": "urn:given", "enum": [9], "items": {"type": 5}})"), Options{}),
                 SchemaError);
    kept.push_back(std::make_unique<Validator>(r, parse_schema(R"({"enum": [4, 5], "$ref": "urn:n"})"), Options{}));
  }
  for (size_t k = 0; k < kept.size(); k += 2) {
    EXPECT_TRUE(valid(*kept[k], "2"));
    EXPECT_FALSE(valid(*kept[k], "4"));
    EXPECT_FALSE(valid(*kept[k + 1], "4"));
    EXPECT_FALSE(valid(*kept[k + 1], "1"));
    EXPECT_NE(kept[k]->errors_report(), "");
  }
}

// Lifetime (ASan): a validator's errors, warnings and cleaned output read after other
// validators grew (and rolled back) the shared program; registries dropped in every order.
TEST(Registry, ResultsReadAfterTheSharedProgramGrew) {
  Options o;
  o.eval.all_errors = true;
  o.eval.use_defaults = true;
  for (int round = 0; round < 5; ++round) {
    auto r = std::make_shared<Registry>();
    for (int k = 0; k < 40; ++k) {
      const std::string id = "urn:s" + std::to_string(k);
      r->add(id, R"({"$id": ")" + id + R"(", "type": "object", "required": ["a"], "properties": {"a": {"enum": ["x)" +
                     std::to_string(k) + R"("], "default": "d"}, "b": {"default": [1, 2]}}})");
    }
    auto first = std::make_unique<Validator>(r, std::string("urn:s0"), o);
    const std::string doc = R"({"a": "y"})";
    EXPECT_FALSE(valid(*first, doc));
    const std::string before = first->errors_report() + first->warnings_report() + first->cleaned();
    std::vector<std::unique_ptr<Validator>> more;
    for (int k = 1; k < 40; ++k) {
      more.push_back(std::make_unique<Validator>(r, std::string("urn:s" + std::to_string(k)), o));
      EXPECT_THROW(Validator(r, parse_schema(R"({"enum": [)" + std::to_string(k) + R"(], "minLength": "x"})"), o),
                   SchemaError);
      EXPECT_FALSE(valid(*first, doc, "urn:s" + std::to_string(k)));  // lazily compiled by id
      EXPECT_FALSE(valid(*first, doc));
    }
    EXPECT_EQ(first->errors_report() + first->warnings_report() + first->cleaned(), before);
    if (round % 2) r.reset();
    first.reset();
    if (round % 3 == 0) more.clear();
    for (auto& v : more) EXPECT_FALSE(valid(*v, doc));
  }
}

// Before: SCHEMA_DUPLICATE for one schema under two spellings of its $id.
TEST(Registry, AnEmptyFragmentInAnIdNamesTheSameSchema) {
  auto r = std::make_shared<Registry>();
  EXPECT_TRUE(r->add("urn:u#", R"({"$id": "urn:u#", "type": "string"})"));
  EXPECT_FALSE(r->add("urn:u", R"({"$id": "urn:u", "type": "string"})"));
  EXPECT_THROW(r->add("urn:u", R"({"$id": "urn:u", "type": "number"})"), DuplicateSchema);
}

// A stored schema's $ref never resolves to a name in a schema without $id: the stored schema's
// nodes are shared and would keep that schema after its names are dropped.
TEST(Registry, AStoredSchemaNeverReachesANameOfASchemaWithoutId) {
  auto r = std::make_shared<Registry>();
  r->add("urn:y", R"({"$id": "urn:y", "$ref": "urn:x"})");
  EXPECT_THROW(Validator(r, parse_schema(R"({"$ref": "urn:y", "$defs": {"x": {"$id": "urn:x", "type": "string"}}})"),
                         Options{}),
               SchemaError);
  r->add("urn:x", R"({"$id": "urn:x", "type": "number"})");
  Validator y(r, std::string("urn:y"), Options{});
  EXPECT_TRUE(valid(y, "5"));
  EXPECT_FALSE(valid(y, R"("s")"));
}

// Unbounded before: every distinct schema given whole stayed compiled in the shared program,
// its validator disposed or not.
TEST(Registry, SchemasWithoutIdStopAtALimit) {
  auto r = orders();
  auto schema = [](size_t k) { return parse_schema(R"({"$ref": "urn:order", "required": ["k)" + std::to_string(k) + R"("]})"); };
  for (size_t k = 0; k < kMaxAnonymousSchemas; ++k) Validator(r, schema(k), Options{});
  const size_t nodes = r->compiled({}).program().nodes.size();
  EXPECT_THROW(Validator(r, schema(kMaxAnonymousSchemas), Options{}), RegistryFull);
  EXPECT_EQ(r->compiled({}).program().nodes.size(), nodes);
  // The same schemas again, a schema with $id, another set of compile options: still served.
  Validator again(r, schema(0), Options{});
  EXPECT_FALSE(valid(again, R"({"total": 1})"));
  EXPECT_TRUE(valid(again, R"({"total": 1, "k0": 0})"));
  EXPECT_NO_THROW(Validator(r, parse_schema(R"({"$id": "urn:named", "$ref": "urn:order"})"), Options{}));
  Options draft7;
  draft7.draft = edgeguard::validate::Draft::draft7;
  EXPECT_NO_THROW(Validator(r, schema(kMaxAnonymousSchemas), draft7));
}

// Unbounded before: each spelling of an "id#/json/pointer" asked of validate() stayed cached.
TEST(Registry, AValidatorRemembersABoundedNumberOfTargets) {
  auto r = std::make_shared<Registry>();
  std::string defs;
  for (size_t k = 0; k < 2 * kMaxCachedTargets; ++k)
    defs += (k ? "," : "") + std::string(R"("n)") + std::to_string(k) + R"(": {"minimum": )" + std::to_string(k) + "}";
  r->add("urn:defs", R"({"$id": "urn:defs", "$defs": {)" + defs + "}}");
  Validator v(r, parse_schema("true"), Options{});
  for (int round = 0; round < 2; ++round) {
    for (size_t k = 0; k < 2 * kMaxCachedTargets; ++k) {
      const std::string id = "urn:defs#/$defs/n" + std::to_string(k);
      EXPECT_FALSE(valid(v, "-1", id)) << id;
      EXPECT_TRUE(valid(v, std::to_string(k), id)) << id;
      EXPECT_LE(v.cached_targets(), kMaxCachedTargets);
    }
  }
  EXPECT_THROW(valid(v, "1", "urn:defs#/$defs/none"), UnknownSchema);
  EXPECT_LE(v.cached_targets(), kMaxCachedTargets);
}

// Before: a $ref that resolved to nothing parsed every stored schema, then rolled them back,
// on every compile that had it.
TEST(Registry, AReferenceToNothingParsesEachStoredSchemaOnceAtMost) {
  auto r = orders();
  r->add("urn:broken", "{not json");
  const size_t stored = r->size();
  EXPECT_THROW(Validator(r, parse_schema(R"({"$ref": "urn:nowhere"})"), Options{}), SchemaError);
  const size_t first = r->parses();
  EXPECT_LE(first, stored);
  for (int k = 0; k < 5; ++k) {
    EXPECT_THROW(Validator(r, parse_schema(R"({"$ref": "urn:nowhere)" + std::to_string(k) + R"("})"), Options{}),
                 SchemaError);
    EXPECT_THROW(Validator(r, std::string("urn:none") + std::to_string(k), Options{}), UnknownSchema);
  }
  EXPECT_EQ(r->parses(), first);
  // One more stored schema: parsed once for the next lookup that needs it, not all again.
  r->add("urn:late", R"({"$id": "urn:late", "$defs": {"x": {"$id": "urn:late-nested", "type": "string"}}})");
  Validator late(r, parse_schema(R"({"$ref": "urn:late-nested"})"), Options{});
  EXPECT_FALSE(valid(late, "1"));
  EXPECT_LE(r->parses(), first + 2);  // indexed, then loaded
}

// Before: one resource under two spellings was two resources, and a $ref to the other missed.
TEST(Registry, IdsAreComparedWithoutDotSegments) {
  auto r = std::make_shared<Registry>();
  EXPECT_TRUE(r->add("https://x/a/./b.json", R"({"$id": "https://x/a/./b.json", "type": "string"})"));
  EXPECT_FALSE(r->add("https://x/a/c/../b.json", R"({"$id": "https://x/a/c/../b.json", "type": "string"})"));
  EXPECT_THROW(r->add("https://x/a/b.json", R"({"$id": "https://x/a/b.json", "type": "number"})"), DuplicateSchema);
  EXPECT_EQ(r->size(), 1u);
  EXPECT_TRUE(r->holds("https://x/a/b.json"));
  for (const std::string id : {"https://x/a/b.json", "https://x/a/./b.json", "https://x/a/c/../b.json#"}) {
    Validator v(r, id, Options{});
    EXPECT_FALSE(valid(v, "1")) << id;
    EXPECT_TRUE(valid(v, R"("s")")) << id;
  }
  Validator ref(r, parse_schema(R"({"$ref": "https://x/z/../a/b.json"})"), Options{});
  EXPECT_FALSE(valid(ref, "1"));
  EXPECT_FALSE(valid(ref, "1", "https://x/a/./b.json"));
  // A nested resource, found under any spelling too.
  r->add("https://x/lib.json", R"({"$id": "https://x/lib.json", "$defs": {"n": {"$id": "d/./n.json", "minimum": 0}}})");
  Validator nested(r, std::string("https://x/d/e/../n.json"), Options{});
  EXPECT_FALSE(valid(nested, "-1"));
  // Without a registry: a schema without $id given under one spelling, reached by another.
  Validator standalone(parse_schema(R"({"$ref": "https://y/a/b.json"})"), Options{},
                       {{"https://y/a/./b.json", parse_schema(R"({"type": "string"})")}});
  EXPECT_FALSE(valid(standalone, "1"));
  EXPECT_TRUE(valid(standalone, R"("s")"));
  EXPECT_FALSE(valid(standalone, "1", "https://y/c/../a/b.json"));
}

// Unbounded before: each schema with $id that failed to compile left its id (and the resources
// nested in it) in the index of nested resources.
TEST(Registry, SchemasThatFailToCompileLeaveNothingInTheIndex) {
  auto r = orders();
  EXPECT_THROW(Validator(r, parse_schema(R"({"$ref": "urn:nowhere"})"), Options{}), SchemaError);
  const size_t index = r->compiled({}).index_size(), stored = r->size();
  for (int k = 0; k < 50; ++k) {
    const std::string n = std::to_string(k);
    EXPECT_THROW(Validator(r, parse_schema(R"({"$id": "urn:g)" + n + R"(", "$ref": "urn:nowhere",
                                              "$defs": {"x": {"$id": "urn:nested)" + n + R"("}}})"), Options{}),
                 SchemaError);
    EXPECT_THROW(Validator(r, parse_schema(R"({"$id": "urn:h)" + n + R"(", "minimum": "x"})"), Options{}), SchemaError);
  }
  EXPECT_EQ(r->compiled({}).index_size(), index);
  EXPECT_EQ(r->size(), stored);
  EXPECT_THROW(Validator(r, std::string("urn:nested0"), Options{}), UnknownSchema);
}
