#include "edgeguard/validate/number_text.hpp"

#include <cmath>
#include <cstdint>

#include "edgeguard/json/exact_number.hpp"

namespace edgeguard::validate {

namespace {

// digits[0].digits[1..count) x 10^exponent: a positive decimal of `count` significant digits.
struct Decimal {
  char digits[17];
  int count;
  int exponent;
};

// `x` correctly rounded to `count` significant digits (ties to even).
Decimal rounded(double x, int count) {
  Decimal r{{}, count, 0};
  uint64_t q = json::round_to_digits(x, count, r.exponent);
  for (int k = count; k-- > 0; q /= 10) r.digits[k] = char('0' + q % 10);
  return r;
}

bool reads_back(const Decimal& r, double x) {
  std::string text(r.digits, size_t(r.count));
  text += 'e';
  text += std::to_string(r.exponent - r.count + 1);
  return json::exact_value(text) == x;
}

// The next decimal of as many digits above `r` (up) or below it.
Decimal neighbour(Decimal r, bool up) {
  int k = r.count - 1;
  const char wrap = up ? '9' : '0';
  for (; k >= 0 && r.digits[k] == wrap; --k) r.digits[k] = up ? '0' : '9';
  if (up) {
    if (k < 0) {  // 99..9 + 1 = 100..0, a place higher
      r.digits[0] = '1';
      ++r.exponent;
    } else {
      ++r.digits[k];
    }
  } else if (--r.digits[k] == '0' && k == 0) {  // 10..0 - 1: the finer grid a place lower
    for (int j = 0; j < r.count; ++j) r.digits[j] = '9';
    --r.exponent;
  }
  return r;
}

// The fewest digits that read back as `x` > 0, and of those the nearest to `x`. The rounding
// to a number of digits is the nearest; when it does not read back, only its neighbour on the
// other side of `x` may (the interval reading back as `x` holds `x` and is lopsided at powers
// of two, where the rounding can fall on its short side). 17 digits always read back.
Decimal shortest(double x) {
  // Any decimal of up to 15 digits survives a round trip through a normal double (DBL_DIG):
  // when one reads back as `x`, it is the rounding to 15 digits with zeros after it.
  for (int count = x >= 2.2250738585072014e-308 ? 15 : 1;; ++count) {
    const Decimal r = rounded(x, count);
    if (count == 17 || reads_back(r, x)) return r;
    for (const bool up : {true, false}) {
      const Decimal n = neighbour(r, up);
      if (reads_back(n, x)) return n;
    }
  }
}

}  // namespace

void js_number_text(double d, std::string& out) {
  out.clear();
  if (d == 0) {
    out = "0";
    return;
  }
  if (d < 0) out = "-";
  if (std::fabs(d) < 9007199254740992.0 && std::trunc(d) == d) {  // every digit its own
    out += std::to_string(uint64_t(std::fabs(d)));
    return;
  }
  Decimal s = shortest(std::fabs(d));
  while (s.count > 1 && s.digits[s.count - 1] == '0') --s.count;
  const int k = s.count;
  const int n = s.exponent + 1;  // the value is 0.digits x 10^n
  if (k <= n && n <= 21) {
    out.append(s.digits, size_t(k)).append(size_t(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(s.digits, size_t(n)).append(1, '.').append(s.digits + n, size_t(k - n));
  } else if (-6 < n && n <= 0) {
    out.append("0.").append(size_t(-n), '0').append(s.digits, size_t(k));
  } else {
    out.append(1, s.digits[0]);
    if (k > 1) out.append(1, '.').append(s.digits + 1, size_t(k - 1));
    out.append(n - 1 < 0 ? "e-" : "e+").append(std::to_string(std::abs(n - 1)));
  }
}

}  // namespace edgeguard::validate
