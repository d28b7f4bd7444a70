#include "edgeguard/validate/options.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace edgeguard::validate {

const json::Value* present(const json::Value& o, const char* key) {
  const json::Value* v = o.find(key);
  return v && !v->is_null() ? v : nullptr;
}

namespace {

// A limit must be what was asked: not -1 wrapped, nor 1.5 truncated.
uint32_t count(const json::Value& v, const char* name) {
  if (!v.is_unsigned() || v.number() > UINT32_MAX)
    throw std::invalid_argument(std::string("option ") + name + " must be an integer from 0 to 4294967295");
  return uint32_t(v.number());
}

bool flag(const json::Value& v, const char* name) {
  if (!v.is_boolean()) throw std::invalid_argument(std::string("option ") + name + " must be a boolean");
  return v.boolean();
}

}  // namespace

Options read_options(const json::Value& o) {
  Options options;
  if (const auto* d = present(o, "draft")) {
    if (*d == "2020-12") options.draft = Draft::draft2020;
    else if (*d == "draft-07") options.draft = Draft::draft7;
    else throw std::invalid_argument("option draft must be \"2020-12\" or \"draft-07\"");
  }
  if (const auto* f = present(o, "formats")) {
    if (*f == "assert") options.assert_formats = true;
    else if (*f != "annotate") throw std::invalid_argument("option formats must be \"assert\" or \"annotate\"");
  }
  if (const auto* v = present(o, "allErrors")) options.eval.all_errors = flag(*v, "allErrors");
  if (const auto* v = present(o, "useDefaults")) options.eval.use_defaults = flag(*v, "useDefaults");
  if (const auto* v = present(o, "sanitize")) options.eval.sanitize = flag(*v, "sanitize");
  if (const auto* v = present(o, "removeAdditional")) {
    using Remove = EvalOptions::Remove;
    if ((v->is_boolean() && v->boolean()) || *v == "additional") options.eval.remove_additional = Remove::additional;
    else if (*v == "all") options.eval.remove_additional = Remove::all;
    else if (*v == "failing") options.eval.remove_additional = Remove::failing;
    else if (!v->is_boolean()) throw std::invalid_argument(
        "option removeAdditional must be true, false, \"additional\", \"all\" or \"failing\"");
  }
  if (const auto* v = present(o, "maxBytes")) options.limits.max_bytes = count(*v, "maxBytes");
  if (const auto* v = present(o, "maxDepth")) options.limits.max_depth = count(*v, "maxDepth");
  if (const auto* v = present(o, "maxErrors")) options.eval.max_errors = count(*v, "maxErrors");
  return options;
}

}  // namespace edgeguard::validate
