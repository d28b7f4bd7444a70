#include "edgeguard/cache/entry_table.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "cache/allocation_failure.hpp"
#include "cache/table_helpers.hpp"

using namespace edgeguard::cache;
using edgeguard::cache::testing::FailAllocations;
using edgeguard::cache::testing::kForever;
using edgeguard::cache::testing::TableHarness;

namespace {

const PolicyKind kAllPolicies[] = {PolicyKind::tinylfu, PolicyKind::lru, PolicyKind::lfu,
                                   PolicyKind::fifo};

TEST(EntryTable, ChecksTheConfig) {
  EXPECT_EQ(EntryTable::check({PolicyKind::lru, {10, kUnbounded}, 0}).status, Status::ok);
  EXPECT_EQ(EntryTable::check({PolicyKind::lru, {kUnbounded, 10}, 0}).status, Status::ok);
  EXPECT_EQ(EntryTable::check({PolicyKind::lru, {kUnbounded, kUnbounded}, 0}).status,
            Status::invalid_config);
  EXPECT_EQ(EntryTable::check({PolicyKind::lru, {0, 10}, 0}).status, Status::invalid_config);
  EXPECT_EQ(EntryTable::check({PolicyKind::lru, {10, 0}, 0}).status, Status::invalid_config);
  EXPECT_EQ(EntryTable::check({PolicyKind::lru, {uint64_t{1} << 32, 10}, 0}).status,
            Status::invalid_config);
  EXPECT_EQ(EntryTable::check({PolicyKind(4), {10, 10}, 0}).status, Status::invalid_config);
}

TEST(EntryTable, RefusesAnEntryLargerThanMaxBytesAndChangesNothing) {
  for (PolicyKind kind : kAllPolicies) {
    TableHarness h(kind, 10, 100);
    h.set(1, 60);
    EXPECT_EQ(h.set(2, 101), Status::too_large);
    EXPECT_FALSE(h.has(2));
    EXPECT_TRUE(h.has(1));
    EXPECT_EQ(h.table.bytes(), 60u);
    EXPECT_EQ(h.set(3, 100), Status::ok);  // exactly maxBytes fits (evicting the rest)
    EXPECT_LE(h.table.bytes(), 100u);
  }
}

TEST(EntryTable, RefusedUpdateDropsTheOldValue) {
  TableHarness h(PolicyKind::lru, 10, 100);
  h.set(1, 10);
  EXPECT_EQ(h.set(1, 500), Status::too_large);
  EXPECT_FALSE(h.has(1));
  EXPECT_EQ(h.table.entries(), 0u);
  EXPECT_EQ(h.table.bytes(), 0u);
  EXPECT_EQ(h.removed.back().second, Reason::deleted);
}

TEST(EntryTable, ByteAccountingFollowsUpdates) {
  for (PolicyKind kind : kAllPolicies) {
    TableHarness h(kind, 100, 1000);
    h.set(1, 100), h.set(2, 200), h.set(3, 300);
    EXPECT_EQ(h.table.bytes(), 600u);
    h.set(2, 50);
    EXPECT_EQ(h.table.bytes(), 450u);
    h.set(2, 250);
    EXPECT_EQ(h.table.bytes(), 650u);
    h.set(4, 0);  // charged one byte, so maxBytes also bounds the count
    EXPECT_EQ(h.table.bytes(), 651u);
    h.del(1);
    EXPECT_EQ(h.table.bytes(), 551u);
    EXPECT_EQ(h.table.entries(), 3u);
    h.set(3, 700);  // 250 + 1 + 700 > 1000: something else must go
    EXPECT_LE(h.table.bytes(), 1000u);
    EXPECT_TRUE(h.has(3)) << int(kind);
  }
}

TEST(EntryTable, BothBoundsHoldUnderRandomTraffic) {
  const std::string_view tag_names[] = {"t0", "t1", "t2"};
  for (PolicyKind kind : kAllPolicies) {
    TableHarness h(kind, 50, 2000, 99);
    std::mt19937 rng(uint32_t(kind) + 1);
    std::map<uint32_t, int> tag_of;  // the tag each key was last stored with, -1 for none
    for (int step = 0; step < 20000; ++step) {
      h.now += rng() % 3;
      const uint32_t k = rng() % 300;
      const int tag = int(rng() % 4) - 1;
      std::vector<std::string_view> tags;
      if (tag >= 0) tags.push_back(tag_names[tag]);
      switch (rng() % 4) {
        case 0:
          if (h.set(k, rng() % 120, 1 + rng() % 500, rng() % 100, rng() % 300, tags) == Status::ok)
            tag_of[k] = tag;
          break;
        case 1:
          if (h.set(k, rng() % 120, kForever, 0, 0, tags) == Status::ok) tag_of[k] = tag;
          break;
        case 2: h.get(k); break;
        default:
          if (h.has(k)) h.del(k);
      }
      ASSERT_LE(h.table.entries(), 50u);
      ASSERT_LE(h.table.bytes(), 2000u);
      ASSERT_EQ(h.table.entries(), h.slots.size());
      if (step % 1000 == 0) {
        uint64_t sum = 0;
        for (const auto& kv : h.slots) {
          ASSERT_TRUE(h.table.contains(kv.second));
          sum += h.table.entry(kv.second).size;
        }
        ASSERT_EQ(sum, h.table.bytes());
      }
    }
    for (int t = 0; t < 3; ++t) {
      size_t expected = 0;
      for (const auto& kv : h.slots) expected += tag_of.at(kv.first) == t;
      EXPECT_EQ(h.table.remove_tagged(tag_names[t]), expected) << int(kind) << " tag " << t;
      h.forget_removed();
    }
  }
}

TEST(EntryTable, GetReportsFreshnessAndAgeAtEveryBoundary) {
  TableHarness h(PolicyKind::lru, 10);
  h.now = 1000;
  h.set(1, 1, 100, 50, 200);
  const Slot s = h.slots[1];
  struct Case { double at; Freshness state; bool on_error; };
  for (const Case c : {Case{1099, Freshness::fresh, true}, Case{1100, Freshness::stale, true},
                       Case{1149, Freshness::stale, true},
                       Case{1150, Freshness::stale_if_error, true},
                       Case{1299, Freshness::stale_if_error, true}}) {
    const Lookup l = h.table.get(s, c.at);
    EXPECT_EQ(l.state, c.state) << c.at;
    EXPECT_EQ(l.age, c.at - 1000);
    EXPECT_EQ(l.usable_on_error, c.on_error);
  }
  EXPECT_EQ(h.table.peek(s, 1300).state, Freshness::expired);
  EXPECT_TRUE(h.table.contains(s));  // peek never removes
  EXPECT_EQ(h.table.get(s, 1300).state, Freshness::expired);
  EXPECT_FALSE(h.table.contains(s));  // get removes what can never be served
  ASSERT_EQ(h.table.removals().size(), 1u);
  EXPECT_EQ(h.table.removals()[0].reason, Reason::expired);
}

TEST(EntryTable, StaleIfErrorOnlyReadsDoNotCountAsHits) {
  TableHarness h(PolicyKind::lru, 2);
  h.set(1, 1, 10, 0, 100);
  h.set(2, 1, kForever);
  h.now = 20;  // key 1 is only usable on error now
  EXPECT_FALSE(h.get(1));
  h.set(3);  // so 1 is still the least recently used
  EXPECT_FALSE(h.has(1));
  EXPECT_TRUE(h.has(2));
}

TEST(EntryTable, ExpiredEntriesGoBeforeLiveOnes) {
  for (PolicyKind kind : kAllPolicies) {
    TableHarness h(kind, 3);
    h.set(1, 1, kForever), h.set(2, 1, 10), h.set(3, 1, kForever);
    h.now = 10;
    h.set(4);
    EXPECT_EQ(h.keys(), (std::vector<uint32_t>{1, 3, 4})) << int(kind);
    EXPECT_EQ(h.removed.back().second, Reason::expired);
  }
}

TEST(EntryTable, ExpireRemovesEveryExpiredEntryAndOnlyThose) {
  TableHarness h(PolicyKind::tinylfu, 100);
  for (uint32_t k = 0; k < 20; ++k) h.set(k, 1, k, 0, k % 2 ? 5 : 0);
  // Even k expire at k (k = 0 was born expired), odd k at k + 5.
  EXPECT_EQ(h.table.expire(9), 6u);  // 2, 4, 6, 8 and 1, 3
  h.forget_removed();
  for (uint32_t k = 0; k < 20; ++k) {
    const bool alive = k % 2 ? k + 5 > 9 : k > 9;
    EXPECT_EQ(h.has(k), alive) << k;
  }
  EXPECT_EQ(h.table.expire(9), 0u);
}

TEST(EntryTable, AnEntryBornExpiredIsNotKept) {
  TableHarness h(PolicyKind::lru, 10);
  EXPECT_EQ(h.set(1, 1, 0), Status::ok);
  EXPECT_FALSE(h.has(1));
  EXPECT_EQ(h.removed.back().second, Reason::expired);
}

TEST(EntryTable, RejectsBadLifetimesWithoutChanges) {
  TableHarness h(PolicyKind::lru, 10);
  EXPECT_EQ(h.set(1, 1, -1), Status::invalid_argument);
  EXPECT_EQ(h.set(1, 1, std::nan("")), Status::invalid_argument);
  EXPECT_EQ(h.table.entries(), 0u);
  Slot s;
  EXPECT_EQ(h.table.insert(1, 1, Lifetime{std::nan(""), 1, 0, 0}, {}, 0, &s),
            Status::invalid_argument);
  EXPECT_EQ(h.table.replace(12345, 1, Lifetime{0, 1, 0, 0}, {}, 0), Status::invalid_argument);
}

TEST(EntryTable, InvalidatesByTag) {
  TableHarness h(PolicyKind::tinylfu, 100);
  h.set(1, 1, kForever, 0, 0, {"user:1", "users"});
  h.set(2, 1, kForever, 0, 0, {"user:2", "users"});
  h.set(3, 1, kForever, 0, 0, {"posts"});
  EXPECT_EQ(h.table.remove_tagged("user:1"), 1u);
  h.forget_removed();
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(h.table.remove_tagged("users"), 1u);
  h.forget_removed();
  EXPECT_EQ(h.removed.back(), (std::pair<uint32_t, Reason>{2, Reason::invalidated}));
  EXPECT_EQ(h.table.remove_tagged("users"), 0u);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{3}));
}

TEST(EntryTable, AnUpdateReplacesTags) {
  TableHarness h(PolicyKind::lru, 100);
  h.set(1, 1, kForever, 0, 0, {"a"});
  h.set(1, 1, kForever, 0, 0, {"b"});
  EXPECT_EQ(h.table.remove_tagged("a"), 0u);
  std::vector<std::string_view> tags;
  h.table.tags_of(h.slots[1], tags);
  EXPECT_EQ(tags, (std::vector<std::string_view>{"b"}));
  EXPECT_EQ(h.table.remove_tagged("b"), 1u);
}

TEST(EntryTable, EvictedAndExpiredEntriesLeaveTheirTags) {
  TableHarness h(PolicyKind::lru, 2);
  h.set(1, 1, kForever, 0, 0, {"t"});
  h.set(2, 1, 5, 0, 0, {"t"});
  h.set(3, 1, kForever, 0, 0, {"t"});  // evicts 1
  h.now = 5;
  h.set(4);  // expires 2
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(h.table.remove_tagged("t"), 1u);
}

TEST(EntryTable, ClearEmptiesEverythingAndTheTableIsReusable) {
  for (PolicyKind kind : kAllPolicies) {
    TableHarness h(kind, 5);
    for (uint32_t k = 0; k < 5; ++k) h.set(k, 3, 10, 0, 0, {"x"});
    h.table.clear();
    h.slots.clear();
    h.key_of.clear();
    EXPECT_EQ(h.table.entries(), 0u);
    EXPECT_EQ(h.table.bytes(), 0u);
    EXPECT_EQ(h.table.remove_tagged("x"), 0u);
    EXPECT_EQ(h.table.expire(1000), 0u);
    for (uint32_t k = 0; k < 8; ++k) h.set(k);
    EXPECT_EQ(h.table.entries(), 5u);
  }
}

TEST(EntryTable, MemoryPerEntryIsSmall) {
  // The entry (20 bytes), its lifetime (32), tag head (4), expiry heap slot and position (8),
  // two sketch words (16), TinyLFU's byte of uses, and room for its removal (8), reserved so
  // that no removal allocates (unused slots are listed through the entries, at no cost).
  TableHarness h(PolicyKind::tinylfu, 8192);
  for (uint32_t k = 0; k < 8192; ++k) h.set(k * 2654435761u, 1, 1000 + k);
  const double per_entry = double(h.table.memory_bytes()) / 8192;
  EXPECT_EQ(sizeof(Entry), 20u);
  EXPECT_LE(per_entry, 89.0);
  EXPECT_GE(per_entry, 89.0);
}

}  // namespace

namespace {

TEST(EntryTable, RecordedHitsCountLikeReadsInTheirOrder) {
  TableHarness direct(PolicyKind::lru, 3), batched(PolicyKind::lru, 3);
  for (TableHarness* h : {&direct, &batched}) h->set(1), h->set(2), h->set(3);
  direct.get(2), direct.get(1);
  const Slot reads[] = {batched.slots[2], batched.slots[1], 12345};  // an unknown slot is skipped
  batched.table.record_hits(reads, 3);
  direct.set(4), batched.set(4);
  EXPECT_EQ(direct.keys(), (std::vector<uint32_t>{1, 2, 4}));
  EXPECT_EQ(batched.keys(), direct.keys());
}

}  // namespace

namespace {

// Out of memory: a call either completes or answers out_of_memory, and the table stays
// consistent; removals never allocate, so nothing can half-remove an entry.

TEST(EntryTable, RemovalsNeverAllocate) {
  for (PolicyKind kind : kAllPolicies) {
    TableHarness h(kind, 64);
    h.removed.reserve(64);
    for (uint32_t k = 0; k < 40; ++k) h.set(k, 1, k % 2 ? 10 : kForever, 0, 0, {"all", k % 3 ? "some" : "few"});
    const size_t few = h.tagged("few");
    h.now = 10;
    size_t invalidated = 0;
    bool refused;
    {
      FailAllocations none(0);
      h.get(1);  // expired: removed
      h.del(2);
      invalidated = h.table.remove_tagged("few");
      h.forget_removed();
      h.table.expire(h.now);
      h.forget_removed();
      refused = none.refused();
    }
    EXPECT_FALSE(refused);
    EXPECT_EQ(invalidated, few);
    EXPECT_EQ(h.tagged("few"), 0u);
    // Left: the 20 keys that never expire but 2 and the 7 even keys tagged "few".
    EXPECT_EQ(h.table.entries(), 20u - 1 - 7);
    h.expect_consistent();
  }
}

TEST(EntryTable, AnInsertOrReplaceOutOfMemoryIsReportedAndLeavesTheTableConsistent) {
  for (PolicyKind kind : kAllPolicies) {
    for (bool replacing : {false, true}) {
      for (size_t allowed = 0;; ++allowed) {
        ASSERT_LT(allowed, 100u);
        TableHarness h(kind, 6);
        h.removed.reserve(64);
        for (uint32_t k = 0; k < 6; ++k) h.set(k, 1, k < 3 ? 5 : kForever, 0, 0, {"old", k % 2 ? "odd" : "even"});
        h.now = 5;  // 0..2 expire during the next insert or replace
        const uint32_t key = replacing ? 4 : 100;
        const Lifetime life{h.now, 10, 0, 0};
        const std::vector<std::string_view> tags{"new", "odd", "fresh", "new"};
        Slot s = kNil;
        Status st;
        bool refused;
        {
          FailAllocations f(allowed);
          st = replacing ? h.table.replace(h.slots.at(key), 2, life, tags, h.now)
                         : h.table.insert(key, 2, life, tags, h.now, &s);
          refused = f.refused();
        }
        h.forget_removed();
        if (!replacing && st == Status::ok) h.slots[key] = s, h.key_of[s] = key;
        EXPECT_EQ(st, refused ? Status::out_of_memory : Status::ok) << allowed;
        // A refused update does not leave the old value to be served as if it had happened.
        if (refused) EXPECT_FALSE(h.has(key));
        h.expect_consistent();

        for (uint32_t k = 200; k < 210; ++k) h.set(k, 1, 10, 0, 0, {"new", "odd"});
        h.now = 100;
        const size_t odd = h.tagged("odd");
        EXPECT_EQ(h.table.remove_tagged("odd"), odd);
        h.forget_removed();
        h.table.expire(h.now);
        h.forget_removed();
        h.expect_consistent();
        EXPECT_EQ(h.table.remove_tagged("fresh"), 0u);
        if (!refused) {
          EXPECT_GT(allowed, 0u);  // the first attempts did run out
          break;
        }
      }
    }
  }
}

}  // namespace
