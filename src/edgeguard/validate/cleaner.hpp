#pragma once
// Cleaning: the validated document rewritten with the evaluator's edits (useDefaults,
// removeAdditional, x-sanitize), as compact JSON text.
#include <cstdint>
#include <string>
#include <string_view>

#include "edgeguard/validate/evaluator.hpp"

namespace edgeguard::validate {

// Applies `ops` (Sanitize bits) to a decoded string, in a fixed order: strip-tags, trim,
// lowercase, escape-html.
void sanitize(std::string_view in, uint8_t ops, std::string& out);

std::string clean(const Program& program, const Tape& tape, const Evaluator& evaluator);

}  // namespace edgeguard::validate
