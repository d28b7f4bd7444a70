#include "edgeguard/resilience/breaker_options.hpp"

#include <gtest/gtest.h>

#include <string>

#include "option_refusals.hpp"

using namespace edgeguard::resilience;

namespace {

Config read(const std::string& text) {
  Config c;
  const OptionError e = read_breaker_options(text.data(), text.size(), c);
  EXPECT_FALSE(e) << text << ": " << e.message();
  return c;
}

OptionError refused(const std::string& text) {
  Config c;
  c.minimum_calls = 7;
  const OptionError e = read_breaker_options(text.data(), text.size(), c);
  EXPECT_EQ(c.minimum_calls, 7u) << text << ": a refused text leaves the config alone";
  return e;
}

TEST(BreakerOptions, AnEmptyObjectIsTheDefaults) {
  const Config c = read("{}");
  const Config d;
  EXPECT_EQ(c.window.type, WindowType::count);
  EXPECT_EQ(c.window.size, d.window.size);
  EXPECT_EQ(c.minimum_calls, d.minimum_calls);
  EXPECT_EQ(c.failure_rate_threshold, d.failure_rate_threshold);
  EXPECT_EQ(c.open_ms, 60000u);
  EXPECT_EQ(c.open_max_ms, 60000u);
  EXPECT_EQ(c.half_open_calls, d.half_open_calls);
  EXPECT_EQ(c.half_open_max_ms, 0u);
}

TEST(BreakerOptions, ReadsEveryOption) {
  const Config c = read(
      R"({"window":{"type":"count","size":50},"minimumCalls":5,"failureRateThreshold":12.5,)"
      R"("slowCallDurationMs":300,"slowCallRateThreshold":80,"consecutiveFailures":4,"openMs":1000,)"
      R"("openBackoff":{"multiplier":2,"maxMs":8000},"halfOpenCalls":3,"halfOpenMaxMs":500})");
  EXPECT_EQ(c.window.size, 50u);
  EXPECT_EQ(c.minimum_calls, 5u);
  EXPECT_EQ(c.failure_rate_threshold, 12.5);
  EXPECT_EQ(c.slow_call_duration_ms, 300u);
  EXPECT_EQ(c.slow_call_rate_threshold, 80);
  EXPECT_EQ(c.consecutive_failures, 4u);
  EXPECT_EQ(c.open_ms, 1000u);
  EXPECT_EQ(c.open_backoff_multiplier, 2);
  EXPECT_EQ(c.open_max_ms, 8000u);
  EXPECT_EQ(c.half_open_calls, 3u);
  EXPECT_EQ(c.half_open_max_ms, 500u);
}

TEST(BreakerOptions, DefaultsThatFollowFromOtherOptions) {
  // A growing open time tops out at ten minutes, or at openMs when that is longer.
  EXPECT_EQ(read(R"({"openBackoff":{"multiplier":2}})").open_max_ms, 600000u);
  EXPECT_EQ(read(R"({"openMs":900000,"openBackoff":{"multiplier":2}})").open_max_ms, 900000u);
  EXPECT_EQ(read(R"({"openMs":5000})").open_max_ms, 5000u);
  // Time windows: one-second buckets, else ten, else one.
  Config c = read(R"({"window":{"type":"time"}})");
  EXPECT_EQ(c.window.window_ms, 60000u);
  EXPECT_EQ(c.window.buckets, 60u);
  EXPECT_EQ(read(R"({"window":{"type":"time","size":30}})").window.window_ms, 30000u);
  EXPECT_EQ(read(R"({"window":{"type":"time","sizeMs":7200000}})").window.buckets, 10u);
  EXPECT_EQ(read(R"({"window":{"type":"time","sizeMs":1501}})").window.buckets, 1u);
  EXPECT_EQ(read(R"({"window":{"type":"time","sizeMs":1000,"buckets":4}})").window.buckets, 4u);
}

TEST(BreakerOptions, RefusalsNameTheOption) {
  expect_refusals(refused, uint32_t(Status::invalid_config), {
      {R"({"minimumCalls":0})", "minimumCalls", "option minimumCalls must be an integer from 1 to 1000000"},
      {R"({"minimumCalls":-1})", "minimumCalls", "option minimumCalls must be an integer from 1 to 1000000"},
      {R"({"halfOpenCalls":1.5})", "halfOpenCalls", "option halfOpenCalls must be an integer from 1 to 100000"},
      {R"({"openMs":"5"})", "openMs", R"(option openMs must be an integer from 1 to 2147483647)"},
      {R"({"openMs":null})", "openMs", "option openMs must be an integer from 1 to 2147483647"},
      {R"({"failureRateThreshold":0})", "failureRateThreshold",
       "option failureRateThreshold must be a number above 0, at most 100"},
      {R"({"failureRateThreshold":1e999})", "failureRateThreshold",
       "option failureRateThreshold must be a number above 0, at most 100"},
      {R"({"openBackoff":{"multiplier":true}})", "openBackoff.multiplier",
       "option openBackoff.multiplier must be a number from 1 to 1000"},
      {R"({"openMs":1000,"openBackoff":{"multiplier":2,"maxMs":10}})", "openBackoff.maxMs",
       "option openBackoff.maxMs must be an integer from openMs to 2147483647"},
      {R"({"openBackoff":3})", "openBackoff", "option openBackoff must be an object"},
      {R"({"window":[]})", "window", "option window must be an object"},
      {R"({"window":{"type":"sliding"}})", "window.type",
       R"(option window.type must be one of 'count', 'time')"},
      {R"({"window":{"size":0}})", "window.size", "option window.size must be an integer from 1 to 100000"},
      {R"({"window":{"type":"time","size":10,"sizeMs":10000}})", "window.size",
       "option window.size must be absent when window.sizeMs is given (size is in seconds)"},
      {R"({"window":{"type":"time","size":86401}})", "window.size",
       "option window.size must be an integer from 1 to 86400"},
      {R"({"window":{"type":"time","sizeMs":86400001}})", "window.sizeMs",
       "option window.sizeMs must be an integer from 1 to 86400000"},
      {R"({"window":{"type":"time","sizeMs":1000,"buckets":3}})", "window.sizeMs",
       "option window.sizeMs must be a multiple of window.buckets"},
      {R"({"minimumCalls":4294967296})", "minimumCalls",
       "option minimumCalls must be an integer from 1 to 1000000"},
  });
}

TEST(BreakerOptions, ATextThatIsNoObjectIsRefused) {
  for (const char* text : {"", "[]", "null", "{", R"({"openMs":1,})", "1"}) {
    const OptionError e = refused(text);
    EXPECT_EQ(e.status, uint32_t(Status::invalid_config)) << text;
    EXPECT_EQ(e.option(), "options") << text;
    EXPECT_EQ(e.message(), "options must be a well-formed JSON object") << text;
  }
}

}  // namespace
