#pragma once
// Bulkhead accounting: at most max_concurrent calls run, at most max_queue wait in FIFO order,
// and anything beyond is refused. A queued call holds a ticket; it leaves the queue when a
// running call releases its slot (the oldest ticket starts) or when its waiter gives up
// (queue timeout, abort), in O(1) either way. The waiting itself (promises, timers) is the
// caller's.
#include <cstdint>
#include <vector>

#include "edgeguard/resilience/status.hpp"

namespace edgeguard::resilience {

struct BulkheadConfig {
  uint32_t max_concurrent = 10;
  uint32_t max_queue = 0;
};

Check validate(const BulkheadConfig& c) noexcept;

class Bulkhead {
 public:
  static constexpr int64_t kRun = 0;    // acquire: run now
  static constexpr int64_t kFull = -1;  // acquire: refused

  explicit Bulkhead(const BulkheadConfig& config);  // config must pass validate()

  // kRun, kFull, or a ticket (> 0) to wait on.
  int64_t acquire();
  // A running call finished. Returns the ticket that now runs in its place, or 0.
  int64_t release();
  // The waiter of `ticket` gave up. False if the ticket is not queued (it already started).
  bool cancel(int64_t ticket);

  uint32_t running() const { return running_; }
  uint32_t queued() const { return queued_; }
  uint64_t rejected() const { return rejected_; }
  const BulkheadConfig& config() const { return config_; }

 private:
  static constexpr uint32_t kNone = 0xffffffff;
  static constexpr int kSlotBits = 20;  // max_queue < 2^20, so a ticket fits 53 bits

  struct Slot {
    uint64_t serial = 0;  // 0: free
    uint32_t prev = kNone;
    uint32_t next = kNone;  // in the queue, or in the free list
  };
  void unlink(uint32_t i);

  BulkheadConfig config_;
  std::vector<Slot> slots_;
  uint32_t head_ = kNone, tail_ = kNone, free_ = kNone;
  uint32_t running_ = 0, queued_ = 0;
  uint64_t serial_ = 0;
  uint64_t rejected_ = 0;
};

}  // namespace edgeguard::resilience
