#pragma once
// The double a JSON number's text stands for, without strtod: wasm's strtod works in 128-bit
// soft float, which a module that reads a few options should not carry. Correctly rounded for a
// text of at most 15 significant digits d times 10^e with |e| <= 22 (every value an option
// takes as JSON.stringify writes it, 100 / 3 aside); beyond that, within a few ulps.
#include <string_view>

namespace edgeguard::json {

// `text` must be a JSON number (json::Reader checked it).
double number_value(std::string_view text);

}  // namespace edgeguard::json
