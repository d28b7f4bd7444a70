#include "edgeguard/validate/tape.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace edgeguard::validate;

namespace {

struct Doc {
  std::string text;
  Tape tape;
  explicit Doc(std::string t) : text(std::move(t)) {
    edgeguard::json::Reader reader;
    const auto e = tape.build(reader, reinterpret_cast<const uint8_t*>(text.data()), text.size());
    EXPECT_FALSE(e) << e.message;
  }
};

}  // namespace

TEST(Tape, LaysOutContainersWithCountsAndSkipIndexes) {
  Doc d(R"({"a": [1, 2, {"b": null}], "c": true})");
  const Tape& t = d.tape;
  ASSERT_EQ(t[0].kind, Kind::object);
  EXPECT_EQ(t[0].len, 2u);
  EXPECT_EQ(t[0].next, t.size());
  EXPECT_EQ(t[1].kind, Kind::key);
  EXPECT_EQ(t.raw(1), "a");
  ASSERT_EQ(t[2].kind, Kind::array);
  EXPECT_EQ(t[2].len, 3u);
  EXPECT_EQ(t.text(2), R"([1, 2, {"b": null}])");
  const uint32_t c = t[2].next;
  EXPECT_EQ(t.raw(c), "c");
  EXPECT_EQ(t[c + 1].kind, Kind::boolean);
  EXPECT_EQ(t[c + 1].flag, 1);
}

TEST(Tape, DecodesEscapedStringsOnlyWhenAsked) {
  Doc d(R"(["plain", "a\"b\\c\u00e9\ud83d\ude00\n"])");
  std::string scratch;
  EXPECT_EQ(d.tape.str(1, scratch), "plain");
  EXPECT_EQ(d.tape.raw(2), R"(a\"b\\c\u00e9\ud83d\ude00\n)");
  EXPECT_EQ(d.tape.str(2, scratch), "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
}

TEST(Tape, NumbersAreDecodedLazilyAndIntegersJudgedOnTheText) {
  Doc d("[12, -7, 1.0, 1.5, 1e2, 1.5e1, 1.25e1, 100e-2, 10e-2, 123456789012345678901, 1.5e400]");
  const Tape& t = d.tape;
  EXPECT_EQ(t.number(1), 12);
  EXPECT_EQ(t.number(2), -7);
  const bool expected[] = {true, true, true, false, true, true, false, true, false, true, true};
  for (uint32_t k = 0; k < 11; ++k) EXPECT_EQ(t.is_integer(k + 1), expected[k]) << t.raw(k + 1);
}

TEST(Tape, ApproximateNumbersAreExactUpToFifteenDigits) {
  Doc d("[19.99, 20.990000000000002, -0.000123, 1e3, 123456789012345678901234]");
  bool exact;
  EXPECT_EQ(d.tape.approx_number(1, exact), 19.99);
  EXPECT_TRUE(exact);
  EXPECT_NEAR(d.tape.approx_number(2, exact), 20.990000000000002, 1e-14);
  EXPECT_FALSE(exact);
  EXPECT_EQ(d.tape.number(2), 20.990000000000002);
  EXPECT_EQ(d.tape.approx_number(3, exact), -0.000123);
  EXPECT_TRUE(exact);
  EXPECT_EQ(d.tape.number(4), 1000);
  EXPECT_EQ(d.tape.number(5), 123456789012345678901234.0);
}

TEST(Tape, EqualityIgnoresMemberOrderAndNumberSpelling) {
  Doc d(R"([{"a": 1, "b": [true, "x"]}, {"b": [true, "x"], "a": 1.0}, {"a": 1, "b": [true, "y"]},
            "\u0041", "A", 0, -0.0])");
  const Tape& t = d.tape;
  uint32_t items[7], k = 0;
  for (uint32_t c = 1; c < t[0].next; c = t[c].next) items[k++] = c;
  Equality eq;
  EXPECT_TRUE(eq.equal(t, items[0], t, items[1]));
  EXPECT_EQ(eq.hash(t, items[0]), eq.hash(t, items[1]));
  EXPECT_FALSE(eq.equal(t, items[0], t, items[2]));
  EXPECT_TRUE(eq.equal(t, items[3], t, items[4]));
  EXPECT_EQ(eq.hash(t, items[3]), eq.hash(t, items[4]));
  EXPECT_TRUE(eq.equal(t, items[5], t, items[6]));
  EXPECT_EQ(eq.hash(t, items[5]), eq.hash(t, items[6]));
}

TEST(Tape, ReportsReaderErrorsWithOffsets) {
  const std::string text = "[1, 2,";
  Tape tape;
  edgeguard::json::Reader reader;
  const auto e = tape.build(reader, reinterpret_cast<const uint8_t*>(text.data()), text.size());
  EXPECT_EQ(e.status, edgeguard::json::Status::malformed);
  EXPECT_EQ(e.offset, 6u);
}
