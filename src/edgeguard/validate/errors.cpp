#include "edgeguard/validate/errors.hpp"

#include <algorithm>
#include <iterator>

#include "edgeguard/json/escape.hpp"

namespace edgeguard::validate {

namespace {

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
    case Keyword::default_: return "default";
  }
  return "";
}

// Builds a params object as JSON text, member by member.
class Params {
 public:
  Params& raw(const char* name, std::string_view json) {
    open(name);
    text_ += json;
    return *this;
  }
  Params& str(const char* name, std::string_view value) {
    open(name);
    json::append_quoted(text_, value);
    return *this;
  }
  Params& num(const char* name, uint64_t value) { return raw(name, std::to_string(value)); }
  std::string done() { return text_ + "}"; }

 private:
  void open(const char* name) {
    text_ += text_.size() > 1 ? ",\"" : "\"";
    text_ += name;
    text_ += "\":";
  }
  std::string text_ = "{";
};

}  // namespace

namespace {

// Keywords whose params name something of the instance (a key, an item index): never cached.
bool instance_specific(Keyword k) {
  return k == Keyword::additionalProperties || k == Keyword::unevaluatedProperties ||
         k == Keyword::propertyNames || k == Keyword::uniqueItems || k == Keyword::unevaluatedItems;
}

}  // namespace

// The JSON Pointers of the tape nodes `targets_` (sorted; a key stands for its object) into
// `paths_`, in one walk of the tape that enters only containers holding a target: errors are
// rare, so the evaluator does not track paths on its hot path, and a walk per error would cost
// time quadratic in the number of errors.
void ErrorRenderer::instance_paths(const Tape& t) {
  // Kept buffers: a small document's report would otherwise spend more on allocations than on
  // the walk.
  if (paths_.size() < targets_.size()) paths_.resize(targets_.size());
  std::vector<Open>& stack = stack_;
  std::string& path = path_;
  stack.clear();
  path.clear();
  size_t k = 0;
  // Sets the path of `node` (`path` now) to the targets at it; true when one lies inside it.
  auto reach = [&](uint32_t node, uint32_t end) {
    for (; k < targets_.size() && targets_[k] == node; ++k) paths_[k] = path;
    return k < targets_.size() && targets_[k] < end;
  };
  if (reach(0, t[0].next) && (t[0].kind == Kind::object || t[0].kind == Kind::array))
    stack.push_back({1, t[0].next, 0, 0});
  while (!stack.empty() && k < targets_.size()) {
    Open& o = stack.back();
    // Members wholly before the next target are stepped over without touching the path.
    for (const uint32_t target = targets_[k]; o.cursor < o.end; ++o.index) {
      const uint32_t next = t[t[o.cursor].kind == Kind::key ? o.cursor + 1 : o.cursor].next;
      if (next > target) break;
      o.cursor = next;
    }
    if (o.cursor >= o.end) {
      stack.pop_back();
      continue;
    }
    path.resize(o.path_len);
    const bool object = t[o.cursor].kind == Kind::key;
    const uint32_t value = object ? o.cursor + 1 : o.cursor;
    const uint32_t end = t[value].next;
    if (object) reach(o.cursor, o.cursor + 1);  // the key: its object's path
    o.cursor = end;
    const uint32_t index = o.index++;
    if (k == targets_.size() || targets_[k] >= end) continue;  // nothing inside this member
    path += '/';
    if (object) {
      json::append_pointer_token(path, t.str(value - 1, scratch_));
    } else {
      path += std::to_string(index);
    }
    if (reach(value, end) && (t[value].kind == Kind::object || t[value].kind == Kind::array))
      stack.push_back({value + 1, end, path.size(), 0});
  }
  for (; k < targets_.size(); ++k) paths_[k].clear();  // unreached: never another report's path
}

std::string ErrorRenderer::render(const Program& p, const Tape& tape,
                                  const std::vector<ErrorRecord>& records) {
  targets_.clear();
  for (const ErrorRecord& r : records) targets_.push_back(r.instance);
  std::sort(targets_.begin(), targets_.end());
  targets_.erase(std::unique(targets_.begin(), targets_.end()), targets_.end());
  instance_paths(tape);
  std::string out;
  index_.clear();
  for (const ErrorRecord& r : records) {
    if (&r != &records.front()) out += kFieldSeparator;
    const size_t at = size_t(std::lower_bound(targets_.begin(), targets_.end(), r.instance) - targets_.begin());
    json::append_escaped(out, paths_[at]);
    const uint32_t path_end = uint32_t(out.size());
    uint32_t id = kNoTail;
    if (instance_specific(r.keyword)) {
      out += tail(p, tape, r);
    } else {
      uint32_t& kept = tail_ids_.try_emplace({r.node, uint8_t(r.keyword), r.a, r.b}, kNoTail).first->second;
      if (kept == kNoTail) {  // an id once its tail is kept: the allocations may throw
        tails_.push_back(tail(p, tape, r));
        kept = uint32_t(tails_.size() - 1);
      }
      id = kept;
      out += tails_[id];
    }
    uint32_t words[size_t(IndexWord::count)];
    words[size_t(IndexWord::path_end)] = path_end;
    words[size_t(IndexWord::tail_id)] = id;
    words[size_t(IndexWord::end)] = uint32_t(out.size());
    index_.insert(index_.end(), std::begin(words), std::end(words));
  }
  return out;
}

// Everything of an error after its instancePath.
std::string ErrorRenderer::tail(const Program& p, const Tape& tape, const ErrorRecord& r) {
  std::string& scratch = scratch_;
  std::string message;
  const SchemaNode& s = p.nodes[r.node];
  const char* kw = keyword_name(r.keyword);
  Params params;
  auto key = [&](uint32_t node) { return std::string(tape.str(node, scratch)); };
  const NumberPart* np = s.number != kNone ? &p.numbers[s.number] : nullptr;
  const StringPart* sp = s.string != kNone ? &p.strings_parts[s.string] : nullptr;
  const ArrayPart* ap = s.array != kNone ? &p.arrays[s.array] : nullptr;
  const ObjectPart* op = s.object != kNone ? &p.objects[s.object] : nullptr;
  auto limit = [&](const char* cmp, uint32_t text) {
    params.str("comparison", cmp).raw("limit", p.strings[text]);
    message = std::string("must be ") + cmp + " " + p.strings[text];
  };
  auto count = [&](uint32_t value, const char* more, const char* what) {
    params.num("limit", value);
    message = std::string("must NOT have ") + more + " than " + std::to_string(value) + " " + what;
  };
  switch (r.keyword) {
    case Keyword::false_schema: message = "boolean schema is false"; break;
    case Keyword::type: {
      const std::string& types = p.strings[s.types_text];
      params.raw("type", types);
      message = "must be ";
      for (char c : types)
        if (c != '"' && c != '[' && c != ']') message += c;
      break;
    }
    case Keyword::const_:
      params.raw("allowedValue", p.strings[s.values_text]);
      message = "must be equal to constant";
      break;
    case Keyword::enum_:
      params.raw("allowedValues", p.strings[s.values_text]);
      message = "must be equal to one of the allowed values";
      break;
    case Keyword::minimum: limit(">=", np->min_text); break;
    case Keyword::maximum: limit("<=", np->max_text); break;
    case Keyword::exclusiveMinimum: limit(">", np->xmin_text); break;
    case Keyword::exclusiveMaximum: limit("<", np->xmax_text); break;
    case Keyword::multipleOf:
      params.raw("multipleOf", p.strings[np->mult_text]);
      message = "must be multiple of " + p.strings[np->mult_text];
      break;
    case Keyword::minLength: count(sp->min_length, "fewer", "characters"); break;
    case Keyword::maxLength: count(sp->max_length, "more", "characters"); break;
    case Keyword::pattern:
      params.str("pattern", p.strings[sp->pattern_text]);
      message = "must match pattern \"" + p.strings[sp->pattern_text] + "\"";
      break;
    case Keyword::format:
      params.str("format", p.strings[sp->format]);
      message = "must match format \"" + p.strings[sp->format] + "\"";
      break;
    case Keyword::minItems: count(ap->min_items, "fewer", "items"); break;
    case Keyword::maxItems: count(ap->max_items, "more", "items"); break;
    case Keyword::uniqueItems:
      params.num("i", r.b).num("j", r.a);
      message = "must NOT have duplicate items (items ## " + std::to_string(r.a) + " and " +
                std::to_string(r.b) + " are identical)";
      break;
    case Keyword::contains:
      params.num("minContains", ap->min_contains);
      message = "must contain at least " + std::to_string(ap->min_contains) + " valid item(s)";
      break;
    case Keyword::maxContains:
      params.num("maxContains", ap->max_contains);
      message = "must contain at most " + std::to_string(ap->max_contains) + " valid item(s)";
      break;
    case Keyword::items:
    case Keyword::additionalItems:
    case Keyword::unevaluatedItems: count(r.a, "more", "items"); break;
    case Keyword::minProperties: count(op->min_properties, "fewer", "properties"); break;
    case Keyword::maxProperties: count(op->max_properties, "more", "properties"); break;
    case Keyword::required:
      params.str("missingProperty", op->names.name(r.a));
      message = "must have required property '" + op->names.name(r.a) + "'";
      break;
    case Keyword::additionalProperties:
      params.str("additionalProperty", key(r.a));
      message = "must NOT have additional properties";
      break;
    case Keyword::unevaluatedProperties:
      params.str("unevaluatedProperty", key(r.a));
      message = "must NOT have unevaluated properties";
      break;
    case Keyword::propertyNames:
      params.str("propertyName", key(r.a));
      message = "property name must be valid";
      break;
    case Keyword::dependentRequired:
    case Keyword::dependencies: {
      const ObjectPart::Dependency& d = op->dependencies[r.a];
      std::string deps;
      for (uint32_t k = 0; k < d.required.count; ++k)
        deps += (k ? ", " : "") + op->names.name(op->dep_required[d.required.first + k]);
      params.str("property", op->names.name(d.name))
          .str("missingProperty", op->names.name(r.b))
          .num("depsCount", d.required.count)
          .str("deps", deps);
      message = "must have property " + deps + " when property " + op->names.name(d.name) +
                " is present";
      break;
    }
    case Keyword::anyOf: message = "must match a schema in anyOf"; break;
    case Keyword::oneOf:
      params.raw("passingSchemas",
                 r.a ? "[" + std::to_string(r.a - 1) + "," + std::to_string(r.b) + "]" : "null");
      message = "must match exactly one schema in oneOf";
      break;
    case Keyword::not_: message = "must NOT be valid"; break;
    case Keyword::if_: {
      const char* branch = r.a ? "then" : "else";
      params.str("failingKeyword", branch);
      message = std::string("must match \"") + branch + "\" schema";
      break;
    }
    case Keyword::ref_depth: message = "schema recursion is too deep"; break;
    case Keyword::default_: message = "must match the schema it is the default of"; break;
  }
  std::string out(1, kFieldSeparator);
  json::append_escaped(out, p.strings[s.path] + (r.keyword == Keyword::false_schema ? "" : std::string("/") + kw));
  out += kFieldSeparator;
  out += kw;
  out += kFieldSeparator;
  out += params.done();
  out += kFieldSeparator;
  json::append_escaped(out, message);
  return out;
}

std::string render_malformed(const ::edgeguard::json::Error& error, const uint8_t* data, size_t len) {
  static const char* const codes[] = {"OK", "PAYLOAD_MALFORMED", "PAYLOAD_BAD_UTF8",
                                      "PAYLOAD_TOO_DEEP", "PAYLOAD_TOO_LARGE"};
  const ::edgeguard::json::Location loc = ::edgeguard::json::locate(data, len, error.offset);
  std::string out{kFieldSeparator, kFieldSeparator};  // no instancePath, no schemaPath
  out += "json";
  out += kFieldSeparator;
  out += Params()
             .str("code", codes[uint32_t(error.status) < 5 ? uint32_t(error.status) : 1])
             .num("column", loc.column)
             .num("line", loc.line)
             .num("offset", error.offset)
             .done();
  out += kFieldSeparator;
  json::append_escaped(out, std::string(error.message) + " at offset " + std::to_string(error.offset));
  return out;
}

}  // namespace edgeguard::validate
