#include "edgeguard/validate/compiler.hpp"

#include <algorithm>
#include <cmath>

#include "edgeguard/format/format.hpp"
#include "edgeguard/json/escape.hpp"
#include "edgeguard/validate/canonical_text.hpp"
#include "edgeguard/validate/metaschemas.hpp"
#include "edgeguard/validate/uri.hpp"

namespace edgeguard::validate {

namespace {

using Value = json::Value;

constexpr uint32_t kMaxCompileDepth = 200;

std::string at(const std::string& path, const std::string& key) {
  return ::edgeguard::json::pointer_child(path, key);
}

Draft draft_of(const std::string& uri, Draft fallback) {
  if (uri.find("json-schema.org/draft-0") != std::string::npos) return Draft::draft7;
  if (uri.find("json-schema.org/draft/20") != std::string::npos) return Draft::draft2020;
  return fallback;
}

const char* const kSchemaMaps[] = {"properties", "patternProperties", "definitions", "$defs",
                                   "dependentSchemas", "dependencies"};
const char* const kSchemaLists[] = {"allOf", "anyOf", "oneOf", "prefixItems", "items"};
const char* const kSchemaSingles[] = {"additionalItems", "additionalProperties", "contains",
                                      "propertyNames", "not", "if", "then", "else", "items",
                                      "unevaluatedItems", "unevaluatedProperties",
                                      "contentSchema"};

uint32_t count_of(const Value& v, const std::string& where) {
  const double d = v.number();
  if (v.is_unsigned() || (v.is_number() && !v.is_integer() && d >= 0 && std::floor(d) == d))
    return d > UINT32_MAX ? UINT32_MAX : uint32_t(d);
  throw SchemaError(where, "must be a non-negative integer");
}

double number_of(const Value& v, const std::string& where) {
  if (!v.is_number()) throw SchemaError(where, "must be a number");
  return v.number();
}

}  // namespace

json::Value parse_schema(std::string_view text, int max_depth) {
  // As nlohmann's parser, which read schemas before: a byte order mark is skipped, and the text
  // ends at a NUL byte. No text it took is refused now.
  const size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  text = text.substr(bom, text.find('\0') - bom);
  Value root;
  const json::Error e = json::parse(text, json::Limits{SIZE_MAX, uint32_t(max_depth)}, root);
  if (e.status == json::Status::too_deep) throw SchemaError("#", "schema nesting too deep");
  if (e)
    throw SchemaError("#", std::string("schema is not valid JSON: ") + e.message + " at offset " +
                               std::to_string(e.offset + bom));
  return root;
}

Compiler::Mark Compiler::mark() const {
  return {documents_.size(), p_.nodes.size(),   p_.objects.size(), p_.arrays.size(),
          p_.strings_parts.size(), p_.numbers.size(), p_.lists.size(), p_.strings.size(),
          p_.regexes.size(), resource_used_.size(), constants_.size(), undo_.size(), p_.dynamic};
}

void Compiler::rollback(const Mark& m) {
  while (undo_.size() > m.undo) {
    undo_.back().fn();
    undo_.pop_back();
  }
  for (size_t k = m.strings; k < p_.strings.size(); ++k) interned_.erase(p_.strings[k]);
  p_.strings.resize(m.strings);
  p_.nodes.resize(m.nodes);
  p_.objects.resize(m.objects);
  p_.arrays.resize(m.arrays);
  p_.strings_parts.resize(m.strings_parts);
  p_.numbers.resize(m.numbers);
  p_.lists.resize(m.lists);
  p_.regexes.resize(m.regexes, Regex());
  p_.resources.resize(m.resources);
  p_.dynamic = m.dynamic;
  dynamic_anchors_.resize(m.resources);
  resource_used_.resize(m.resources);
  constants_.resize(m.constants);
  built_constants_ = SIZE_MAX;  // the tape may hold constants rolled back
  documents_.resize(m.documents);
}

// Room for one more undo, made before the change it undoes: an allocation failure never
// leaves a change without its undo. (Grown geometrically: reserve(size + 1) would copy each time.)
void Compiler::reserve_undo() {
  if (undo_.size() == undo_.capacity()) undo_.reserve(2 * undo_.capacity() + 16);
}

template <class Map, class V>
void Compiler::insert(Map& map, const typename Map::key_type& key, V value, bool name) {
  if (map.count(key)) return;
  reserve_undo();
  Undo undo{[&map, key] { map.erase(key); }, name};
  map.emplace(key, value);
  undo_.push_back(std::move(undo));
}

template <class Map, class V>
void Compiler::put(Map& map, const typename Map::key_type& key, V value, bool name) {
  auto it = map.find(key);
  if (it == map.end()) return insert(map, key, value, name);
  if (it->second == value) return;
  undo_.push_back({[&map, key, old = it->second] { map[key] = old; }, name});
  it->second = value;
}

uint32_t Compiler::intern(const std::string& s) {
  if (auto it = interned_.find(s); it != interned_.end()) return it->second;
  const uint32_t index = uint32_t(p_.strings.size());
  p_.strings.push_back(s);
  try {
    interned_.emplace(s, index);
  } catch (...) {
    p_.strings.pop_back();
    throw;
  }
  return index;
}

void Compiler::add(Value schema, const std::string& id) { add(std::move(schema), id, false); }

void Compiler::add(Value schema, const std::string& id, bool anonymous) {
  if (!schema.is_object() && !schema.is_boolean())
    throw SchemaError("#", "a schema must be an object or a boolean");
  documents_.push_back(std::move(schema));
  const Value& doc = documents_.back();
  const std::string base = normalize_uri(uri_without_fragment(id));
  Draft draft = options_.draft;
  Info info{base, base + "#", draft, uint32_t(resource_used_.size())};
  info.anonymous = anonymous;
  info.document = &doc;
  put(resources_, base, &doc, anonymous);
  dynamic_anchors_.emplace_back();
  resource_used_.push_back(false);
  p_.resources.emplace_back();
  scan(doc, info);
}

bool Compiler::has(const std::string& uri) const { return resources_.count(normalize_uri(uri)) != 0; }

std::vector<std::string> Compiler::resources_of(const std::string& id) const {
  std::vector<std::string> uris;
  auto document = [this](const Value* s) {
    auto it = info_.find(s);
    return it == info_.end() ? nullptr : it->second.document;
  };
  auto root = resources_.find(normalize_uri(id));
  if (root == resources_.end() || document(root->second) != root->second) return uris;
  for (const auto& [uri, s] : resources_)
    if (document(s) == root->second) uris.push_back(uri);
  return uris;
}

std::map<std::string, const Value*>::const_iterator Compiler::find_meta(const std::string& uri) {
  if (source_ && !resources_.count(uri)) source_(*this, uri, false);
  return resources_.find(uri);
}

void Compiler::scan(const Value& s, Info info) {
  if (++info.depth > kMaxCompileDepth) throw SchemaError(info.path, "schema nesting too deep");
  if (!s.is_object()) {
    insert(info_, &s, info);
    return;
  }
  if (auto it = s.find("$schema"); it && it->is_string()) {
    const std::string uri = it->text();
    if (uri.find("json-schema.org/") != std::string::npos) {
      info.draft = draft_of(uri, info.draft);
    } else if (auto r = find_meta(std::string(uri_without_fragment(uri))); r != resources_.end()) {
      // A custom meta-schema: its own $schema names the draft, its $vocabulary what applies.
      const Value& meta = *r->second;
      if (auto m = meta.find("$schema"); m && m->is_string())
        info.draft = draft_of(m->text(), info.draft);
      if (auto v = meta.find("$vocabulary"); v && v->is_object())
        info.validation = v->contains("https://json-schema.org/draft/2020-12/vocab/validation");
    }
  }
  const bool draft7 = info.draft == Draft::draft7;
  if (auto it = s.find("$id"); it && it->is_string() && !(draft7 && s.contains("$ref"))) {
    const std::string id = it->text();
    if (draft7 && !id.empty() && id[0] == '#') {
      put(anchors_, info.base + id, &s, info.anonymous);
    } else if (!draft7 && (id.empty() || id[0] == '#')) {
      // Names no resource in 2020-12 (only draft-07 has fragment ids): registering it would
      // make the enclosing document's URI name this subschema instead.
    } else {
      const std::string abs = resolve_uri(info.base, id);
      info.base = std::string(uri_without_fragment(abs));
      if (source_ && !resources_.count(info.base)) source_(*this, info.base, false);
      auto known = resources_.find(info.base);
      if (source_ && known != resources_.end() && known->second != &s) {
        if (*known->second != s)
          throw SchemaError(at(info.path, "$id"), "$id " + info.base + " names another schema already");
        // The same resource bundled again (as each schema of an API may bundle it): the one
        // known serves every $ref to it.
        if (auto k = info_.find(known->second); k != info_.end()) info.resource = k->second.resource;
      } else if (known == resources_.end() || known->second != &s) {
        put(resources_, info.base, &s, info.anonymous);
        info.resource = uint32_t(resource_used_.size());
        dynamic_anchors_.emplace_back();
        resource_used_.push_back(false);
        p_.resources.emplace_back();
      }
      if (draft7 && !uri_fragment(abs).empty()) put(anchors_, abs, &s, info.anonymous);
    }
  }
  if (!draft7) {
    if (auto it = s.find("$anchor"); it && it->is_string())
      put(anchors_, info.base + "#" + it->text(), &s, info.anonymous);
    if (auto it = s.find("$dynamicAnchor"); it && it->is_string()) {
      put(anchors_, info.base + "#" + it->text(), &s, info.anonymous);
      reserve_undo();
      dynamic_anchors_[info.resource].emplace_back(it->text(), &s);
      undo_.push_back({[this, r = info.resource] { dynamic_anchors_[r].pop_back(); }, false});
    }
  }
  insert(info_, &s, info);
  if (draft7 && s.contains("$ref")) return;  // draft-07 ignores every sibling of $ref
  scan_children(s, info);
}

void Compiler::scan_children(const Value& s, const Info& info) {
  auto sub = [&](const Value& v, const std::string& path) {
    Info i = info;
    i.path = path;
    scan(v, i);
  };
  for (const char* k : kSchemaSingles) {
    const Value* v = s.find(k);
    if (v && (v->is_object() || v->is_boolean())) sub(*v, at(info.path, k));
  }
  for (const char* k : kSchemaLists) {
    const Value* v = s.find(k);
    if (!v || !v->is_array()) continue;
    for (size_t n = 0; n < v->size(); ++n) sub((*v)[n], at(at(info.path, k), std::to_string(n)));
  }
  for (const char* k : kSchemaMaps) {
    const Value* v = s.find(k);
    if (!v || !v->is_object()) continue;
    for (size_t m = 0; m < v->size(); ++m)
      if ((*v)[m].is_object() || (*v)[m].is_boolean()) sub((*v)[m], at(at(info.path, k), v->name(m)));
  }
}

const Value* Compiler::find_resource(const std::string& uri) {
  if (auto it = resources_.find(uri); it != resources_.end()) return it->second;
  if (source_ && source_(*this, uri, false)) return resources_.at(uri);
  const std::string_view text = metaschema(uri);
  if (text.empty()) return source_ && source_(*this, uri, true) ? resources_.at(uri) : nullptr;
  add(parse_schema(text), uri);
  return resources_[uri];
}

// A name of an anonymous schema, seen from a schema others share while it compiles: the shared
// nodes would keep it after the name is dropped.
bool Compiler::hidden(const Info& from, const Info& target) { return target.anonymous && !from.anonymous; }

std::pair<const Value*, Compiler::Info> Compiler::resolve(const std::string& ref, const Info& from,
                                                         const std::string& where) {
  const std::string abs = resolve_uri(from.base, ref);
  const std::string doc(uri_without_fragment(abs));
  const std::string fragment = percent_decode(uri_fragment(abs));
  if (!fragment.empty() && fragment[0] != '/') {
    auto it = anchors_.find(doc + "#" + fragment);
    if (it == anchors_.end() && find_resource(doc)) it = anchors_.find(doc + "#" + fragment);
    if (it == anchors_.end() || hidden(from, info_.at(it->second)))
      throw SchemaError(where, "can't resolve reference " + ref);
    return {it->second, info_.at(it->second)};
  }
  const Value* n = find_resource(doc);
  if (!n || hidden(from, info_.at(n))) throw SchemaError(where, "can't resolve reference " + ref);
  Info info = info_.at(n);
  size_t pos = 1;
  while (pos <= fragment.size() && !fragment.empty()) {
    size_t end = fragment.find('/', pos);
    if (end == std::string::npos) end = fragment.size();
    std::string token;
    for (size_t i = pos; i < end; ++i) {
      if (fragment[i] == '~' && i + 1 < end) {
        token += fragment[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += fragment[i];
      }
    }
    pos = end + 1;
    if (const Value* member = n->find(token)) {
      n = member;
    } else if (n->is_array() && !token.empty() && token.size() <= 9 &&  // std::stoul cannot overflow
               token.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(token) < n->size()) {
      n = &(*n)[std::stoul(token)];
    } else {
      throw SchemaError(where, "can't resolve reference " + ref);
    }
    if (auto it = info_.find(n); it != info_.end()) {
      info = it->second;
    } else {
      info.path = at(info.path, token);
    }
  }
  if (!info_.count(n)) scan(*n, info);  // a schema inside an unknown keyword
  return {n, info_.at(n)};
}

uint32_t Compiler::compile(const std::string& uri) {
  const Value* root = find_resource(normalize_uri(uri_without_fragment(uri)));
  if (!root) throw UnknownTarget("#", "no schema registered as " + uri);
  if (!uri_fragment(uri).empty()) {  // never the whole document: the subschema, or nothing
    try {
      root = resolve(uri, info_.at(root), "#").first;
    } catch (const SchemaError&) {
      throw UnknownTarget("#", "no schema registered as " + uri);
    }
  }
  depth_ = 0;  // a previous compile may have thrown half-way
  const uint32_t index = node(*root, info_.at(root));
  // A dynamic $dynamicRef may land on any dynamic anchor of a resource in the dynamic scope.
  for (size_t done = 0; p_.dynamic && done != p_.nodes.size();) {
    done = p_.nodes.size();
    for (size_t r = 0; r < dynamic_anchors_.size(); ++r) {
      if (!resource_used_[r]) continue;
      for (auto& [name, s] : dynamic_anchors_[r]) {
        const uint32_t target = node(*s, info_.at(s));
        auto& list = p_.resources[r].dynamic_anchors;
        const uint32_t name_id = intern(name);
        bool known = false;
        for (auto& a : list) known |= a.first == name_id;
        if (!known) {
          reserve_undo();
          list.emplace_back(name_id, target);
          undo_.push_back({[this, r] { p_.resources[r].dynamic_anchors.pop_back(); }, false});
        }
      }
    }
  }
  build_constants();
  return index;
}

uint32_t Compiler::compile_anonymous(Value schema) {
  add(std::move(schema), "", true);
  const uint32_t root = compile("");
  // Undone newest first, as a rollback would; the other changes stay for the step's rollback.
  for (size_t k = undo_.size(); k-- > 0;)
    if (undo_[k].name) undo_[k].fn();
  undo_.erase(std::remove_if(undo_.begin(), undo_.end(), [](const Undo& u) { return u.name; }), undo_.end());
  return root;
}

uint32_t Compiler::node(const Value& s, const Info& info) {
  if (auto it = compiled_.find(&s); it != compiled_.end()) return it->second;
  const uint32_t index = uint32_t(p_.nodes.size());
  p_.nodes.emplace_back();
  insert(compiled_, &s, index);
  // Nesting and chains of $ref recurse here: bounded, so a hostile schema cannot exhaust the
  // (wasm) stack.
  if (++depth_ > kMaxCompileDepth) throw SchemaError(info.path, "schema nesting or $ref chain too deep");
  fill(index, s, info);
  --depth_;
  return index;
}

uint32_t Compiler::child_at(const Value& s, const Info& info, const std::string& path) {
  auto it = info_.find(&s);
  if (it != info_.end()) return node(s, it->second);
  Info i = info;
  i.path = path;
  scan(s, i);
  return node(s, info_.at(&s));
}

uint32_t Compiler::child(const Value& parent, const char* keyword, const Info& info) {
  const Value& v = *parent.find(keyword);  // the caller saw it
  if (!v.is_object() && !v.is_boolean())
    throw SchemaError(at(info.path, keyword), "must be a schema (object or boolean)");
  return child_at(v, info, at(info.path, keyword));
}

Range Compiler::list(const Value& parent, const char* keyword, const Info& info) {
  const Value& v = *parent.find(keyword);  // the caller saw it
  const std::string path = at(info.path, keyword);
  if (!v.is_array()) throw SchemaError(path, "must be an array of schemas");
  std::vector<uint32_t> items;
  for (size_t n = 0; n < v.size(); ++n) {
    if (!v[n].is_object() && !v[n].is_boolean())
      throw SchemaError(at(path, std::to_string(n)), "must be a schema (object or boolean)");
    items.push_back(child_at(v[n], info, at(path, std::to_string(n))));
  }
  Range r{uint32_t(p_.lists.size()), uint32_t(items.size())};
  p_.lists.insert(p_.lists.end(), items.begin(), items.end());
  return r;
}

uint32_t Compiler::constant(const Value& value) {
  constants_.push_back(value);
  return uint32_t(constants_.size() - 1);
}

// Builds aside and swaps in, so a failure leaves the constants of the last good compile.
void Compiler::build_constants() {
  if (constants_.size() == built_constants_) return;  // a compile that added none
  // One JSON array of them all, for one tape.
  std::string dumped = "[";
  for (size_t k = 0; k < constants_.size(); ++k) {
    if (k) dumped += ',';
    append_canonical_text(dumped, constants_[k]);
  }
  dumped += ']';
  auto text = std::make_shared<const std::string>(std::move(dumped));
  Tape tape;
  ::edgeguard::json::Reader reader(::edgeguard::json::Limits{SIZE_MAX, 4096});
  if (::edgeguard::json::Error e =
          tape.build(reader, reinterpret_cast<const uint8_t*>(text->data()), text->size()))
    throw SchemaError("#", std::string("constant too large or too deep: ") + e.message);
  std::vector<uint32_t> nodes;
  std::vector<uint64_t> hashes;
  Equality eq;
  for (uint32_t c = 1; c < tape.size(); c = tape[c].next) {
    nodes.push_back(c);
    hashes.push_back(eq.hash(tape, c));
  }
  p_.constants_text = std::move(text);
  p_.constants = std::move(tape);
  p_.constant_node = std::move(nodes);
  p_.constant_hash = std::move(hashes);
  built_constants_ = constants_.size();
}

void Compiler::fill(uint32_t index, const Value& s, const Info& info) {
  if (!resource_used_[info.resource]) {
    reserve_undo();
    resource_used_[info.resource] = true;
    undo_.push_back({[this, r = info.resource] { resource_used_[r] = false; }, false});
  }
  p_.nodes[index].path = intern(info.path);
  p_.nodes[index].resource = info.resource;
  if (s.is_boolean()) {
    if (!s.boolean()) p_.nodes[index].flags |= SchemaNode::kFalse;
    return;
  }
  if (!s.is_object()) throw SchemaError(info.path, "a schema must be an object or a boolean");
  const bool draft7 = info.draft == Draft::draft7;
  auto has = [&](const char* k) { return s.contains(k); };

  if (const Value* it = s.find("x-severity")) {
    const std::string* sev = it->is_string() ? &it->text() : nullptr;
    if (sev && *sev == "warning") p_.nodes[index].flags |= SchemaNode::kWarning;
    else if (!sev || *sev != "error") throw SchemaError(at(info.path, "x-severity"), "must be \"warning\" or \"error\"");
  }
  if (const Value* it = s.find("$ref")) {
    if (!it->is_string()) throw SchemaError(at(info.path, "$ref"), "must be a string");
    auto [target, tinfo] = resolve(it->text(), info, at(info.path, "$ref"));
    const uint32_t t = node(*target, tinfo);
    p_.nodes[index].ref = t;
    p_.nodes[index].flags |= SchemaNode::kRef;
    if (draft7) return;
  }
  if (auto it = s.find("$dynamicRef"); it && !draft7) {
    if (!it->is_string()) throw SchemaError(at(info.path, "$dynamicRef"), "must be a string");
    const std::string ref = it->text();
    auto [target, tinfo] = resolve(ref, info, at(info.path, "$dynamicRef"));
    const uint32_t t = node(*target, tinfo);
    SchemaNode& n = p_.nodes[index];
    n.flags |= SchemaNode::kDynamicRef;
    n.ref = t;
    const std::string name(uri_fragment(ref));
    const Value* anchor = target->find("$dynamicAnchor");
    if (!name.empty() && name[0] != '/' && anchor && *anchor == name) {
      n.dynamic_name = intern(name);
      p_.dynamic = true;
    }
  }
  if (info.validation) {
    if (const Value* it = s.find("type")) {
      uint8_t types = 0;
      auto add_type = [&](const Value& t) {
        static const std::pair<const char*, uint8_t> names[] = {
            {"null", kNull}, {"boolean", kBoolean}, {"object", kObject}, {"array", kArray},
            {"number", kNumber}, {"integer", kInteger}, {"string", kString}};
        for (auto& [name, bit] : names)
          if (t.is_string() && t.text() == name) return void(types |= bit);
        throw SchemaError(at(info.path, "type"), "unknown type " + canonical_text(t));
      };
      if (it->is_array()) {
        for (const Value& t : *it) add_type(t);
      } else {
        add_type(*it);
      }
      p_.nodes[index].flags |= SchemaNode::kType;
      p_.nodes[index].types = types;
      p_.nodes[index].types_text = intern(canonical_text(*it));
    }
    if (const Value* it = s.find("const")) {
      p_.nodes[index].flags |= SchemaNode::kConst;
      p_.nodes[index].value = constant(*it);
      p_.nodes[index].values = 1;
      p_.nodes[index].values_text = intern(canonical_text(*it));
    } else if (const Value* e = s.find("enum")) {
      if (!e->is_array()) throw SchemaError(at(info.path, "enum"), "must be an array");
      const uint32_t first = uint32_t(constants_.size());
      for (const Value& v : *e) constant(v);
      p_.nodes[index].flags |= SchemaNode::kEnum;
      p_.nodes[index].value = first;
      p_.nodes[index].values = uint32_t(e->size());
      p_.nodes[index].values_text = intern(canonical_text(*e));
    }
  }
  if (has("allOf")) p_.nodes[index].all_of = list(s, "allOf", info);
  if (has("anyOf")) p_.nodes[index].any_of = list(s, "anyOf", info);
  if (has("oneOf")) p_.nodes[index].one_of = list(s, "oneOf", info);
  for (const char* k : {"allOf", "anyOf", "oneOf"})
    if (has(k) && s.find(k)->empty()) throw SchemaError(at(info.path, k), "must not be empty");
  if (has("not")) p_.nodes[index].not_ = child(s, "not", info);
  if (has("if")) {
    const uint32_t c = child(s, "if", info);
    p_.nodes[index].if_ = c;
    p_.nodes[index].flags |= SchemaNode::kIf;
    if (has("then")) p_.nodes[index].then_ = child(s, "then", info);
    if (has("else")) p_.nodes[index].else_ = child(s, "else", info);
  }
  fill_object(index, s, info);
  fill_array(index, s, info);
  fill_string(index, s, info);
  fill_number(index, s, info);
  SchemaNode& n = p_.nodes[index];
  if (n.all_of.count || n.any_of.count || n.one_of.count || n.not_ != kNone || n.if_ != kNone)
    n.flags |= SchemaNode::kApplicators;
  if (n.object != kNone && p_.objects[n.object].unevaluated != kNone)
    n.flags |= SchemaNode::kUnevaluatedProperties;
  if (n.array != kNone && p_.arrays[n.array].unevaluated != kNone)
    n.flags |= SchemaNode::kUnevaluatedItems;
}

void Compiler::fill_object(uint32_t index, const Value& s, const Info& info) {
  const bool draft7 = info.draft == Draft::draft7;
  static const char* const keys[] = {"properties", "patternProperties", "additionalProperties",
                                     "required", "dependentRequired", "dependentSchemas",
                                     "dependencies", "propertyNames", "minProperties",
                                     "maxProperties", "unevaluatedProperties"};
  bool any = false;
  for (const char* k : keys) any |= s.contains(k);
  if (!any) return;
  ObjectPart o;
  auto name = [&](const std::string& n) {
    const uint32_t ordinal = o.names.add(n);
    if (ordinal == o.property.size()) {
      o.property.push_back(kNone);
      o.defaults.push_back(kNone);
    }
    return ordinal;
  };
  auto names_list = [&](const Value& v, const std::string& where) {
    if (!v.is_array()) throw SchemaError(where, "must be an array of strings");
    std::vector<uint32_t> out;
    for (const Value& n : v) {
      if (!n.is_string()) throw SchemaError(where, "must be an array of strings");
      out.push_back(name(n.text()));
    }
    return out;
  };
  if (const Value* it = s.find("properties")) {
    const std::string path = at(info.path, "properties");
    if (!it->is_object()) throw SchemaError(path, "must be an object");
    for (size_t k = 0; k < it->size(); ++k) {
      const Value& m = (*it)[k];
      const uint32_t ordinal = name(it->name(k));
      if (!m.is_object() && !m.is_boolean())
        throw SchemaError(at(path, it->name(k)), "must be a schema (object or boolean)");
      const uint32_t c = child_at(m, info, at(path, it->name(k)));
      o.property[ordinal] = c;
      if (const Value* d = m.find("default")) o.defaults[ordinal] = constant(*d);
    }
  }
  if (const Value* it = s.find("patternProperties")) {
    const std::string path = at(info.path, "patternProperties");
    if (!it->is_object()) throw SchemaError(path, "must be an object");
    for (size_t k = 0; k < it->size(); ++k) {
      Regex re = Regex::compile(it->name(k));
      if (!re.ok()) throw SchemaError(at(path, it->name(k)), "unsupported pattern: " + re.error());
      const uint32_t c = child_at((*it)[k], info, at(path, it->name(k)));
      p_.regexes.push_back(std::move(re));
      o.patterns.push_back({uint32_t(p_.regexes.size() - 1), c});
    }
  }
  o.declares = s.contains("properties") || s.contains("patternProperties");
  if (s.contains("additionalProperties")) o.additional = child(s, "additionalProperties", info);
  if (s.contains("propertyNames")) o.property_names = child(s, "propertyNames", info);
  if (!draft7 && s.contains("unevaluatedProperties"))
    o.unevaluated = child(s, "unevaluatedProperties", info);
  if (info.validation) {
    if (const Value* it = s.find("required"))
      o.required = names_list(*it, at(info.path, "required"));
    if (const Value* it = s.find("minProperties"))
      o.min_properties = count_of(*it, at(info.path, "minProperties"));
    if (const Value* it = s.find("maxProperties"))
      o.max_properties = count_of(*it, at(info.path, "maxProperties"));
  }
  auto dependency = [&](const std::string& key, const Value& v, const std::string& path,
                        bool schema, bool legacy) {
    ObjectPart::Dependency d;
    d.name = name(key);
    d.legacy = legacy;
    if (schema) {
      d.schema = child_at(v, info, path);
    } else {
      const std::vector<uint32_t> req = names_list(v, path);
      d.required = {uint32_t(o.dep_required.size()), uint32_t(req.size())};
      o.dep_required.insert(o.dep_required.end(), req.begin(), req.end());
    }
    o.dependencies.push_back(d);
  };
  auto dependencies = [&](const char* keyword, bool schemas, bool legacy) {
    const Value* it = s.find(keyword);
    if (!it) return;
    const std::string path = at(info.path, keyword);
    if (!it->is_object()) throw SchemaError(path, "must be an object");
    for (size_t k = 0; k < it->size(); ++k) {
      const Value& m = (*it)[k];
      const bool is_schema = legacy ? !m.is_array() : schemas;
      if (is_schema && !m.is_object() && !m.is_boolean())
        throw SchemaError(at(path, it->name(k)), "must be a schema (object or boolean)");
      if (!is_schema && !info.validation) continue;
      dependency(it->name(k), m, at(path, it->name(k)), is_schema, legacy);
    }
  };
  dependencies("dependencies", false, true);  // 2020-12 keeps it for compatibility
  if (!draft7) {
    dependencies("dependentRequired", false, false);
    dependencies("dependentSchemas", true, false);
  }
  p_.objects.push_back(std::move(o));
  p_.nodes[index].object = uint32_t(p_.objects.size() - 1);
}

void Compiler::fill_array(uint32_t index, const Value& s, const Info& info) {
  const bool draft7 = info.draft == Draft::draft7;
  static const char* const keys[] = {"items", "prefixItems", "additionalItems", "contains",
                                     "minItems", "maxItems", "uniqueItems", "unevaluatedItems"};
  bool any = false;
  for (const char* k : keys) any |= s.contains(k);
  if (!any) return;
  ArrayPart a;
  if (draft7) {
    if (const Value* it = s.find("items")) {
      if (it->is_array()) {
        a.prefix = list(s, "items", info);
        a.legacy_items = true;
        if (s.contains("additionalItems")) a.items = child(s, "additionalItems", info);
      } else {
        a.items = child(s, "items", info);
      }
    }
  } else {
    if (s.contains("prefixItems")) a.prefix = list(s, "prefixItems", info);
    if (s.contains("items")) a.items = child(s, "items", info);
    if (s.contains("unevaluatedItems")) a.unevaluated = child(s, "unevaluatedItems", info);
  }
  if (s.contains("contains")) {
    a.contains = child(s, "contains", info);
    if (!draft7 && info.validation) {
      if (const Value* it = s.find("minContains"))
        a.min_contains = count_of(*it, at(info.path, "minContains"));
      if (const Value* it = s.find("maxContains"))
        a.max_contains = count_of(*it, at(info.path, "maxContains"));
    }
  }
  if (info.validation) {
    if (const Value* it = s.find("minItems")) a.min_items = count_of(*it, at(info.path, "minItems"));
    if (const Value* it = s.find("maxItems")) a.max_items = count_of(*it, at(info.path, "maxItems"));
    if (const Value* it = s.find("uniqueItems")) {
      if (!it->is_boolean()) throw SchemaError(at(info.path, "uniqueItems"), "must be a boolean");
      a.unique = it->boolean();
    }
  }
  p_.arrays.push_back(a);
  p_.nodes[index].array = uint32_t(p_.arrays.size() - 1);
}

void Compiler::fill_string(uint32_t index, const Value& s, const Info& info) {
  StringPart str;
  bool any = false;
  if (info.validation) {
    if (const Value* it = s.find("minLength")) {
      str.min_length = count_of(*it, at(info.path, "minLength"));
      any = true;
    }
    if (const Value* it = s.find("maxLength")) {
      str.max_length = count_of(*it, at(info.path, "maxLength"));
      any = true;
    }
    if (const Value* it = s.find("pattern")) {
      if (!it->is_string()) throw SchemaError(at(info.path, "pattern"), "must be a string");
      Regex re = Regex::compile(it->text());
      if (!re.ok()) throw SchemaError(at(info.path, "pattern"), "unsupported pattern: " + re.error());
      p_.regexes.push_back(std::move(re));
      str.pattern = uint32_t(p_.regexes.size() - 1);
      str.pattern_text = intern(it->text());
      any = true;
    }
  }
  if (const Value* it = s.find("format"); it && options_.assert_formats && it->is_string()) {
    const std::string f = it->text();
    if (const FormatChecker checker = find_format(f)) {
      str.format = intern(f);
      str.checker = checker;
      any = true;
    }
  }
  if (const Value* it = s.find("x-sanitize")) {
    const std::string path = at(info.path, "x-sanitize");
    auto add = [&](const Value& v) {
      static const std::pair<const char*, Sanitize> names[] = {
          {"trim", kTrim}, {"strip-tags", kStripTags}, {"escape-html", kEscapeHtml},
          {"lowercase", kLowercase}};
      for (auto& [n, bit] : names)
        if (v == n) return void(str.sanitize |= bit);
      throw SchemaError(path, "unknown sanitizer " + canonical_text(v));
    };
    if (it->is_array()) {
      for (const Value& v : *it) add(v);
    } else {
      add(*it);
    }
    any = true;
  }
  if (!any) return;
  p_.strings_parts.push_back(str);
  p_.nodes[index].string = uint32_t(p_.strings_parts.size() - 1);
}

void Compiler::fill_number(uint32_t index, const Value& s, const Info& info) {
  if (!info.validation) return;
  NumberPart n;
  bool any = false;
  auto get = [&](const char* k, double& value, uint32_t& text, bool& flag) {
    const Value* it = s.find(k);
    if (!it) return;
    value = number_of(*it, at(info.path, k));
    // A fraction's text is Number#toString's (canonical_text): the digits JSON.stringify writes
    // for a schema given as an object, which multipleOf reads. Other digits of the same double
    // (nlohmann's Grisu2 wrote 1.9933402905920468e-77 for 1.993340290592047e-77) made x no
    // multiple of x.
    text = intern(canonical_text(*it));
    flag = any = true;
  };
  get("minimum", n.minimum, n.min_text, n.has_minimum);
  get("maximum", n.maximum, n.max_text, n.has_maximum);
  get("exclusiveMinimum", n.exclusive_minimum, n.xmin_text, n.has_xmin);
  get("exclusiveMaximum", n.exclusive_maximum, n.xmax_text, n.has_xmax);
  get("multipleOf", n.multiple_of, n.mult_text, n.has_multiple);
  if (n.has_multiple && !(n.multiple_of > 0))
    throw SchemaError(at(info.path, "multipleOf"), "must be greater than 0");
  if (!any) return;
  p_.numbers.push_back(n);
  p_.nodes[index].number = uint32_t(p_.numbers.size() - 1);
}

}  // namespace edgeguard::validate
