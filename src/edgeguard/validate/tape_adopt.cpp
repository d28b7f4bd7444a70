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

// Most strings are ASCII: eight bytes at a time say so.
bool ascii(const uint8_t* p, uint32_t n) {
  uint64_t high = 0;
  uint32_t k = 0;
  for (; k + 8 <= n; k += 8) {
    uint64_t w;
    std::memcpy(&w, p + k, 8);
    high |= w;
  }
  for (; k < n; ++k) high |= p[k];
  return (high & 0x8080808080808080ULL) == 0;
}

// A container ending before node `at` holds as many members as it says, and an object does
// not end on a key without its value.
bool closes(const Node* nodes, const Tape::Adopting& o, uint32_t at) {
  return o.members == nodes[o.index].len && (!o.object || at == o.index + 1 || nodes[at - 1].kind != Kind::key);
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
  std::vector<Adopting>& open = adopting_;
  open.clear();
  for (uint32_t i = 0; i < count;) {
    const Node& n = nodes[i];
    if (!open.empty() && i == open.back().end) {
      if (!closes(nodes, open.back(), i)) return broken(i, "container count differs from its children");
      open.pop_back();
      continue;
    }
    bool key_expected = false;
    if (!open.empty()) {
      Adopting& o = open.back();
      // In an object, members are a key and its value: count keys, values follow them.
      key_expected = o.object && (i == o.index + 1 || nodes[i - 1].kind != Kind::key);
      if (key_expected || !o.object) ++o.members;
    } else if (i != 0) {
      return broken(i, "nodes after the root value");
    }
    if ((n.kind == Kind::key) != key_expected) return broken(i, "key out of place");
    switch (n.kind) {
      case Kind::null:
      case Kind::boolean:
        if (n.next != i + 1) return broken(i, "bad link");
        // A boolean is true (1) or false (0); any other flag would be neither to the evaluator.
        if (n.flag > (n.kind == Kind::boolean ? 1u : 0u)) return broken(i, "bad flag");
        break;
      case Kind::number:
        if (n.next != i + 1 || n.flag != kBinary || n.len != 8 || n.pos > len || len - n.pos < 8 ||
            !std::isfinite(double_at(nodes, i, data)))
          return broken(i, "bad number");
        break;
      case Kind::string:
      case Kind::key:
        if (n.next != i + 1 || n.flag || n.pos > len || n.len > len - n.pos) return broken(i, "bad string range");
        if (!ascii(data + n.pos, n.len) && !json::is_utf8({reinterpret_cast<const char*>(data + n.pos), n.len}))
          return broken(i, "bad UTF-8");
        break;
      case Kind::object:
      case Kind::array:
        if (n.next <= i || n.next > count || (!open.empty() && n.next > open.back().end))
          return broken(i, "bad container link");
        if (open.size() >= limits.max_depth) return {json::Status::too_deep, n.pos, "nesting too deep"};
        open.push_back({n.next, 0, i, n.kind == Kind::object});
        break;
      default:
        return broken(i, "bad kind");
    }
    ++i;
  }
  while (!open.empty()) {
    if (open.back().end != count || !closes(nodes, open.back(), count)) return broken(count, "unclosed container");
    open.pop_back();
  }
  if (nodes[0].next != count) return broken(0, "root does not span the tape");
  view_ = nodes;
  size_nodes_ = count;
  return {};
}

}  // namespace edgeguard::validate
