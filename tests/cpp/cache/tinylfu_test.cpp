#include "edgeguard/cache/tinylfu.hpp"

#include "cache/table_helpers.hpp"

using namespace edgeguard::cache;
using edgeguard::cache::testing::TableHarness;

namespace {

TinyLfu::Region region(TableHarness& h, uint32_t k) {
  return TinyLfu::region_of(h.table.entry(h.slots.at(k)));
}

TEST(TinyLfu, NewEntriesEnterTheWindowAndMoveToProbation) {
  TableHarness h(PolicyKind::tinylfu, 100);  // window 1, protected 79
  h.set(1);
  EXPECT_EQ(region(h, 1), TinyLfu::window);
  h.set(2);
  EXPECT_EQ(region(h, 1), TinyLfu::probation);
  EXPECT_EQ(region(h, 2), TinyLfu::window);
}

// A hit in the main area marks the entry; the move happens when it comes up at the front.
TEST(TinyLfu, AUsedProbationEntryIsPromotedWhenItComesUpAsTheVictim) {
  TableHarness h(PolicyKind::tinylfu, 50);  // sized for 50 keys: the sketch never regrows
  for (uint32_t k = 1; k <= 50; ++k) h.set(k);  // probation 1..49, window 50
  EXPECT_TRUE(h.get(1));
  EXPECT_EQ(region(h, 1), TinyLfu::probation);
  h.set(51);  // 50 leaves the window; the victim is sought from the front of probation
  EXPECT_EQ(region(h, 1), TinyLfu::protected_);
  EXPECT_TRUE(h.has(2));    // the unused front, weighed against the candidate...
  EXPECT_FALSE(h.has(50));  // ...which, seen as often, loses
}

TEST(TinyLfu, ProtectedOverflowIsDemotedToProbationUnlessUsed) {
  TableHarness h(PolicyKind::tinylfu, 100);
  for (uint32_t k = 1; k <= 100; ++k) h.set(k);
  for (uint32_t k = 1; k <= 80; ++k) h.get(k);
  h.set(101);  // 80 promotions, room for 79: the oldest goes back
  EXPECT_EQ(region(h, 1), TinyLfu::probation);
  EXPECT_EQ(region(h, 2), TinyLfu::protected_);
  EXPECT_EQ(region(h, 80), TinyLfu::protected_);
  // Used since its promotion, 2 goes round the protected area instead; 3 is demoted.
  EXPECT_TRUE(h.get(2));
  EXPECT_TRUE(h.get(81));
  h.set(102);
  EXPECT_EQ(region(h, 81), TinyLfu::protected_);
  EXPECT_EQ(region(h, 2), TinyLfu::protected_);
  EXPECT_EQ(region(h, 3), TinyLfu::probation);
}

TEST(TinyLfu, TheWindowStaysInLruOrder) {
  TableHarness h(PolicyKind::tinylfu, 1000);  // window 10
  for (uint32_t k = 1; k <= 10; ++k) h.set(k);
  EXPECT_TRUE(h.get(1));
  h.set(11);  // the least recently used window entry leaves: 2, not 1
  EXPECT_EQ(region(h, 1), TinyLfu::window);
  EXPECT_EQ(region(h, 2), TinyLfu::probation);
}

TEST(TinyLfu, RejectsAOneHitWonderInFavourOfAFrequentVictim) {
  TableHarness h(PolicyKind::tinylfu, 100);
  for (uint32_t k = 1; k <= 100; ++k) h.set(k);
  for (int r = 0; r < 3; ++r)
    for (uint32_t k = 1; k <= 100; ++k) h.get(k);
  h.set(1000);  // pushes the window's previous entry (100) out as a candidate...
  h.set(1001);  // ...then 1000, seen once, loses against any probation victim
  EXPECT_FALSE(h.has(1000));
  EXPECT_TRUE(h.has(1001));  // still in the window
  EXPECT_EQ(h.table.entries(), 100u);
  EXPECT_EQ(h.removed.back().first, 1000u);
  EXPECT_EQ(h.removed.back().second, Reason::capacity);
}

TEST(TinyLfu, AdmitsACandidateSeenMoreOftenThanTheVictim) {
  TableHarness h(PolicyKind::tinylfu, 100);
  for (uint32_t k = 1; k <= 100; ++k) h.set(k);
  // Key 500 is requested often while absent (each miss stored then rejected or not).
  for (int i = 0; i < 5; ++i) {
    h.set(500);
    h.set(600 + i);  // pushes 500 out of the window
  }
  EXPECT_TRUE(h.has(500));
}

// Popular keys interleaved with a one-off scan: their reuse distance (180 keys) exceeds the
// capacity (100), so LRU never hits them; TinyLFU keeps them because the scan keys are rare.
double popular_hit_ratio(PolicyKind kind) {
  TableHarness h(kind, 100);
  int hits = 0, total = 0;
  for (uint32_t i = 0; i < 9000; ++i) {
    const uint32_t k = i % 90;
    if (i >= 900) {
      ++total;
      hits += h.get(k);
    }
    if (!h.has(k)) h.set(k);
    if (!h.get(100000 + i)) h.set(100000 + i);
  }
  return double(hits) / total;
}

TEST(TinyLfu, ScanDoesNotFlushThePopularKeys) {
  EXPECT_GT(popular_hit_ratio(PolicyKind::tinylfu), 0.9);
  EXPECT_LT(popular_hit_ratio(PolicyKind::lru), 0.01);
}

TEST(TinyLfu, ByteBoundRegionsAndALargeCandidate) {
  TableHarness h(PolicyKind::tinylfu, kUnbounded, 1000);  // window 10 bytes
  for (uint32_t k = 1; k <= 10; ++k) h.set(k, 100);
  EXPECT_EQ(h.table.bytes(), 1000u);
  for (uint32_t k = 1; k <= 10; ++k) h.get(k);
  EXPECT_EQ(h.set(99, 400), Status::ok);  // stored, but a first sighting loses admission
  EXPECT_FALSE(h.has(99));
  EXPECT_EQ(h.table.bytes(), 1000u);
  EXPECT_EQ(h.table.entries(), 10u);
}

TEST(TinyLfu, AnEntryHoldsItsHitsAndHandsThemToTheSketchWhenItLeaves) {
  TableHarness h(PolicyKind::tinylfu, 50);  // sized for 50 keys: the sketch never regrows
  const auto& policy = static_cast<const TinyLfu&>(h.table.policy());
  h.set(500);
  for (int i = 0; i < 5; ++i) h.get(500);
  EXPECT_EQ(policy.sketch().frequency(500), 1u);  // the insert
  EXPECT_EQ(policy.frequency(h.slots.at(500)), 6u);
  h.del(500);
  EXPECT_EQ(policy.sketch().frequency(500), 6u);
  // When it returns, its history wins admission over residents seen twice; a newcomer loses.
  for (uint32_t k = 1; k <= 50; ++k) h.set(k);
  for (uint32_t k = 1; k <= 50; ++k) h.get(k);
  h.set(500);
  h.set(1000);  // pushes 500 out of the window as the candidate
  EXPECT_TRUE(h.has(500));
  h.set(600);
  h.set(1001);
  EXPECT_FALSE(h.has(600));
}

TEST(TinyLfu, ABatchSkipsSlotsThatHoldNoEntry) {
  TableHarness h(PolicyKind::tinylfu, 50);
  const auto& policy = static_cast<const TinyLfu&>(h.table.policy());
  for (uint32_t k = 1; k <= 3; ++k) h.set(k);
  const Slot gone = h.slots.at(2), kept = h.slots.at(3);
  h.del(2);
  const Slot reads[] = {gone, 99999, kept, kept};
  h.table.record_hits(reads, 4);
  EXPECT_EQ(policy.frequency(kept), 3u);  // its insert and two hits
  EXPECT_EQ(policy.sketch().samples(), 5u);  // three inserts, two hits: nothing for the others
  h.set(2);  // the freed slot is reused; the skipped hit left nothing behind in it
  EXPECT_EQ(h.slots.at(2), gone);
  EXPECT_EQ(policy.frequency(gone), 2u);  // its first insert (in the sketch) and this one
}

TEST(TinyLfu, AgingHalvesTheHitsEntriesHold) {
  TableHarness h(PolicyKind::tinylfu, 16);  // sample period 160 uses
  const auto& policy = static_cast<const TinyLfu&>(h.table.policy());
  for (uint32_t k = 1; k <= 16; ++k) h.set(k);
  for (int i = 0; i < 12; ++i) h.get(1);
  EXPECT_EQ(policy.frequency(h.slots.at(1)), 13u);
  // Uses of the other keys end the period: key 1's held hits are halved with the counters.
  uint64_t before;
  uint32_t k = 0;
  do {
    before = policy.sketch().samples();
    h.get(2 + k++ % 15);
  } while (policy.sketch().samples() > before);
  EXPECT_EQ(policy.frequency(h.slots.at(1)), 6u);
}

TEST(TinyLfu, SketchGrowsWithTheLiveEntriesUpToTheBound) {
  TableHarness h(PolicyKind::tinylfu, 5000);
  const auto& policy = static_cast<const TinyLfu&>(h.table.policy());
  EXPECT_EQ(policy.sketch().capacity(), 128u);  // words: two per key, for 64 keys
  for (uint32_t k = 0; k < 5000; ++k) h.set(k);
  EXPECT_EQ(policy.sketch().capacity(), 16384u);
  for (uint32_t k = 5000; k < 20000; ++k) h.set(k);
  EXPECT_EQ(policy.sketch().capacity(), 16384u);
}

}  // namespace

namespace {

TEST(TinyLfu, BatchedHitsEndInTheSameStateAsSingleHits) {
  TableHarness single(PolicyKind::tinylfu, 100), batched(PolicyKind::tinylfu, 100);
  std::vector<Slot> reads;
  for (TableHarness* h : {&single, &batched})
    for (uint32_t k = 0; k < 150; ++k) h->set(k * 7919);
  for (uint32_t i = 0; i < 400; ++i) {
    const uint32_t k = (i * i) % 150 * 7919;
    if (!single.has(k)) continue;
    single.get(k);
    reads.push_back(batched.slots.at(k));
  }
  batched.table.record_hits(reads.data(), reads.size());
  for (uint32_t k = 1000; k < 1200; ++k) single.set(k), batched.set(k);
  EXPECT_EQ(single.keys(), batched.keys());
  for (uint32_t k : single.keys())
    EXPECT_EQ(region(single, k), region(batched, k)) << k;
}

}  // namespace
