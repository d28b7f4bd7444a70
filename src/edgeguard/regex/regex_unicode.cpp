#include "edgeguard/regex/regex_unicode.hpp"

#include <cstring>
#include <vector>

#include "edgeguard/unicode/unicode_tables.hpp"

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

// Index of a script by long or short name, or -1.
int64_t script_index(std::string_view v) {
  for (size_t i = 0; i < tables::kScriptCount; ++i) {
    const char* long_name = tables::kScriptNames[i];
    const char* short_name = long_name + std::strlen(long_name) + 1;
    if (v == long_name || v == short_name) return int64_t(i);
  }
  return -1;
}

const tables::BinaryProperty* binary_property(std::string_view name) {
  if (name == "space") name = "White_Space";  // the one alias not in the generated table
  for (size_t i = 0; i < tables::kBinaryPropertyCount; ++i) {
    const tables::BinaryProperty& p = tables::kBinaryProperties[i];
    if (name == p.name || name == p.alias) return &p;
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

// What a \p{...} body names, resolved before (and apart from) building its set, so syntax
// checks cost nothing.
struct Property {
  enum Kind { none, category, script, script_extensions, any, ascii, assigned, ascii_hex, binary } kind = none;
  uint64_t mask = 0;  // category
  int64_t index = 0;  // script
  const tables::BinaryProperty* table = nullptr;
};

Property resolve(std::string_view body) {
  Property p;
  const size_t eq = body.find('=');
  if (eq != std::string_view::npos) {
    const std::string_view name = body.substr(0, eq), value = body.substr(eq + 1);
    if (name == "General_Category" || name == "gc") {
      p.mask = general_category_mask(value);
      if (p.mask != 0) p.kind = Property::category;
    } else if (name == "Script" || name == "sc" || name == "Script_Extensions" || name == "scx") {
      const bool extensions = name == "Script_Extensions" || name == "scx";
      p.index = script_index(value);
      if (p.index >= 0) p.kind = extensions ? Property::script_extensions : Property::script;
    }
    return p;
  }
  if ((p.mask = general_category_mask(body)) != 0) {
    p.kind = Property::category;
  } else if (body == "Any") {
    p.kind = Property::any;
  } else if (body == "ASCII") {
    p.kind = Property::ascii;
  } else if (body == "Assigned") {
    p.kind = Property::assigned;
  } else if (body == "ASCII_Hex_Digit" || body == "AHex") {
    p.kind = Property::ascii_hex;
  } else if ((p.table = binary_property(body)) != nullptr) {
    p.kind = Property::binary;
  }
  return p;
}

CharSet build(const Property& p) {
  switch (p.kind) {
    case Property::category: return general_category_set(p.mask);
    case Property::script: {
      const auto index = uint8_t(p.index);
      return map_set(tables::kScript, [index](uint8_t value) { return value == index; });
    }
    case Property::script_extensions: {
      const auto index = char(p.index);
      return map_set(tables::kScriptExtensions, [index](uint8_t value) {
        if (value < tables::kScriptCount) return value == uint8_t(index);
        return std::strchr(tables::kScriptExtensionLists[value - tables::kScriptCount], index) != nullptr;
      });
    }
    case Property::any: return CharSet::range(0, kMaxCodePoint);
    case Property::ascii: return CharSet::range(0, 0x7F);
    case Property::assigned: return general_category_set(gc_bit("Cn")).negated();
    case Property::ascii_hex: return CharSet::from_ranges({{'0', '9'}, {'A', 'F'}, {'a', 'f'}});
    case Property::binary: return cached_binary(p.table);
    case Property::none: break;
  }
  return {};
}

}  // namespace

bool unicode_property(std::string_view body, CharSet* out) {
  const Property p = resolve(body);
  if (p.kind == Property::none) return false;
  if (out != nullptr) *out = build(p);
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
