#include "edgeguard/guard/config_schema.hpp"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "edgeguard/guard/config_schema_text.hpp"  // generated: kConfigSchemaText
#include "edgeguard/json/escape.hpp"
#include "edgeguard/json/value.hpp"
#include "edgeguard/validate/errors.hpp"
#include "edgeguard/validate/validator.hpp"

namespace edgeguard::guard {

namespace {

// Compiled on first use, then kept: a gateway's construction validates, never compiles. One per
// thread, as a Validator keeps its buffers between documents.
validate::Validator& schema_validator() {
  thread_local validate::Validator validator = [] {
    validate::Options options;
    options.eval.all_errors = true;  // every failure, to name the deepest
    options.limits = {UINT32_MAX, validate::kMaxDepthLimit};
    return validate::Validator(validate::parse_schema(kConfigSchemaText), options);
  }();
  return validator;
}

// A piece of the report, read back (it is JSON the validator wrote).
json::Value report_value(const std::string& text) {
  json::Value v;
  if (json::parse(text, json::Limits{SIZE_MAX, validate::kMaxDepthLimit}, v)) {
    throw std::logic_error("the validator's error report is broken");
  }
  return v;
}

// A report field is a JSON string's contents without its quotes (errors.hpp).
std::string unescape(const std::string& field) { return report_value('"' + field + '"').text(); }

// The reason the schema gives for a rule between members (its "x-message", on the subschema that
// failed or the nearest one around it), or nullptr: the validator can only word such a refusal
// generically ("must NOT be valid"). `schema_path` is the failing keyword's, as "#/a/b/c".
const json::Value* schema_message(const std::string& schema_path) {
  static const json::Value schema = validate::parse_schema(kConfigSchemaText);
  std::vector<const json::Value*> chain{&schema};
  size_t at = schema_path.find('/');
  while (at != std::string::npos && chain.back() != nullptr) {
    const size_t end = schema_path.find('/', at + 1);
    std::string token = schema_path.substr(at + 1, end == std::string::npos ? end : end - at - 1);
    for (size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
    }
    const json::Value& node = *chain.back();
    if (node.is_object()) chain.push_back(node.find(token));
    else if (node.is_array() && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos &&
             std::stoul(token) < node.size()) chain.push_back(&node[std::stoul(token)]);
    else chain.push_back(nullptr);
    at = end;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (*it == nullptr || !(*it)->is_object()) continue;
    if (const json::Value* m = (*it)->find("x-message")) return m;
  }
  return nullptr;
}

// An error's depth: its instance path's length, a oneOf/anyOf summary just above the errors of
// its branches at the same place (they say what is wrong there).
size_t depth(const std::string& instance_path, const std::string& keyword) {
  size_t segments = 1;
  for (char c : instance_path) segments += c == '/';
  return segments * 2 - (keyword == "oneOf" || keyword == "anyOf" ? 1 : 0);
}

}  // namespace

bool check_schema(std::string_view text, ConfigIssue& issue) {
  validate::Validator& validator = schema_validator();
  if (validator.validate(reinterpret_cast<const uint8_t*>(text.data()), text.size())) return true;
  if (validator.malformed()) {
    issue = {"", "is not valid JSON"};
    return false;
  }
  std::vector<std::string> fields(1);
  for (char c : validator.errors_report()) {
    if (c == validate::kFieldSeparator) fields.emplace_back();
    else fields.back() += c;
  }
  // Fields: instancePath, schemaPath, keyword, params, message; the first of the deepest wins.
  constexpr size_t n = validate::kErrorFields;
  if (fields.size() % n) throw std::logic_error("the validator's error report is broken");
  size_t best = 0;
  for (size_t k = n; k < fields.size(); k += n) {
    if (depth(fields[k], fields[k + 2]) > depth(fields[best], fields[best + 2])) best = k;
  }
  // A member that should not be there, or should and is not, is named by its own path.
  issue.path = unescape(fields[best]);
  const json::Value params = report_value(fields[best + 3]);
  const json::Value* extra = params.find("additionalProperty");
  const json::Value* missing = fields[best + 2] == "required" ? params.find("missingProperty") : nullptr;
  if (extra || missing) {
    issue.path = json::pointer_child(issue.path, (extra ? extra : missing)->text());
    const bool unknown = extra != nullptr;
    issue.message = unknown ? "is not a known option" : "is required";
  } else {
    issue.message = unescape(fields[best + 4]);
  }
  if (const json::Value* reason = schema_message(unescape(fields[best + 1]))) issue.message = reason->text();
  return false;
}

}  // namespace edgeguard::guard
