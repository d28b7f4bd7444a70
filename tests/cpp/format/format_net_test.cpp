#include "edgeguard/format/format_net.hpp"

#include <gtest/gtest.h>

#include <string>

namespace edgeguard::validate::formats {
namespace {

TEST(FormatNet, Ipv4IsStrictDottedDecimal) {
  EXPECT_TRUE(is_ipv4("0.0.0.0"));
  EXPECT_TRUE(is_ipv4("255.255.255.255"));
  for (const char* bad : {"256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.",
                          "0x1.2.3.4", "1.2.3.4 ", "", "1234.1.1.1"}) {
    EXPECT_FALSE(is_ipv4(bad)) << bad;
  }
}

TEST(FormatNet, Ipv6TextForms) {
  for (const char* ok : {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1::8", "fe80::1:2", "::ffff:1.2.3.4",
                         "1:2:3:4:5:6:1.2.3.4", "ABCD:ef01::"}) {
    EXPECT_TRUE(is_ipv6(ok)) << ok;
  }
  for (const char* bad : {":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::",
                          ":1::", "1::2:", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "fe80::1%eth0",
                          "[::1]", "::g"}) {
    EXPECT_FALSE(is_ipv6(bad)) << bad;
  }
}

TEST(FormatNet, Hostnames) {
  EXPECT_TRUE(is_hostname("example.com"));
  EXPECT_TRUE(is_hostname("EXAMPLE.COM"));
  EXPECT_TRUE(is_hostname("a"));
  EXPECT_TRUE(is_hostname("xn--bcher-kva.example"));  // bücher
  EXPECT_FALSE(is_hostname("b\xc3\xbc" "cher.example"));  // U-labels are idn-hostname only
  EXPECT_FALSE(is_hostname("example..com"));
  EXPECT_FALSE(is_hostname(std::string(64, 'a') + ".com"));
  EXPECT_TRUE(is_hostname(std::string(63, 'a') + ".com"));
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(63, 'a') + ".";
  EXPECT_FALSE(is_hostname(long_name + "a"));
  EXPECT_TRUE(is_idn_hostname("b\xc3\xbc" "cher.example"));
  EXPECT_TRUE(is_idn_hostname("b\xc3\xbc" "cher\xe3\x80\x82" "example"));  // ideographic full stop
}

TEST(FormatNet, Emails) {
  for (const char* ok : {"a@b", "first.last@example.com", "\"a b\"@example.com", "\"a\\\"b\"@example.com",
                         "x+tag@[192.168.0.1]", "x@[IPv6:2001:db8::1]", "!#$%&'*+-/=?^_`{|}~@example.com"}) {
    EXPECT_TRUE(is_email(ok)) << ok;
  }
  for (const char* bad : {"", "@example.com", "a@", "a..b@example.com", ".a@example.com", "a.@example.com",
                          "a b@example.com", "a@b@c", "a@[1.2.3.999]", "a@-example.com",
                          "\xc3\xa9@example.com", "\"unterminated@example.com"}) {
    EXPECT_FALSE(is_email(bad)) << bad;
  }
  EXPECT_FALSE(is_email(std::string(65, 'a') + "@example.com"));
  EXPECT_TRUE(is_idn_email("\xc3\xa9@b\xc3\xbc" "cher.example"));
  EXPECT_FALSE(is_idn_email("\xff@example.com"));
}

}  // namespace
}  // namespace edgeguard::validate::formats
