#pragma once
// Error records rendered as Ajv-shaped JSON objects
// ({instancePath, schemaPath, keyword, params, message}), only when a caller asks for them.
#include <string>
#include <vector>

#include "edgeguard/json/status.hpp"
#include "edgeguard/validate/evaluator.hpp"

namespace edgeguard::validate {

// A JSON array of the records; `segments` holds their instance paths.
std::string render_errors(const Program& program, const Tape& tape,
                          const std::vector<ErrorRecord>& records,
                          const std::vector<Segment>& segments);

// A JSON array with the one error of a malformed document (keyword "json").
std::string render_malformed(const json::Error& error, const uint8_t* data, size_t len);

}  // namespace edgeguard::validate
