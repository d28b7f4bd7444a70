#include "edgeguard/validate/format_uri.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "edgeguard/json/utf8.hpp"
#include "edgeguard/validate/format_net.hpp"

namespace edgeguard::validate::formats {
namespace {

constexpr uint32_t kEnd = UINT32_MAX;

bool alpha(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool digit(uint32_t c) { return c >= '0' && c <= '9'; }
bool hexdig(uint32_t c) { return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
bool sub_delim(uint32_t c) {
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
    case ';': case '=':
      return true;
    default:
      return false;
  }
}
bool ucschar(uint32_t c) {
  if (c >= 0xA0 && c <= 0xD7FF) return true;
  if (c >= 0xF900 && c <= 0xFDCF) return true;
  if (c >= 0xFDF0 && c <= 0xFFEF) return true;
  // %x10000-1FFFD ... %xE1000-EFFFD: every plane except its last two code points, and
  // plane 14 only from E1000.
  if (c >= 0x10000 && c <= 0xEFFFD && (c & 0xFFFF) <= 0xFFFD) return c < 0xE0000 || c >= 0xE1000;
  return false;
}
bool iprivate(uint32_t c) {
  return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) ||
         (c >= 0x100000 && c <= 0x10FFFD);
}

// Text as code points; false if not UTF-8.
bool decode(std::string_view s, std::vector<uint32_t>* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {
      out->push_back(*p++);
      continue;
    }
    const size_t n = json::utf8_sequence(p, end);
    if (n == 0) return false;
    uint32_t cp = n == 2 ? p[0] & 0x1F : n == 3 ? p[0] & 0x0F : p[0] & 0x07;
    for (size_t i = 1; i < n; ++i) cp = (cp << 6) | (p[i] & 0x3F);
    out->push_back(cp);
    p += n;
  }
  return true;
}

// Recursive descent over RFC 3986 (and RFC 3987 when `iri`), one production per method.
class UriParser {
 public:
  UriParser(const std::vector<uint32_t>& cps, bool iri) : c_(cps), iri_(iri) {}

  bool absolute() { return scheme() && eat(':') && hier_part(true) && tail(); }
  bool reference() {
    const size_t save = pos_;
    if (scheme() && eat(':')) return hier_part(true) && tail();
    pos_ = save;
    return hier_part(false) && tail();
  }

 private:
  uint32_t peek(size_t ahead = 0) const { return pos_ + ahead < c_.size() ? c_[pos_ + ahead] : kEnd; }
  bool eat(uint32_t c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  bool unreserved(uint32_t c) const {
    return alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || (iri_ && ucschar(c));
  }
  // Consumes one pct-encoded triplet or one code point accepted by `ok`; false if neither.
  template <class Ok>
  bool element(Ok ok, bool* bad) {
    const uint32_t c = peek();
    if (c == '%') {
      if (!hexdig(peek(1)) || !hexdig(peek(2))) {
        *bad = true;
        return false;
      }
      pos_ += 3;
      return true;
    }
    if (c == kEnd || !ok(c)) return false;
    ++pos_;
    return true;
  }
  template <class Ok>
  bool run(Ok ok) {  // *( element ), false on a broken percent triplet
    bool bad = false;
    while (element(ok, &bad)) {
    }
    return !bad;
  }
  bool pchar(uint32_t c) const { return unreserved(c) || sub_delim(c) || c == ':' || c == '@'; }

  bool scheme() {
    if (!alpha(peek())) return false;
    while (alpha(peek()) || digit(peek()) || peek() == '+' || peek() == '-' || peek() == '.') ++pos_;
    return true;
  }

  // With a scheme: "//" authority path-abempty / path-absolute / path-rootless / path-empty.
  // Without: the same but path-noscheme, whose first segment has no colon.
  bool hier_part(bool has_scheme) {
    if (peek() == '/' && peek(1) == '/') {
      pos_ += 2;
      return authority() && path_abempty();
    }
    if (peek() == '/') return path_abempty();
    auto segment_char = [&](uint32_t c) { return pchar(c) && (has_scheme || c != ':'); };
    if (!run(segment_char)) return false;
    if (!has_scheme && peek() == ':') return false;
    return path_abempty();
  }

  bool path_abempty() {
    while (eat('/')) {
      if (!run([&](uint32_t c) { return pchar(c); })) return false;
    }
    return true;
  }

  bool authority() {
    // userinfo is everything before an '@', if there is one before the path starts.
    size_t end = pos_;
    while (end < c_.size() && c_[end] != '/' && c_[end] != '?' && c_[end] != '#') ++end;
    size_t at = kEnd;
    for (size_t i = pos_; i < end; ++i) {
      if (c_[i] == '@') {
        if (at != kEnd) return false;
        at = i;
      }
    }
    if (at != kEnd) {
      if (!run([&](uint32_t c) { return unreserved(c) || sub_delim(c) || c == ':'; })) return false;
      if (!eat('@')) return false;
    }
    if (peek() == '[') {
      if (!ip_literal()) return false;
    } else if (!run([&](uint32_t c) { return unreserved(c) || sub_delim(c); })) {
      return false;
    }
    if (eat(':')) {
      while (digit(peek())) ++pos_;
    }
    return pos_ == end;
  }

  bool ip_literal() {
    ++pos_;  // '['
    const size_t start = pos_;
    while (peek() != ']') {
      if (peek() == kEnd) return false;
      ++pos_;
    }
    std::string inner;
    for (size_t i = start; i < pos_; ++i) {
      if (c_[i] >= 0x80) return false;
      inner.push_back(char(c_[i]));
    }
    ++pos_;  // ']'
    if (!inner.empty() && (inner[0] | 0x20) == 'v') {  // IPvFuture
      size_t i = 1;
      while (i < inner.size() && hexdig(uint8_t(inner[i]))) ++i;
      if (i == 1 || i >= inner.size() || inner[i] != '.' || i + 1 == inner.size()) return false;
      for (++i; i < inner.size(); ++i) {
        const auto c = uint8_t(inner[i]);
        if (!(alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || sub_delim(c) || c == ':')) {
          return false;
        }
      }
      return true;
    }
    return is_ipv6(inner);
  }

  // [ "?" query ] [ "#" fragment ] and nothing after.
  bool tail() {
    if (eat('?') && !run([&](uint32_t c) { return pchar(c) || c == '/' || c == '?' || (iri_ && iprivate(c)); })) {
      return false;
    }
    if (eat('#') && !run([&](uint32_t c) { return pchar(c) || c == '/' || c == '?'; })) return false;
    return pos_ == c_.size();
  }

  const std::vector<uint32_t>& c_;
  bool iri_;
  size_t pos_ = 0;
};

bool check(std::string_view s, bool iri, bool reference) {
  std::vector<uint32_t> cps;
  if (!decode(s, &cps)) return false;
  UriParser p(cps, iri);
  return reference ? p.reference() : p.absolute();
}

bool template_literal(uint32_t c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x24) || (c >= 0x26 && c <= 0x3B) || c == 0x3D ||
         (c >= 0x3F && c <= 0x5B) || c == 0x5D || c == 0x5F || (c >= 0x61 && c <= 0x7A) || c == 0x7E ||
         ucschar(c) || iprivate(c);
}

}  // namespace

bool is_uri(std::string_view s) { return check(s, false, false); }
bool is_uri_reference(std::string_view s) { return check(s, false, true); }
bool is_iri(std::string_view s) { return check(s, true, false); }
bool is_iri_reference(std::string_view s) { return check(s, true, true); }

// URI-Template = *( literals / expression ); expression = "{" [ operator ] variable-list "}"
bool is_uri_template(std::string_view s) {
  std::vector<uint32_t> c;
  if (!decode(s, &c)) return false;
  size_t i = 0;
  auto pct = [&] {
    if (i + 2 < c.size() && c[i] == '%' && hexdig(c[i + 1]) && hexdig(c[i + 2])) {
      i += 3;
      return true;
    }
    return false;
  };
  auto varchar = [&] {
    if (i < c.size() && (alpha(c[i]) || digit(c[i]) || c[i] == '_')) {
      ++i;
      return true;
    }
    return pct();
  };
  while (i < c.size()) {
    if (c[i] == '%') {
      if (!pct()) return false;
      continue;
    }
    if (c[i] != '{') {
      if (!template_literal(c[i])) return false;
      ++i;
      continue;
    }
    ++i;
    static const char kOperators[] = "+#./;?&=,!@|";
    for (const char* op = kOperators; *op != '\0'; ++op) {
      if (i < c.size() && c[i] == uint32_t(*op)) {
        ++i;
        break;
      }
    }
    for (;;) {  // varspec *( "," varspec )
      if (!varchar()) return false;
      for (;;) {
        if (i < c.size() && c[i] == '.') {
          ++i;
          if (!varchar()) return false;
        } else if (!varchar()) {
          break;
        }
      }
      if (i < c.size() && c[i] == ':') {  // prefix: ":" %x31-39 0*3DIGIT
        ++i;
        const size_t start = i;
        while (i < c.size() && digit(c[i])) ++i;
        if (i == start || i - start > 4 || c[start] == '0') return false;
      } else if (i < c.size() && c[i] == '*') {
        ++i;
      }
      if (i < c.size() && c[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i >= c.size() || c[i] != '}') return false;
    ++i;
  }
  return true;
}

}  // namespace edgeguard::validate::formats
