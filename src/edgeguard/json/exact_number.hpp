#pragma once
// Decimal numbers and doubles converted exactly (big integers, round half to even), without libc's
// strtod and printf: in wasm those work in 128-bit soft float, which with printf's formatter is
// 24 KiB of code a module would ship for a few conversions.
#include <cstdint>
#include <string_view>

namespace edgeguard::json {

// The double nearest to JSON number `text` (ties to even), as strtod reads it: infinite beyond
// the largest double, zero below the smallest.
double exact_value(std::string_view text);

// `x` (finite, > 0) rounded to `count` (1..17) significant digits, ties to even, as printf's
// "%.*e" writes it: the digits as an integer of exactly `count` digits, times 10^(exponent -
// count + 1).
uint64_t round_to_digits(double x, int count, int& exponent);

// digits[0].digits[1..count) x 10^exponent: a positive decimal of `count` significant digits.
struct ShortestDigits {
  char digits[17];
  int count;
  int exponent;
};

// `x` (finite, > 0) in the fewest significant digits that read back as it (of those, the nearest
// to it; no zero at the end), as JavaScript and fmt's shortest form write a double.
ShortestDigits shortest_digits(double x);

}  // namespace edgeguard::json
