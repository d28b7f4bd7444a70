#include "edgeguard/validate/validator.hpp"

#include <stdexcept>
#include <string>

#include "edgeguard/validate/cleaner.hpp"
#include "edgeguard/validate/errors.hpp"
#include "edgeguard/validate/uri.hpp"

namespace edgeguard::validate {

namespace {

// The ranges of the limits: the one place they are checked (options.cpp reads their types).
const Options& checked(const Options& o) {
  if (o.limits.max_depth == 0 || o.limits.max_depth > kMaxDepthLimit) throw BadOption("maxDepth", kMaxDepthMustBe);
  if (o.limits.max_bytes == 0 || o.limits.max_bytes > UINT32_MAX) throw BadOption("maxBytes", kMaxBytesMustBe);
  // An invalid document must come with at least one error to say why.
  if (o.eval.max_errors == 0) throw BadOption("maxErrors", kMaxErrorsMustBe);
  return o;
}

}  // namespace

BadOption::BadOption(const char* option, const char* must_be)
    : std::invalid_argument(std::string("option ") + option + " must be " + must_be), option_(option) {}

Validator::Validator(const Options& options, std::shared_ptr<Registry> registry)
    : options_(checked(options)),
      registry_(std::move(registry)),
      shared_(registry_ ? &registry_->compiled({options.draft, options.assert_formats}) : nullptr),
      program_(std::make_unique<Program>()),
      compiler_(*program_, CompileOptions{options.draft, options.assert_formats}),
      reader_(options.limits),
      evaluator_(program()) {}

Validator::Validator(std::shared_ptr<Registry> registry, const json::Value& schema,
                     const Options& options)
    : Validator(options, std::move(registry)) {
  const json::Value* id = schema.find("$id");
  // A $id that is only a fragment ("#root", "#", "") names no resource: as if there were none.
  if (!id || !id->is_string() || uri_without_fragment(id->text()).empty()) {
    root_ = shared_->compile(schema);
    return;
  }
  root_ = registry_->add_compiled(id->text(), schema, *shared_);
}

Validator::Validator(std::shared_ptr<Registry> registry, const std::string& id, const Options& options)
    : Validator(options, std::move(registry)) {
  root_ = shared_->compile(id);
}

Validator::Validator(const json::Value& schema, const Options& options, const Schemas& schemas)
    : Validator(options, nullptr) {
  // Atomic only to drop the undo log: a constructor that throws leaves nothing behind anyway.
  root_ = compiler_.atomically([&] {
    for (const auto& [id, s] : schemas) compiler_.add(s, id);
    compiler_.add(schema, "");
    const uint32_t root = compiler_.compile("");
    // Each known schema can be a validation target: refuse a broken one now, not at validation.
    for (const auto& entry : schemas) named_.emplace(entry.first, compiler_.compile(entry.first));
    return root;
  });
}

void Validator::add_schema(const json::Value& schema, std::string id) {
  if (const json::Value* given = schema.find("$id"); id.empty() && given && given->is_string())
    id = given->text();
  if (id.empty()) throw SchemaError("#", "a schema added without an id needs a $id");
  if (shared_) {
    named_[id] = registry_->add_compiled(id, schema, *shared_);
    return;
  }
  named_[id] = compiler_.atomically([&] {
    compiler_.add(schema, id);
    return compiler_.compile(id);
  });
}

uint32_t Validator::target(const std::string& id) {
  if (id.empty()) return root_;
  if (auto it = named_.find(id); it != named_.end()) return it->second;
  if (auto it = targets_.find(id); it != targets_.end()) return it->second;
  uint32_t root;
  if (shared_) {  // the registry compiles it (once for all)
    root = shared_->compile(id);
  } else {  // a resource in a schema from `schemas` (its nodes compiled once, then reused)
    if (!compiler_.has(id)) throw UnknownSchema("no schema registered as " + id);
    root = compiler_.atomically([&] { return compiler_.compile(id); });
  }
  if (targets_.size() >= kMaxCachedTargets) targets_.clear();
  targets_.emplace(id, root);
  return root;
}

bool Validator::validate(const uint8_t* data, size_t len, const std::string& id) {
  if (!data) throw NullInput("payload is a null pointer");
  const uint32_t root = target(id);
  data_ = data;
  len_ = len;
  adopted_ = false;
  malformed_ = tape_.build(reader_, data, len);
  if (malformed_) return false;
  return evaluator_.run(root, tape_, options_.eval);
}

bool Validator::validate_tape(const Node* nodes, uint32_t count, const uint8_t* data, size_t len,
                              const std::string& id) {
  if (!nodes || !data) throw NullInput("tape is a null pointer");
  const uint32_t root = target(id);
  data_ = data;
  len_ = len;
  adopted_ = true;
  // A tape that fails its check is the encoder's fault, not the document's: an error to throw.
  if (const json::Error e = tape_.adopt(nodes, count, data, len, options_.limits))
    throw BadTape(std::string("the object input's tape is broken: ") + e.message);
  malformed_ = {};
  return evaluator_.run(root, tape_, options_.eval);
}

std::string Validator::errors_report() const {
  if (malformed_) return render_malformed(malformed_, data_, data_ ? len_ : 0);
  return renderer_.render(program(), tape_, evaluator_.errors());
}

std::string Validator::warnings_report() const {
  if (malformed_) return {};
  return renderer_.render(program(), tape_, evaluator_.warnings());
}

std::string Validator::cleaned() const {
  // An adopted tape has no JSON text to copy from; js/validator.js never asks for it.
  if (adopted_) throw std::logic_error("no cleaned data for an object input");
  if (malformed_) return {};
  return clean(program(), tape_, evaluator_);
}

}  // namespace edgeguard::validate
