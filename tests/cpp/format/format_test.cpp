#include "edgeguard/format/format.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace edgeguard::validate {
namespace {

FormatResult check(const char* format, std::string_view value) { return check_format(format, value); }

TEST(Format, UnknownFormatsAreAnnotationsOnly) {
  EXPECT_EQ(check("credit-card", "4111"), FormatResult::unknown);
  EXPECT_EQ(check("", "x"), FormatResult::unknown);
  EXPECT_EQ(check("Date", "2020-01-01"), FormatResult::unknown);  // names are case-sensitive
}

TEST(Format, DispatchesEveryDefinedFormat) {
  const std::pair<const char*, const char*> valid[] = {
      {"date-time", "2024-02-29T12:00:00.5+01:00"}, {"date", "2024-02-29"},
      {"time", "23:59:60Z"},                        {"duration", "P1Y2M3DT4H5M6S"},
      {"email", "a.b@example.com"},                 {"hostname", "api.example.com"},
      {"ipv4", "10.0.0.1"},                         {"ipv6", "2001:db8::1"},
      {"uri", "https://example.com/a?b#c"},         {"uri-reference", "../a?b"},
      {"iri", "https://例え.jp/パス"},               {"iri-reference", "パス"},
      {"uri-template", "/users/{id}{?q,page}"},     {"uuid", "123e4567-e89b-12d3-a456-426614174000"},
      {"regex", "^[a-z]+(?=x)$"},                   {"json-pointer", "/a/~0b/~1c"},
      {"relative-json-pointer", "1/a"}};
  for (const auto& [format, value] : valid) {
    EXPECT_EQ(check(format, value), FormatResult::valid) << format << " " << value;
    // Pointers and patterns may hold any character; every other format rejects a newline.
    const std::string_view f = format;
    const bool any_text = f == "regex" || f == "json-pointer" || f == "relative-json-pointer";
    EXPECT_EQ(check(format, std::string(value) + "\n"), any_text ? FormatResult::valid : FormatResult::invalid)
        << format;
  }
}

TEST(Format, CheckersCanBeResolvedOnce) {
  const FormatChecker date = find_format("date");
  ASSERT_NE(date, nullptr);
  EXPECT_TRUE(date("2024-02-29"));
  EXPECT_FALSE(date("2023-02-29"));
  EXPECT_EQ(find_format("credit-card"), nullptr);
}

TEST(Format, JsonPointers) {
  EXPECT_EQ(check("json-pointer", ""), FormatResult::valid);
  EXPECT_EQ(check("json-pointer", "/"), FormatResult::valid);
  EXPECT_EQ(check("json-pointer", "a"), FormatResult::invalid);
  EXPECT_EQ(check("json-pointer", "/a~"), FormatResult::invalid);
  EXPECT_EQ(check("json-pointer", "/a~2"), FormatResult::invalid);
  EXPECT_EQ(check("relative-json-pointer", "0#"), FormatResult::valid);
  EXPECT_EQ(check("relative-json-pointer", "10/x"), FormatResult::valid);
  EXPECT_EQ(check("relative-json-pointer", "01"), FormatResult::invalid);
  EXPECT_EQ(check("relative-json-pointer", "#"), FormatResult::invalid);
  EXPECT_EQ(check("relative-json-pointer", "0##"), FormatResult::invalid);
}

TEST(Format, Uuids) {
  EXPECT_EQ(check("uuid", "123E4567-E89B-12D3-A456-426614174000"), FormatResult::valid);
  EXPECT_EQ(check("uuid", "123e4567e89b12d3a456426614174000"), FormatResult::invalid);
  EXPECT_EQ(check("uuid", "123e4567-e89b-12d3-a456-42661417400g"), FormatResult::invalid);
}

TEST(Format, RegexFormatAcceptsValidSyntaxTheMatcherCannotRun) {
  EXPECT_EQ(check("regex", "(a)\\1"), FormatResult::valid);
  EXPECT_EQ(check("regex", "(?<=a+)b"), FormatResult::valid);
  EXPECT_EQ(check("regex", "^(abc]"), FormatResult::invalid);
  EXPECT_EQ(check("regex", "\\a"), FormatResult::invalid);
}

// The official JSON-Schema-Test-Suite format files are the oracle; every test must pass.
std::string suite_dir() {
  return std::string(EDGEGUARD_TEST_DATA) + "/conformance/JSON-Schema-Test-Suite/tests/";
}

void run_suite_file(const std::string& path, int* passed, int* total, std::string* failures) {
  std::ifstream in(path);
  if (!in) return;
  const nlohmann::json groups = nlohmann::json::parse(in);
  for (const auto& group : groups) {
    const auto& schema = group["schema"];
    if (!schema.is_object() || !schema.contains("format")) continue;
    const std::string format = schema["format"];
    for (const auto& test : group["tests"]) {
      if (!test["data"].is_string()) continue;  // formats apply to strings only
      const std::string data = test["data"];
      const std::string description = test["description"];
      const FormatResult got = check_format(format, data);
      const bool expected = test["valid"];
      const bool ok = got == FormatResult::unknown ? expected : (got == FormatResult::valid) == expected;
      ++*total;
      if (ok) {
        ++*passed;
      } else {
        *failures += format + ": " + description + "\n";
      }
    }
  }
}

void run_suite(const std::string& draft) {
  const std::string dir = suite_dir() + draft + "/optional/format/";
  if (!std::ifstream(dir + "date.json")) GTEST_SKIP() << "suite not vendored at " << dir;
  int passed = 0, total = 0;
  std::string failures;
  for (const char* name : {"date-time", "date", "time", "duration", "email", "idn-email", "hostname",
                           "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri",
                           "iri-reference", "uri-template", "uuid", "regex", "json-pointer",
                           "relative-json-pointer", "ecmascript-regex", "unknown"}) {
    int p = 0, t = 0;
    run_suite_file(dir + name + ".json", &p, &t, &failures);
    std::printf("[ format   ] %s %-22s %3d/%3d\n", draft.c_str(), name, p, t);
    passed += p;
    total += t;
  }
  std::printf("[ format   ] %s total %d/%d\n", draft.c_str(), passed, total);
  EXPECT_TRUE(failures.empty()) << failures;
}

TEST(FormatSuite, Draft2020_12) { run_suite("draft2020-12"); }
TEST(FormatSuite, Draft7) { run_suite("draft7"); }

}  // namespace
}  // namespace edgeguard::validate
