#include "edgeguard/metrics/registry.hpp"

#include <cmath>

#include <gtest/gtest.h>

using namespace edgeguard::metrics;

TEST(Registry, CountersAndGaugesInTextFormat) {
  Registry r;
  const char* error = "";
  const uint32_t c = r.family("http_requests_total", "Requests.\nAll of them.", Kind::counter, {"code"}, {}, error);
  const uint32_t g = r.family("temperature", "Now", Kind::gauge, {}, {}, error);
  ASSERT_NE(c, kInvalid);
  ASSERT_NE(g, kInvalid);
  const std::string_view ok[] = {"200"};
  const std::string_view quoted[] = {"a\"b\\c\nd"};
  const uint32_t s200 = r.series(c, ok, 1);
  EXPECT_EQ(r.series(c, ok, 1), s200);
  r.add(s200, 2);
  r.add(s200, -5);  // counters never go down
  r.add(r.series(c, quoted, 1), 1);
  const uint32_t t = r.series(g, nullptr, 0);
  r.set(t, -3.5);
  r.add(t, 1);
  std::string out;
  r.prometheus(out);
  EXPECT_EQ(out,
            "# HELP http_requests_total Requests.\\nAll of them.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{code=\"200\"} 2\n"
            "http_requests_total{code=\"a\\\"b\\\\c\\nd\"} 1\n"
            "# HELP temperature Now\n"
            "# TYPE temperature gauge\n"
            "temperature -2.5\n");
}

TEST(Registry, HistogramWithFixedBuckets) {
  Registry r;
  const char* error = "";
  const uint32_t h = r.family("latency_seconds", "L", Kind::histogram, {}, {0.1, 0.5, 1}, error);
  ASSERT_NE(h, kInvalid) << error;
  const uint32_t s = r.series(h, nullptr, 0);
  for (double v : {0.05, 0.1, 0.3, 0.7, 5.0}) r.observe(s, v);
  r.observe(s, NAN);  // ignored
  EXPECT_EQ(r.value(s), 5);
  EXPECT_DOUBLE_EQ(r.histogram_sum(s), 6.15);
  EXPECT_EQ(r.bucket_count(s, 0), 2u);  // le is inclusive
  EXPECT_EQ(r.bucket_count(s, 2), 4u);
  EXPECT_EQ(r.bucket_count(s, 3), 5u);  // +Inf
  std::string out;
  r.prometheus(out);
  EXPECT_EQ(out,
            "# HELP latency_seconds L\n# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{le=\"0.1\"} 2\n"
            "latency_seconds_bucket{le=\"0.5\"} 3\n"
            "latency_seconds_bucket{le=\"1\"} 4\n"
            "latency_seconds_bucket{le=\"+Inf\"} 5\n"
            "latency_seconds_sum 6.15\n"
            "latency_seconds_count 5\n");
}

TEST(Registry, SeriesAreBounded) {
  Registry r(3);
  const char* error = "";
  const uint32_t c = r.family("x_total", "X", Kind::counter, {"k"}, {}, error);
  for (int i = 0; i < 100; ++i) {
    const std::string v = std::to_string(i);
    const std::string_view values[] = {v};
    r.add(r.series(c, values, 1), 1);
  }
  std::string out;
  r.prometheus(out);
  EXPECT_NE(out.find("x_total{k=\"_other\"} 97\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("k=\"3\""), std::string::npos);
}

TEST(Registry, BadFamiliesAreRefused) {
  Registry r;
  const char* error = "";
  EXPECT_EQ(r.family("1abc", "", Kind::counter, {}, {}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::counter, {"le"}, {}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::counter, {"__x"}, {}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::counter, {}, {1}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::histogram, {}, {}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::histogram, {}, {1, 1}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::histogram, {}, {1, INFINITY}, error), kInvalid);
  EXPECT_NE(r.family("ok", "", Kind::counter, {}, {}, error), kInvalid);
  EXPECT_EQ(r.family("ok", "", Kind::gauge, {}, {}, error), kInvalid);  // taken
  EXPECT_STREQ(error, "metric name already registered");
  const std::string_view v[] = {"a"};
  EXPECT_EQ(r.series(0, v, 1), kInvalid);  // wrong label count
  EXPECT_EQ(r.series(99, nullptr, 0), kInvalid);
}

TEST(Registry, Numbers) {
  std::string out;
  for (double v : {0.0, 42.0, -1.0, 0.25, 1e20, double(INFINITY), -double(INFINITY), double(NAN)}) {
    append_number(out, v);
    out += ' ';
  }
  EXPECT_EQ(out, "0 42 -1 0.25 1e+20 +Inf -Inf NaN ");
}

// A fraction prints with the fewest significant digits (15 to 17) that read back as it.
TEST(Registry, FractionsRoundTrip) {
  std::string out;
  for (double v : {0.1, 0.1 + 0.2, 1.0 / 3, 1.5e-7, 1.5e15, 1e16, 1234567890123456.5}) {
    append_number(out, v);
    out += ' ';
  }
  // Whole numbers print whole below 1e16, as fmt printed them.
  EXPECT_EQ(out, "0.1 0.30000000000000004 0.3333333333333333 1.5e-07 1500000000000000 1e+16 1234567890123456.5 ");
}
