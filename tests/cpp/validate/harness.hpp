#pragma once
// Compiles a schema from JSON text and validates documents given as text, returning the
// rendered errors/warnings parsed back, so tests assert on what a user sees.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "edgeguard/validate/validator.hpp"

namespace harness {

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
    return {valid, nlohmann::json::parse(v_->errors_json()),
            nlohmann::json::parse(v_->warnings_json()), v_->cleaned()};
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
