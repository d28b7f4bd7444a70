#include "edgeguard/validate/registry.hpp"

#include "edgeguard/validate/uri.hpp"
#include "edgeguard/validate/validator.hpp"

namespace edgeguard::validate {

Registry::Compiled::Compiled(const Registry& registry, CompileOptions options)
    : registry_(registry), compiler_(program_, options) {
  compiler_.set_source([this](Compiler& c, const std::string& uri, bool everything) {
    return load(c, uri, everything);
  });
}

bool Registry::Compiled::load(Compiler& compiler, const std::string& uri, bool everything) {
  const auto& texts = registry_.texts_;
  if (!everything) {
    auto it = texts.find(uri);
    if (it == texts.end()) return false;
    compiler.add(parse_schema(it->second), uri);
    return true;
  }
  // Rare (a $ref to a resource nested in a stored schema, or to nothing): parse what is left,
  // each in its own step, so a broken schema nothing asked for fails no other compile.
  for (const auto& stored : texts) {  // (C++17 lambdas capture no structured binding)
    if (compiler.has(stored.first)) continue;
    try {
      compiler.atomically([&] { return compiler.add(parse_schema(stored.second), stored.first), true; });
    } catch (const SchemaError&) {
    }
  }
  return compiler.has(uri);
}

uint32_t Registry::Compiled::compile(const std::string& id) {
  if (auto it = roots_.find(id); it != roots_.end()) return it->second;
  const std::string key(uri_without_fragment(id));
  // An empty one ("", "#...") would name a schema given whole, which no id names.
  if (key.empty()) throw UnknownSchema("no schema registered as " + id);
  if (!compiler_.has(key) && !registry_.holds(key)) {
    // Maybe a resource nested in a stored schema: each stored schema is parsed once, and kept.
    compiler_.atomically([&] { return load(compiler_, key, true); });
    if (!compiler_.has(key)) throw UnknownSchema("no schema registered as " + id);
  }
  try {
    return compiler_.atomically([&] {
      const uint32_t root = compiler_.compile(id);
      // Cached inside the step: a failure to cache rolls the compile back too. Only whole
      // schemas (bounded by the registry's size); "id#fragment" compiles again, from its cache.
      if (uri_fragment(id).empty()) roots_.emplace(id, root);
      return root;
    });
  } catch (const UnknownTarget& e) {
    throw UnknownSchema(e.what());
  }
}

uint32_t Registry::Compiled::compile(const nlohmann::json& schema) {
  std::string text = schema.dump();
  if (auto it = anonymous_.find(text); it != anonymous_.end()) return it->second;
  return compiler_.atomically([&] {
    const uint32_t root = compiler_.compile_anonymous(schema);
    anonymous_.emplace(std::move(text), root);
    return root;
  });
}

bool Registry::add(const std::string& id, std::string text) {
  const std::string key(uri_without_fragment(id));
  if (key.empty()) throw SchemaError("#/$id", "a schema in a registry needs a $id");
  auto [it, added] = texts_.try_emplace(key, std::move(text));
  if (added) {
    // A resource nested in a schema already compiled would hide this one from every $ref.
    for (const auto& [options, compiled] : compiled_) {
      if (compiled->has(key)) {
        texts_.erase(it);
        throw DuplicateSchema("a compiled schema already defines " + key);
      }
    }
    return true;
  }
  // The same schema again, maybe written otherwise (a validator's schema comes re-serialized),
  // its $id too ("urn:u#" is "urn:u").
  if (it->second == text) return false;
  nlohmann::json held = parse_schema(it->second), given = parse_schema(text);
  if (uri_fragment(id).empty() && held.is_object() && given.is_object() && held.contains("$id") &&
      held["$id"].is_string() && uri_fragment(held["$id"].get_ref<const std::string&>()).empty()) {
    held.erase("$id");
    given.erase("$id");
  }
  if (held != given) throw DuplicateSchema("the registry already holds another schema as " + key);
  return false;
}

uint32_t Registry::add_compiled(const std::string& id, const nlohmann::json& schema, Compiled& compiled) {
  const bool added = add(id, schema.dump());
  try {
    return compiled.compile(id);
  } catch (...) {
    // The compile rolled back whatever it loaded: no program holds the schema.
    if (added) texts_.erase(std::string(uri_without_fragment(id)));
    throw;
  }
}

bool Registry::holds(const std::string& id) const { return texts_.count(id) != 0; }

Registry::Compiled& Registry::compiled(CompileOptions options) {
  auto& slot = compiled_[{options.draft, options.assert_formats}];
  if (!slot) slot = std::make_unique<Compiled>(*this, options);
  return *slot;
}

}  // namespace edgeguard::validate
