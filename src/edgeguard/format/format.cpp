#include "edgeguard/format/format.hpp"

#include "edgeguard/format/format_net.hpp"
#include "edgeguard/format/format_time.hpp"
#include "edgeguard/format/format_uri.hpp"
#include "edgeguard/regex/regex_parser.hpp"

namespace edgeguard::validate {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex(char c) { return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// RFC 6901: "" or a sequence of "/" reference-token, where "~" must be "~0" or "~1".
bool is_json_pointer(std::string_view s) {
  if (!s.empty() && s[0] != '/') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

// draft-handrews-relative-json-pointer: non-negative-integer ( "#" / json-pointer ).
bool is_relative_json_pointer(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && digit(s[i])) ++i;
  if (i == 0 || (i > 1 && s[0] == '0')) return false;
  const std::string_view rest = s.substr(i);
  return rest == "#" || is_json_pointer(rest);
}

// RFC 4122 text form: 8-4-4-4-12 hex digits, any case, any version and variant.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !hex(s[i])) return false;
  }
  return true;
}

// ECMA-262 syntax, including constructs the linear-time matcher refuses (backreferences,
// lookaround): the format asks whether the text is a regular expression, not whether we run it.
bool is_regex(std::string_view s) { return regex_ast::parse(s, regex_ast::ParseMode::syntax_only).ok(); }

struct Checker {
  std::string_view name;
  bool (*check)(std::string_view);
};

constexpr Checker kCheckers[] = {
    {"date-time", formats::is_date_time},
    {"date", formats::is_date},
    {"time", formats::is_time},
    {"duration", formats::is_duration},
    {"email", formats::is_email},
    {"idn-email", formats::is_idn_email},
    {"hostname", formats::is_hostname},
    {"idn-hostname", formats::is_idn_hostname},
    {"ipv4", formats::is_ipv4},
    {"ipv6", formats::is_ipv6},
    {"uri", formats::is_uri},
    {"uri-reference", formats::is_uri_reference},
    {"iri", formats::is_iri},
    {"iri-reference", formats::is_iri_reference},
    {"uri-template", formats::is_uri_template},
    {"uuid", is_uuid},
    {"regex", is_regex},
    {"json-pointer", is_json_pointer},
    {"relative-json-pointer", is_relative_json_pointer},
};

}  // namespace

FormatChecker find_format(std::string_view format) {
  for (const Checker& c : kCheckers) {
    if (c.name == format) return c.check;
  }
  return nullptr;
}

FormatResult check_format(std::string_view format, std::string_view value) {
  const FormatChecker check = find_format(format);
  if (check == nullptr) return FormatResult::unknown;
  return check(value) ? FormatResult::valid : FormatResult::invalid;
}

}  // namespace edgeguard::validate
