#pragma once
// Compiles a schema from JSON text and validates documents given as text, returning the
// rendered errors/warnings parsed back, so tests assert on what a user sees.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgeguard/validate/validator.hpp"

namespace harness {

// A report's fields (errors.hpp) as the Ajv-shaped objects js/validator.js builds of them.
inline nlohmann::json report_objects(const std::string& fields) {
  nlohmann::json out = nlohmann::json::array();
  if (fields.empty()) return out;
  std::vector<std::string> f;
  for (size_t at = 0;;) {
    const size_t end = fields.find(edgeguard::validate::kFieldSeparator, at);
    f.push_back(fields.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  if (f.size() % edgeguard::validate::kErrorFields) throw std::runtime_error("report of broken fields");
  const auto str = [](const std::string& escaped) { return nlohmann::json::parse("\"" + escaped + "\""); };
  for (size_t k = 0; k < f.size(); k += edgeguard::validate::kErrorFields)
    out.push_back({{"instancePath", str(f[k])}, {"schemaPath", str(f[k + 1])}, {"keyword", f[k + 2]},
                   {"params", nlohmann::json::parse(f[k + 3])}, {"message", str(f[k + 4])}});
  return out;
}

struct Outcome {
  bool valid;
  nlohmann::json errors, warnings;
  std::string cleaned;
};

class Check {
 public:
  explicit Check(const std::string& schema, edgeguard::validate::Options options = {},
                 const edgeguard::validate::Validator::Schemas& schemas = {})
      : v_(std::make_unique<edgeguard::validate::Validator>(edgeguard::validate::parse_schema(schema),
                                                             options, schemas)) {}

  Outcome operator()(const std::string& doc, const std::string& id = {}) {
    text_ = doc;
    const bool valid = v_->validate(reinterpret_cast<const uint8_t*>(text_.data()), text_.size(), id);
    return {valid, report_objects(v_->errors_report()), report_objects(v_->warnings_report()), v_->cleaned()};
  }

  edgeguard::validate::Validator& validator() { return *v_; }

 private:
  std::unique_ptr<edgeguard::validate::Validator> v_;
  std::string text_;
};

inline edgeguard::validate::Options all_errors() {
  edgeguard::validate::Options o;
  o.eval.all_errors = true;
  return o;
}

}  // namespace harness
