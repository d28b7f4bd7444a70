#include "edgeguard/validate/compiler.hpp"

#include <algorithm>
#include <cmath>

#include "edgeguard/format/format.hpp"
#include "edgeguard/json/escape.hpp"
#include "edgeguard/validate/metaschemas.hpp"
#include "edgeguard/validate/number_text.hpp"
#include "edgeguard/validate/uri.hpp"

namespace edgeguard::validate {

namespace {

using json = nlohmann::json;

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

uint32_t count_of(const json& v, const std::string& where) {
  if (v.is_number_unsigned()) return v.get<uint64_t>() > UINT32_MAX ? UINT32_MAX : v.get<uint32_t>();
  if (v.is_number_float() && v.get<double>() >= 0 && std::floor(v.get<double>()) == v.get<double>())
    return v.get<double>() > UINT32_MAX ? UINT32_MAX : uint32_t(v.get<double>());
  throw SchemaError(where, "must be a non-negative integer");
}

double number_of(const json& v, const std::string& where) {
  if (!v.is_number()) throw SchemaError(where, "must be a number");
  return v.get<double>();
}

}  // namespace

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

template <class Map, class Value>
void Compiler::insert(Map& map, const typename Map::key_type& key, Value value, bool name) {
  if (map.count(key)) return;
  reserve_undo();
  Undo undo{[&map, key] { map.erase(key); }, name};
  map.emplace(key, value);
  undo_.push_back(std::move(undo));
}

template <class Map, class Value>
void Compiler::put(Map& map, const typename Map::key_type& key, Value value, bool name) {
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

void Compiler::add(json schema, const std::string& id) { add(std::move(schema), id, false); }

void Compiler::add(json schema, const std::string& id, bool anonymous) {
  if (!schema.is_object() && !schema.is_boolean())
    throw SchemaError("#", "a schema must be an object or a boolean");
  documents_.push_back(std::move(schema));
  const json& doc = documents_.back();
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
  auto document = [this](const json* s) {
    auto it = info_.find(s);
    return it == info_.end() ? nullptr : it->second.document;
  };
  auto root = resources_.find(normalize_uri(id));
  if (root == resources_.end() || document(root->second) != root->second) return uris;
  for (const auto& [uri, s] : resources_)
    if (document(s) == root->second) uris.push_back(uri);
  return uris;
}

std::map<std::string, const nlohmann::json*>::const_iterator Compiler::find_meta(const std::string& uri) {
  if (source_ && !resources_.count(uri)) source_(*this, uri, false);
  return resources_.find(uri);
}

void Compiler::scan(const json& s, Info info) {
  if (++info.depth > kMaxCompileDepth) throw SchemaError(info.path, "schema nesting too deep");
  if (!s.is_object()) {
    insert(info_, &s, info);
    return;
  }
  if (auto it = s.find("$schema"); it != s.end() && it->is_string()) {
    const std::string uri = it->get<std::string>();
    if (uri.find("json-schema.org/") != std::string::npos) {
      info.draft = draft_of(uri, info.draft);
    } else if (auto r = find_meta(std::string(uri_without_fragment(uri))); r != resources_.end()) {
      // A custom meta-schema: its own $schema names the draft, its $vocabulary what applies.
      const json& meta = *r->second;
      if (auto m = meta.find("$schema"); m != meta.end() && m->is_string())
        info.draft = draft_of(m->get<std::string>(), info.draft);
      if (auto v = meta.find("$vocabulary"); v != meta.end() && v->is_object())
        info.validation = v->contains("https://json-schema.org/draft/2020-12/vocab/validation");
    }
  }
  const bool draft7 = info.draft == Draft::draft7;
  if (auto it = s.find("$id"); it != s.end() && it->is_string() && !(draft7 && s.contains("$ref"))) {
    const std::string id = it->get<std::string>();
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
    if (auto it = s.find("$anchor"); it != s.end() && it->is_string())
      put(anchors_, info.base + "#" + it->get<std::string>(), &s, info.anonymous);
    if (auto it = s.find("$dynamicAnchor"); it != s.end() && it->is_string()) {
      put(anchors_, info.base + "#" + it->get<std::string>(), &s, info.anonymous);
      reserve_undo();
      dynamic_anchors_[info.resource].emplace_back(it->get<std::string>(), &s);
      undo_.push_back({[this, r = info.resource] { dynamic_anchors_[r].pop_back(); }, false});
    }
  }
  insert(info_, &s, info);
  if (draft7 && s.contains("$ref")) return;  // draft-07 ignores every sibling of $ref
  scan_children(s, info);
}

void Compiler::scan_children(const json& s, const Info& info) {
  auto sub = [&](const json& v, const std::string& path) {
    Info i = info;
    i.path = path;
    scan(v, i);
  };
  for (const char* k : kSchemaSingles) {
    auto it = s.find(k);
    if (it != s.end() && (it->is_object() || it->is_boolean())) sub(*it, at(info.path, k));
  }
  for (const char* k : kSchemaLists) {
    auto it = s.find(k);
    if (it == s.end() || !it->is_array()) continue;
    for (size_t n = 0; n < it->size(); ++n) sub((*it)[n], at(at(info.path, k), std::to_string(n)));
  }
  for (const char* k : kSchemaMaps) {
    auto it = s.find(k);
    if (it == s.end() || !it->is_object()) continue;
    for (auto m = it->begin(); m != it->end(); ++m)
      if (m->is_object() || m->is_boolean()) sub(*m, at(at(info.path, k), m.key()));
  }
}

const nlohmann::json* Compiler::find_resource(const std::string& uri) {
  if (auto it = resources_.find(uri); it != resources_.end()) return it->second;
  if (source_ && source_(*this, uri, false)) return resources_.at(uri);
  const std::string_view text = metaschema(uri);
  if (text.empty()) return source_ && source_(*this, uri, true) ? resources_.at(uri) : nullptr;
  add(json::parse(text), uri);
  return resources_[uri];
}

// A name of an anonymous schema, seen from a schema others share while it compiles: the shared
// nodes would keep it after the name is dropped.
bool Compiler::hidden(const Info& from, const Info& target) { return target.anonymous && !from.anonymous; }

std::pair<const nlohmann::json*, Compiler::Info> Compiler::resolve(const std::string& ref,
                                                                   const Info& from,
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
  const json* n = find_resource(doc);
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
    if (n->is_object() && n->contains(token)) {
      n = &(*n)[token];
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
  const json* root = find_resource(normalize_uri(uri_without_fragment(uri)));
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

uint32_t Compiler::compile_anonymous(json schema) {
  add(std::move(schema), "", true);
  const uint32_t root = compile("");
  // Undone newest first, as a rollback would; the other changes stay for the step's rollback.
  for (size_t k = undo_.size(); k-- > 0;)
    if (undo_[k].name) undo_[k].fn();
  undo_.erase(std::remove_if(undo_.begin(), undo_.end(), [](const Undo& u) { return u.name; }), undo_.end());
  return root;
}

uint32_t Compiler::node(const json& s, const Info& info) {
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

uint32_t Compiler::child_at(const json& s, const Info& info, const std::string& path) {
  auto it = info_.find(&s);
  if (it != info_.end()) return node(s, it->second);
  Info i = info;
  i.path = path;
  scan(s, i);
  return node(s, info_.at(&s));
}

uint32_t Compiler::child(const json& parent, const char* keyword, const Info& info) {
  const json& v = parent.at(keyword);
  if (!v.is_object() && !v.is_boolean())
    throw SchemaError(at(info.path, keyword), "must be a schema (object or boolean)");
  return child_at(v, info, at(info.path, keyword));
}

Range Compiler::list(const json& parent, const char* keyword, const Info& info) {
  const json& v = parent.at(keyword);
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

uint32_t Compiler::constant(const json& value) {
  constants_.push_back(value);
  return uint32_t(constants_.size() - 1);
}

// Builds aside and swaps in, so a failure leaves the constants of the last good compile.
void Compiler::build_constants() {
  if (constants_.size() == built_constants_) return;  // a compile that added none
  // Dumped one by one: a temporary json array's destructor allocates (and may not throw).
  std::string dumped = "[";
  for (size_t k = 0; k < constants_.size(); ++k) {
    if (k) dumped += ',';
    dumped += constants_[k].dump();
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

void Compiler::fill(uint32_t index, const json& s, const Info& info) {
  if (!resource_used_[info.resource]) {
    reserve_undo();
    resource_used_[info.resource] = true;
    undo_.push_back({[this, r = info.resource] { resource_used_[r] = false; }, false});
  }
  p_.nodes[index].path = intern(info.path);
  p_.nodes[index].resource = info.resource;
  if (s.is_boolean()) {
    if (!s.get<bool>()) p_.nodes[index].flags |= SchemaNode::kFalse;
    return;
  }
  if (!s.is_object()) throw SchemaError(info.path, "a schema must be an object or a boolean");
  const bool draft7 = info.draft == Draft::draft7;
  auto has = [&](const char* k) { return s.find(k) != s.end(); };

  if (auto it = s.find("x-severity"); it != s.end()) {
    const std::string* sev = it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
    if (sev && *sev == "warning") p_.nodes[index].flags |= SchemaNode::kWarning;
    else if (!sev || *sev != "error") throw SchemaError(at(info.path, "x-severity"), "must be \"warning\" or \"error\"");
  }
  if (auto it = s.find("$ref"); it != s.end()) {
    if (!it->is_string()) throw SchemaError(at(info.path, "$ref"), "must be a string");
    auto [target, tinfo] = resolve(it->get<std::string>(), info, at(info.path, "$ref"));
    const uint32_t t = node(*target, tinfo);
    p_.nodes[index].ref = t;
    p_.nodes[index].flags |= SchemaNode::kRef;
    if (draft7) return;
  }
  if (auto it = s.find("$dynamicRef"); it != s.end() && !draft7) {
    if (!it->is_string()) throw SchemaError(at(info.path, "$dynamicRef"), "must be a string");
    const std::string ref = it->get<std::string>();
    auto [target, tinfo] = resolve(ref, info, at(info.path, "$dynamicRef"));
    const uint32_t t = node(*target, tinfo);
    SchemaNode& n = p_.nodes[index];
    n.flags |= SchemaNode::kDynamicRef;
    n.ref = t;
    const std::string name(uri_fragment(ref));
    auto anchor = target->is_object() ? target->find("$dynamicAnchor") : target->end();
    if (!name.empty() && name[0] != '/' && target->is_object() && anchor != target->end() &&
        *anchor == name) {
      n.dynamic_name = intern(name);
      p_.dynamic = true;
    }
  }
  if (info.validation) {
    if (auto it = s.find("type"); it != s.end()) {
      uint8_t types = 0;
      auto add_type = [&](const json& t) {
        static const std::pair<const char*, uint8_t> names[] = {
            {"null", kNull}, {"boolean", kBoolean}, {"object", kObject}, {"array", kArray},
            {"number", kNumber}, {"integer", kInteger}, {"string", kString}};
        for (auto& [name, bit] : names)
          if (t.is_string() && t.get_ref<const std::string&>() == name) return void(types |= bit);
        throw SchemaError(at(info.path, "type"), "unknown type " + t.dump());
      };
      if (it->is_array()) {
        for (const json& t : *it) add_type(t);
      } else {
        add_type(*it);
      }
      p_.nodes[index].flags |= SchemaNode::kType;
      p_.nodes[index].types = types;
      p_.nodes[index].types_text = intern(it->dump());
    }
    if (auto it = s.find("const"); it != s.end()) {
      p_.nodes[index].flags |= SchemaNode::kConst;
      p_.nodes[index].value = constant(*it);
      p_.nodes[index].values = 1;
      p_.nodes[index].values_text = intern(it->dump());
    } else if (auto e = s.find("enum"); e != s.end()) {
      if (!e->is_array()) throw SchemaError(at(info.path, "enum"), "must be an array");
      const uint32_t first = uint32_t(constants_.size());
      for (const json& v : *e) constant(v);
      p_.nodes[index].flags |= SchemaNode::kEnum;
      p_.nodes[index].value = first;
      p_.nodes[index].values = uint32_t(e->size());
      p_.nodes[index].values_text = intern(e->dump());
    }
  }
  if (has("allOf")) p_.nodes[index].all_of = list(s, "allOf", info);
  if (has("anyOf")) p_.nodes[index].any_of = list(s, "anyOf", info);
  if (has("oneOf")) p_.nodes[index].one_of = list(s, "oneOf", info);
  for (const char* k : {"allOf", "anyOf", "oneOf"})
    if (has(k) && s.at(k).empty()) throw SchemaError(at(info.path, k), "must not be empty");
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

void Compiler::fill_object(uint32_t index, const json& s, const Info& info) {
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
  auto names_list = [&](const json& v, const std::string& where) {
    if (!v.is_array()) throw SchemaError(where, "must be an array of strings");
    std::vector<uint32_t> out;
    for (const json& n : v) {
      if (!n.is_string()) throw SchemaError(where, "must be an array of strings");
      out.push_back(name(n.get<std::string>()));
    }
    return out;
  };
  if (auto it = s.find("properties"); it != s.end()) {
    const std::string path = at(info.path, "properties");
    if (!it->is_object()) throw SchemaError(path, "must be an object");
    for (auto m = it->begin(); m != it->end(); ++m) {
      const uint32_t ordinal = name(m.key());
      if (!m->is_object() && !m->is_boolean())
        throw SchemaError(at(path, m.key()), "must be a schema (object or boolean)");
      const uint32_t c = child_at(*m, info, at(path, m.key()));
      o.property[ordinal] = c;
      if (m->is_object())
        if (auto d = m->find("default"); d != m->end()) o.defaults[ordinal] = constant(*d);
    }
  }
  if (auto it = s.find("patternProperties"); it != s.end()) {
    const std::string path = at(info.path, "patternProperties");
    if (!it->is_object()) throw SchemaError(path, "must be an object");
    for (auto m = it->begin(); m != it->end(); ++m) {
      Regex re = Regex::compile(m.key());
      if (!re.ok()) throw SchemaError(at(path, m.key()), "unsupported pattern: " + re.error());
      const uint32_t c = child_at(*m, info, at(path, m.key()));
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
    if (auto it = s.find("required"); it != s.end())
      o.required = names_list(*it, at(info.path, "required"));
    if (auto it = s.find("minProperties"); it != s.end())
      o.min_properties = count_of(*it, at(info.path, "minProperties"));
    if (auto it = s.find("maxProperties"); it != s.end())
      o.max_properties = count_of(*it, at(info.path, "maxProperties"));
  }
  auto dependency = [&](const std::string& key, const json& v, const std::string& path,
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
    auto it = s.find(keyword);
    if (it == s.end()) return;
    const std::string path = at(info.path, keyword);
    if (!it->is_object()) throw SchemaError(path, "must be an object");
    for (auto m = it->begin(); m != it->end(); ++m) {
      const bool is_schema = legacy ? !m->is_array() : schemas;
      if (is_schema && !m->is_object() && !m->is_boolean())
        throw SchemaError(at(path, m.key()), "must be a schema (object or boolean)");
      if (!is_schema && !info.validation) continue;
      dependency(m.key(), *m, at(path, m.key()), is_schema, legacy);
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

void Compiler::fill_array(uint32_t index, const json& s, const Info& info) {
  const bool draft7 = info.draft == Draft::draft7;
  static const char* const keys[] = {"items", "prefixItems", "additionalItems", "contains",
                                     "minItems", "maxItems", "uniqueItems", "unevaluatedItems"};
  bool any = false;
  for (const char* k : keys) any |= s.contains(k);
  if (!any) return;
  ArrayPart a;
  if (draft7) {
    if (auto it = s.find("items"); it != s.end()) {
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
      if (auto it = s.find("minContains"); it != s.end())
        a.min_contains = count_of(*it, at(info.path, "minContains"));
      if (auto it = s.find("maxContains"); it != s.end())
        a.max_contains = count_of(*it, at(info.path, "maxContains"));
    }
  }
  if (info.validation) {
    if (auto it = s.find("minItems"); it != s.end()) a.min_items = count_of(*it, at(info.path, "minItems"));
    if (auto it = s.find("maxItems"); it != s.end()) a.max_items = count_of(*it, at(info.path, "maxItems"));
    if (auto it = s.find("uniqueItems"); it != s.end()) {
      if (!it->is_boolean()) throw SchemaError(at(info.path, "uniqueItems"), "must be a boolean");
      a.unique = it->get<bool>();
    }
  }
  p_.arrays.push_back(a);
  p_.nodes[index].array = uint32_t(p_.arrays.size() - 1);
}

void Compiler::fill_string(uint32_t index, const json& s, const Info& info) {
  StringPart str;
  bool any = false;
  if (info.validation) {
    if (auto it = s.find("minLength"); it != s.end()) {
      str.min_length = count_of(*it, at(info.path, "minLength"));
      any = true;
    }
    if (auto it = s.find("maxLength"); it != s.end()) {
      str.max_length = count_of(*it, at(info.path, "maxLength"));
      any = true;
    }
    if (auto it = s.find("pattern"); it != s.end()) {
      if (!it->is_string()) throw SchemaError(at(info.path, "pattern"), "must be a string");
      Regex re = Regex::compile(it->get<std::string>());
      if (!re.ok()) throw SchemaError(at(info.path, "pattern"), "unsupported pattern: " + re.error());
      p_.regexes.push_back(std::move(re));
      str.pattern = uint32_t(p_.regexes.size() - 1);
      str.pattern_text = intern(it->get<std::string>());
      any = true;
    }
  }
  if (auto it = s.find("format"); it != s.end() && options_.assert_formats && it->is_string()) {
    const std::string f = it->get<std::string>();
    if (const FormatChecker checker = find_format(f)) {
      str.format = intern(f);
      str.checker = checker;
      any = true;
    }
  }
  if (auto it = s.find("x-sanitize"); it != s.end()) {
    const std::string path = at(info.path, "x-sanitize");
    auto add = [&](const json& v) {
      static const std::pair<const char*, Sanitize> names[] = {
          {"trim", kTrim}, {"strip-tags", kStripTags}, {"escape-html", kEscapeHtml},
          {"lowercase", kLowercase}};
      for (auto& [n, bit] : names)
        if (v == n) return void(str.sanitize |= bit);
      throw SchemaError(path, "unknown sanitizer " + v.dump());
    };
    if (it->is_array()) {
      for (const json& v : *it) add(v);
    } else {
      add(*it);
    }
    any = true;
  }
  if (!any) return;
  p_.strings_parts.push_back(str);
  p_.nodes[index].string = uint32_t(p_.strings_parts.size() - 1);
}

void Compiler::fill_number(uint32_t index, const json& s, const Info& info) {
  if (!info.validation) return;
  NumberPart n;
  bool any = false;
  auto get = [&](const char* k, double& value, uint32_t& text, bool& flag) {
    auto it = s.find(k);
    if (it == s.end()) return;
    value = number_of(*it, at(info.path, k));
    // A fraction's text is Number#toString's: the digits JSON.stringify writes for a schema given
    // as an object, which multipleOf reads. nlohmann's dump (Grisu2) may write other digits of the
    // same double (1.9933402905920468e-77 for 1.993340290592047e-77): x was no multiple of x.
    if (it->is_number_float()) {
      std::string js;
      js_number_text(value, js);
      text = intern(js);
    } else {
      text = intern(it->dump());
    }
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
