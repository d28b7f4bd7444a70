#pragma once
// A read-only tree of a small JSON text, built over Reader, for documents read once per call
// (a circuit breaker's snapshot). Names and values point into the text and nothing is decoded:
// a module that reads one such document need not link nlohmann_json's templates (63 KiB of
// wasm) for it.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "edgeguard/json/status.hpp"

namespace edgeguard::json {

class Document {
 public:
  enum class Kind : uint8_t { null, boolean, number, string, object, array };
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Node {
    Kind kind = Kind::null;
    bool integer = false;      // a number written without fraction or exponent
    bool escaped = false;      // the string has escapes: it never equals a plain name
    std::string_view key;      // its member name in an object, as written between the quotes
    std::string_view text;     // a string between its quotes, a number's characters, "true"...
    uint32_t first = kNone;    // an object's or array's first member or element
    uint32_t next = kNone;     // the next member or element of its parent
    uint32_t size = 0;         // how many members or elements it has
  };

  // Reads `text`; false (the document then holds nothing) unless it is well-formed JSON within
  // `limits` of at most `max_nodes` values, none of whose member names has an escape: names are
  // not decoded, and an escaped one may stand for a plain one ("st\u0061te" for "state"), which
  // find() would then not see. The text must outlive the document.
  bool parse(const char* text, size_t len, Limits limits = {}, uint32_t max_nodes = kNone);

  // The top-level value, once parse() returned true.
  static constexpr uint32_t root() { return 0; }
  const Node& operator[](uint32_t i) const { return nodes_[i]; }

  // The value of member `name` of object `object`, or kNone (also when `object` is no object).
  // The last member of that name wins, as in JSON.parse.
  uint32_t find(uint32_t object, std::string_view name) const;

  // Whether value `i` is an integer within [lo, hi]; then it is in `out`.
  bool integer(uint32_t i, int64_t lo, int64_t hi, int64_t& out) const;

  // Whether value `i` is a string equal to `s`.
  bool equals(uint32_t i, std::string_view s) const;

 private:
  struct Builder;
  std::vector<Node> nodes_;
};

}  // namespace edgeguard::json
