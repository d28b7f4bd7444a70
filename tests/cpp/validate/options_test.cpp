#include "edgeguard/validate/options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "edgeguard/validate/compiler.hpp"
#include "edgeguard/validate/validator.hpp"

namespace edgeguard::validate {
namespace {

Options read(const std::string& text) { return read_options(parse_schema(text)); }

// What read_options refuses: "option: message".
std::string refusal(const std::string& text) {
  try {
    read(text);
  } catch (const BadOption& e) {
    return std::string(e.option()) + ": " + e.what();
  }
  return "(accepted)";
}

TEST(ValidatorOptions, DefaultsForWhatIsAbsent) {
  const Options o = read("{}");
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
  EXPECT_EQ(refusal(R"({"draft": "draft-04"})"), "draft: option draft must be \"2020-12\" or \"draft-07\"");
  EXPECT_EQ(refusal(R"({"formats": true})"), "formats: option formats must be \"assert\" or \"annotate\"");
  EXPECT_EQ(refusal(R"({"allErrors": 1})"), "allErrors: option allErrors must be a boolean");
  EXPECT_EQ(refusal(R"({"useDefaults": "yes"})"), "useDefaults: option useDefaults must be a boolean");
  EXPECT_EQ(refusal(R"({"sanitize": []})"), "sanitize: option sanitize must be a boolean");
  EXPECT_EQ(refusal(R"({"removeAdditional": "some"})"),
            "removeAdditional: option removeAdditional must be true, false, \"additional\", \"all\" or \"failing\"");
  // A limit is what was asked: not -1 wrapped, 1.5 truncated or 2^32 cut to 0.
  for (const char* bad : {"-1", "1.5", "4294967296", "\"10\""}) {
    EXPECT_EQ(refusal(std::string(R"({"maxBytes": )") + bad + "}"),
              "maxBytes: option maxBytes must be an integer from 1 to 4294967295") << bad;
  }
  // In the words of the validator's range, which 0 and 1001 reach (below).
  EXPECT_EQ(refusal(R"({"maxDepth": -2})"), "maxDepth: option maxDepth must be an integer from 1 to 1000");
  EXPECT_EQ(refusal(R"({"maxErrors": 1e300})"), "maxErrors: option maxErrors must be an integer from 1 to 4294967295");
}

// js/ sends null for a value JSON has no form for (NaN, a function): never read as the default.
TEST(ValidatorOptions, RefusesNullForEveryOption) {
  for (const char* name : {"draft", "formats", "allErrors", "useDefaults", "sanitize", "removeAdditional", "maxBytes",
                           "maxDepth", "maxErrors"}) {
    const std::string refused = refusal(std::string(R"({")") + name + R"(": null})");
    EXPECT_EQ(refused.substr(0, refused.find(':')), name);
    EXPECT_NE(refused.find(std::string("option ") + name + " must be "), std::string::npos) << refused;
  }
}

// The ranges are the validator's, checked once whichever way its options were made.
TEST(ValidatorOptions, TheValidatorRefusesLimitsOutOfRangeNamingThem) {
  const auto made = [](const std::string& text) -> std::string {
    try {
      Validator v(parse_schema("true"), read(text));
    } catch (const BadOption& e) {
      return std::string(e.option()) + ": " + e.what();
    }
    return "(accepted)";
  };
  EXPECT_EQ(made(R"({"maxBytes": 0})"), "maxBytes: option maxBytes must be an integer from 1 to 4294967295");
  EXPECT_EQ(made(R"({"maxDepth": 0})"), "maxDepth: option maxDepth must be an integer from 1 to 1000");
  EXPECT_EQ(made(R"({"maxDepth": 1001})"), "maxDepth: option maxDepth must be an integer from 1 to 1000");
  EXPECT_EQ(made(R"({"maxErrors": 0})"), "maxErrors: option maxErrors must be an integer from 1 to 4294967295");
  EXPECT_EQ(made(R"({"maxBytes": 1, "maxDepth": 1000, "maxErrors": 1})"), "(accepted)");
}

}  // namespace
}  // namespace edgeguard::validate
