#pragma once
// JSON Schema `format` assertions (draft-07 and 2020-12 vocabularies).
#include <string_view>

namespace edgeguard::validate {

enum class FormatResult { valid, invalid, unknown };

// Checks a UTF-8 string value against a named format; `unknown` for formats we do not define
// (the evaluator treats those as annotations only).
FormatResult check_format(std::string_view format, std::string_view value);

}  // namespace edgeguard::validate
