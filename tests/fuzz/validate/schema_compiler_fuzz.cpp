// Fuzzes the schema compiler on arbitrary schema text, added beside a canary schema in one
// validator. After each input, whether it compiled or not: the canary still answers correctly,
// and a failed compile leaves nothing reachable (its id validates nothing; a schema that
// references it is refused). Every failure must be a SchemaError: any other exception, a crash
// or a sanitizer report is a finding.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "edgeguard/validate/validator.hpp"

using namespace edgeguard::validate;

namespace {

const char* const kCanary = R"({"type": "object", "required": ["id"], "additionalProperties": false,
  "properties": {"id": {"type": "integer", "minimum": 1}, "tag": {"enum": ["a", {"b": [1]}]},
                 "name": {"pattern": "^[a-z]+$", "maxLength": 8}, "any": {"anyOf": [{"type": "null"}, {"not": {"type": "string"}}]}}})";
const char* const kGood[] = {R"({"id": 1})", R"({"id": 2, "tag": {"b": [1]}, "name": "abc", "any": 3})"};
const char* const kBad[] = {"{}", R"({"id": 0})", R"({"id": 1, "tag": "c"})", R"({"id": 1, "x": 1})",
                            R"({"id": 1, "name": "ABC"})", R"({"id": 1, "any": "s"})", "[", "1"};
const std::string kFuzzed = "https://fuzz.example/s";

bool validates(Validator& v, const std::string& doc, const std::string& id = {}) {
  return v.validate(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), id);
}

// The canary, as the main schema and under `id`, answers as it must.
void check_canary(Validator& v, const std::string& id) {
  for (const std::string target : {std::string(), id}) {
    for (const char* doc : kGood)
      if (!validates(v, doc, target)) std::abort();
    for (const char* doc : kBad)
      if (validates(v, doc, target)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const edgeguard::json::Value canary = parse_schema(kCanary);
  edgeguard::json::Value schema;
  try {
    schema = parse_schema({reinterpret_cast<const char*>(data), size});
  } catch (const SchemaError&) {
    return 0;
  }

  Validator v(canary, Options{});
  bool added = true;
  try {
    v.add_schema(schema, kFuzzed);
  } catch (const SchemaError&) {
    added = false;
  }
  if (added) {
    // Whatever it accepts, evaluating it must end cleanly.
    for (const char* doc : {"null", "0", "\"a\"", "[1, \"b\", {}]", R"({"a": {"b": [true]}})"}) validates(v, doc, kFuzzed);
  } else {
    try {
      validates(v, "{}", kFuzzed);
      std::abort();  // the failed schema's id must not validate anything
    } catch (const std::invalid_argument&) {
    }
    try {
      v.add_schema(parse_schema(R"({"$ref": "https://fuzz.example/s"})"), "https://fuzz.example/r");
      std::abort();  // nor be reachable from another schema
    } catch (const SchemaError&) {
    }
  }
  v.add_schema(canary, "https://canary.example/c");
  check_canary(v, "https://canary.example/c");

  // The same schema among the known schemas of a new validator: refused at construction, or not.
  try {
    Validator w(canary, Options{}, {{kFuzzed, schema}});
    w.add_schema(canary, "https://canary.example/c");
    check_canary(w, "https://canary.example/c");
  } catch (const SchemaError&) {
  }
  return 0;
}
