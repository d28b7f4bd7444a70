#include "edgeguard/validate/tape.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "edgeguard/json/utf8.hpp"
#include "edgeguard/validate/validator.hpp"

using namespace edgeguard::validate;

namespace {

// A tape as js/object-input.js writes it: {"a": [1, "é\"", true], "b": null}, strings
// unescaped, the number as a double.
struct Written {
  std::string data;
  std::vector<Node> nodes = {
      {Kind::object, 0, 0, 2, 8, 0}, {Kind::key, 0, 0, 1, 2, 0},       {Kind::array, 0, 0, 3, 6, 0},
      {Kind::number, kBinary, 1, 8, 4, 0}, {Kind::string, 0, 9, 3, 5, 0}, {Kind::boolean, 1, 0, 0, 6, 0},
      {Kind::key, 0, 12, 1, 7, 0},   {Kind::null, 0, 0, 0, 8, 0},
  };
  Written() { set_number(1.0); }
  void set_number(double d) {
    char raw[8];
    std::memcpy(raw, &d, 8);
    data = "a" + std::string(raw, 8) + "\xc3\xa9\"b";
  }
  edgeguard::json::Error adopt(Tape& t, uint32_t max_depth = 128) const {
    return t.adopt(nodes.data(), uint32_t(nodes.size()), reinterpret_cast<const uint8_t*>(data.data()),
                   data.size(), {1 << 20, max_depth});
  }
};

}  // namespace

TEST(TapeAdopt, ReadsAWellFormedTape) {
  Written w;
  Tape t;
  ASSERT_FALSE(w.adopt(t));
  std::string scratch;
  EXPECT_EQ(t.size(), 8u);
  EXPECT_EQ(t.str(4, scratch), "\xc3\xa9\"");
  EXPECT_TRUE(t.is_integer(3));
  EXPECT_EQ(t.number(3), 1.0);
}

TEST(TapeAdopt, ADoubleReadsAsItsShortestText) {
  Written w;
  Tape t;
  std::string scratch;
  for (const auto& [d, text] : std::vector<std::pair<double, std::string>>{
           {19.99 + 7, "26.99"}, {0.1, "0.1"}, {1e21, "1e+21"}, {-1.5e-7, "-1.5e-7"}, {123456789012.0, "123456789012"},
           {0.30000000000000004, "0.30000000000000004"}, {5e-324, "5e-324"}, {-2.5e-320, "-2.5e-320"}}) {
    w.set_number(d);
    ASSERT_FALSE(w.adopt(t));
    EXPECT_EQ(t.number_text(3, scratch), text);
    EXPECT_EQ(t.number(3), d);
    EXPECT_EQ(t.is_integer(3), std::trunc(d) == d);
  }
}

TEST(TapeAdopt, RefusesEveryBrokenPart) {
  const auto broken = [](auto edit) {
    Written w;
    edit(w);
    Tape t;
    return bool(w.adopt(t)) && t.size() == 0;
  };
  EXPECT_TRUE(broken([](Written& w) { w.nodes[0].next = 7; }));             // root short of the tape
  EXPECT_TRUE(broken([](Written& w) { w.nodes[2].next = 9; }));             // child past its parent
  EXPECT_TRUE(broken([](Written& w) { w.nodes[2].len = 2; }));              // count differs
  EXPECT_TRUE(broken([](Written& w) { w.nodes[0].len = 3; }));              // member count differs
  EXPECT_TRUE(broken([](Written& w) { w.nodes[1].kind = Kind::string; }));  // a value where a key goes
  EXPECT_TRUE(broken([](Written& w) { w.nodes[7].kind = Kind::key; }));     // an object ending on a key
  EXPECT_TRUE(broken([](Written& w) { w.nodes[4].len = 9; }));              // bytes out of range
  EXPECT_TRUE(broken([](Written& w) { w.nodes[4].flag = 1; }));             // escapes never written
  EXPECT_TRUE(broken([](Written& w) { w.data[10] = 'x'; }));                // bad UTF-8
  EXPECT_TRUE(broken([](Written& w) { w.set_number(INFINITY); }));          // not a JSON number
  EXPECT_TRUE(broken([](Written& w) { w.nodes[3].flag = 0; }));             // number text never written
  EXPECT_TRUE(broken([](Written& w) { w.nodes[3].len = 7; }));              // not 8 bytes
  EXPECT_TRUE(broken([](Written& w) { w.nodes[5].next = 7; }));             // scalar link
  EXPECT_TRUE(broken([](Written& w) { w.nodes[5].kind = Kind(9); }));       // no such kind
  EXPECT_TRUE(broken([](Written& w) { w.nodes[5].flag = 7; }));             // a boolean neither true nor false
  EXPECT_TRUE(broken([](Written& w) { w.nodes[7].flag = 1; }));             // a null with a value
  Written w;
  Tape t;
  EXPECT_EQ(w.adopt(t, 1).status, edgeguard::json::Status::too_deep);
  EXPECT_FALSE(w.adopt(t, 2));
}

TEST(TapeAdopt, ValidatesAsTheSameDocumentsTextDoes) {
  Options options;
  options.eval.all_errors = true;
  Validator v(edgeguard::validate::parse_schema(R"({"properties": {"a": {"prefixItems": [{"maximum": 0},
      {"pattern": "^x"}, {"type": "string"}]}, "b": {"type": "string"}}})"), options);
  const std::string text = R"({"a": [1, "\u00e9\"", true], "b": null})";
  ASSERT_FALSE(v.validate(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  const std::string from_text = v.errors_report();
  Written w;
  ASSERT_FALSE(v.validate_tape(w.nodes.data(), uint32_t(w.nodes.size()),
                               reinterpret_cast<const uint8_t*>(w.data.data()), w.data.size()));
  EXPECT_EQ(v.errors_report(), from_text);
  EXPECT_EQ(v.error_count(), 4u);
  w.nodes[0].next = 3;
  EXPECT_THROW(v.validate_tape(w.nodes.data(), uint32_t(w.nodes.size()),
                               reinterpret_cast<const uint8_t*>(w.data.data()), w.data.size()),
               BadTape);
}

namespace {

// The evaluator's reading of a tape, bounds-checked at every step: the value at `i` (inside
// [.., end)) is whole, and `i` moves past it; false where the evaluator would read out of bounds,
// loop, or see a member the count does not.
bool walk(const Node* nodes, uint32_t& i, uint32_t end, const uint8_t* data, size_t len, uint32_t depth) {
  if (i >= end || depth == 0) return false;
  const Node& n = nodes[i];
  const auto range = [&] { return n.pos <= len && n.len <= len - n.pos; };
  switch (n.kind) {
    case Kind::null:
      if (n.flag) return false;
      break;
    case Kind::boolean:
      if (n.flag > 1) return false;
      break;
    case Kind::number: {
      if (n.flag != kBinary || n.len != 8 || !range()) return false;
      double d;
      std::memcpy(&d, data + n.pos, 8);
      if (!std::isfinite(d)) return false;
      break;
    }
    case Kind::string:
      if (n.flag || !range() || !edgeguard::json::is_utf8({reinterpret_cast<const char*>(data + n.pos), n.len})) return false;
      break;
    case Kind::object:
    case Kind::array: {
      if (n.next <= i || n.next > end) return false;
      uint32_t c = i + 1;
      for (uint32_t m = 0; m < n.len; ++m) {
        if (n.kind == Kind::object) {
          if (c >= n.next) return false;
          const Node& k = nodes[c];
          if (k.kind != Kind::key || k.flag || k.next != c + 1 || k.pos > len || k.len > len - k.pos ||
              !edgeguard::json::is_utf8({reinterpret_cast<const char*>(data + k.pos), k.len}))
            return false;
          ++c;
        }
        if (!walk(nodes, c, n.next, data, len, depth - 1)) return false;
      }
      if (c != n.next) return false;
      i = c;
      return true;
    }
    default: return false;
  }
  if (n.next != i + 1) return false;
  ++i;
  return true;
}

}  // namespace

TEST(TapeAdopt, AcceptsOnlyTapesTheEvaluatorReadsInBoundsFuzzed) {
  // Random edits of written tapes: whatever adopt() accepts, the bounds-checked walk accepts,
  // and the evaluator and the error paths then read under ASan with every walk a keyword has.
  Options options;
  options.eval.all_errors = true;
  Validator v(edgeguard::validate::parse_schema(R"({"minProperties": 3, "propertyNames": {"maxLength": 1},
      "properties": {"a": {"uniqueItems": true, "items": {"minLength": 2}, "contains": {"const": [1]}}},
      "patternProperties": {"^b": {"enum": [null, {"a": [1, "é\""]}]}},
      "additionalProperties": {"uniqueItems": true, "maxItems": 1, "required": ["x"], "type": "string"}})"), options);
  std::mt19937 rng(20261205);
  const auto pick = [&](uint32_t n) { return uint32_t(rng() % n); };
  uint32_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    Written w;
    if (pick(2)) {  // {"a": [...], "b": null, "c": {"a": [...]}} : deeper, with a container value
      w.nodes[0].len = 3;
      w.data += 'c';
      w.nodes.push_back({Kind::key, 0, 13, 1, 9, 0});
      const uint32_t at = uint32_t(w.nodes.size());
      w.nodes.push_back({Kind::object, 0, 0, 1, at + 6, 0});
      for (uint32_t k = 1; k < 6; ++k) {  // member "a" and its array, as nodes 1 to 5 have them
        Node n = w.nodes[k];
        n.next += at;
        w.nodes.push_back(n);
      }
      w.nodes[0].next = uint32_t(w.nodes.size());
    }
    for (int e = 1 + int(pick(3)); e > 0; --e) {
      Node& n = w.nodes[pick(uint32_t(w.nodes.size()))];
      const uint32_t size = uint32_t(w.nodes.size());
      const uint32_t values[] = {0, 1, 2, 3, 7, 8, 9, size - 1, size, size + 1, pick(size + 2), 0xffffffffu,
                                 uint32_t(w.data.size()), uint32_t(w.data.size()) - 1};
      const uint32_t value = values[pick(sizeof values / sizeof values[0])];
      switch (pick(5)) {
        case 0: n.kind = Kind(pick(8)); break;
        case 1: n.flag = uint8_t(pick(4)); break;
        case 2: n.pos = value; break;
        case 3: n.len = value; break;
        default: n.next = value; break;
      }
    }
    // Exactly sized copies, so that ASan sees a read one byte past either.
    const uint32_t count = uint32_t(w.nodes.size());
    std::unique_ptr<Node[]> nodes(new Node[count]);
    std::memcpy(nodes.get(), w.nodes.data(), count * sizeof(Node));
    std::unique_ptr<uint8_t[]> data(new uint8_t[w.data.size()]);
    std::memcpy(data.get(), w.data.data(), w.data.size());
    Tape t;
    if (t.adopt(nodes.get(), count, data.get(), w.data.size(), {1 << 20, 128})) continue;
    ++accepted;
    uint32_t i = 0;
    ASSERT_TRUE(walk(nodes.get(), i, count, data.get(), w.data.size(), 129) && i == count) << "round " << round;
    v.validate_tape(nodes.get(), count, data.get(), w.data.size());
    (void)v.errors_report();
  }
  EXPECT_GT(accepted, 100u);
}
