#include "edgeguard/validate/options.hpp"

#include <cstdint>

namespace edgeguard::validate {

const json::Value* present(const json::Value& o, const char* key) {
  const json::Value* v = o.find(key);
  return v && !v->is_null() ? v : nullptr;
}

namespace {

// Member `name` of the options: null when absent. A JSON null is refused, not read as absent: it
// is what js/ sends for a value JSON has no form for (NaN, a function), which must not become the
// default.
const json::Value* option(const json::Value& o, const char* name, const char* must_be) {
  const json::Value* v = o.find(name);
  if (v && v->is_null()) throw BadOption(name, must_be);
  return v;
}

// A limit must be what was asked: not -1 wrapped, nor 1.5 truncated. Its range is checked by the
// validator (checked()); a value of another type is refused in the same words.
uint32_t count(const json::Value& o, const char* name, uint32_t fallback, const char* must_be) {
  const json::Value* v = option(o, name, must_be);
  if (!v) return fallback;
  if (!v->is_unsigned() || v->number() > UINT32_MAX) throw BadOption(name, must_be);
  return uint32_t(v->number());
}

bool flag(const json::Value& o, const char* name, bool fallback) {
  const json::Value* v = option(o, name, "a boolean");
  if (!v) return fallback;
  if (!v->is_boolean()) throw BadOption(name, "a boolean");
  return v->boolean();
}

}  // namespace

Options read_options(const json::Value& o) {
  Options options;
  static constexpr const char* kDrafts = "\"2020-12\" or \"draft-07\"";
  if (const auto* d = option(o, "draft", kDrafts)) {
    if (*d == "2020-12") options.draft = Draft::draft2020;
    else if (*d == "draft-07") options.draft = Draft::draft7;
    else throw BadOption("draft", kDrafts);
  }
  static constexpr const char* kFormats = "\"assert\" or \"annotate\"";
  if (const auto* f = option(o, "formats", kFormats)) {
    if (*f == "assert") options.assert_formats = true;
    else if (*f != "annotate") throw BadOption("formats", kFormats);
  }
  auto& eval = options.eval;
  eval.all_errors = flag(o, "allErrors", eval.all_errors);
  eval.use_defaults = flag(o, "useDefaults", eval.use_defaults);
  eval.sanitize = flag(o, "sanitize", eval.sanitize);
  static constexpr const char* kRemove = "true, false, \"additional\", \"all\" or \"failing\"";
  if (const auto* v = option(o, "removeAdditional", kRemove)) {
    using Remove = EvalOptions::Remove;
    if ((v->is_boolean() && v->boolean()) || *v == "additional") eval.remove_additional = Remove::additional;
    else if (*v == "all") eval.remove_additional = Remove::all;
    else if (*v == "failing") eval.remove_additional = Remove::failing;
    else if (!v->is_boolean()) throw BadOption("removeAdditional", kRemove);
  }
  options.limits.max_bytes = count(o, "maxBytes", uint32_t(options.limits.max_bytes), kMaxBytesMustBe);
  options.limits.max_depth = count(o, "maxDepth", options.limits.max_depth, kMaxDepthMustBe);
  eval.max_errors = count(o, "maxErrors", eval.max_errors, kMaxErrorsMustBe);
  return options;
}

}  // namespace edgeguard::validate
