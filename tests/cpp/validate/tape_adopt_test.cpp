#include "edgeguard/validate/tape.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

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
  Validator v(nlohmann::json::parse(R"({"properties": {"a": {"prefixItems": [{"maximum": 0},
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
