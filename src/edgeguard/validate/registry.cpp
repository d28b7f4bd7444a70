#include "edgeguard/validate/registry.hpp"

#include <algorithm>

#include "edgeguard/validate/canonical_text.hpp"
#include "edgeguard/validate/uri.hpp"

namespace edgeguard::validate {

namespace {

// The key a schema is stored (and compiled) under: its id without fragment, dot segments removed.
std::string key_of(const std::string& id) { return normalize_uri(uri_without_fragment(id)); }

}  // namespace

Registry::Compiled::Compiled(const Registry& registry, CompileOptions options)
    : registry_(registry), options_(options), compiler_(program_, options) {
  compiler_.set_source([this](Compiler& c, const std::string& uri, bool everything) {
    return load(c, uri, everything);
  });
  for (const auto& stored : registry_.texts_) pending_.push_back(stored.first);
}

bool Registry::Compiled::load(Compiler& compiler, const std::string& uri, bool everything) {
  const auto& texts = registry_.texts_;
  if (!everything) {
    auto it = texts.find(uri);
    if (it == texts.end()) return false;
    compiler.add(registry_.parse(it->second), uri);
    return true;
  }
  // Rare (a $ref to a resource nested in a stored schema, or to nothing): load the stored
  // schemas that define it, each in its own step, so a broken one fails no other compile.
  index_pending();
  auto found = nested_.find(uri);
  if (found == nested_.end()) return false;
  const std::set<std::string> ids = found->second;  // a copy: loading may index more
  for (const std::string& id : ids) {
    auto text = texts.find(id);
    if (text == texts.end() || compiler.has(id)) continue;
    try {
      compiler.atomically([&] { return compiler.add(registry_.parse(text->second), id), true; });
    } catch (const SchemaError&) {
    }
    if (compiler.has(uri)) return true;
  }
  return compiler.has(uri);
}

void Registry::Compiled::index_pending() {
  while (!pending_.empty()) {
    auto text = registry_.texts_.find(pending_.back());
    if (text != registry_.texts_.end()) index(text->first, text->second);  // else: added, then dropped
    pending_.pop_back();
  }
}

// Adds the stored schema to a compiler of its own, as load() would to the shared one, only to
// read which resources it defines. One that fails to load there defines none, as in load().
void Registry::Compiled::index(const std::string& id, const std::string& text) {
  Program program;
  Compiler scratch(program, options_);
  scratch.set_source([this](Compiler& c, const std::string& uri, bool everything) {
    return !everything && load(c, uri, false);  // a custom meta-schema, a bundled resource
  });
  try {
    scratch.add(registry_.parse(text), id);
  } catch (const SchemaError&) {
    return;
  }
  std::vector<std::string> uris = scratch.resources_of(id);
  uris.erase(std::remove(uris.begin(), uris.end(), id), uris.end());
  if (uris.empty()) return;
  for (const std::string& uri : uris) nested_[uri].insert(id);
  defines_[id] = std::move(uris);
}

void Registry::Compiled::forget(const std::string& id) {
  if (!pending_.empty() && pending_.back() == id) pending_.pop_back();  // add() pushed it last
  auto defined = defines_.find(id);
  if (defined == defines_.end()) return;
  for (const std::string& uri : defined->second) {
    auto n = nested_.find(uri);
    if (n == nested_.end()) continue;
    n->second.erase(id);
    if (n->second.empty()) nested_.erase(n);
  }
  defines_.erase(defined);
}

uint32_t Registry::Compiled::compile(const std::string& id) {
  const std::string key = key_of(id);
  if (auto it = roots_.find(key); it != roots_.end() && uri_fragment(id).empty()) return it->second;
  // An empty one ("", "#...") would name a schema given whole, which no id names.
  if (key.empty()) throw UnknownSchema("no schema registered as " + id);
  if (!compiler_.has(key) && !registry_.holds(key)) {
    // Maybe a resource nested in a stored schema (loaded, and kept).
    compiler_.atomically([&] { return load(compiler_, key, true); });
    if (!compiler_.has(key)) throw UnknownSchema("no schema registered as " + id);
  }
  try {
    return compiler_.atomically([&] {
      const std::string fragment(uri_fragment(id));
      const uint32_t root = compiler_.compile(fragment.empty() ? key : key + "#" + fragment);
      // Cached inside the step: a failure to cache rolls the compile back too. Only whole
      // schemas (bounded by the resources the registry holds); "id#fragment" compiles again,
      // from its cache.
      if (fragment.empty()) roots_.emplace(key, root);
      return root;
    });
  } catch (const UnknownTarget& e) {
    throw UnknownSchema(e.what());
  }
}

uint32_t Registry::Compiled::compile(const json::Value& schema) {
  std::string text = canonical_text(schema);
  if (auto it = anonymous_.find(text); it != anonymous_.end()) return it->second;
  if (anonymous_.size() >= kMaxAnonymousSchemas)
    throw RegistryFull("a registry compiles at most " + std::to_string(kMaxAnonymousSchemas) +
                       " distinct schemas without $id: give them a $id, or use a validator without registry");
  return compiler_.atomically([&] {
    const uint32_t root = compiler_.compile_anonymous(schema);
    anonymous_.emplace(std::move(text), root);
    return root;
  });
}

bool Registry::add(const std::string& id, std::string text) {
  const std::string key = key_of(id);
  if (key.empty()) throw SchemaError("#/$id", "a schema in a registry needs a $id");
  auto [it, added] = texts_.try_emplace(key, std::move(text));
  if (added) {
    try {
      // A resource nested in a schema already compiled would hide this one from every $ref.
      for (const auto& [options, compiled] : compiled_)
        if (compiled->has(key)) throw DuplicateSchema("a compiled schema already defines " + key);
      for (const auto& [options, compiled] : compiled_) compiled->pending_.push_back(key);
    } catch (...) {
      texts_.erase(it);
      throw;
    }
    return true;
  }
  // The same schema again, maybe written otherwise (a validator's schema comes re-serialized),
  // its $id too ("urn:u#" is "urn:u").
  if (it->second == text) return false;
  json::Value held = parse(it->second), given = parse(text);
  const json::Value* held_id = held.find("$id");
  if (uri_fragment(id).empty() && given.is_object() && held_id && held_id->is_string() &&
      uri_fragment(held_id->text()).empty()) {
    held.erase("$id");
    given.erase("$id");
  }
  if (held != given) throw DuplicateSchema("the registry already holds another schema as " + key);
  return false;
}

uint32_t Registry::add_compiled(const std::string& id, const json::Value& schema, Compiled& compiled) {
  const bool added = add(id, canonical_text(schema));
  try {
    return compiled.compile(id);
  } catch (...) {
    // The compile rolled back whatever it loaded: no program holds the schema.
    if (added) {
      const std::string key = key_of(id);
      texts_.erase(key);
      for (const auto& [options, other] : compiled_) other->forget(key);
    }
    throw;
  }
}

bool Registry::holds(const std::string& id) const { return texts_.count(normalize_uri(id)) != 0; }

json::Value Registry::parse(const std::string& text) const {
  ++parses_;
  return parse_schema(text);
}

Registry::Compiled& Registry::compiled(CompileOptions options) {
  auto& slot = compiled_[{options.draft, options.assert_formats}];
  if (!slot) slot = std::make_unique<Compiled>(*this, options);
  return *slot;
}

}  // namespace edgeguard::validate
