// Tape::adopt: a tape another encoder wrote (js/object-input.js, from a JS value), checked
// before the evaluator trusts it. The evaluator follows `next` links and reads raw bytes
// without bounds checks, so every link, range, number and string is verified here, once, in
// one pass: a broken encoder yields an error, never a read outside the input or a verdict.
#include <cmath>
#include <cstring>
#include <vector>

#include "edgeguard/json/utf8.hpp"
#include "edgeguard/validate/tape.hpp"

namespace edgeguard::validate {

namespace {

json::Error broken(uint32_t node, const char* what) {
  return {json::Status::malformed, node, what};
}

double double_at(const Node* nodes, uint32_t i, const uint8_t* data) {
  double d;
  std::memcpy(&d, data + nodes[i].pos, sizeof d);
  return d;
}

// Inlined into adopt()'s loop: a call per string cost a fifth of adopting a small form.
#define EG_INLINE inline __attribute__((always_inline))

// Most strings are ASCII: eight bytes at a time say so, the last eight overlapping the ones
// before. A short one is read as the eight bytes from its start when the data holds them
// (`room`: bytes from p to the data's end), masked to its own.
EG_INLINE bool ascii(const uint8_t* p, uint32_t n, size_t room) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t w;
  if (n < 8) {
    if (n == 0) return true;
    if (room < 8) {
      uint8_t high = 0;
      for (uint32_t k = 0; k < n; ++k) high |= p[k];
      return high < 0x80;
    }
    std::memcpy(&w, p, 8);
    return (w & kHigh & (~uint64_t{0} >> (64 - 8 * n))) == 0;
  }
  uint64_t high = 0;
  for (uint32_t k = 0; k + 8 < n; k += 8) {
    std::memcpy(&w, p + k, 8);
    high |= w;
  }
  std::memcpy(&w, p + n - 8, 8);
  return ((high | w) & kHigh) == 0;
}

// A string or key node: a range inside the data, of UTF-8.
EG_INLINE bool string_ok(const Node& n, uint32_t i, const uint8_t* data, size_t len) {
  if (n.next != i + 1 || n.flag || n.pos > len || n.len > len - n.pos) return false;
  return ascii(data + n.pos, n.len, len - n.pos) ||
         json::is_utf8({reinterpret_cast<const char*>(data + n.pos), n.len});
}

}  // namespace

json::Error Tape::adopt(const Node* nodes, uint32_t count, const uint8_t* data, size_t len,
                        const json::Limits& limits) {
  view_ = nullptr;
  size_nodes_ = 0;
  data_ = data;
  size_ = len;
  if (!nodes || !data || count == 0) return broken(0, "empty tape");
  if (len > UINT32_MAX) return {json::Status::too_large, 0, "payload exceeds 4 GiB"};
  // Each container's members are walked from its first node, as the evaluator walks them:
  // key (in an object) then value, a value's `next` leading to the member after it, until the
  // count it declares is met exactly at its end. The root is the one member of the whole tape.
  std::vector<Adopting>& open = adopting_;
  open.clear();
  open.push_back({count, 1, 0, false});
  while (!open.empty()) {
    Adopting& o = open.back();
    if (o.left == 0) {
      if (o.at != o.end) return broken(o.at, "container count differs from its children");
      open.pop_back();
      continue;
    }
    --o.left;
    uint32_t i = o.at;
    if (o.object) {
      if (i >= o.end || nodes[i].kind != Kind::key) return broken(i, "key out of place");
      if (!string_ok(nodes[i], i, data, len)) return broken(i, "bad key");
      ++i;
    }
    if (i >= o.end) return broken(i, "member missing");
    const Node& n = nodes[i];
    switch (n.kind) {
      case Kind::null:
      case Kind::boolean:
        // A boolean is true (1) or false (0); any other flag would be neither to the evaluator.
        if (n.next != i + 1 || n.flag > (n.kind == Kind::boolean ? 1u : 0u)) return broken(i, "bad literal");
        break;
      case Kind::number:
        if (n.next != i + 1 || n.flag != kBinary || n.len != 8 || n.pos > len || len - n.pos < 8 ||
            !std::isfinite(double_at(nodes, i, data)))
          return broken(i, "bad number");
        break;
      case Kind::string:
        if (!string_ok(n, i, data, len)) return broken(i, "bad string");
        break;
      case Kind::object:
      case Kind::array:
        if (n.next <= i || n.next > o.end) return broken(i, "bad container link");
        if (open.size() > limits.max_depth) return {json::Status::too_deep, n.pos, "nesting too deep"};
        o.at = n.next;
        open.push_back({n.next, n.len, i + 1, n.kind == Kind::object});  // `o` is gone from here
        continue;
      default:
        return broken(i, "bad kind");
    }
    o.at = i + 1;
  }
  view_ = nodes;
  size_nodes_ = count;
  return {};
}

}  // namespace edgeguard::validate
