// The schema registry's C ABI (js/schema-registry.js). A registry handle owns one reference to
// the core Registry; every validator made from it owns another, so disposing the registry
// frees it only once its validators are gone. Failures answer as bridge_validate's do: a status
// (kDuplicate and kNotFound among them) and the reason in the error channel.
#include <memory>
#include <string>

#include "bridge.hpp"
#include "bridge_validate.hpp"
#include "edgeguard/validate/options.hpp"

using namespace edgeguard::validate;
namespace json = edgeguard::json;

using Shared = std::shared_ptr<Registry>;

// Null, with the reason in the error channel, when memory is out.
EG_EXPORT Shared* eg_registry_new() {
  Shared* made = nullptr;
  validate_guarded([&]() -> uint32_t {
    made = new Shared(std::make_shared<Registry>());
    return validate_ok();
  });
  return made;
}

EG_EXPORT void eg_registry_free(Shared* registry) { delete registry; }

// Stores a schema: the `len` bytes at `data` are its id (its $id, the first `id_len` bytes) then
// its JSON text.
EG_EXPORT uint32_t eg_registry_add(Shared* registry, const char* data, uint32_t id_len, uint32_t len) {
  return validate_guarded([&]() -> uint32_t {
    if (!registry || !data || id_len > len) throw NullInput("registry or data is a null pointer");
    (*registry)->add(std::string(data, id_len), std::string(data + id_len, len - id_len));
    return validate_ok();
  });
}

// `config` is JSON: {"options": {...}, "schema": ...} or {"options": {...}, "id": "..."}.
EG_EXPORT Validator* eg_registry_validator(Shared* registry, const char* config, uint32_t len) {
  Validator* made = nullptr;
  validate_guarded([&]() -> uint32_t {
    if (!registry || !config) throw NullInput("registry or config is a null pointer");
    const json::Value c = parse_schema({config, len});
    const Options options = read_options(config_member(c, "options"));
    if (const json::Value* id = c.find("id")) {
      made = new Validator(*registry, config_string(*id, "id"), options);
    } else {
      made = new Validator(*registry, config_member(c, "schema"), options);
    }
    return validate_ok();
  });
  return made;
}
