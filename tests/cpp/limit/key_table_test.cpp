#include "edgeguard/limit/key_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "edgeguard/hash/hash.hpp"

namespace edgeguard::limit {
namespace {

const uint8_t* bytes(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

struct Table {
  KeyTable t;
  Table(uint32_t max_keys, uint64_t seed = 42) : t(max_keys, 1, seed) {}
  uint32_t find(const std::string& k) const { return t.find(bytes(k), k.size(), t.hash(bytes(k), k.size())); }
  uint32_t insert(const std::string& k) { return t.insert(bytes(k), k.size(), t.hash(bytes(k), k.size())); }
  std::vector<std::string> oldest_first() const {
    std::vector<std::string> out;
    for (uint32_t id = t.oldest(); id != KeyTable::npos; id = t.newer(id)) out.emplace_back(t.key(id));
    return out;
  }
};

TEST(KeyTable, StoresShortLongAndEmptyKeysWithTheirOwnState) {
  Table tb(16);
  const std::string long_key(300, 'x');
  const std::string binary("a\0b", 3);
  for (const std::string& k : {std::string(""), std::string("ip:10.0.0.1"), long_key, binary}) {
    ASSERT_EQ(tb.find(k), KeyTable::npos);
    const uint32_t id = tb.insert(k);
    ASSERT_NE(id, KeyTable::npos);
    EXPECT_EQ(tb.t.state(id)[0], 0.0);
    tb.t.state(id)[0] = double(k.size());
    EXPECT_EQ(tb.t.key(id), k);
  }
  EXPECT_EQ(tb.t.size(), 4u);
  EXPECT_EQ(tb.t.state(tb.find(long_key))[0], 300.0);
  EXPECT_EQ(tb.t.state(tb.find(binary))[0], 3.0);
  EXPECT_EQ(tb.find(std::string("a\0c", 3)), KeyTable::npos);
  EXPECT_EQ(tb.find(std::string(299, 'x')), KeyTable::npos);
}

TEST(KeyTable, KeysWhoseHashesCollideStayDistinct) {
  // Find two different keys with the same 32-bit hash under this seed (birthday search).
  const uint64_t seed = 7;
  std::unordered_map<uint32_t, std::string> seen;
  std::string a, b;
  for (int i = 0; a.empty(); ++i) {
    const std::string k = "client-" + std::to_string(i);
    const auto [it, fresh] = seen.emplace(hash::hash_key(bytes(k), k.size(), seed), k);
    if (!fresh) {
      a = it->second;
      b = k;
    }
  }
  Table tb(8, seed);
  const uint32_t ia = tb.insert(a);
  tb.t.state(ia)[0] = 1;
  EXPECT_EQ(tb.find(b), KeyTable::npos);
  const uint32_t ib = tb.insert(b);
  tb.t.state(ib)[0] = 2;
  EXPECT_NE(ia, ib);
  EXPECT_EQ(tb.find(a), ia);
  EXPECT_EQ(tb.find(b), ib);
  tb.t.erase(ia);
  EXPECT_EQ(tb.find(a), KeyTable::npos);
  EXPECT_EQ(tb.t.state(tb.find(b))[0], 2.0);
}

TEST(KeyTable, KeepsLeastRecentlySeenOrder) {
  Table tb(8);
  for (const char* k : {"a", "b", "c", "d"}) tb.insert(k);
  EXPECT_EQ(tb.oldest_first(), (std::vector<std::string>{"a", "b", "c", "d"}));
  tb.t.touch(tb.find("b"));
  tb.t.touch(tb.find("a"));
  EXPECT_EQ(tb.oldest_first(), (std::vector<std::string>{"c", "d", "b", "a"}));
  tb.t.erase(tb.find("d"));
  tb.insert("e");
  EXPECT_EQ(tb.oldest_first(), (std::vector<std::string>{"c", "b", "a", "e"}));
}

TEST(KeyTable, MatchesAReferenceMapUnderRandomInsertsAndErases) {
  // Small table, many deletions: exercises backward-shift deletion across wrap-around.
  Table tb(300, 3);
  std::map<std::string, double> ref;
  std::mt19937 rng(1);
  for (int step = 0; step < 100'000; ++step) {
    const std::string k = "k" + std::to_string(rng() % 600);
    const uint32_t id = tb.find(k);
    ASSERT_EQ(id != KeyTable::npos, ref.count(k) == 1) << k;
    if (id != KeyTable::npos) {
      ASSERT_EQ(tb.t.state(id)[0], ref[k]);
      if (rng() % 2) {
        tb.t.erase(id);
        ref.erase(k);
      }
    } else if (!tb.t.full()) {
      const uint32_t nid = tb.insert(k);
      ASSERT_NE(nid, KeyTable::npos);
      tb.t.state(nid)[0] = ref[k] = step;
    }
    ASSERT_EQ(tb.t.size(), ref.size());
  }
}

TEST(KeyTable, GrowsToMaxKeysThenStops) {
  Table tb(1000);
  size_t last = tb.t.memory_bytes();
  for (int i = 0; i < 1000; ++i) {
    ASSERT_NE(tb.insert("key" + std::to_string(i)), KeyTable::npos);
    EXPECT_GE(tb.t.memory_bytes(), last);
    last = tb.t.memory_bytes();
  }
  EXPECT_TRUE(tb.t.full());
  EXPECT_EQ(tb.insert("one too many"), KeyTable::npos);
  // Entry + one state word + index at load 3/4, plus the object itself.
  EXPECT_LE(last, sizeof(KeyTable) + 1000 * (sizeof(void*) == 4 ? 47 : 51));
  for (int i = 0; i < 1000; ++i) {
    tb.t.erase(tb.t.oldest());
    ASSERT_NE(tb.insert("other" + std::to_string(i)), KeyTable::npos);
  }
  EXPECT_EQ(tb.t.memory_bytes(), last);
}

TEST(KeyTable, LongKeysAreCountedAndFreed) {
  Table tb(4);
  const size_t before = tb.t.memory_bytes();
  const std::string k(1000, 'k');
  const uint32_t id = tb.insert(k);
  EXPECT_GE(tb.t.memory_bytes(), before + 1000);
  tb.t.erase(id);
  EXPECT_LT(tb.t.memory_bytes(), before + 1000);
}

}  // namespace
}  // namespace edgeguard::limit
