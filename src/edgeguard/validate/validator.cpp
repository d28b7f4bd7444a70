#include "edgeguard/validate/validator.hpp"

#include <stdexcept>

#include "edgeguard/validate/cleaner.hpp"
#include "edgeguard/validate/errors.hpp"

namespace edgeguard::validate {

namespace {

const Options& checked(const Options& o) {
  if (o.limits.max_depth == 0 || o.limits.max_depth > kMaxDepthLimit)
    throw std::invalid_argument("maxDepth must be between 1 and 1000");
  if (o.limits.max_bytes == 0 || o.limits.max_bytes > UINT32_MAX)
    throw std::invalid_argument("maxBytes must be between 1 and 4294967295");
  return o;
}

}  // namespace

nlohmann::json parse_schema(std::string_view text, int max_depth) {
  auto bounded = [max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > max_depth) throw SchemaError("#", "schema nesting too deep");
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), bounded);
  } catch (const nlohmann::json::parse_error& e) {
    throw SchemaError("#", std::string("schema is not valid JSON: ") + e.what());
  }
}

Validator::Validator(const nlohmann::json& schema, const Options& options, const Schemas& schemas)
    : options_(checked(options)),
      program_(std::make_unique<Program>()),
      compiler_(*program_, CompileOptions{options.draft, options.assert_formats}),
      reader_(options.limits),
      evaluator_(*program_) {
  for (const auto& [id, s] : schemas) compiler_.add(s, id);
  compiler_.add(schema, "");
  root_ = compiler_.compile("");
}

void Validator::add_schema(const nlohmann::json& schema, std::string id) {
  if (id.empty() && schema.is_object() && schema.contains("$id") && schema["$id"].is_string())
    id = schema["$id"].get<std::string>();
  if (id.empty()) throw SchemaError("#", "a schema added without an id needs a $id");
  compiler_.add(schema, id);
  named_[id] = compiler_.compile(id);
}

bool Validator::validate(const uint8_t* data, size_t len, const std::string& id) {
  data_ = data;
  len_ = len;
  uint32_t root = root_;
  if (!id.empty()) {
    auto it = named_.find(id);
    if (it == named_.end()) {  // a schema from `schemas` (or a resource in one), compiled once
      if (!compiler_.has(id)) throw std::invalid_argument("no schema registered as " + id);
      it = named_.emplace(id, compiler_.compile(id)).first;
    }
    root = it->second;
  }
  malformed_ = tape_.build(reader_, data, len);
  if (malformed_) return false;
  return evaluator_.run(root, tape_, options_.eval);
}

std::string Validator::errors_json() const {
  if (malformed_) return render_malformed(malformed_, data_, data_ ? len_ : 0);
  return renderer_.render(*program_, tape_, evaluator_.errors());
}

std::string Validator::warnings_json() const {
  if (malformed_) return "[]";
  return renderer_.render(*program_, tape_, evaluator_.warnings());
}

std::string Validator::cleaned() const {
  if (malformed_) return {};
  return clean(*program_, tape_, evaluator_);
}

}  // namespace edgeguard::validate
