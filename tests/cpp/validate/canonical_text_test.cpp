#include "edgeguard/validate/canonical_text.hpp"

#include <gtest/gtest.h>

#include "edgeguard/validate/compiler.hpp"

using edgeguard::validate::canonical_text;
using edgeguard::validate::parse_schema;

namespace {

TEST(CanonicalText, WritesOneTextPerValue) {
  EXPECT_EQ(canonical_text(parse_schema(R"( { "b" : [ 1 , 2.50, -0, 1E2, 18446744073709551616, 1e-7 ],
      "a" : { "y": null, "x": [true, false] }, "c": "q\"\\\/\n\u0001\u007f\u00e9" } )")),
            R"({"a":{"x":[true,false],"y":null},"b":[1,2.5,0,100,18446744073709552000,1e-7],)"
            "\"c\":\"q\\\"\\\\/\\n\\u0001\x7f\xC3\xA9\"}");
  EXPECT_EQ(canonical_text(parse_schema("12345678901234567890")), "12345678901234567890");  // every digit
  EXPECT_EQ(canonical_text(parse_schema("-0.0")), "0");
  EXPECT_EQ(canonical_text(parse_schema("[]")), "[]");
  EXPECT_EQ(canonical_text(parse_schema("{}")), "{}");
}

}  // namespace
