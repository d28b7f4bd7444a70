#include "edgeguard/validate/options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "edgeguard/validate/compiler.hpp"

namespace edgeguard::validate {
namespace {

Options read(const std::string& text) { return read_options(parse_schema(text)); }

std::string refusal(const std::string& text) {
  try {
    read(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ValidatorOptions, DefaultsForWhatIsAbsentOrNull) {
  const Options o = read(R"({"allErrors": null})");
  const Options d;
  EXPECT_EQ(o.draft, Draft::draft2020);
  EXPECT_FALSE(o.assert_formats);
  EXPECT_FALSE(o.eval.all_errors);
  EXPECT_FALSE(o.eval.use_defaults);
  EXPECT_FALSE(o.eval.sanitize);
  EXPECT_EQ(o.eval.remove_additional, EvalOptions::Remove::none);
  EXPECT_EQ(o.limits.max_bytes, d.limits.max_bytes);
  EXPECT_EQ(o.limits.max_depth, d.limits.max_depth);
  EXPECT_EQ(o.eval.max_errors, d.eval.max_errors);
}

TEST(ValidatorOptions, ReadsEveryOption) {
  const Options o = read(R"({"draft": "draft-07", "formats": "assert", "allErrors": true, "useDefaults": true,
    "sanitize": true, "removeAdditional": "failing", "maxBytes": 4294967295, "maxDepth": 7, "maxErrors": 0})");
  EXPECT_EQ(o.draft, Draft::draft7);
  EXPECT_TRUE(o.assert_formats);
  EXPECT_TRUE(o.eval.all_errors);
  EXPECT_TRUE(o.eval.use_defaults);
  EXPECT_TRUE(o.eval.sanitize);
  EXPECT_EQ(o.eval.remove_additional, EvalOptions::Remove::failing);
  EXPECT_EQ(o.limits.max_bytes, 4294967295u);
  EXPECT_EQ(o.limits.max_depth, 7u);
  EXPECT_EQ(o.eval.max_errors, 0u);
  EXPECT_EQ(read(R"({"removeAdditional": true})").eval.remove_additional, EvalOptions::Remove::additional);
  EXPECT_EQ(read(R"({"removeAdditional": "all"})").eval.remove_additional, EvalOptions::Remove::all);
  EXPECT_EQ(read(R"({"removeAdditional": false})").eval.remove_additional, EvalOptions::Remove::none);
  EXPECT_FALSE(read(R"({"formats": "annotate"})").assert_formats);
}

TEST(ValidatorOptions, RefusesEachBadValueNamingItsOption) {
  EXPECT_EQ(refusal(R"({"draft": "draft-04"})"), "option draft must be \"2020-12\" or \"draft-07\"");
  EXPECT_EQ(refusal(R"({"formats": true})"), "option formats must be \"assert\" or \"annotate\"");
  EXPECT_EQ(refusal(R"({"allErrors": 1})"), "option allErrors must be a boolean");
  EXPECT_EQ(refusal(R"({"useDefaults": "yes"})"), "option useDefaults must be a boolean");
  EXPECT_EQ(refusal(R"({"sanitize": []})"), "option sanitize must be a boolean");
  EXPECT_EQ(refusal(R"({"removeAdditional": "some"})"),
            "option removeAdditional must be true, false, \"additional\", \"all\" or \"failing\"");
  // A limit is what was asked: not -1 wrapped, 1.5 truncated or 2^32 cut to 0.
  for (const char* bad : {"-1", "1.5", "4294967296", "\"10\""}) {
    EXPECT_EQ(refusal(std::string(R"({"maxBytes": )") + bad + "}"),
              "option maxBytes must be an integer from 0 to 4294967295") << bad;
  }
  EXPECT_EQ(refusal(R"({"maxDepth": -2})"), "option maxDepth must be an integer from 0 to 4294967295");
  EXPECT_EQ(refusal(R"({"maxErrors": 1e300})"), "option maxErrors must be an integer from 0 to 4294967295");
}

}  // namespace
}  // namespace edgeguard::validate
