#include "edgeguard/validate/errors.hpp"

#include <nlohmann/json.hpp>

namespace edgeguard::validate {

namespace {

using nlohmann::json;

const char* keyword_name(Keyword k) {
  switch (k) {
    case Keyword::false_schema: return "false schema";
    case Keyword::type: return "type";
    case Keyword::const_: return "const";
    case Keyword::enum_: return "enum";
    case Keyword::minimum: return "minimum";
    case Keyword::maximum: return "maximum";
    case Keyword::exclusiveMinimum: return "exclusiveMinimum";
    case Keyword::exclusiveMaximum: return "exclusiveMaximum";
    case Keyword::multipleOf: return "multipleOf";
    case Keyword::minLength: return "minLength";
    case Keyword::maxLength: return "maxLength";
    case Keyword::pattern: return "pattern";
    case Keyword::format: return "format";
    case Keyword::minItems: return "minItems";
    case Keyword::maxItems: return "maxItems";
    case Keyword::uniqueItems: return "uniqueItems";
    case Keyword::contains: return "contains";
    case Keyword::maxContains: return "maxContains";
    case Keyword::items: return "items";
    case Keyword::additionalItems: return "additionalItems";
    case Keyword::minProperties: return "minProperties";
    case Keyword::maxProperties: return "maxProperties";
    case Keyword::required: return "required";
    case Keyword::additionalProperties: return "additionalProperties";
    case Keyword::propertyNames: return "propertyNames";
    case Keyword::dependentRequired: return "dependentRequired";
    case Keyword::dependencies: return "dependencies";
    case Keyword::unevaluatedProperties: return "unevaluatedProperties";
    case Keyword::unevaluatedItems: return "unevaluatedItems";
    case Keyword::anyOf: return "anyOf";
    case Keyword::oneOf: return "oneOf";
    case Keyword::not_: return "not";
    case Keyword::if_: return "if";
    case Keyword::ref_depth: return "$ref";
  }
  return "";
}

std::string pointer_token(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string join_types(const json& t) {
  if (t.is_string()) return t.get<std::string>();
  std::string out;
  for (const json& x : t) out += (out.empty() ? "" : ",") + x.get<std::string>();
  return out;
}

}  // namespace

std::string render_errors(const Program& p, const Tape& tape, const std::vector<ErrorRecord>& records,
                          const std::vector<Segment>& segments) {
  json out = json::array();
  std::string scratch;
  for (const ErrorRecord& r : records) {
    const SchemaNode& s = p.nodes[r.node];
    std::string instance_path;
    for (uint32_t k = 0; k < r.path.count; ++k) {
      const Segment& seg = segments[r.path.first + k];
      instance_path += '/';
      instance_path += seg.index ? std::to_string(seg.value) : pointer_token(tape.str(seg.value, scratch));
    }
    const std::string kw = keyword_name(r.keyword);
    std::string schema_path = p.strings[s.path];
    if (r.keyword != Keyword::false_schema) schema_path += "/" + kw;
    json params = json::object();
    std::string message;
    auto number = [&](uint32_t text) { return json::parse(p.strings[text]); };
    auto key = [&](uint32_t node) { return std::string(tape.str(node, scratch)); };
    const NumberPart* np = s.number != kNone ? &p.numbers[s.number] : nullptr;
    const StringPart* sp = s.string != kNone ? &p.strings_parts[s.string] : nullptr;
    const ArrayPart* ap = s.array != kNone ? &p.arrays[s.array] : nullptr;
    const ObjectPart* op = s.object != kNone ? &p.objects[s.object] : nullptr;
    auto limit = [&](const char* cmp, uint32_t text) {
      params = {{"comparison", cmp}, {"limit", number(text)}};
      message = std::string("must be ") + cmp + " " + p.strings[text];
    };
    auto count = [&](uint32_t value, const char* more, const char* what) {
      params = {{"limit", value}};
      message = std::string("must NOT have ") + more + " than " + std::to_string(value) + " " + what;
    };
    switch (r.keyword) {
      case Keyword::false_schema: message = "boolean schema is false"; break;
      case Keyword::type:
        params = {{"type", json::parse(p.strings[s.types_text])}};
        message = "must be " + join_types(params["type"]);
        break;
      case Keyword::const_:
        params = {{"allowedValue", json::parse(p.strings[s.values_text])}};
        message = "must be equal to constant";
        break;
      case Keyword::enum_:
        params = {{"allowedValues", json::parse(p.strings[s.values_text])}};
        message = "must be equal to one of the allowed values";
        break;
      case Keyword::minimum: limit(">=", np->min_text); break;
      case Keyword::maximum: limit("<=", np->max_text); break;
      case Keyword::exclusiveMinimum: limit(">", np->xmin_text); break;
      case Keyword::exclusiveMaximum: limit("<", np->xmax_text); break;
      case Keyword::multipleOf:
        params = {{"multipleOf", number(np->mult_text)}};
        message = "must be multiple of " + p.strings[np->mult_text];
        break;
      case Keyword::minLength: count(sp->min_length, "fewer", "characters"); break;
      case Keyword::maxLength: count(sp->max_length, "more", "characters"); break;
      case Keyword::pattern: {
        params = {{"pattern", p.strings[sp->pattern_text]}};
        message = "must match pattern \"" + p.strings[sp->pattern_text] + "\"";
        break;
      }
      case Keyword::format:
        params = {{"format", p.strings[sp->format]}};
        message = "must match format \"" + p.strings[sp->format] + "\"";
        break;
      case Keyword::minItems: count(ap->min_items, "fewer", "items"); break;
      case Keyword::maxItems: count(ap->max_items, "more", "items"); break;
      case Keyword::uniqueItems:
        params = {{"i", r.b}, {"j", r.a}};
        message = "must NOT have duplicate items (items ## " + std::to_string(r.a) + " and " +
                  std::to_string(r.b) + " are identical)";
        break;
      case Keyword::contains:
        params = {{"minContains", ap->min_contains}};
        message = "must contain at least " + std::to_string(ap->min_contains) + " valid item(s)";
        break;
      case Keyword::maxContains:
        params = {{"maxContains", ap->max_contains}};
        message = "must contain at most " + std::to_string(ap->max_contains) + " valid item(s)";
        break;
      case Keyword::items:
      case Keyword::additionalItems:
      case Keyword::unevaluatedItems: count(r.a, "more", "items"); break;
      case Keyword::minProperties: count(op->min_properties, "fewer", "properties"); break;
      case Keyword::maxProperties: count(op->max_properties, "more", "properties"); break;
      case Keyword::required:
        params = {{"missingProperty", op->names.name(r.a)}};
        message = "must have required property '" + op->names.name(r.a) + "'";
        break;
      case Keyword::additionalProperties:
        params = {{"additionalProperty", key(r.a)}};
        message = "must NOT have additional properties";
        break;
      case Keyword::unevaluatedProperties:
        params = {{"unevaluatedProperty", key(r.a)}};
        message = "must NOT have unevaluated properties";
        break;
      case Keyword::propertyNames:
        params = {{"propertyName", key(r.a)}};
        message = "property name must be valid";
        break;
      case Keyword::dependentRequired:
      case Keyword::dependencies: {
        const ObjectPart::Dependency& d = op->dependencies[r.a];
        json deps = json::array();
        for (uint32_t k = 0; k < d.required.count; ++k)
          deps.push_back(op->names.name(op->dep_required[d.required.first + k]));
        std::string joined;
        for (const json& x : deps) joined += (joined.empty() ? "" : ", ") + x.get<std::string>();
        params = {{"property", op->names.name(d.name)},
                  {"missingProperty", op->names.name(r.b)},
                  {"depsCount", d.required.count},
                  {"deps", joined}};
        message = "must have property " + joined + " when property " + op->names.name(d.name) +
                  " is present";
        break;
      }
      case Keyword::anyOf: message = "must match a schema in anyOf"; break;
      case Keyword::oneOf:
        params = {{"passingSchemas", r.a ? json::array({r.a - 1, r.b}) : json(nullptr)}};
        message = "must match exactly one schema in oneOf";
        break;
      case Keyword::not_: message = "must NOT be valid"; break;
      case Keyword::if_: {
        const char* branch = r.a ? "then" : "else";
        params = {{"failingKeyword", branch}};
        message = std::string("must match \"") + branch + "\" schema";
        break;
      }
      case Keyword::ref_depth: message = "schema recursion is too deep"; break;
    }
    out.push_back({{"instancePath", instance_path},
                   {"schemaPath", schema_path},
                   {"keyword", kw},
                   {"params", params},
                   {"message", message}});
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string render_malformed(const ::edgeguard::json::Error& error, const uint8_t* data, size_t len) {
  static const char* const codes[] = {"OK", "PAYLOAD_MALFORMED", "PAYLOAD_BAD_UTF8",
                                      "PAYLOAD_TOO_DEEP", "PAYLOAD_TOO_LARGE"};
  const ::edgeguard::json::Location loc = ::edgeguard::json::locate(data, len, error.offset);
  const nlohmann::json e = {
      {"instancePath", ""},
      {"schemaPath", ""},
      {"keyword", "json"},
      {"params",
       {{"code", codes[uint32_t(error.status) < 5 ? uint32_t(error.status) : 1]},
        {"offset", error.offset},
        {"line", loc.line},
        {"column", loc.column}}},
      {"message", std::string(error.message) + " at offset " + std::to_string(error.offset)}};
  return nlohmann::json::array({e}).dump();
}

}  // namespace edgeguard::validate
