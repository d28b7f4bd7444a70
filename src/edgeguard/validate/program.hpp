#pragma once
// A compiled schema: flat arrays of schema nodes and their keyword parts, linked by index.
// The evaluator reads it without allocating; the compiler is the only writer.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edgeguard/format/format.hpp"
#include "edgeguard/regex/regex.hpp"
#include "edgeguard/validate/tape.hpp"

namespace edgeguard::validate {

constexpr uint32_t kNone = UINT32_MAX;

enum class Draft : uint8_t { draft7, draft2020 };

// Bits of SchemaNode::types (and of the instance kinds the type keyword accepts).
enum TypeBit : uint8_t {
  kNull = 1, kBoolean = 2, kObject = 4, kArray = 8, kNumber = 16, kInteger = 32, kString = 64
};

struct Range {
  uint32_t first = 0, count = 0;
};

// The first eight bytes of a name, little-endian, zero-padded: most property names fit whole,
// so comparing two of these (and the lengths) usually decides equality.
inline uint64_t name_prefix(std::string_view s) {
  uint64_t w = 0;
  for (size_t k = 0; k < s.size() && k < 8; ++k) w |= uint64_t(uint8_t(s[k])) << (8 * k);
  return w;
}

// A set of names for `properties`, `required` and friends: a linear scan over prefixes for a
// few names, open addressing for many.
class NameTable {
 public:
  uint32_t add(std::string_view name);  // returns the name's ordinal, adding it if new
  // Ordinal of `name` (whose name_prefix() is `prefix`), or kNone.
  uint32_t find(std::string_view name, uint64_t prefix) const {
    if (names_.size() > kLinear) return find_hashed(name, prefix);
    for (uint32_t o = 0; o < entries_.size(); ++o)
      if (entries_[o].prefix == prefix && entries_[o].size == name.size() && same_tail(o, name))
        return o;
    return kNone;
  }
  uint32_t find(std::string_view name) const { return find(name, name_prefix(name)); }
  const std::string& name(uint32_t ordinal) const { return names_[ordinal]; }
  uint32_t size() const { return uint32_t(names_.size()); }

 private:
  static constexpr size_t kLinear = 12;
  struct Entry {
    uint64_t prefix;
    size_t size;
  };
  bool same_tail(uint32_t o, std::string_view name) const {
    return name.size() <= 8 || names_[o].compare(8, std::string::npos, name.substr(8)) == 0;
  }
  uint32_t find_hashed(std::string_view name, uint64_t prefix) const;
  void rehash();
  std::vector<std::string> names_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // ordinal + 1, 0 when empty
};

struct ObjectPart {
  NameTable names;                 // every property name a keyword mentions
  std::vector<uint32_t> property;  // per ordinal: schema of `properties`, or kNone
  std::vector<uint32_t> defaults;  // per ordinal: constant of that property's `default`, or kNone
  std::vector<uint32_t> required;  // ordinals
  struct Dependency {
    uint32_t name;      // ordinal of the trigger property
    Range required;     // into `dep_required` (ordinals)
    uint32_t schema = kNone;
    bool legacy = false;  // draft-07 `dependencies`
  };
  std::vector<Dependency> dependencies;
  std::vector<uint32_t> dep_required;
  struct Pattern {
    uint32_t regex, schema;
  };
  std::vector<Pattern> patterns;
  uint32_t additional = kNone, property_names = kNone, unevaluated = kNone;
  uint32_t min_properties = 0, max_properties = UINT32_MAX;
  bool declares = false;  // has `properties` or `patternProperties`: removeAdditional "all" applies
};

struct ArrayPart {
  Range prefix;             // into Program::lists: `prefixItems` (or draft-07 array `items`)
  uint32_t items = kNone;   // applies after the prefix (`items` / `additionalItems`)
  bool legacy_items = false;  // `items` was draft-07's array form: errors say additionalItems
  uint32_t contains = kNone, min_contains = 1, max_contains = UINT32_MAX;
  uint32_t unevaluated = kNone;
  uint32_t min_items = 0, max_items = UINT32_MAX;
  bool unique = false;
};

enum Sanitize : uint8_t { kTrim = 1, kStripTags = 2, kEscapeHtml = 4, kLowercase = 8 };

struct StringPart {
  uint32_t min_length = 0, max_length = UINT32_MAX;
  uint32_t pattern = kNone;  // into Program::regexes
  uint32_t pattern_text = kNone;  // into Program::strings
  uint32_t format = kNone;   // into Program::strings (asserted formats only)
  FormatChecker checker = nullptr;  // of `format`, resolved once
  uint8_t sanitize = 0;
};

struct NumberPart {
  double minimum = 0, maximum = 0, exclusive_minimum = 0, exclusive_maximum = 0, multiple_of = 0;
  uint32_t min_text = kNone, max_text = kNone, xmin_text = kNone, xmax_text = kNone,
           mult_text = kNone;  // texts as written (Program::strings): params, exact multipleOf
  bool has_minimum = false, has_maximum = false, has_xmin = false, has_xmax = false,
       has_multiple = false;
};

struct SchemaNode {
  enum Flag : uint32_t {
    kFalse = 1u << 0,  // the `false` schema
    kWarning = 1u << 1,
    kType = 1u << 2,
    kConst = 1u << 3,
    kEnum = 1u << 4,
    kRef = 1u << 5,
    kDynamicRef = 1u << 6,
    kIf = 1u << 7,
    kApplicators = 1u << 8,  // allOf, anyOf, oneOf, not or if
    kUnevaluatedProperties = 1u << 9,
    kUnevaluatedItems = 1u << 10,
  };
  uint32_t flags = 0;
  uint8_t types = 0;
  uint32_t types_text = kNone;  // Program::strings: `type` as written, for error params
  uint32_t path = kNone;      // Program::strings: schema path ("#/properties/a")
  uint32_t resource = kNone;  // index of the schema resource the node belongs to
  uint32_t ref = kNone;       // `$ref` target; `$dynamicRef` initial target
  uint32_t dynamic_name = kNone;  // `$dynamicRef` anchor name (Program::strings) when dynamic
  uint32_t value = kNone;     // `const` constant; `enum`: first constant (count in `values`)
  uint32_t values = 0;
  uint32_t values_text = kNone;  // Program::strings: the enum/const as JSON, for error params
  Range all_of, any_of, one_of;  // into Program::lists
  uint32_t not_ = kNone, if_ = kNone, then_ = kNone, else_ = kNone;
  uint32_t object = kNone, array = kNone, string = kNone, number = kNone;  // parts
};

struct Resource {
  std::vector<std::pair<uint32_t, uint32_t>> dynamic_anchors;  // (name string, node)
};

struct Program {
  std::vector<SchemaNode> nodes;
  std::vector<ObjectPart> objects;
  std::vector<ArrayPart> arrays;
  std::vector<StringPart> strings_parts;
  std::vector<NumberPart> numbers;
  std::vector<uint32_t> lists;
  std::vector<std::string> strings;
  std::vector<Regex> regexes;
  std::vector<Resource> resources;
  bool dynamic = false;  // any dynamic `$dynamicRef`: the evaluator tracks the dynamic scope

  // Constants (`const`, `enum`, `default`) live in one tape over `constants_text` (held by
  // pointer: the tape points into it, and a moved short string would move its bytes).
  std::shared_ptr<const std::string> constants_text;
  Tape constants;
  std::vector<uint32_t> constant_node;  // constant -> node in `constants`
  std::vector<uint64_t> constant_hash;
};

}  // namespace edgeguard::validate
