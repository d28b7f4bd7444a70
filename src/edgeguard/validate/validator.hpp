#pragma once
// The validator as a whole: compile a schema once (with the schemas it may reference), then
// validate many UTF-8 documents, reusing every buffer.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "edgeguard/json/reader.hpp"
#include "edgeguard/validate/compiler.hpp"
#include "edgeguard/validate/errors.hpp"
#include "edgeguard/validate/evaluator.hpp"
#include "edgeguard/validate/registry.hpp"

namespace edgeguard::validate {

struct Options {
  Draft draft = Draft::draft2020;  // when the schema has no `$schema`
  bool assert_formats = false;
  EvalOptions eval;
  json::Limits limits;
};

// A null pointer where bytes were expected: an error at the caller's boundary, never read.
class NullInput : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A tape from another encoder (Tape::adopt) that fails its check: the encoder is broken.
class BadTape : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An option a validator cannot take: what() says what it must be ("option maxDepth must be an
// integer from 1 to 1000"), option() names it as the user wrote it, for js/errors.js to show the
// value given. Both are literals.
class BadOption : public std::invalid_argument {
 public:
  BadOption(const char* option, const char* must_be);
  const char* option() const { return option_; }

 private:
  const char* option_;
};

// Deeper documents would only be refused later by the evaluator's recursion bound.
constexpr uint32_t kMaxDepthLimit = 1000;

// What each limit must be, as BadOption says it: for a value out of range (the validator's
// checked()) and for one of another type (options.cpp) alike.
constexpr const char* kMaxBytesMustBe = "an integer from 1 to 4294967295";
constexpr const char* kMaxDepthMustBe = "an integer from 1 to 1000";
static_assert(kMaxDepthLimit == 1000, "kMaxDepthMustBe says 1000");
constexpr const char* kMaxErrorsMustBe = "an integer from 1 to 4294967295";

// Validation targets (ids given to validate()) a validator remembers compiled; past this it
// forgets them all and compiles again (from the compiled program's cache): any number of
// spellings of "id#/json/pointer" costs bounded memory.
constexpr size_t kMaxCachedTargets = 256;

class Validator {
 public:
  using Schemas = std::vector<std::pair<std::string, json::Value>>;

  // Compiles `schema`; `schemas` (id -> schema) may be referenced by it. Throws SchemaError, or
  // BadOption for options out of range.
  Validator(const json::Value& schema, const Options& options, const Schemas& schemas = {});
  // Over a shared registry (kept alive by the validator): compiles `schema`, which may $ref
  // anything the registry holds, into the registry's program; a schema with a $id is added to
  // the registry first. Throws SchemaError, DuplicateSchema.
  Validator(std::shared_ptr<Registry> registry, const json::Value& schema, const Options& options);
  // Over a shared registry: the schema it holds as `id`. Throws UnknownSchema, SchemaError.
  Validator(std::shared_ptr<Registry> registry, const std::string& id, const Options& options);

  // Registers and compiles another schema under `id` (empty: its `$id`); validate() can then
  // target it by that id and other schemas compiled later may reference it. Over a registry,
  // the schema is added to the registry.
  void add_schema(const json::Value& schema, std::string id);

  // Validates a document (UTF-8 JSON text, which must outlive the result accessors). False when
  // invalid or malformed; `id` picks another registered schema: added with add_schema(), or
  // one of `schemas` (empty: the main one). Throws std::invalid_argument for an unknown id,
  // NullInput for a null `data` (js/core.js refuses oversized input itself, never as pointer 0).
  bool validate(const uint8_t* data, size_t len, const std::string& id = {});

  // validate() over a tape written by js/object-input.js (Tape::adopt), with the same answers
  // and error reports; `nodes` and `data` must outlive the result accessors. Throws BadTape
  // when the tape fails its check, NullInput for null pointers. No cleaned() after it.
  bool validate_tape(const Node* nodes, uint32_t count, const uint8_t* data, size_t len,
                     const std::string& id = {});

  const json::Error& malformed() const { return malformed_; }
  size_t error_count() const { return malformed_ ? 1 : evaluator_.errors().size(); }
  size_t warning_count() const { return malformed_ ? 0 : evaluator_.warnings().size(); }
  // The errors and warnings as errors.hpp's fields (what JS reads), "" when there are none.
  std::string errors_report() const;
  std::string warnings_report() const;
  // Where each error of the last errors_report() or warnings_report() of a document that was
  // not malformed is in it, and its kept tail's id (ErrorRenderer::index()).
  const std::vector<uint32_t>& report_index() const { return renderer_.index(); }
  // The document with cleaning applied (defaults, removed members, sanitized strings).
  std::string cleaned() const;
  // What the validator was made with, defaults and all (js/validator.js reads the limits back).
  const Options& options() const { return options_; }
  // Validation targets remembered (for kMaxCachedTargets' test).
  size_t cached_targets() const { return targets_.size(); }

 private:
  explicit Validator(const Options& options, std::shared_ptr<Registry> registry);
  const Program& program() const { return shared_ ? shared_->program() : *program_; }
  uint32_t target(const std::string& id);  // the root node of schema `id` ("" the main one)

  Options options_;
  std::shared_ptr<Registry> registry_;      // over a registry: the one compiling for all
  Registry::Compiled* shared_ = nullptr;    // its program for these options
  std::unique_ptr<Program> program_;        // otherwise: this validator's own program
  Compiler compiler_;
  uint32_t root_ = 0;
  std::unordered_map<std::string, uint32_t> named_;    // added with add_schema() or `schemas`
  std::unordered_map<std::string, uint32_t> targets_;  // looked up by validate(): a cache
  json::Reader reader_;
  Tape tape_;
  Evaluator evaluator_;
  json::Error malformed_;
  mutable ErrorRenderer renderer_;
  const uint8_t* data_ = nullptr;
  size_t len_ = 0;
  bool adopted_ = false;  // the tape came from validate_tape()
};

}  // namespace edgeguard::validate
