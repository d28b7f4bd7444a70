#include "edgeguard/format/format_uri.hpp"

#include <cstdint>
#include <cstring>

#include "edgeguard/format/format_net.hpp"
#include "edgeguard/json/utf8.hpp"

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

constexpr uint32_t kInvalid = UINT32_MAX - 1;  // a byte that does not start valid UTF-8

// The code point at byte `at` of `s` (kEnd past the end) and its width in bytes. The checks walk
// the bytes directly: no decoded copy, so a check never allocates.
uint32_t code_point(std::string_view s, size_t at, size_t* width) {
  *width = 1;
  if (at >= s.size()) return kEnd;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data()) + at;
  if (*p < 0x80) return *p;
  const size_t n = json::utf8_sequence(p, reinterpret_cast<const uint8_t*>(s.data()) + s.size());
  if (n == 0) return kInvalid;
  uint32_t cp = n == 2 ? p[0] & 0x1F : n == 3 ? p[0] & 0x0F : p[0] & 0x07;
  for (size_t i = 1; i < n; ++i) cp = (cp << 6) | (p[i] & 0x3F);
  *width = n;
  return cp;
}

// Recursive descent over RFC 3986 (and RFC 3987 when `iri`), one production per method.
class UriParser {
 public:
  UriParser(std::string_view text, bool iri) : c_(text), iri_(iri) {}

  bool absolute() { return scheme() && eat(':') && hier_part(true) && tail(); }
  bool reference() {
    const size_t save = pos_;
    if (scheme() && eat(':')) return hier_part(true) && tail();
    pos_ = save;
    return hier_part(false) && tail();
  }

 private:
  // Lookahead (`ahead` > 0) only ever follows ASCII characters, so it counts bytes.
  uint32_t peek(size_t ahead = 0) const {
    const size_t at = pos_ + ahead;
    if (at < c_.size() && uint8_t(c_[at]) < 0x80) return uint8_t(c_[at]);  // without a call
    size_t width = 0;
    return code_point(c_, at, &width);
  }
  bool eat(uint32_t c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // One table lookup per ASCII character: the character classes of the grammar as bits.
  enum Class : uint8_t { kUnreserved = 1, kSubDelim = 2, kColon = 4, kAt = 8, kSlash = 16, kQuestion = 32 };
  static constexpr uint8_t kPchar = kUnreserved | kSubDelim | kColon | kAt;
  static constexpr uint8_t kQueryChar = kPchar | kSlash | kQuestion;
  static uint8_t ascii_class(uint8_t c) {
    static const auto table = [] {
      struct Table {
        uint8_t bits[128] = {};
      } t;
      for (uint32_t ch = 0; ch < 128; ++ch) {
        uint8_t b = 0;
        if (alpha(ch) || digit(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') b |= kUnreserved;
        if (sub_delim(ch)) b |= kSubDelim;
        if (ch == ':') b |= kColon;
        if (ch == '@') b |= kAt;
        if (ch == '/') b |= kSlash;
        if (ch == '?') b |= kQuestion;
        t.bits[ch] = b;
      }
      return t;
    }();
    return table.bits[c];
  }

  // *( pct-encoded / a character of the classes in `mask` ); non-ASCII characters count as
  // unreserved in IRIs (ucschar) and, with `private_use`, also iprivate. Stops at the first
  // other character; false only on a broken percent triplet.
  bool run(uint8_t mask, bool private_use = false) {
    while (pos_ < c_.size()) {
      const auto b = uint8_t(c_[pos_]);
      if (b < 0x80) {
        if (ascii_class(b) & mask) {
          ++pos_;
        } else if (b == '%') {
          if (!hexdig(peek(1)) || !hexdig(peek(2))) return false;
          pos_ += 3;
        } else {
          return true;
        }
        continue;
      }
      size_t width = 0;
      const uint32_t cp = code_point(c_, pos_, &width);
      if (!iri_ || !(mask & kUnreserved) || !(ucschar(cp) || (private_use && iprivate(cp)))) return true;
      pos_ += width;
    }
    return true;
  }

  bool scheme() {
    if (!alpha(peek())) return false;
    for (uint32_t c = peek(); alpha(c) || digit(c) || c == '+' || c == '-' || c == '.'; c = peek()) ++pos_;
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
    if (!run(has_scheme ? kPchar : kPchar & ~kColon)) return false;
    if (!has_scheme && peek() == ':') return false;
    return path_abempty();
  }

  bool path_abempty() {
    while (eat('/')) {
      if (!run(kPchar)) return false;
    }
    return true;
  }

  bool authority() {
    // userinfo is everything before an '@', if there is one before the path starts.
    size_t end = pos_, at = kEnd;
    for (; end < c_.size() && c_[end] != '/' && c_[end] != '?' && c_[end] != '#'; ++end) {
      if (c_[end] == '@') {
        if (at != kEnd) return false;
        at = end;
      }
    }
    if (at != kEnd) {
      if (!run(kUnreserved | kSubDelim | kColon)) return false;
      if (!eat('@')) return false;
    }
    if (peek() == '[') {
      if (!ip_literal()) return false;
    } else if (!run(kUnreserved | kSubDelim)) {
      return false;
    }
    if (eat(':')) {
      while (digit(peek())) ++pos_;
    }
    return pos_ == end;
  }

  bool ip_literal() {
    ++pos_;  // '['
    const size_t close = c_.find(']', pos_);
    if (close == std::string_view::npos) return false;
    const std::string_view inner = c_.substr(pos_, close - pos_);
    pos_ = close + 1;
    for (char c : inner) {
      if (uint8_t(c) >= 0x80) return false;
    }
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
    if (eat('?') && !run(kQueryChar, true)) return false;
    if (eat('#') && !run(kQueryChar)) return false;
    return pos_ == c_.size();
  }

  std::string_view c_;
  bool iri_;
  size_t pos_ = 0;
};

bool check(std::string_view s, bool iri, bool reference) {
  UriParser p(s, iri);
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
  size_t i = 0;
  auto at = [&](size_t k) { return k < s.size() ? uint8_t(s[k]) : 0u; };
  auto pct = [&] {
    if (at(i) == '%' && hexdig(at(i + 1)) && hexdig(at(i + 2))) {
      i += 3;
      return true;
    }
    return false;
  };
  auto varchar = [&] {
    if (alpha(at(i)) || digit(at(i)) || at(i) == '_') {
      ++i;
      return true;
    }
    return pct();
  };
  while (i < s.size()) {
    if (s[i] == '%') {
      if (!pct()) return false;
      continue;
    }
    if (s[i] != '{') {
      size_t width = 0;
      if (!template_literal(code_point(s, i, &width))) return false;
      i += width;
      continue;
    }
    ++i;
    static const char kOperators[] = "+#./;?&=,!@|";
    if (at(i) != 0 && std::strchr(kOperators, char(at(i))) != nullptr) ++i;
    for (;;) {  // varspec *( "," varspec )
      if (!varchar()) return false;
      for (;;) {
        if (at(i) == '.') {
          ++i;
          if (!varchar()) return false;
        } else if (!varchar()) {
          break;
        }
      }
      if (at(i) == ':') {  // prefix: ":" %x31-39 0*3DIGIT
        const size_t start = ++i;
        while (digit(at(i))) ++i;
        if (i == start || i - start > 4 || s[start] == '0') return false;
      } else if (at(i) == '*') {
        ++i;
      }
      if (at(i) != ',') break;
      ++i;
    }
    if (at(i) != '}') return false;
    ++i;
  }
  return true;
}

}  // namespace edgeguard::validate::formats
