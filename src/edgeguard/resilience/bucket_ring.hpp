#pragma once
// Counts over a sliding time window, kept as a ring of equal-width buckets plus a running total,
// so reading the total is O(1) and memory is fixed by the bucket count. The window slides in
// steps of one bucket: an event leaves the total between window_ms - width and window_ms after
// it happened. A clock that goes backwards stands still, then slides on from there: a step back
// (or a restored head ahead of this clock) keeps no event in the window for the size of the step.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace edgeguard::resilience {

template <class Counts>  // a value type with += and -=, zero when default-constructed
class BucketRing {
 public:
  static constexpr int64_t kEmpty = std::numeric_limits<int64_t>::min();

  // window_ms must be a positive multiple of buckets (checked by the owners' configs).
  BucketRing(int64_t window_ms, uint32_t buckets)
      : width_(window_ms / buckets), buckets_(buckets) {}

  void add(int64_t now_ms, const Counts& c) {
    advance(now_ms);
    buckets_[slot(head_)] += c;
    total_ += c;
  }

  const Counts& total(int64_t now_ms) {
    advance(now_ms);
    return total_;
  }

  void clear() {
    std::fill(buckets_.begin(), buckets_.end(), Counts{});
    total_ = Counts{};
    head_ = kEmpty;
  }

  int64_t width_ms() const { return width_; }
  uint32_t size() const { return static_cast<uint32_t>(buckets_.size()); }

  // Snapshot access: the index of the newest bucket (kEmpty before the first event) and the
  // buckets from oldest to newest.
  int64_t head() const { return head_; }
  const Counts& bucket_back(uint32_t age) const { return buckets_[slot(head_ - age)]; }

  // Rebuilds the ring from a snapshot: `counts[i]` is the bucket of age size()-1-i.
  void restore(int64_t head, const std::vector<Counts>& counts) {
    clear();
    shift_ = 0;  // the snapshot's head is in its own clock's buckets
    if (head == kEmpty) return;
    head_ = head;
    for (uint32_t i = 0; i < counts.size(); ++i) {
      const int64_t index = head - static_cast<int64_t>(counts.size() - 1 - i);
      buckets_[slot(index)] = counts[i];
      total_ += counts[i];
    }
  }

 private:
  static int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
  }
  size_t slot(int64_t index) const {
    const int64_t n = static_cast<int64_t>(buckets_.size());
    return static_cast<size_t>(((index % n) + n) % n);
  }

  void advance(int64_t now_ms) {
    const int64_t index = floor_div(now_ms, width_) + shift_;
    if (head_ == kEmpty) {
      head_ = index;
      return;
    }
    if (index < head_) shift_ += head_ - index;  // from now on this time is the head's bucket
    if (index <= head_) return;
    // At most one pass over the ring, however long the clock was away.
    const int64_t steps = std::min<int64_t>(index - head_, static_cast<int64_t>(buckets_.size()));
    for (int64_t i = 1; i <= steps; ++i) {
      Counts& b = buckets_[slot(head_ + i)];
      total_ -= b;
      b = Counts{};
    }
    head_ = index;
  }

  int64_t width_;
  std::vector<Counts> buckets_;
  Counts total_{};
  int64_t head_ = kEmpty;
  int64_t shift_ = 0;  // buckets added to the clock's, so that it never goes back
};

}  // namespace edgeguard::resilience
