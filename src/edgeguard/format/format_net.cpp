#include "edgeguard/format/format_net.hpp"

#include <cstring>

#include "edgeguard/format/format_idna.hpp"
#include "edgeguard/json/utf8.hpp"

namespace edgeguard::validate::formats {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Local-part of RFC 5321 (RFC 6531 when `utf8`): a dot-string of atoms or a quoted string.
bool local_part(std::string_view s, bool utf8) {
  if (s.empty() || s.size() > 64) return false;
  if (s.front() == '"') {
    if (s.size() < 2 || s.back() != '"') return false;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      const auto c = uint8_t(s[i]);
      if (c == '\\') {
        if (++i + 1 >= s.size() || uint8_t(s[i]) < 32 || uint8_t(s[i]) > 126) return false;
      } else if (!(c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126) ||
                   (utf8 && c >= 0x80))) {
        return false;
      }
    }
    return true;
  }
  static const char kAtext[] = "!#$%&'*+-/=?^_`{|}~";
  bool after_dot = true;
  for (char ch : s) {
    const auto c = uint8_t(ch);
    if (c == '.') {
      if (after_dot) return false;
      after_dot = true;
      continue;
    }
    if (!(alpha(ch) || digit(ch) || (c != 0 && std::strchr(kAtext, ch) != nullptr) ||
          (utf8 && c >= 0x80))) {
      return false;
    }
    after_dot = false;
  }
  return !after_dot;
}

// address-literal = "[" ( IPv4 / "IPv6:" IPv6 / General-address-literal ) "]"
bool address_literal(std::string_view s) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return false;
  const std::string_view inner = s.substr(1, s.size() - 2);
  if (inner.substr(0, 5) == "IPv6:") return is_ipv6(inner.substr(5));
  return is_ipv4(inner);
}

bool mailbox(std::string_view s, bool utf8) {
  if (utf8 && !json::is_utf8(s)) return false;
  const size_t at = s.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view domain = s.substr(at + 1);
  if (!local_part(s.substr(0, at), utf8)) return false;
  if (!domain.empty() && domain.front() == '[') return address_literal(domain);
  return utf8 ? is_idn_hostname(domain) : is_hostname(domain);
}

}  // namespace

bool is_ipv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  for (;;) {
    const size_t start = i;
    int value = 0;
    while (i < s.size() && digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    const size_t n = i - start;
    if (n == 0 || value > 255 || (n > 1 && s[start] == '0')) return false;
    if (++parts == 4) return i == s.size();
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
  }
}

bool is_ipv6(std::string_view s) {
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  for (;;) {
    const size_t start = i;
    while (i < s.size() && hex(s[i]) && i - start < 5) ++i;
    if (i < s.size() && s[i] == '.') {  // trailing dotted IPv4 takes the last two groups
      if (!is_ipv4(s.substr(start))) return false;
      groups += 2;
      break;
    }
    if (i == start || i - start > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // a single trailing colon
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

bool is_hostname(std::string_view s) { return idna::is_domain(s, false); }

bool is_idn_hostname(std::string_view s) { return idna::is_domain(s, true); }

bool is_email(std::string_view s) { return mailbox(s, false); }

bool is_idn_email(std::string_view s) { return mailbox(s, true); }


}  // namespace edgeguard::validate::formats
