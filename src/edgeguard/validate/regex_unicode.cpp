#include "edgeguard/validate/regex_unicode.hpp"

#include <cstring>
#include <vector>

#include "edgeguard/validate/unicode_tables.hpp"

namespace edgeguard::validate {
namespace {

using tables::Table;
using tables::inversion_set;
using tables::map_set;

uint64_t gc_bit(std::string_view short_name) {
  for (size_t i = 0; i < 30; ++i) {
    if (short_name == tables::kGeneralCategories[i]) return uint64_t{1} << i;
  }
  return 0;
}

uint64_t gc_bits(std::initializer_list<const char*> names) {
  uint64_t mask = 0;
  for (const char* n : names) mask |= gc_bit(n);
  return mask;
}

// General_Category values and their aliases (PropertyValueAliases.txt), including the groups.
uint64_t general_category_mask(std::string_view v) {
  struct Alias {
    const char* names[3];
    std::initializer_list<const char*> members;
  };
  static const Alias kAliases[] = {
      {{"C", "Other"}, {"Cc", "Cf", "Cs", "Co", "Cn"}},
      {{"Cc", "Control", "cntrl"}, {"Cc"}},
      {{"Cf", "Format"}, {"Cf"}},
      {{"Cn", "Unassigned"}, {"Cn"}},
      {{"Co", "Private_Use"}, {"Co"}},
      {{"Cs", "Surrogate"}, {"Cs"}},
      {{"L", "Letter"}, {"Lu", "Ll", "Lt", "Lm", "Lo"}},
      {{"LC", "Cased_Letter"}, {"Lu", "Ll", "Lt"}},
      {{"Ll", "Lowercase_Letter"}, {"Ll"}},
      {{"Lm", "Modifier_Letter"}, {"Lm"}},
      {{"Lo", "Other_Letter"}, {"Lo"}},
      {{"Lt", "Titlecase_Letter"}, {"Lt"}},
      {{"Lu", "Uppercase_Letter"}, {"Lu"}},
      {{"M", "Mark", "Combining_Mark"}, {"Mn", "Mc", "Me"}},
      {{"Mc", "Spacing_Mark"}, {"Mc"}},
      {{"Me", "Enclosing_Mark"}, {"Me"}},
      {{"Mn", "Nonspacing_Mark"}, {"Mn"}},
      {{"N", "Number"}, {"Nd", "Nl", "No"}},
      {{"Nd", "Decimal_Number", "digit"}, {"Nd"}},
      {{"Nl", "Letter_Number"}, {"Nl"}},
      {{"No", "Other_Number"}, {"No"}},
      {{"P", "Punctuation", "punct"}, {"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}},
      {{"Pc", "Connector_Punctuation"}, {"Pc"}},
      {{"Pd", "Dash_Punctuation"}, {"Pd"}},
      {{"Pe", "Close_Punctuation"}, {"Pe"}},
      {{"Pf", "Final_Punctuation"}, {"Pf"}},
      {{"Pi", "Initial_Punctuation"}, {"Pi"}},
      {{"Po", "Other_Punctuation"}, {"Po"}},
      {{"Ps", "Open_Punctuation"}, {"Ps"}},
      {{"S", "Symbol"}, {"Sm", "Sc", "Sk", "So"}},
      {{"Sc", "Currency_Symbol"}, {"Sc"}},
      {{"Sk", "Modifier_Symbol"}, {"Sk"}},
      {{"Sm", "Math_Symbol"}, {"Sm"}},
      {{"So", "Other_Symbol"}, {"So"}},
      {{"Z", "Separator"}, {"Zs", "Zl", "Zp"}},
      {{"Zl", "Line_Separator"}, {"Zl"}},
      {{"Zp", "Paragraph_Separator"}, {"Zp"}},
      {{"Zs", "Space_Separator"}, {"Zs"}},
  };
  for (const Alias& a : kAliases) {
    for (const char* n : a.names) {
      if (n != nullptr && v == n) return gc_bits(a.members);
    }
  }
  return 0;
}

bool script_set(std::string_view v, CharSet* out) {
  for (size_t i = 0; i < tables::kScriptCount; ++i) {
    const char* long_name = tables::kScriptNames[i];
    const char* short_name = long_name + std::strlen(long_name) + 1;
    if (v == long_name || v == short_name) {
      *out = map_set(tables::kScript, [i](uint8_t value) { return value == i; });
      return true;
    }
  }
  return false;
}

const tables::BinaryProperty* binary_property(std::string_view name) {
  struct Alias {
    const char* alias;
    const char* name;
  };
  static const Alias kAliases[] = {{"Alpha", "Alphabetic"}, {"Lower", "Lowercase"},
                                   {"Upper", "Uppercase"},  {"space", "White_Space"},
                                   {"IDS", "ID_Start"},     {"IDC", "ID_Continue"},
                                   {"Hex", "Hex_Digit"}};
  for (const Alias& a : kAliases) {
    if (name == a.alias) name = a.name;
  }
  for (size_t i = 0; i < tables::kBinaryPropertyCount; ++i) {
    if (name == tables::kBinaryProperties[i].name) return &tables::kBinaryProperties[i];
  }
  return nullptr;
}

CharSet general_category_set(uint64_t mask) {
  return map_set(tables::kGeneralCategory, [mask](uint8_t value) { return (mask >> value) & 1; });
}

// Decoded once, all together, so concurrent first uses are safe (magic statics).
const CharSet& cached_binary(const tables::BinaryProperty* p) {
  static const std::vector<CharSet> cache = [] {
    std::vector<CharSet> sets;
    for (size_t i = 0; i < tables::kBinaryPropertyCount; ++i) {
      sets.push_back(inversion_set(tables::kBinaryProperties[i].boundaries));
    }
    return sets;
  }();
  return cache[size_t(p - tables::kBinaryProperties)];
}

}  // namespace

bool unicode_property(std::string_view body, CharSet* out) {
  const size_t eq = body.find('=');
  if (eq != std::string_view::npos) {
    const std::string_view name = body.substr(0, eq), value = body.substr(eq + 1);
    if (name == "General_Category" || name == "gc") {
      const uint64_t mask = general_category_mask(value);
      if (mask == 0) return false;
      *out = general_category_set(mask);
      return true;
    }
    if (name == "Script" || name == "sc") return script_set(value, out);
    return false;  // Script_Extensions needs data we do not carry
  }
  if (const uint64_t mask = general_category_mask(body)) {
    *out = general_category_set(mask);
    return true;
  }
  if (body == "Any") {
    *out = CharSet::range(0, kMaxCodePoint);
  } else if (body == "ASCII") {
    *out = CharSet::range(0, 0x7F);
  } else if (body == "Assigned") {
    *out = general_category_set(gc_bit("Cn")).negated();
  } else if (body == "ASCII_Hex_Digit" || body == "AHex") {
    *out = CharSet::from_ranges({{'0', '9'}, {'A', 'F'}, {'a', 'f'}});
  } else if (const tables::BinaryProperty* p = binary_property(body)) {
    *out = cached_binary(p);
  } else {
    return false;
  }
  return true;
}

const CharSet& whitespace_set() {
  static const CharSet s = CharSet::from_ranges({{0x09, 0x0D},
                                                 {0x20, 0x20},
                                                 {0xA0, 0xA0},
                                                 {0x1680, 0x1680},
                                                 {0x2000, 0x200A},
                                                 {0x2028, 0x2029},
                                                 {0x202F, 0x202F},
                                                 {0x205F, 0x205F},
                                                 {0x3000, 0x3000},
                                                 {0xFEFF, 0xFEFF}});
  return s;
}

const CharSet& word_set() {
  static const CharSet s = CharSet::from_ranges({{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}});
  return s;
}

const CharSet& digit_set() {
  static const CharSet s = CharSet::range('0', '9');
  return s;
}

bool is_identifier_start(uint32_t cp) {
  if (cp < 128) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '$' || cp == '_';
  return cached_binary(binary_property("ID_Start")).contains(cp);
}

bool is_identifier_part(uint32_t cp) {
  if (cp < 128) return is_identifier_start(cp) || (cp >= '0' && cp <= '9');
  return cp == 0x200C || cp == 0x200D || cached_binary(binary_property("ID_Continue")).contains(cp);
}

}  // namespace edgeguard::validate
