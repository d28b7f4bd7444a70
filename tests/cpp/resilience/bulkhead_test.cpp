#include "edgeguard/resilience/bulkhead.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::resilience;

namespace {

Bulkhead make(uint32_t max_concurrent, uint32_t max_queue) {
  BulkheadConfig c;
  c.max_concurrent = max_concurrent;
  c.max_queue = max_queue;
  EXPECT_FALSE(validate(c));
  return Bulkhead(c);
}

TEST(Bulkhead, RunsUpToMaxConcurrentThenQueuesThenRefuses) {
  Bulkhead b = make(2, 2);
  EXPECT_EQ(b.acquire(), Bulkhead::kRun);
  EXPECT_EQ(b.acquire(), Bulkhead::kRun);
  const int64_t t1 = b.acquire();
  const int64_t t2 = b.acquire();
  EXPECT_GT(t1, 0);
  EXPECT_GT(t2, 0);
  EXPECT_NE(t1, t2);
  EXPECT_EQ(b.acquire(), Bulkhead::kFull);
  EXPECT_EQ(b.running(), 2u);
  EXPECT_EQ(b.queued(), 2u);
  EXPECT_EQ(b.rejected(), 1u);
}

TEST(Bulkhead, ReleaseStartsWaitersInFifoOrder) {
  Bulkhead b = make(1, 3);
  b.acquire();
  const int64_t t1 = b.acquire(), t2 = b.acquire(), t3 = b.acquire();
  EXPECT_EQ(b.release(), t1);
  EXPECT_EQ(b.release(), t2);
  EXPECT_EQ(b.release(), t3);
  EXPECT_EQ(b.running(), 1u);
  EXPECT_EQ(b.release(), 0);
  EXPECT_EQ(b.running(), 0u);
}

TEST(Bulkhead, CancelRemovesAWaiterFromTheMiddle) {
  Bulkhead b = make(1, 3);
  b.acquire();
  const int64_t t1 = b.acquire(), t2 = b.acquire(), t3 = b.acquire();
  EXPECT_TRUE(b.cancel(t2));
  EXPECT_FALSE(b.cancel(t2));  // only once
  EXPECT_EQ(b.queued(), 2u);
  const int64_t t4 = b.acquire();  // takes the freed queue slot, behind t3
  EXPECT_GT(t4, 0);
  EXPECT_NE(t4, t2);
  EXPECT_EQ(b.release(), t1);
  EXPECT_EQ(b.release(), t3);
  EXPECT_EQ(b.release(), t4);
}

TEST(Bulkhead, CancelOfAStartedOrUnknownTicketIsRefused) {
  Bulkhead b = make(1, 1);
  b.acquire();
  const int64_t t1 = b.acquire();
  EXPECT_EQ(b.release(), t1);
  EXPECT_FALSE(b.cancel(t1));
  EXPECT_FALSE(b.cancel(0));
  EXPECT_FALSE(b.cancel(-1));
  EXPECT_FALSE(b.cancel(12345678));
  EXPECT_EQ(b.running(), 1u);
}

TEST(Bulkhead, CancellingTheHeadAndTailKeepsTheQueueLinked) {
  Bulkhead b = make(1, 3);
  b.acquire();
  const int64_t t1 = b.acquire(), t2 = b.acquire(), t3 = b.acquire();
  EXPECT_TRUE(b.cancel(t1));
  EXPECT_TRUE(b.cancel(t3));
  EXPECT_EQ(b.release(), t2);
  EXPECT_EQ(b.release(), 0);
  EXPECT_EQ(b.queued(), 0u);
}

TEST(Bulkhead, NoQueueRefusesAtOnce) {
  Bulkhead b = make(1, 0);
  EXPECT_EQ(b.acquire(), Bulkhead::kRun);
  EXPECT_EQ(b.acquire(), Bulkhead::kFull);
}

TEST(Bulkhead, UnmatchedReleaseDoesNotOpenExtraSlots) {
  Bulkhead b = make(1, 0);
  EXPECT_EQ(b.release(), 0);
  EXPECT_EQ(b.acquire(), Bulkhead::kRun);
  EXPECT_EQ(b.acquire(), Bulkhead::kFull);
}

TEST(Bulkhead, AStaleTicketCannotCancelTheSlotsNextOwner) {
  Bulkhead b = make(1, 1);
  b.acquire();
  const int64_t t1 = b.acquire();
  EXPECT_TRUE(b.cancel(t1));
  const int64_t t2 = b.acquire();  // same queue slot, new ticket
  EXPECT_FALSE(b.cancel(t1));
  EXPECT_EQ(b.release(), t2);
}

TEST(Bulkhead, ValidateRejectsBadConfigs) {
  BulkheadConfig c;
  c.max_concurrent = 0;
  EXPECT_EQ(validate(c).status, Status::invalid_config);
  c.max_concurrent = 1;
  c.max_queue = 2'000'000;
  EXPECT_EQ(validate(c).status, Status::invalid_config);
}

}  // namespace
