// Allocation failure injected at every allocation of a compile over a registry. After each
// std::bad_alloc: the validators made before answer as before, nothing the failed compile touched
// is reachable, and a retry compiles a validator that rejects what the schema rejects (never one
// that accepts everything). Replaces operator new for the whole test binary; inert unless armed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "edgeguard/validate/registry.hpp"
#include "edgeguard/validate/validator.hpp"

namespace {
long g_fail_in = -1;  // allocations left before one fails; -1: never
}

void* operator new(std::size_t n) {
  if (g_fail_in >= 0 && g_fail_in-- == 0) throw std::bad_alloc();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace edgeguard::validate;

namespace {
bool valid(Validator& v, const std::string& doc, const std::string& id = "") {
  return v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), id);
}
const char* kOrder = R"({"$id": "urn:order", "type": "object", "required": ["total", "lines"],
  "properties": {"total": {"$ref": "urn:money"}, "code": {"pattern": "^[A-Z]{3}$", "format": "email"},
  "lines": {"type": "array", "items": {"$ref": "urn:line"}, "minItems": 1},
  "kind": {"enum": ["a", "b", {"c": [1, 2]}]}}, "additionalProperties": false})";
}  // namespace

TEST(RegistryOom, EveryAllocationOfACompileFails) {
  int failures = 0;
  for (long at = 0; at < 20000; ++at) {
    auto r = std::make_shared<Registry>();
    r->add("urn:money", R"({"$id": "urn:money", "type": "number", "multipleOf": 0.01, "const": 1.5})");
    r->add("urn:line", R"({"$id": "urn:line", "type": "object", "properties": {"price": {"$ref": "urn:money"}},
                           "required": ["price"], "$defs": {"d": {"$dynamicAnchor": "x", "enum": [7]}}})");
    r->add("urn:order", kOrder);
    Validator before(r, std::string("urn:money"), Options{});
    const std::string good = R"({"total": 1.5, "lines": [{"price": 1.5}]})";
    const std::string bad[] = {R"({"total": 1.5, "lines": [{"price": 2}]})", R"({"total": 1.5, "lines": []})",
                               R"({"total": 1.5, "lines": [{"price": 1.5}], "x": 1})", R"({"lines": [{"price": 1.5}]})",
                               R"({"total": 1.5, "lines": [{"price": 1.5}], "kind": "z"})", R"(5)"};
    bool threw = false;
    g_fail_in = at;
    try {
      Validator v(r, std::string("urn:order"), Options{});
      g_fail_in = -1;
      EXPECT_TRUE(valid(v, good)) << at;
      for (const auto& b : bad) EXPECT_FALSE(valid(v, b)) << at << " " << b;
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    g_fail_in = -1;
    if (!threw) break;  // the compile no longer reaches the failing allocation: done
    ++failures;
    try {
    EXPECT_FALSE(valid(before, "2")) << at;
    EXPECT_TRUE(valid(before, "1.5")) << at;
    Validator retry(r, std::string("urn:order"), Options{});
    EXPECT_TRUE(valid(retry, good)) << at;
    for (const auto& b : bad) EXPECT_FALSE(valid(retry, b)) << at << " " << b;
    Validator anon(r, parse_schema(R"({"type": "array", "items": {"$ref": "urn:order"}})"), Options{});
    EXPECT_TRUE(valid(anon, "[" + good + "]")) << at;
    for (const auto& b : bad) EXPECT_FALSE(valid(anon, "[" + b + "]")) << at << " " << b;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "after an allocation failure at " << at << ", a retry throws: " << e.what();
    }
  }
  EXPECT_GT(failures, 50);
  std::printf("allocation failures injected: %d\n", failures);
}

TEST(RegistryOom, EveryAllocationOfAGivenSchemaWithIdFails) {
  int failures = 0;
  for (long at = 0; at < 20000; ++at) {
    auto r = std::make_shared<Registry>();
    r->add("urn:money", R"({"$id": "urn:money", "type": "number", "multipleOf": 0.01, "const": 1.5})");
    r->add("urn:line", R"({"$id": "urn:line", "type": "object", "properties": {"price": {"$ref": "urn:money"}}, "required": ["price"]})");
    bool threw = false;
    const edgeguard::json::Value order = parse_schema(kOrder);
    g_fail_in = at;
    try {
      Validator v(r, order, Options{});
      g_fail_in = -1;
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    g_fail_in = -1;
    if (!threw) break;
    ++failures;
    // The failed schema is either not held (then a validator by id is SCHEMA_NOT_FOUND) or held
    // and compiles to the real thing.
    try {
    try {
      Validator v(r, std::string("urn:order"), Options{});
      EXPECT_FALSE(valid(v, R"({"total": 1.5, "lines": []})")) << at;
      EXPECT_FALSE(valid(v, "5")) << at;
    } catch (const UnknownSchema&) {
    }
    Validator again(r, parse_schema(kOrder), Options{});
    EXPECT_FALSE(valid(again, R"({"total": 1.5, "lines": []})")) << at;
    EXPECT_TRUE(valid(again, R"({"total": 1.5, "lines": [{"price": 1.5}]})")) << at;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "after an allocation failure at " << at << ", a retry throws: " << e.what();
    }
  }
  EXPECT_GT(failures, 50);
  std::printf("allocation failures injected: %d\n", failures);
}
