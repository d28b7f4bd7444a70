#include "edgeguard/json/number.hpp"

#include <cstdint>

namespace edgeguard::json {

namespace {

constexpr double kExact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

}  // namespace

double number_value(std::string_view text) {
  size_t i = 0;
  const bool negative = text[i] == '-';
  if (negative) ++i;
  uint64_t m = 0;
  int digits = 0, exponent = 0;
  bool fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    // Leading zeros are not significant; digits past 19 (JSON.stringify writes at most 17) are
    // dropped, which leaves the result within an ulp.
    if (m == 0 && c == '0') {
      if (fraction) --exponent;
      continue;
    }
    if (digits < 19) {
      m = m * 10 + uint64_t(c - '0');
      ++digits;
      if (fraction) --exponent;
    } else if (!fraction) {
      ++exponent;
    }
  }
  if (i < text.size()) {  // e or E
    ++i;
    const bool minus = text[i] == '-';
    if (text[i] == '-' || text[i] == '+') ++i;
    int e = 0;
    for (; i < text.size(); ++i) e = e < 100000 ? e * 10 + (text[i] - '0') : e;
    exponent += minus ? -e : e;
  }
  // m and 10^|exponent| both exact doubles: one rounding, so correctly rounded (Clinger's fast
  // path). Beyond it, by steps of exact powers of ten: within a few ulps.
  // Past +-400 every value is infinite or 0 already, and the steps stay few.
  exponent = exponent > 400 ? 400 : exponent < -400 ? -400 : exponent;
  double v = double(m);
  for (; exponent > 22; exponent -= 22) v *= 1e22;
  for (; exponent < -22; exponent += 22) v /= 1e22;
  v = exponent < 0 ? v / kExact[-exponent] : v * kExact[exponent];
  return negative ? -v : v;
}

}  // namespace edgeguard::json
