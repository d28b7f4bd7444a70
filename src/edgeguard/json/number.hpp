#pragma once
// A JSON number's text as a double without big integers (exact_number.hpp costs far more):
// split into its significant digits and power of ten, then one multiplication or division by an
// exact power of ten where that is exact (Clinger's fast path), a few steps of them where not.
#include <cstdint>
#include <string_view>

namespace edgeguard::json {

// A JSON number's text as mantissa x 10^exponent, with at most 19 significant digits kept: the
// rest are dropped (truncated), past the point counted in the exponent.
struct Decimal {
  uint64_t mantissa = 0;
  int digits = 0;     // significant digits kept in mantissa
  int exponent = 0;   // clamped to [-400, 400]: every value beyond is 0 or infinite already
  bool negative = false;
  bool truncated = false;

  // The value by one operation, correctly rounded when exact(): needs |exponent| <= 22.
  bool fast() const { return !truncated && exponent >= -22 && exponent <= 22; }
  // fast() and its mantissa an exact double: the one operation is the only rounding.
  bool exact() const { return fast() && digits <= 15; }
};

inline constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Inline: the validator reads every number of a document through it.
// `text` must be a JSON number (json::Reader checked it).
inline Decimal split_number(std::string_view text) {
  Decimal d;
  size_t i = 0;
  d.negative = text[i] == '-';
  if (d.negative) ++i;
  bool fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (d.mantissa == 0 && c == '0') {  // a leading zero is not significant
      if (fraction) --d.exponent;
      continue;
    }
    if (d.digits < 19) {
      d.mantissa = d.mantissa * 10 + uint64_t(c - '0');
      ++d.digits;
      if (fraction) --d.exponent;
    } else {
      d.truncated = true;
      if (!fraction) ++d.exponent;
    }
  }
  if (i < text.size()) {  // e or E
    ++i;
    const bool minus = text[i] == '-';
    if (text[i] == '-' || text[i] == '+') ++i;
    // Saturates where no text could bring it back (exact_number.cpp's reason): cut at 10^5, an
    // exponent read 0.1 for "0." + 100,000 zeros + "1e100001".
    int64_t e = 0;
    for (; i < text.size(); ++i) e = e < 1000000000000000 ? e * 10 + (text[i] - '0') : e;
    const int64_t x = d.exponent + (minus ? -e : e);
    d.exponent = x > 400 ? 400 : x < -400 ? -400 : int(x);
  } else {
    d.exponent = d.exponent > 400 ? 400 : d.exponent < -400 ? -400 : d.exponent;
  }
  return d;
}

// fast()'s one operation: within 2 ulps for up to 19 digits, exact when d.exact().
inline double fast_value(const Decimal& d) {
  const double m = double(d.mantissa);
  const double v = d.exponent < 0 ? m / kExactPowersOfTen[-d.exponent] : m * kExactPowersOfTen[d.exponent];
  return d.negative ? -v : v;
}

// Correctly rounded for a text of at most 15 significant digits d times 10^e with |e| <= 22
// (every value an option takes as JSON.stringify writes it, 100 / 3 aside); beyond that, within
// a few ulps.
double number_value(std::string_view text);

}  // namespace edgeguard::json
