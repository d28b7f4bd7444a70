#include "edgeguard/guard/client_ip.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::guard;

TEST(ClientIp, CfConnectingIpIsTrustedAsIs) {
  const ClientIpPolicy p{ClientIpPolicy::cf_connecting_ip, 1};
  EXPECT_EQ(client_ip(p, "203.0.113.7", ""), "203.0.113.7");
  EXPECT_EQ(client_ip(p, " 2001:db8::1 ", ""), "2001:db8::1");
  EXPECT_EQ(client_ip(p, "", "198.51.100.1"), "198.51.100.1");  // local dev: no Cloudflare in front
  EXPECT_EQ(client_ip(p, "", ""), "unknown");
  EXPECT_EQ(client_ip(p, "evil<script>", ""), "unknown");
}

TEST(ClientIp, ForwardedForCountsTrustedHopsFromTheRight) {
  // The client sent "1.1.1.1" itself; our one proxy appended the address it saw.
  const ClientIpPolicy one{ClientIpPolicy::forwarded_for, 1};
  EXPECT_EQ(client_ip(one, "1.1.1.1, 203.0.113.9", "10.0.0.2"), "203.0.113.9");
  const ClientIpPolicy two{ClientIpPolicy::forwarded_for, 2};
  EXPECT_EQ(client_ip(two, "1.1.1.1, 203.0.113.9, 10.0.0.1", "10.0.0.2"), "203.0.113.9");
  // Fewer entries than hops: every entry came from our proxies, the leftmost is the client.
  EXPECT_EQ(client_ip(two, "203.0.113.9", "10.0.0.2"), "203.0.113.9");
  // No header at all: the peer address.
  EXPECT_EQ(client_ip(one, "", "10.0.0.2"), "10.0.0.2");
}

TEST(ClientIp, PortsAndBracketsAreRemoved) {
  const ClientIpPolicy one{ClientIpPolicy::forwarded_for, 1};
  EXPECT_EQ(client_ip(one, "203.0.113.9:5123", ""), "203.0.113.9");
  EXPECT_EQ(client_ip(one, "[2001:db8::7]:443", ""), "2001:db8::7");
  EXPECT_EQ(client_ip(one, "2001:db8::7", ""), "2001:db8::7");
  EXPECT_EQ(client_ip(one, "[2001:db8::7", ""), "unknown");
}

TEST(ClientIp, RemoteIgnoresHeaders) {
  const ClientIpPolicy p{ClientIpPolicy::remote, 1};
  EXPECT_EQ(client_ip(p, "1.1.1.1", "::1"), "::1");
}

TEST(ClientIp, LooksLikeIp) {
  EXPECT_TRUE(looks_like_ip("127.0.0.1"));
  EXPECT_TRUE(looks_like_ip("::1"));
  EXPECT_FALSE(looks_like_ip("localhost"));
  EXPECT_FALSE(looks_like_ip("1234"));
  EXPECT_FALSE(looks_like_ip(std::string(46, '1') + "."));
}
