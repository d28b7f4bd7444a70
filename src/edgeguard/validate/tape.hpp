#pragma once
// A payload as a flat array of nodes, built in one pass of the JSON reader. The evaluator walks
// it by index: no per-value allocation, and strings/numbers stay raw (pointers into the input)
// until a keyword needs their decoded form. The node vector is reused across documents.
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "edgeguard/json/reader.hpp"

namespace edgeguard::validate {

// seam: validator
enum class Kind : uint8_t { null, boolean, number, string, key, object, array };

struct Node {
  Kind kind;
  uint8_t flag;   // string/key: has escapes; boolean: value; number: integer syntax, or kBinary
  uint32_t pos;   // scalar: first raw byte (after the quote); container: its bracket
  uint32_t len;   // scalar: raw length (a kBinary number: 8); object: members; array: items
  uint32_t next;  // index of the node after this value (after a container's last child)
  uint32_t end;   // container: offset just past its closing bracket
};
// A number's flag when its 8 bytes are a finite double (little-endian), not JSON text: only
// adopted tapes have them, written from JS numbers without formatting them.
// seam: validator
constexpr uint8_t kBinary = 2;

// js/object-input.js writes nodes in this layout: 32-bit words, kind and flag in the first.
// seam: validator
enum class NodeWord : uint32_t { kind, pos, len, next, end, count };
static_assert(offsetof(Node, kind) == 4 * size_t(NodeWord::kind) && offsetof(Node, pos) == 4 * size_t(NodeWord::pos) &&
                  offsetof(Node, len) == 4 * size_t(NodeWord::len) && offsetof(Node, next) == 4 * size_t(NodeWord::next) &&
                  offsetof(Node, end) == 4 * size_t(NodeWord::end) && sizeof(Node) == 4 * size_t(NodeWord::count),
              "js/object-input.js writes this layout");

class Tape {
 public:
  Tape() = default;
  // view_ may point into nodes_: a copy would point into its source. A move keeps the buffer.
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;
  Tape(Tape&&) = default;
  Tape& operator=(Tape&&) = default;

  // Reads `data` (which must outlive the tape's use) with `reader`'s limits.
  json::Error build(json::Reader& reader, const uint8_t* data, size_t len);
  // Reads `count` nodes written by another encoder (js/object-input.js: strings unescaped,
  // numbers kBinary, no bracket offsets, so text() is meaningless) over `len` bytes at `data`;
  // both must outlive the tape's use. Checked as the reader would check text: the structure,
  // UTF-8, finite numbers and `limits.max_depth`. (tape_adopt.cpp)
  json::Error adopt(const Node* nodes, uint32_t count, const uint8_t* data, size_t len,
                    const json::Limits& limits);
  // adopt()'s record of a container being checked: where it ends, its members still to come,
  // the node its next member starts at.
  struct Adopting {
    uint32_t end, left, at;
    bool object;
  };

  const Node& operator[](uint32_t i) const { return view_[i]; }
  uint32_t size() const { return size_nodes_; }
  std::string_view raw(uint32_t i) const {
    return {reinterpret_cast<const char*>(data_ + view_[i].pos), view_[i].len};
  }
  // Raw JSON text of any value, containers included (for error params and cleaning).
  std::string_view text(uint32_t i) const;

  // The decoded contents of a string or key; `scratch` holds them when there are escapes.
  std::string_view str(uint32_t i, std::string& scratch) const {
    return view_[i].flag ? decoded(i, scratch) : raw(i);
  }
  // The first eight raw bytes of a string, little-endian, zero-padded (one load when the
  // input has room past it).
  uint64_t prefix(uint32_t i) const {
    const Node& n = view_[i];
    uint64_t w = 0;
    if (size_t(n.pos) + 8 <= size_) {
      std::memcpy(&w, data_ + n.pos, 8);
      if (n.len < 8) w &= (uint64_t{1} << (8 * n.len)) - 1;
    } else {
      for (uint32_t k = 0; k < n.len && k < 8; ++k) w |= uint64_t(data_[n.pos + k]) << (8 * k);
    }
    return w;
  }
  double number(uint32_t i) const;
  // Within two ulps of number(); `exact` says whether it is number() itself.
  double approx_number(uint32_t i, bool& exact) const;
  bool is_integer(uint32_t i) const;
  bool is_binary(uint32_t i) const { return view_[i].flag == kBinary; }
  // A number's decimal text: raw(), or for a kBinary one what JavaScript's Number#toString
  // writes (js_number_text), in `scratch`.
  std::string_view number_text(uint32_t i, std::string& scratch) const;

  // Handler callbacks for json::Reader.
  void null_value(const uint8_t* p) { scalar(Kind::null, 0, p, 4); }
  void bool_value(const uint8_t* p, bool v) { scalar(Kind::boolean, v, p, v ? 4 : 5); }
  void number(const uint8_t* p, size_t n, bool integer) { scalar(Kind::number, integer, p, n); }
  void string(const uint8_t* p, size_t n, bool escaped) { scalar(Kind::string, escaped, p, n); }
  void key(const uint8_t* p, size_t n, bool escaped);
  void start_object(const uint8_t* p) { open(Kind::object, p); }
  void start_array(const uint8_t* p) { open(Kind::array, p); }
  void end_object(const uint8_t* p) { close(p); }
  void end_array(const uint8_t* p) { close(p); }

 private:
  void scalar(Kind k, bool flag, const uint8_t* p, size_t n) {
    ++count_;
    const uint32_t i = uint32_t(nodes_.size());
    nodes_.push_back({k, uint8_t(flag), uint32_t(p - data_), uint32_t(n), i + 1, 0});
  }
  void open(Kind k, const uint8_t* p);
  void close(const uint8_t* p);

  std::vector<Node> nodes_;  // of build()
  const Node* view_ = nullptr;  // nodes_, or adopt()'s
  uint32_t size_nodes_ = 0;
  std::vector<Adopting> adopting_;
  struct Open {
    uint32_t node, count;  // a container being filled, and its parent's value count so far
  };
  std::vector<Open> open_;
  uint32_t count_ = 0;  // values in the innermost open container (object: members)
  std::string_view decoded(uint32_t i, std::string& scratch) const;

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Value hashing and deep equality across tapes: numbers by value (1 == 1.0), strings by
// decoded contents, objects regardless of member order.
class Equality {
 public:
  uint64_t hash(const Tape& t, uint32_t i);
  bool equal(const Tape& a, uint32_t i, const Tape& b, uint32_t j);

 private:
  std::string sa_, sb_;
};

}  // namespace edgeguard::validate
