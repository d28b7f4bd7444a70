#pragma once
// Error records rendered for Ajv-shaped objects
// ({instancePath, schemaPath, keyword, params, message}), only when a caller asks for them.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "edgeguard/json/status.hpp"
#include "edgeguard/validate/evaluator.hpp"

namespace edgeguard::validate {

// A report's errors travel to JS as fields, not as a JSON array (JSON.parse of Ajv-shaped
// objects cost more than the whole validation of a small form): each error's instancePath,
// schemaPath, keyword, params (a JSON object) and message, in that order, every field joined to
// the next by kFieldSeparator. Strings are JSON-escaped without their quotes, so the separator
// never appears in one. js/validator.js (readErrors) builds the objects.
constexpr char kFieldSeparator = '\0';
// seam: validator
constexpr int kErrorFields = 5;

// An error's tail (its fields after instancePath) that names something of the instance, so is
// never kept: no id in index().
// seam: validator
constexpr uint32_t kNoTail = 0xFFFFFFFF;

// index()'s words for each error (byte offsets into the text render() returned, and an id).
// seam: validator
enum class IndexWord : uint32_t { path_end, tail_id, end, count };

// Renders records as fields. The part of an error after its instancePath depends only on the
// schema for most keywords, so it is kept, under an id: a schema failing the same way again costs
// a lookup here, and JS decodes each kept tail once. The cache is bounded by the program's size.
class ErrorRenderer {
 public:
  std::string render(const Program& program, const Tape& tape,
                     const std::vector<ErrorRecord>& records);
  // IndexWord's words per error of the last render(): where its instancePath ends (the
  // separator before its tail), its tail's id (kNoTail: not kept), and where it ends.
  const std::vector<uint32_t>& index() const { return index_; }

 private:
  void instance_paths(const Tape& tape);
  std::string tail(const Program& program, const Tape& tape, const ErrorRecord& record);
  std::map<std::tuple<uint32_t, uint8_t, uint32_t, uint32_t>, uint32_t> tail_ids_;
  std::vector<std::string> tails_;  // by id
  std::vector<uint32_t> index_;
  std::string scratch_;
  std::vector<uint32_t> targets_;  // instance nodes of the records rendered, sorted, unique
  std::vector<std::string> paths_;  // their paths (and stale ones past targets_.size())
  struct Open {  // instance_paths(): a container being walked
    uint32_t cursor, end;
    size_t path_len;
    uint32_t index;
  };
  std::vector<Open> stack_;
  std::string path_;
};

// The fields of the one error of a malformed document (keyword "json").
std::string render_malformed(const json::Error& error, const uint8_t* data, size_t len);

}  // namespace edgeguard::validate
