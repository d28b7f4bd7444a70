#include "edgeguard/limit/limit_options.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace edgeguard::limit;
using edgeguard::json::OptionError;

namespace {

std::unique_ptr<Limiter> make(const std::string& text) {
  std::unique_ptr<Limiter> l;
  const OptionError e = make_limiter(text.data(), text.size(), l);
  EXPECT_FALSE(e) << text << ": " << e.message();
  EXPECT_TRUE(l) << text;
  return l;
}

OptionError refused(const std::string& text) {
  std::unique_ptr<Limiter> l;
  const OptionError e = make_limiter(text.data(), text.size(), l);
  EXPECT_TRUE(e) << text;
  EXPECT_FALSE(l) << text;
  return e;
}

TEST(LimitOptions, DefaultsAreTheConfigs) {
  const auto l = make(R"({"policies":[{"limit":10,"windowMs":1000}]})");
  ASSERT_EQ(l->policies().size(), 1u);
  const PolicyConfig& p = l->policies()[0].config;
  EXPECT_EQ(p.algorithm, Algorithm::gcra);
  EXPECT_EQ(p.limit, 10u);
  EXPECT_EQ(p.window_ms, 1000);
  EXPECT_EQ(p.burst, 0u) << "none: the limit";
  EXPECT_EQ(l->policies()[0].capacity, 10u);
  EXPECT_EQ(p.block_ms, 0);
  EXPECT_EQ(l->stats().max_keys, kDefaultMaxKeys);
  EXPECT_EQ(l->max_key_bytes(), kDefaultMaxKeyBytes);
}

TEST(LimitOptions, ReadsEveryOption) {
  const auto l = make(R"({"policies":[{"limit":10,"windowMs":1000,"algorithm":"token-bucket",
    "burst":20,"blockMs":5000},{"limit":3,"windowMs":60000,"algorithm":"sliding-log"}],
    "maxKeys":50,"maxKeyBytes":64,"seed":9007199254740991})");
  ASSERT_EQ(l->policies().size(), 2u);
  const PolicyConfig& a = l->policies()[0].config;
  const PolicyConfig& b = l->policies()[1].config;
  EXPECT_EQ(a.algorithm, Algorithm::token_bucket);
  EXPECT_EQ(a.burst, 20u);
  EXPECT_EQ(a.block_ms, 5000);
  EXPECT_EQ(b.algorithm, Algorithm::sliding_log);
  EXPECT_EQ(b.limit, 3u);
  EXPECT_EQ(b.window_ms, 60000);
  EXPECT_EQ(l->stats().max_keys, 50u);
  EXPECT_EQ(l->max_key_bytes(), 64u);
  const char* const names[] = {"gcra", "token-bucket", "sliding-window", "fixed-window", "sliding-log"};
  for (uint32_t i = 0; i < 5; ++i) {
    const std::string text = std::string(R"({"policies":[{"limit":10,"windowMs":1000,"algorithm":")") + names[i] + "\"}]}";
    EXPECT_EQ(uint32_t(make(text)->policies()[0].config.algorithm), i) << names[i];
  }
}

TEST(LimitOptions, RefusesEachRangeWithItsStatusNamingItsOption) {
  const std::string ok = R"({"limit":10,"windowMs":1000})";
  std::string seventeen = ok;
  for (int i = 0; i < 16; ++i) seventeen += "," + ok;
  const struct {
    std::string text;
    Status status;
    const char* option;
  } cases[] = {
      {"{}", Status::no_policies, "policies"},
      {R"({"policies":[]})", Status::no_policies, "policies"},
      {R"({"policies":{}})", Status::no_policies, "policies"},
      {R"({"policies":[)" + seventeen + "]}", Status::too_many_policies, "policies"},
      {R"({"policies":[null]})", Status::bad_policy, "policies.0"},
      {R"({"policies":[)" + ok + R"(,{"limit":10,"windowMs":1000,"algorithm":"leaky"}]})", Status::bad_algorithm,
       "policies.1.algorithm"},
      {R"({"policies":[{"limit":0,"windowMs":1000}]})", Status::bad_limit, "policies.0.limit"},
      {R"({"policies":[{"limit":1.5,"windowMs":1000}]})", Status::bad_limit, "policies.0.limit"},
      {R"({"policies":[{"limit":"10","windowMs":1000}]})", Status::bad_limit, "policies.0.limit"},
      {R"({"policies":[{"limit":2147483648,"windowMs":1000}]})", Status::bad_limit, "policies.0.limit"},
      {R"({"policies":[{"limit":10,"windowMs":0}]})", Status::bad_window, "policies.0.windowMs"},
      {R"({"policies":[{"limit":10}]})", Status::bad_window, "policies.0.windowMs"},
      {R"({"policies":[{"limit":10,"windowMs":null}]})", Status::bad_window, "policies.0.windowMs"},
      {R"({"policies":[{"limit":10,"windowMs":1000,"burst":0}]})", Status::bad_burst, "policies.0.burst"},
      {R"({"policies":[{"limit":10,"windowMs":1000,"burst":"5"}]})", Status::bad_burst, "policies.0.burst"},
      {R"({"policies":[{"limit":10,"windowMs":1000,"algorithm":"fixed-window","burst":5}]})", Status::bad_burst,
       "policies.0.burst"},
      {R"({"policies":[{"limit":10,"windowMs":1000,"blockMs":-5}]})", Status::bad_block, "policies.0.blockMs"},
      {R"({"policies":[{"limit":1001,"windowMs":1000,"algorithm":"sliding-log"}]})", Status::log_too_large,
       "policies.0.limit"},
      {R"({"policies":[{"limit":1000,"windowMs":1000,"algorithm":"sliding-log"}],"maxKeys":1000000})",
       Status::table_too_large, "maxKeys"},
      {R"({"policies":[)" + ok + R"(],"maxKeys":0})", Status::bad_max_keys, "maxKeys"},
      {R"({"policies":[)" + ok + R"(],"maxKeys":1.5})", Status::bad_max_keys, "maxKeys"},
      {R"({"policies":[)" + ok + R"(],"maxKeyBytes":0})", Status::bad_max_key_bytes, "maxKeyBytes"},
      {R"({"policies":[)" + ok + R"(],"maxKeyBytes":65536})", Status::bad_max_key_bytes, "maxKeyBytes"},
      {R"({"policies":[)" + ok + R"(],"seed":-1})", Status::bad_policy, "seed"},
      {"[]", Status::bad_policy, "options"},
  };
  for (const auto& c : cases) {
    const OptionError e = refused(c.text);
    EXPECT_EQ(e.status, uint32_t(c.status)) << c.text;
    EXPECT_EQ(e.option(), c.option) << c.text;
  }
}

TEST(LimitOptions, APolicysRefusalIsWordedForThePolicy) {
  const OptionError e = refused(R"({"policies":[{"limit":10,"windowMs":1000},{"limit":10,"windowMs":-1}]})");
  EXPECT_EQ(e.option(), "policies.1.windowMs");
  EXPECT_EQ(e.message(), "windowMs must be an integer from 1 to 2^40");
  const OptionError many = refused(R"({"policies":[{"limit":10,"windowMs":1000}],"maxKeys":0})");
  EXPECT_EQ(many.message(), "maxKeys must be an integer from 1 to 67108863");
}

TEST(LimitOptions, PolicyIndexesAboveNineAreNamedWhole) {
  std::string text = R"({"policies":[)";
  for (int i = 0; i < 12; ++i) text += R"({"limit":10,"windowMs":1000},)";
  text += R"({"limit":0,"windowMs":1000}]})";
  EXPECT_EQ(refused(text).option(), "policies.12.limit");
}

}  // namespace
