#pragma once
// Internationalized domain names (IDNA2008) without ICU: Punycode (RFC 3492), the code point
// rules of RFC 5892 (from generated tables), its contextual rules (appendix A) and the Bidi rule
// (RFC 5893). Mapping (UTS 46) is deliberately not applied: a format check judges the text as
// written.
#include <string>
#include <string_view>

namespace edgeguard::validate::idna {

// The code points of a Punycode string (without "xn--"), or false if it is not well formed.
bool punycode_decode(std::string_view ascii, std::u32string* out);
// Punycode for `label` (without "xn--"); false if it would overflow.
bool punycode_encode(const std::u32string& label, std::string* out);

// A host name of labels separated by dots; with `allow_unicode` also by U+3002, U+FF0E and
// U+FF61, and with U-labels. A-labels ("xn--") must decode to valid, canonical U-labels.
bool is_domain(std::string_view utf8, bool allow_unicode);

}  // namespace edgeguard::validate::idna
