#pragma once
// Unicode property escapes (\p{...}) and the fixed ECMAScript classes (\d \s \w).
#include <string_view>

#include "edgeguard/unicode/charset.hpp"

namespace edgeguard::validate {

// Resolves the body of \p{...}: "Name=Value" (General_Category/gc, Script/sc,
// Script_Extensions/scx) or a lone value
// (a general category such as "Lu" or "Letter", or a binary property such as "Alphabetic").
// Names are matched exactly, as ECMAScript requires. Returns false for unknown properties.
// With `out` null the name is only checked (no set is built).
bool unicode_property(std::string_view body, CharSet* out);

// ECMAScript's WhiteSpace and LineTerminator code points (\s).
const CharSet& whitespace_set();
// [0-9A-Za-z_] (\w without the i flag).
const CharSet& word_set();
const CharSet& digit_set();

// ID_Start / ID_Continue plus the extra characters of ECMAScript identifiers ($ _ ZWNJ ZWJ),
// for group names.
bool is_identifier_start(uint32_t cp);
bool is_identifier_part(uint32_t cp);

}  // namespace edgeguard::validate
