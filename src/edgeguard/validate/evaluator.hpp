#pragma once
// Runs a Program over a Tape. All working memory (annotation bitsets, the instance path, error
// records, scratch strings) lives in buffers reused across documents.
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "edgeguard/validate/program.hpp"
#include "edgeguard/validate/tape.hpp"

namespace edgeguard::validate {

enum class Keyword : uint8_t {
  false_schema, type, const_, enum_, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
  multipleOf, minLength, maxLength, pattern, format, minItems, maxItems, uniqueItems, contains,
  maxContains, items, additionalItems, minProperties, maxProperties, required,
  additionalProperties, propertyNames, dependentRequired, dependencies, unevaluatedProperties,
  unevaluatedItems, anyOf, oneOf, not_, if_, ref_depth, default_
};

struct ErrorRecord {
  uint32_t node;      // schema node whose keyword failed
  Keyword keyword;
  uint32_t instance;  // tape node of the failing value (a key stands for its object)
  uint32_t a = 0, b = 0;  // keyword details (a missing name's ordinal, item indexes, ...)
};

// An edit of the document made by cleaning, applied when the cleaned text is written.
struct Edit {
  enum Kind : uint8_t { remove_member, add_defaults, sanitize } kind;
  uint32_t node;   // remove_member: the key; add_defaults: the object; sanitize: the string
  uint32_t part;   // add_defaults: object part; sanitize: string part
  Range absent;    // add_defaults: ordinals of absent properties with defaults (absent())
};

// Per list (errors, warnings): bounds memory on hostile input.
constexpr uint32_t kDefaultMaxErrors = 1000;

struct EvalOptions {
  bool all_errors = false;
  bool use_defaults = false;
  enum class Remove : uint8_t { none, additional, all, failing } remove_additional = Remove::none;
  bool sanitize = false;
  uint32_t max_errors = kDefaultMaxErrors;
};

class Evaluator {
 public:
  explicit Evaluator(const Program& program) : p_(program) {}

  // Validates the document in `tape` against node `root`; true when valid.
  bool run(uint32_t root, const Tape& tape, const EvalOptions& options);

  const std::vector<ErrorRecord>& errors() const { return errors_; }
  const std::vector<ErrorRecord>& warnings() const { return warnings_; }
  const std::vector<Edit>& edits() const { return edits_; }
  const std::vector<uint32_t>& absent() const { return absent_; }

 private:
  struct Ann {  // evaluated members/items of the current instance, for unevaluated*
    uint32_t first, count;
    bool all;
  };

  bool eval(uint32_t n, uint32_t i, Ann* ann);
  bool default_fits(uint32_t schema, uint32_t constant, uint32_t at);
  bool eval_tracked(uint32_t n, uint32_t i, Ann* ann);
  bool exhausted(uint32_t n, uint32_t i);  // the depth bound is hit
  static bool forwards(const SchemaNode& s) {  // with flags == kRef: nothing but the $ref
    return s.object == kNone && s.array == kNone && s.string == kNone && s.number == kNone;
  }
  bool body(uint32_t n, uint32_t i, Ann* ann);
  bool object(uint32_t n, uint32_t i, Ann* ann);
  bool array(uint32_t n, uint32_t i, Ann* ann);
  bool string(uint32_t n, uint32_t i);
  bool number(uint32_t n, uint32_t i);
  bool annotated(uint32_t n, uint32_t i, Ann* ann);
  bool keywords(uint32_t n, uint32_t i, Ann* ann);
  bool all_of(uint32_t n, uint32_t i, Ann* ann);
  bool any_of(uint32_t n, uint32_t i, Ann* ann);
  bool one_of(uint32_t n, uint32_t i, Ann* ann);
  bool tested(uint32_t node, uint32_t i, Ann* ann, bool keep);
  bool tested_annotated(uint32_t node, uint32_t i, Ann* ann, bool keep);
  bool not_(uint32_t n, uint32_t i);
  bool if_(uint32_t n, uint32_t i, Ann* ann);
  bool unevaluated(uint32_t n, uint32_t i, Ann& local);
  bool unique(uint32_t n, uint32_t i);
  bool in_enum(const SchemaNode& s, uint32_t i);
  uint32_t dynamic_target(const SchemaNode& s) const;
  bool fail(uint32_t n, Keyword k, uint32_t i, uint32_t a = 0, uint32_t b = 0);
  bool stop() const { return !options_.all_errors || mute_ > 0 || aborted_; }

  uint32_t alloc(uint32_t bits);
  Ann new_ann(uint32_t count) { return {alloc(count), count, false}; }
  void mark(Ann* ann, uint32_t bit) {
    if (ann && !ann->all) pool_[ann->first + bit / 64] |= uint64_t{1} << (bit % 64);
  }
  bool marked(const Ann& ann, uint32_t bit) const {
    return ann.all || (pool_[ann.first + bit / 64] >> (bit % 64) & 1);
  }
  void merge(Ann* into, const Ann& from);

  // eval() calls eval_tracked() through this pointer: wasm-opt inlines a function called from
  // one place whatever `noinline` says, and would make every level of eval() pay its frame.
  bool (Evaluator::*tracked_)(uint32_t, uint32_t, Ann*) = &Evaluator::eval_tracked;
  const Program& p_;
  const Tape* t_ = nullptr;
  EvalOptions options_;
  uint32_t depth_ = 0;
  uint32_t mute_ = 0;  // inside not/if/contains: failures are expected, not reported
  // Inside a subschema whose outcome a parent tests (not, if, anyOf, oneOf, contains): there
  // "x-severity": "warning" has no effect, as a failure counted as passing would invert the test.
  uint32_t testing_ = 0;
  // The depth bound was hit: the run's answer is "invalid" whatever a parent makes of it (under
  // `not`, a failure would otherwise read as a pass).
  bool aborted_ = false;
  uint32_t limit_ = 0;  // of depth_
  ErrorRecord abort_{};
  std::vector<ErrorRecord> errors_, warnings_;
  std::vector<uint64_t> pool_;
  uint32_t pool_top_ = 0;
  std::vector<uint32_t> scope_;  // dynamic scope: resources entered, outermost first
  std::deque<std::string> keys_;  // per evaluation depth: a decoded key (stable addresses)
  std::string scratch_, sanitized_;
  std::vector<std::pair<uint64_t, uint32_t>> hashes_;
  std::vector<Edit> edits_;
  std::vector<uint32_t> absent_;
  Equality eq_;
};

}  // namespace edgeguard::validate
