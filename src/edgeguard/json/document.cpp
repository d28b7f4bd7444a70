#include "edgeguard/json/document.hpp"

#include "edgeguard/json/reader.hpp"

namespace edgeguard::json {

// Reader's handler: appends each value as a node and links it after its previous sibling.
struct Document::Builder {
  std::vector<Node>& nodes;
  std::vector<uint32_t> open;  // containers being read, innermost last
  std::vector<uint32_t> last;  // the last child of each of them so far
  std::string_view name;  // of the member whose value comes next
  bool name_escaped = false;
  uint32_t max_nodes;
  bool refused = false;  // an escaped member name, or more values than max_nodes: nothing more is kept

  static std::string_view view(const uint8_t* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

  uint32_t add(Kind kind, std::string_view text) {
    if (refused || nodes.size() >= max_nodes || (!open.empty() && name_escaped)) {
      refused = true;
      return 0;  // node 0 exists (the root comes first) and is thrown away with the rest
    }
    const uint32_t i = uint32_t(nodes.size());
    Node n;
    n.kind = kind;
    n.text = text;
    if (!open.empty()) {
      n.key = name;
      Node& parent = nodes[open.back()];
      if (parent.size++ == 0) parent.first = i;
      else nodes[last.back()].next = i;
      last.back() = i;
    }
    nodes.push_back(n);
    return i;
  }
  void start(Kind kind, const uint8_t* p) {
    open.push_back(add(kind, view(p, 1)));
    last.push_back(kNone);
  }
  void end(const uint8_t*) {
    open.pop_back();
    last.pop_back();
  }

  void null_value(const uint8_t* p) { add(Kind::null, view(p, 4)); }
  void bool_value(const uint8_t* p, bool v) { add(Kind::boolean, view(p, v ? 4 : 5)); }
  void number(const uint8_t* p, size_t n, bool integer) { nodes[add(Kind::number, view(p, n))].integer = integer; }
  void string(const uint8_t* p, size_t n, bool escaped) { nodes[add(Kind::string, view(p, n))].escaped = escaped; }
  void key(const uint8_t* p, size_t n, bool escaped) {
    name = view(p, n);
    name_escaped = escaped;
  }
  void start_object(const uint8_t* p) { start(Kind::object, p); }
  void end_object(const uint8_t* p) { end(p); }
  void start_array(const uint8_t* p) { start(Kind::array, p); }
  void end_array(const uint8_t* p) { end(p); }
};

bool Document::parse(const char* text, size_t len, Limits limits, uint32_t max_nodes) {
  nodes_.clear();
  Builder b{nodes_, {}, {}, {}, false, max_nodes};
  Reader reader(limits);
  if (max_nodes == 0 || reader.read(reinterpret_cast<const uint8_t*>(text), len, b) || b.refused) {
    nodes_.clear();
    return false;
  }
  return true;
}

uint32_t Document::find(uint32_t object, std::string_view name) const {
  if (nodes_[object].kind != Kind::object) return kNone;
  uint32_t found = kNone;
  for (uint32_t i = nodes_[object].first; i != kNone; i = nodes_[i].next) {
    if (nodes_[i].key == name) found = i;
  }
  return found;
}

bool Document::integer(uint32_t i, int64_t lo, int64_t hi, int64_t& out) const {
  const Node& n = nodes_[i];
  if (n.kind != Kind::number || !n.integer) return false;
  const bool negative = n.text[0] == '-';
  // Accumulated negatively: INT64_MIN has no positive counterpart.
  int64_t v = 0;
  for (size_t k = negative ? 1 : 0; k < n.text.size(); ++k) {
    const int d = n.text[k] - '0';
    if (v < (INT64_MIN + d) / 10) return false;  // beyond int64: beyond any range asked for
    v = v * 10 - d;
  }
  if (!negative) {
    if (v == INT64_MIN) return false;
    v = -v;
  }
  out = v;
  return v >= lo && v <= hi;
}

bool Document::equals(uint32_t i, std::string_view s) const {
  return nodes_[i].kind == Kind::string && !nodes_[i].escaped && nodes_[i].text == s;
}

}  // namespace edgeguard::json
