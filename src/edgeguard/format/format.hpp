#pragma once
// JSON Schema `format` assertions (draft-07 and 2020-12 vocabularies).
#include <string_view>

namespace edgeguard::validate {

enum class FormatResult { valid, invalid, unknown };

// Checks a UTF-8 string value against a named format; `unknown` for formats we do not define
// (the evaluator treats those as annotations only).
FormatResult check_format(std::string_view format, std::string_view value);

// The checker of a named format (true = valid), or nullptr for formats we do not define.
// Resolving it once when a schema is compiled saves the name lookup on every value.
using FormatChecker = bool (*)(std::string_view value);
FormatChecker find_format(std::string_view format);

}  // namespace edgeguard::validate
