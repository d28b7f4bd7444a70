#pragma once
// The text JavaScript writes for a number (ECMA-262 Number::toString, radix 10), so that a
// double written from a JS value reads as the digits of its JSON.stringify text: keywords that
// read a number's decimal text (multipleOf) then answer alike for a value and its text.
#include <string>

namespace edgeguard::validate {

// Number#toString of a finite `d` into `out`: the fewest significant digits that read back as
// `d` (of those, the nearest to it), positional for 1e-7 <= |d| < 1e21 ("-0" is "0"), otherwise
// exponent form ("1e+21", "-1.5e-7").
void js_number_text(double d, std::string& out);

}  // namespace edgeguard::validate
