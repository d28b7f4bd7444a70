#include "edgeguard/validate/number_text.hpp"

#include <cmath>
#include <cstdint>

#include "edgeguard/json/exact_number.hpp"

namespace edgeguard::validate {

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
  const json::ShortestDigits s = json::shortest_digits(std::fabs(d));
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
