#pragma once
// A validator's options, read from the JSON object JS passes (js/validator.js sends what the user
// gave): names, values and ranges are checked here, so they are tested natively.
#include "edgeguard/json/value.hpp"
#include "edgeguard/validate/validator.hpp"

namespace edgeguard::validate {

// Member `key` of object `o`, or null when it is absent or JSON null.
const json::Value* present(const json::Value& o, const char* key);

// The options `o` names, the defaults for the rest (a null member counts as absent). Throws
// std::invalid_argument naming the option for a value it cannot take.
Options read_options(const json::Value& o);

}  // namespace edgeguard::validate
