#include "edgeguard/format/format_idna.hpp"

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>

#include "edgeguard/json/utf8.hpp"
#include "edgeguard/unicode/unicode_tables.hpp"

namespace edgeguard::validate::idna {
namespace {

// RFC 3492 section 5 parameters.
constexpr uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
constexpr uint32_t kInitialBias = 72, kInitialN = 128;
constexpr size_t kMaxLabel = 63;   // octets of an A-label (RFC 1034)
constexpr size_t kMaxName = 253;   // octets of a name without the root dot

uint32_t adapt(uint32_t delta, uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}

int digit_value(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '0' && c <= '9') return c - '0' + 26;
  return -1;
}

char digit_char(uint32_t d) { return char(d < 26 ? 'a' + d : '0' + (d - 26)); }

uint32_t threshold(uint32_t k, uint32_t bias) {
  return k <= bias ? kTmin : k >= bias + kTmax ? kTmax : k - bias;
}

// --- Unicode data, decoded once ---

enum Bidi : uint8_t { L = 0, R = 1, AL = 2, EN = 3, ES = 4, ET = 5, AN = 6, CS = 7, NSM = 8, BN = 9, ON = 13 };
enum Joining : uint8_t { kJoinU = 0, kJoinC = 1, kJoinD = 2, kJoinL = 3, kJoinR = 4, kJoinT = 5 };

uint8_t script_index(const char* name) {
  for (size_t i = 0; i < tables::kScriptCount; ++i) {
    if (std::strcmp(tables::kScriptNames[i], name) == 0) return uint8_t(i);
  }
  return 0;
}

struct Data {
  CharSet pvalid = tables::inversion_set(tables::kIdnaPvalid);
  CharSet virama = tables::inversion_set(tables::kVirama);
  CharSet marks = tables::map_set(tables::kGeneralCategory, [](uint8_t gc) {
    const char* name = tables::kGeneralCategories[gc];
    return name[0] == 'M';
  });
  tables::PropertyMap bidi{tables::kBidiClass};
  tables::PropertyMap joining{tables::kJoiningType};
  tables::PropertyMap script{tables::kScript};
  uint8_t greek = script_index("Greek"), hebrew = script_index("Hebrew");
  uint8_t hiragana = script_index("Hiragana"), katakana = script_index("Katakana");
  uint8_t han = script_index("Han");
};

const Data& data() {
  static const Data d;
  return d;
}

// RFC 5892 section 2.6: code points whose derived property is fixed by hand.
enum class Exception { none, pvalid, disallowed };
Exception exception(uint32_t cp) {
  switch (cp) {
    case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007:
      return Exception::pvalid;
    case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033:
    case 0x3034: case 0x3035: case 0x303B:
      return Exception::disallowed;
    default:
      return Exception::none;
  }
}

bool arabic_indic(uint32_t cp) { return cp >= 0x0660 && cp <= 0x0669; }
bool extended_arabic_indic(uint32_t cp) { return cp >= 0x06F0 && cp <= 0x06F9; }

// RFC 5892 appendix A: the rules for CONTEXTJ and CONTEXTO code points at label[i].
bool context_ok(const std::u32string& label, size_t i) {
  const Data& d = data();
  const uint32_t cp = label[i];
  const uint32_t before = i > 0 ? label[i - 1] : 0, after = i + 1 < label.size() ? label[i + 1] : 0;
  switch (cp) {
    case 0x200C: {  // ZERO WIDTH NON-JOINER
      if (i > 0 && d.virama.contains(before)) return true;
      size_t l = i;
      while (l > 0 && d.joining.at(label[l - 1]) == kJoinT) --l;
      if (l == 0) return false;
      const uint8_t left = d.joining.at(label[l - 1]);
      size_t r = i + 1;
      while (r < label.size() && d.joining.at(label[r]) == kJoinT) ++r;
      if (r == label.size()) return false;
      const uint8_t right = d.joining.at(label[r]);
      return (left == kJoinL || left == kJoinD) && (right == kJoinR || right == kJoinD);
    }
    case 0x200D:  // ZERO WIDTH JOINER
      return i > 0 && d.virama.contains(before);
    case 0x00B7:  // MIDDLE DOT
      return before == 'l' && after == 'l';
    case 0x0375:  // GREEK LOWER NUMERAL SIGN (KERAIA)
      return i + 1 < label.size() && d.script.at(after) == d.greek;
    case 0x05F3:  // HEBREW PUNCTUATION GERESH
    case 0x05F4:  // HEBREW PUNCTUATION GERSHAYIM
      return i > 0 && d.script.at(before) == d.hebrew;
    case 0x30FB:  // KATAKANA MIDDLE DOT
      for (uint32_t c : label) {
        if (c == 0x30FB) continue;
        const uint8_t s = d.script.at(c);
        if (s == d.hiragana || s == d.katakana || s == d.han) return true;
      }
      return false;
    default:
      if (arabic_indic(cp)) {
        for (uint32_t c : label) {
          if (extended_arabic_indic(c)) return false;
        }
        return true;
      }
      if (extended_arabic_indic(cp)) {
        for (uint32_t c : label) {
          if (arabic_indic(c)) return false;
        }
        return true;
      }
      return false;
  }
}

bool is_contextual(uint32_t cp) {
  return cp == 0x200C || cp == 0x200D || cp == 0x00B7 || cp == 0x0375 || cp == 0x05F3 ||
         cp == 0x05F4 || cp == 0x30FB || arabic_indic(cp) || extended_arabic_indic(cp);
}

// RFC 5891 section 5.4 and RFC 5892: hyphen placement, no leading mark, every code point
// PVALID or allowed by its context. ASCII letters of either case are accepted because host
// names compare case-insensitively.
bool is_u_label(const std::u32string& label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
  const Data& d = data();
  if (d.marks.contains(label[0])) return false;
  for (size_t i = 0; i < label.size(); ++i) {
    const uint32_t cp = label[i];
    if (cp < 0x80) {
      if (!((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') && !(cp >= '0' && cp <= '9') && cp != '-') return false;
      continue;
    }
    switch (exception(cp)) {
      case Exception::pvalid:
        continue;
      case Exception::disallowed:
        return false;
      case Exception::none:
        break;
    }
    if (is_contextual(cp)) {
      if (!context_ok(label, i)) return false;
    } else if (!d.pvalid.contains(cp)) {
      return false;
    }
  }
  return true;
}

// RFC 5893 section 2, for every label of a domain that has a right-to-left label.
bool bidi_ok(const std::u32string& label) {
  const Data& d = data();
  const uint8_t first = d.bidi.at(label[0]);
  if (first != L && first != R && first != AL) return false;
  size_t end = label.size();
  while (end > 1 && d.bidi.at(label[end - 1]) == NSM) --end;
  const uint8_t last = d.bidi.at(label[end - 1]);
  bool has_en = false, has_an = false;
  for (uint32_t cp : label) {
    const uint8_t b = d.bidi.at(cp);
    if (first == L) {
      if (!(b == L || b == EN || b == ES || b == CS || b == ET || b == ON || b == BN || b == NSM)) return false;
    } else {
      if (!(b == R || b == AL || b == AN || b == EN || b == ES || b == CS || b == ET || b == ON ||
            b == BN || b == NSM)) {
        return false;
      }
      has_en |= b == EN;
      has_an |= b == AN;
    }
  }
  if (first == L) return last == L || last == EN;
  return (last == R || last == AL || last == EN || last == AN) && !(has_en && has_an);
}

bool is_rtl_label(const std::u32string& label) {
  for (uint32_t cp : label) {
    const uint8_t b = data().bidi.at(cp);
    if (b == R || b == AL || b == AN) return true;
  }
  return false;
}

bool is_separator(uint32_t cp, bool allow_unicode) {
  return cp == '.' || (allow_unicode && (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61));
}

bool has_ace_prefix(const std::u32string& label) {
  return label.size() >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' && label[2] == '-' &&
         label[3] == '-';
}

// One label as written; `unicode` receives its U-label form and `ascii_length` the length of
// its A-label (or LDH) form.
bool check_label(const std::u32string& label, bool allow_unicode, std::u32string* unicode,
                 size_t* ascii_length) {
  bool ascii = true;
  for (uint32_t cp : label) ascii &= cp < 0x80;
  if (ascii) {
    *ascii_length = label.size();
    if (label.size() > kMaxLabel) return false;
    if (!has_ace_prefix(label)) {
      *unicode = label;
      for (uint32_t cp : label) {
        if (!((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') && !(cp >= '0' && cp <= '9') && cp != '-') return false;
      }
      if (label.empty() || label.front() == '-' || label.back() == '-') return false;
      return allow_unicode ? !(label.size() >= 4 && label[2] == '-' && label[3] == '-') : true;
    }
    std::string puny;
    for (size_t i = 4; i < label.size(); ++i) puny.push_back(char(label[i] | ((label[i] >= 'A' && label[i] <= 'Z') ? 0x20 : 0)));
    unicode->clear();
    if (!punycode_decode(puny, unicode)) return false;
    bool any_non_ascii = false;
    for (uint32_t cp : *unicode) any_non_ascii |= cp >= 0x80;
    std::string again;
    return any_non_ascii && punycode_encode(*unicode, &again) && again == puny && is_u_label(*unicode);
  }
  if (!allow_unicode || !is_u_label(label)) return false;
  std::string puny;
  if (!punycode_encode(label, &puny)) return false;
  *unicode = label;
  *ascii_length = 4 + puny.size();
  return *ascii_length <= kMaxLabel;
}

bool ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

enum class Plain { valid, invalid, needs_idna };

// A name of ASCII labels without "xn--" (letters, digits and inner hyphens, 1 to 63 octets each,
// and no "--" in positions 3-4 when U-label rules apply) is judged in place; anything else
// needs the IDNA path.
Plain plain_domain(std::string_view s, bool allow_unicode) {
  if (s.size() > kMaxName) return Plain::invalid;
  size_t start = 0;
  for (;;) {
    const size_t dot = std::min(s.find('.', start), s.size());
    const std::string_view label = s.substr(start, dot - start);
    if (label.size() >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' && label[2] == '-' &&
        label[3] == '-') {
      return Plain::needs_idna;
    }
    for (char c : label) {
      if (uint8_t(c) >= 0x80) return Plain::needs_idna;
    }
    if (label.empty() || label.size() > kMaxLabel || label.front() == '-' || label.back() == '-') {
      return allow_unicode ? Plain::needs_idna : Plain::invalid;  // other separators may follow
    }
    for (char c : label) {
      if (!ldh(c)) return allow_unicode ? Plain::needs_idna : Plain::invalid;
    }
    if (allow_unicode && label.size() >= 4 && label[2] == '-' && label[3] == '-') return Plain::invalid;
    if (dot == s.size()) return Plain::valid;
    start = dot + 1;
  }
}

}  // namespace

bool punycode_decode(std::string_view input, std::u32string* out) {
  const size_t delimiter = input.rfind('-');
  size_t in = 0;
  if (delimiter != std::string_view::npos) {
    for (size_t i = 0; i < delimiter; ++i) {
      if (uint8_t(input[i]) >= 0x80) return false;
      out->push_back(uint8_t(input[i]));
    }
    in = delimiter + 1;
  }
  uint32_t n = kInitialN, bias = kInitialBias;
  uint64_t i = 0;
  while (in < input.size()) {
    const uint64_t old_i = i;
    uint64_t w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (in >= input.size()) return false;
      const int digit = digit_value(input[in++]);
      if (digit < 0) return false;
      i += uint64_t(digit) * w;
      if (i > kMaxCodePoint * uint64_t(out->size() + 1)) return false;
      const uint32_t t = threshold(k, bias);
      if (uint32_t(digit) < t) break;
      w *= kBase - t;
      if (w > UINT32_MAX) return false;
    }
    const auto points = uint32_t(out->size() + 1);
    bias = adapt(uint32_t(i - old_i), points, old_i == 0);
    n += uint32_t(i / points);
    i %= points;
    if (n > kMaxCodePoint || (n >= 0xD800 && n <= 0xDFFF) || out->size() >= 4 * kMaxLabel) return false;
    out->insert(out->begin() + ptrdiff_t(i), char32_t(n));
    ++i;
  }
  return true;
}

bool punycode_encode(const std::u32string& label, std::string* out) {
  size_t basic = 0;
  for (char32_t c : label) {
    if (c < 0x80) {
      out->push_back(char(c));
      ++basic;
    }
  }
  if (basic > 0 && basic < label.size()) out->push_back('-');
  uint32_t n = kInitialN, bias = kInitialBias;
  uint64_t delta = 0;
  size_t handled = basic;
  while (handled < label.size()) {
    uint32_t m = UINT32_MAX;
    for (char32_t c : label) {
      if (c >= n && c < m) m = c;
    }
    delta += uint64_t(m - n) * (handled + 1);
    if (delta > UINT32_MAX) return false;
    n = m;
    for (char32_t c : label) {
      if (c < n) ++delta;
      if (c == n) {
        uint64_t q = delta;
        for (uint32_t k = kBase;; k += kBase) {
          const uint32_t t = threshold(k, bias);
          if (q < t) break;
          out->push_back(digit_char(uint32_t(t + (q - t) % (kBase - t))));
          q = (q - t) / (kBase - t);
        }
        out->push_back(digit_char(uint32_t(q)));
        bias = adapt(uint32_t(delta), uint32_t(handled + 1), handled == basic);
        delta = 0;
        ++handled;
      }
    }
    ++delta;
    ++n;
  }
  return true;
}

bool is_domain(std::string_view utf8, bool allow_unicode) {
  // The common case, plain LDH labels, is checked in place; only internationalized names
  // (non-ASCII text or "xn--" labels) are decoded.
  const Plain plain = plain_domain(utf8, allow_unicode);
  if (plain != Plain::needs_idna) return plain == Plain::valid;
  std::u32string text;
  if (!json::decode_utf8(utf8, &text)) return false;
  std::vector<std::u32string> labels(1);
  size_t total = 0;
  std::u32string label;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && !is_separator(text[i], allow_unicode)) {
      label.push_back(text[i]);
      continue;
    }
    size_t length = 0;
    if (!check_label(label, allow_unicode, &labels.back(), &length)) return false;
    total += length + (i < text.size() ? 1 : 0);
    labels.emplace_back();
    label.clear();
  }
  labels.pop_back();
  if (total > kMaxName) return false;
  bool bidi_domain = false;
  for (const std::u32string& l : labels) bidi_domain |= is_rtl_label(l);
  if (bidi_domain) {
    for (const std::u32string& l : labels) {
      if (!bidi_ok(l)) return false;
    }
  }
  return true;
}

}  // namespace edgeguard::validate::idna
