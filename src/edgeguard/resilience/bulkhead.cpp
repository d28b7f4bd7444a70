#include "edgeguard/resilience/bulkhead.hpp"

namespace edgeguard::resilience {

Check validate(const BulkheadConfig& c) noexcept {
  if (c.max_concurrent < 1 || c.max_concurrent > 1000000)
    return fail(Status::invalid_config, "maxConcurrent must be an integer from 1 to 1000000");
  if (c.max_queue > 1000000) return fail(Status::invalid_config, "maxQueue must be an integer from 0 to 1000000");
  return {};
}

Bulkhead::Bulkhead(const BulkheadConfig& config) : config_(config), slots_(config.max_queue) {
  for (uint32_t i = 0; i < config.max_queue; ++i) slots_[i].next = i + 1 < config.max_queue ? i + 1 : kNone;
  free_ = config.max_queue > 0 ? 0 : kNone;
}

int64_t Bulkhead::acquire() {
  if (running_ < config_.max_concurrent && queued_ == 0) {
    ++running_;
    return kRun;
  }
  if (free_ == kNone) {
    ++rejected_;
    return kFull;
  }
  const uint32_t i = free_;
  Slot& s = slots_[i];
  free_ = s.next;
  s.serial = ++serial_;
  s.prev = tail_;
  s.next = kNone;
  if (tail_ != kNone) slots_[tail_].next = i;
  else head_ = i;
  tail_ = i;
  ++queued_;
  return static_cast<int64_t>((s.serial << kSlotBits) | i);
}

void Bulkhead::unlink(uint32_t i) {
  Slot& s = slots_[i];
  if (s.prev != kNone) slots_[s.prev].next = s.next;
  else head_ = s.next;
  if (s.next != kNone) slots_[s.next].prev = s.prev;
  else tail_ = s.prev;
  s.serial = 0;
  s.prev = kNone;
  s.next = free_;
  free_ = i;
  --queued_;
}

int64_t Bulkhead::release() {
  if (running_ == 0) return 0;  // an unmatched release must not open extra slots
  if (head_ == kNone) {
    --running_;
    return 0;
  }
  // The slot passes straight to the oldest waiter: running_ stays the same.
  const uint32_t i = head_;
  const int64_t ticket = static_cast<int64_t>((slots_[i].serial << kSlotBits) | i);
  unlink(i);
  return ticket;
}

bool Bulkhead::cancel(int64_t ticket) {
  if (ticket <= 0) return false;
  const uint64_t t = static_cast<uint64_t>(ticket);
  const uint64_t i = t & ((uint64_t{1} << kSlotBits) - 1);
  if (i >= slots_.size() || slots_[i].serial == 0 || slots_[i].serial != (t >> kSlotBits)) return false;
  unlink(static_cast<uint32_t>(i));
  return true;
}

}  // namespace edgeguard::resilience
