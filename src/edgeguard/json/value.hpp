#pragma once
// A decoded JSON value that owns its contents, read with Reader: the document the schema compiler
// walks (schemas and the validator's options: cold paths), so the validator module links none of
// nlohmann_json's templates. An object holds one member per name, sorted by name (bytewise), the
// last one written winning, as nlohmann's std::map held them: compiled programs follow that order
// (the order of patterns and dependencies, the text of constants).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeguard/json/status.hpp"

namespace edgeguard::json {

class Value {
 public:
  enum class Kind : uint8_t { null, boolean, number, string, array, object };

  Value() = default;  // null
  // Out of line: inlined, a recursive destructor and copies are repeated in every user.
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;
  ~Value();

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_boolean() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::number; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }

  bool boolean() const { return flag_; }
  double number() const { return number_; }
  // A number written without fraction or exponent that fits 64 bits (signed if negative):
  // nlohmann's integer kinds, which a schema's counts ("minLength": 2) must be.
  bool is_integer() const { return kind_ == Kind::number && flag_; }
  // is_integer() and not negative ("-0" is negative, as it was to nlohmann).
  bool is_unsigned() const { return is_integer() && text_[0] != '-'; }
  // A string's contents (decoded), or a number's text as written.
  const std::string& text() const { return text_; }

  // An array's elements, or an object's member values (in name order).
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const Value& operator[](size_t k) const { return items_[k]; }
  const Value* begin() const { return items_.data(); }
  const Value* end() const { return items_.data() + items_.size(); }
  // An object's member names, sorted: name(k) is that of (*this)[k].
  const std::string& name(size_t k) const { return names_[k]; }

  // Member `name` of an object, or null when there is none (or this is no object).
  const Value* find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  // Removes member `name` of an object, if it has one.
  void erase(std::string_view name);

  // Equal as JSON values: numbers by value (integers digit for digit), objects member by member.
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }
  // A string of contents `s`.
  bool operator==(std::string_view s) const { return kind_ == Kind::string && text_ == s; }
  bool operator!=(std::string_view s) const { return !(*this == s); }

 private:
  friend struct ValueBuilder;
  Kind kind_ = Kind::null;
  bool flag_ = false;  // boolean: its value; number: is_integer()
  double number_ = 0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<std::string> names_;  // an object's, parallel to items_
};

// Reads `text` (UTF-8 JSON within `limits`) into `out`. Beyond Reader's errors, a number too
// large for a double ("1e400") is malformed here: no value would stand for it.
Error parse(std::string_view text, Limits limits, Value& out);

}  // namespace edgeguard::json
