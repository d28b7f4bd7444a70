// The validator's C ABI (js/validator.js). Compilation takes one JSON text (schema, options,
// known schemas: a cold path); validation takes the document's bytes and answers with a status,
// with the errors (errors.hpp's fields) of a document that fails, and leaves warnings and cleaned
// data (JSON text) for JS to ask for only when it needs them.
#include <cstddef>
#include <functional>
#include <new>
#include <string>
#include <type_traits>

#include "bridge.hpp"
#include "bridge_error.hpp"
#include "bridge_validate.hpp"
#include "edgeguard/validate/options.hpp"
#include "edgeguard/validate/registry.hpp"

using namespace edgeguard::validate;
namespace json = edgeguard::json;

namespace {

// What every validator call answers (js/seam/validator.js).
// seam: validator
enum Status : uint32_t {
  kValid = 0,
  kInvalid = 1,
  kMalformed = 2,
  kSchemaError = 3,
  kConfigError = 4,
  kOutOfMemory = 5,
  kInvalidInput = 6,
  kNotFound = 7,   // no schema under the id asked for
  kDuplicate = 8,  // another schema under an id held already
  kRegistryFull = 9,  // a registry's kMaxAnonymousSchemas reached
};

// What JS reads after a call: status, then a UTF-8 text (pointer, length: a report, or the
// cleaned data); then error and warning counts; then, after a validation that found the document
// invalid (not malformed), the errors report's index (Validator::report_index(), IndexWord's
// words an error), and otherwise nothing JS reads. A failure's reason is in the error channel.
struct Out {
  uint32_t status;
  const char* text;
  uint32_t text_len;
  uint32_t errors;
  uint32_t warnings;
  const uint32_t* index;
} out;

// Out's 32-bit words, by which js/validator.js reads it.
// seam: validator
enum OutWord : uint32_t { kStatus, kText, kTextLen, kErrorCount, kWarningCount, kIndex, kCount };
static_assert(offsetof(Out, status) == 4 * kStatus && offsetof(Out, text) == 4 * kText &&
                  offsetof(Out, text_len) == 4 * kTextLen && offsetof(Out, errors) == 4 * kErrorCount &&
                  offsetof(Out, warnings) == 4 * kWarningCount && offsetof(Out, index) == 4 * kIndex &&
                  sizeof(Out) == 4 * kCount,
              "js/validator.js reads Out as OutWord's 32-bit words");

// What eg_validator_report publishes (a validation publishes the errors itself).
// seam: validator
enum Report : uint32_t { kWarnings = 0, kCleaned = 1 };
std::string text_buffer;

uint32_t publish(uint32_t status, std::string text = {}) {
  text_buffer = std::move(text);
  out = {status, text_buffer.data(), uint32_t(text_buffer.size()), 0, 0, nullptr};
  return status;
}

// A null pointer from JS is an error, never read (in wasm, address 0 is readable memory).
void require(const void* p, const char* what) {
  if (!p) throw NullInput(std::string(what) + " is a null pointer");
}

// A failure: its status for the caller, its reason through the one error channel
// (bridge_error.hpp), which js/validator.js's check() turns into the typed error.
uint32_t fail(uint32_t status, ErrorCode code, std::string_view message, std::string_view option = {}) {
  report_error(code, option, message);
  return publish(status);
}

// Runs `fn(context)`, turning every C++ exception into a failure: none may cross into JS. Not a
// template: each export would repeat these catch clauses (3 KiB of wasm apiece).
uint32_t guarded_call(uint32_t (*fn)(void*), void* context) {
  try {
    return fn(context);
  } catch (const SchemaError& e) {
    return fail(kSchemaError, ErrorCode::schema_invalid, e.what(), e.path());
  } catch (const std::bad_alloc&) {
    return fail(kOutOfMemory, ErrorCode::out_of_memory, "out of memory");
  } catch (const BadOption& e) {
    return fail(kConfigError, ErrorCode::config_invalid, e.what(), e.option());
  } catch (const NullInput& e) {
    return fail(kInvalidInput, ErrorCode::invalid_input, e.what());
  } catch (const BadTape& e) {
    return fail(kInvalidInput, ErrorCode::invalid_input, e.what());
  } catch (const UnknownSchema& e) {
    return fail(kNotFound, ErrorCode::schema_not_found, e.what());
  } catch (const DuplicateSchema& e) {
    return fail(kDuplicate, ErrorCode::schema_duplicate, e.what());
  } catch (const RegistryFull& e) {
    return fail(kRegistryFull, ErrorCode::registry_full, e.what());
  } catch (const std::exception& e) {
    return fail(kConfigError, ErrorCode::config_invalid, e.what());
  }
}

// guarded_call() over a callable, with no copy of it (a std::function may allocate).
template <class Fn>
uint32_t guarded(Fn&& fn) {
  return guarded_call([](void* f) { return (*static_cast<std::remove_reference_t<Fn>*>(f))(); }, &fn);
}

// A validation's status and counts, for JS to read, and the errors of a document that fails: JS
// reads them at once (the next validation replaces them), so they come with the status rather
// than from a second call.
uint32_t settle(const Validator& v, bool valid) {
  const uint32_t status = valid ? kValid : v.malformed() ? kMalformed : kInvalid;
  if (valid) {
    out.status = status;
    out.text_len = 0;
  } else {
    publish(status, v.errors_report());
    if (status == kInvalid) out.index = v.report_index().data();
  }
  out.errors = uint32_t(v.error_count());
  out.warnings = uint32_t(v.warning_count());
  return status;
}

}  // namespace

EG_EXPORT const Out* eg_validator_out() { return &out; }

// `config` is JSON: {"schema": ..., "options": {...}, "schemas": {"id": schema, ...}}.
EG_EXPORT Validator* eg_validator_new(const char* config, uint32_t len) {
  Validator* made = nullptr;
  guarded([&]() -> uint32_t {
    require(config, "config");
    const json::Value c = parse_schema({config, len});
    const Options options = read_options(config_member(c, "options"));
    Validator::Schemas schemas;
    if (const auto* s = present(c, "schemas"))
      for (size_t k = 0; k < s->size(); ++k) schemas.emplace_back(s->name(k), (*s)[k]);
    made = new Validator(config_member(c, "schema"), options, schemas);
    return publish(kValid);
  });
  return made;
}

EG_EXPORT void eg_validator_free(Validator* v) { delete v; }

namespace {

// What a validator was made with that js/validator.js acts on before calling the core: the limits
// it holds an input to before copying it, and whether results carry cleaned data.
struct Settings {
  uint32_t max_bytes;
  uint32_t max_depth;
  uint32_t cleans;
} settings;
// seam: validator
enum class SettingsWord : uint32_t { max_bytes, max_depth, cleans, count };
static_assert(EG_SLOT(Settings, max_bytes, uint32_t, SettingsWord::max_bytes) &&
                  EG_SLOT(Settings, max_depth, uint32_t, SettingsWord::max_depth) &&
                  EG_SLOT(Settings, cleans, uint32_t, SettingsWord::cleans) &&
                  sizeof(Settings) == 4 * size_t(SettingsWord::count),
              "js/validator.js reads Settings by SettingsWord");

}  // namespace

EG_EXPORT const Settings* eg_validator_settings(const Validator* v) {
  const Options& o = v->options();
  const bool cleans = o.eval.use_defaults || o.eval.sanitize || o.eval.remove_additional != EvalOptions::Remove::none;
  settings = {uint32_t(o.limits.max_bytes), o.limits.max_depth, cleans};
  return &settings;
}

// `config` is JSON: {"schema": ..., "id": "..."}.
EG_EXPORT uint32_t eg_validator_add(Validator* v, const char* config, uint32_t len) {
  return guarded([&]() -> uint32_t {
    require(v, "validator");
    require(config, "config");
    const json::Value c = parse_schema({config, len});
    const auto* id = present(c, "id");
    v->add_schema(config_member(c, "schema"), id ? config_string(*id, "id") : std::string());
    return publish(kValid);
  });
}

// Validates `len` bytes at `data` (null when JS refused to copy an input over maxBytes) against
// the main schema, or the one added as the `id_len` bytes at `id`.
EG_EXPORT uint32_t eg_validator_validate(Validator* v, const uint8_t* data, uint32_t len,
                                         const char* id, uint32_t id_len) {
  return guarded([&]() -> uint32_t {
    require(v, "validator");
    if (id_len) require(id, "schema id");
    const bool valid = id_len ? v->validate(data, len, std::string(id, id_len)) : v->validate(data, len);
    return settle(*v, valid);
  });
}

// eg_validator_validate over the `count` tape nodes at `nodes` and the `len` bytes at `data` that
// js/object-input.js wrote from a JS value (Tape::adopt checks them).
EG_EXPORT uint32_t eg_validator_validate_tape(Validator* v, const Node* nodes, uint32_t count,
                                              const uint8_t* data, uint32_t len, const char* id,
                                              uint32_t id_len) {
  return guarded([&]() -> uint32_t {
    require(v, "validator");
    if (id_len) require(id, "schema id");
    const bool valid = v->validate_tape(nodes, count, data, len, id_len ? std::string(id, id_len) : std::string());
    return settle(*v, valid);
  });
}

// After a validation: the warnings as errors.hpp's fields, or the cleaned data as JSON text, in
// out.text / out.text_len.
EG_EXPORT uint32_t eg_validator_report(const Validator* validator, uint32_t which) {
  return guarded([&]() -> uint32_t {
    require(validator, "validator");
    const Validator& v = *validator;
    const uint32_t errors = uint32_t(v.error_count()), warnings = uint32_t(v.warning_count());
    const uint32_t status = out.status;
    publish(status, which == kWarnings ? v.warnings_report() : v.cleaned());
    out.errors = errors;
    out.warnings = warnings;
    return status;
  });
}

// For bridge_registry.cpp: its calls answer through the same statuses and out struct.
uint32_t validate_guarded(const std::function<uint32_t()>& fn) { return guarded([&] { return fn(); }); }
uint32_t validate_ok() { return publish(kValid); }

const json::Value& config_member(const json::Value& config, const char* key) {
  if (const json::Value* v = config.find(key)) return *v;
  throw std::invalid_argument(std::string("the config has no ") + key);
}

const std::string& config_string(const json::Value& value, const char* what) {
  if (!value.is_string()) throw std::invalid_argument(std::string(what) + " must be a string");
  return value.text();
}
