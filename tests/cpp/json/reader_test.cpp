#include "edgeguard/json/reader.hpp"

#include <gtest/gtest.h>

#include <string>

using edgeguard::json::Error;
using edgeguard::json::Limits;
using edgeguard::json::Reader;
using edgeguard::json::Status;

namespace {

Error check(const std::string& s, Limits limits = {}) {
  Reader r(limits);
  return r.check(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

void expect_error(const std::string& s, Status status, size_t offset, Limits limits = {}) {
  const Error e = check(s, limits);
  EXPECT_EQ(e.status, status) << "input: " << s << " message: " << e.message;
  EXPECT_EQ(e.offset, offset) << "input: " << s << " message: " << e.message;
}

TEST(JsonReader, AcceptsWellFormedDocuments) {
  for (const char* doc : {"{}", "[]", "0", "-0", "1.5e+10", "-12.25E-3", "\"x\"", "true",
                          "false", "null", " \t\r\n[1, 2 ,3 ] ", "{\"a\":{\"b\":[true,null]}}",
                          "\"\\u00e9\\ud83d\\ude00\\n\\\"\\/\"", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"",
                          "[[],[{}],{\"\":[]}]", "\"0123456789abcdefghijklmnop\""}) {
    EXPECT_FALSE(check(doc)) << doc << ": " << check(doc).message;
  }
}

TEST(JsonReader, RejectsTruncatedDocumentsAtTheEnd) {
  expect_error("", Status::malformed, 0);
  expect_error("   ", Status::malformed, 3);
  expect_error("{\"a\":", Status::malformed, 5);
  expect_error("[1,2", Status::malformed, 4);
  expect_error("\"abc", Status::malformed, 4);
  expect_error("\"abcdefghijklmnop", Status::malformed, 17);
  expect_error("{\"a\"", Status::malformed, 4);
  expect_error("tru", Status::malformed, 0);
  expect_error("-", Status::malformed, 1);
}

TEST(JsonReader, RejectsBadNumbers) {
  expect_error("01", Status::malformed, 1);
  expect_error("[-01]", Status::malformed, 3);
  expect_error("1.", Status::malformed, 2);
  expect_error("1.e5", Status::malformed, 2);
  expect_error("1e", Status::malformed, 2);
  expect_error("1e+", Status::malformed, 3);
  expect_error("+1", Status::malformed, 0);
  expect_error(".5", Status::malformed, 0);
  expect_error("[- 1]", Status::malformed, 2);
}

TEST(JsonReader, RejectsStructuralErrors) {
  expect_error("[1,]", Status::malformed, 3);
  expect_error("{\"a\":1,}", Status::malformed, 7);
  expect_error("{a:1}", Status::malformed, 1);
  expect_error("{\"a\" 1}", Status::malformed, 5);
  expect_error("[1 2]", Status::malformed, 3);
  expect_error("{} x", Status::malformed, 3);
  expect_error("{}{}", Status::malformed, 2);
  expect_error("[1}", Status::malformed, 2);
  expect_error("'a'", Status::malformed, 0);
}

TEST(JsonReader, RejectsLeadingByteOrderMark) {
  expect_error("\xEF\xBB\xBF{}", Status::malformed, 0);
}

TEST(JsonReader, RejectsControlCharactersAndBadEscapes) {
  expect_error("\"a\tb\"", Status::malformed, 2);
  expect_error(std::string("\"a\0b\"", 5), Status::malformed, 2);
  expect_error("\"\\x\"", Status::malformed, 1);
  expect_error("\"\\u12g4\"", Status::malformed, 1);
  expect_error("\"abcdefgh\x01\"", Status::malformed, 9);
}

TEST(JsonReader, RejectsInvalidUtf8WithItsOffset) {
  expect_error("\"\xC0\xAF\"", Status::bad_utf8, 1);               // overlong '/'
  expect_error("\"\xE0\x80\xAF\"", Status::bad_utf8, 1);           // overlong 3-byte
  expect_error("\"\xF0\x80\x80\xAF\"", Status::bad_utf8, 1);       // overlong 4-byte
  expect_error("\"ab\xED\xA0\x80\"", Status::bad_utf8, 3);         // encoded surrogate
  expect_error("\"\xF4\x90\x80\x80\"", Status::bad_utf8, 1);       // above U+10FFFF
  expect_error("\"\x80\"", Status::bad_utf8, 1);                   // stray continuation
  expect_error("\"\xC3\"", Status::bad_utf8, 1);                   // truncated sequence
  expect_error("\"12345678\xFF\"", Status::bad_utf8, 9);
  expect_error("\xC3\xA9", Status::malformed, 0);                  // non-ASCII outside strings
}

TEST(JsonReader, RejectsLoneSurrogateEscapes) {
  expect_error("\"\\ud800\"", Status::bad_utf8, 1);
  expect_error("\"x\\udc00\"", Status::bad_utf8, 2);
  expect_error("\"\\ud800\\u0041\"", Status::bad_utf8, 1);
}

TEST(JsonReader, DeepNestingIsBoundedWithoutRecursion) {
  const std::string deep(10000, '[');
  expect_error(deep + std::string(10000, ']'), Status::too_deep, 128);
  Limits roomy;
  roomy.max_depth = 20000;
  EXPECT_FALSE(check(deep + std::string(10000, ']'), roomy));
  expect_error(std::string(128, '[') + std::string(128, ']'), Status::ok, 0);
  expect_error(std::string(129, '[') + std::string(129, ']'), Status::too_deep, 128);
}

TEST(JsonReader, SizeLimitIsCheckedBeforeReading) {
  Limits small;
  small.max_bytes = 4;
  expect_error("[1,2]", Status::too_large, 4, small);
  EXPECT_FALSE(check("[12]", small));
}

TEST(JsonReader, LocatesErrorsByLineAndCodePointColumn) {
  const std::string doc = "{\n  \"\xc3\xa9t\xc3\xa9\": 01\n}";
  const Error e = check(doc);
  ASSERT_EQ(e.status, Status::malformed);
  const auto loc = edgeguard::json::locate(reinterpret_cast<const uint8_t*>(doc.data()),
                                           doc.size(), e.offset);
  EXPECT_EQ(loc.line, 2u);
  EXPECT_EQ(loc.column, 11u);
}

struct CountingHandler : edgeguard::json::NullHandler {
  int keys = 0, strings = 0, numbers = 0, integers = 0, objects = 0, arrays = 0, escaped = 0;
  void key(const uint8_t*, size_t, bool e) { ++keys; escaped += e; }
  void string(const uint8_t*, size_t, bool e) { ++strings; escaped += e; }
  void number(const uint8_t*, size_t, bool integer) { ++numbers; integers += integer; }
  void start_object(const uint8_t*) { ++objects; }
  void start_array(const uint8_t*) { ++arrays; }
};

TEST(JsonReader, DrivesTheHandlerOncePerValue) {
  const std::string doc = R"({"a":[1,2.5,"x\n"],"b":{"c":-3e2}})";
  Reader r;
  CountingHandler h;
  ASSERT_FALSE(r.read(reinterpret_cast<const uint8_t*>(doc.data()), doc.size(), h));
  EXPECT_EQ(h.keys, 3);
  EXPECT_EQ(h.strings, 1);
  EXPECT_EQ(h.numbers, 3);
  EXPECT_EQ(h.integers, 1);
  EXPECT_EQ(h.objects, 2);
  EXPECT_EQ(h.arrays, 1);
  EXPECT_EQ(h.escaped, 1);
}

}  // namespace
