#include "edgeguard/hash/hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace edgeguard::hash {
namespace {

uint32_t h(const std::string& s, uint64_t seed = 0) {
  return hash_key(reinterpret_cast<const uint8_t*>(s.data()), s.size(), seed);
}

TEST(Hash, DependsOnEveryByteTheLengthAndTheSeed) {
  EXPECT_NE(h("user:1"), h("user:2"));
  EXPECT_NE(h("a"), h(std::string("a\0", 2)));
  EXPECT_NE(h(""), h(std::string(1, '\0')));
  EXPECT_NE(h("12345678"), h("123456789"));
  EXPECT_NE(h("key", 1), h("key", 2));
  EXPECT_EQ(h("key", 7), h("key", 7));
}

TEST(Hash, SpreadsSequentialKeysOverTheTable) {
  // The table maps a hash to a slot with its top bits, so those must vary for similar keys.
  std::set<uint32_t> top;
  for (int i = 0; i < 4096; ++i) top.insert(h("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)) >> 20);
  EXPECT_GT(top.size(), 2500u);  // 4096 balls into 4096 bins fill ~2589 of them
}

TEST(Hash, SameBytesSeesADifferenceAtEveryPositionOfEveryLength) {
  for (size_t len = 0; len <= 24; ++len) {
    const std::string a(len, 'k');
    EXPECT_TRUE(same_bytes(reinterpret_cast<const uint8_t*>(a.data()),
                           reinterpret_cast<const uint8_t*>(a.data()), len));
    for (size_t i = 0; i < len; ++i) {
      std::string b = a;
      b[i] = 'j';
      EXPECT_FALSE(same_bytes(reinterpret_cast<const uint8_t*>(a.data()),
                              reinterpret_cast<const uint8_t*>(b.data()), len)) << len << " " << i;
      EXPECT_NE(h(a), h(b)) << len << " " << i;
    }
  }
}

}  // namespace
}  // namespace edgeguard::hash
