#include "edgeguard/cache/entry_table.hpp"

#include <algorithm>
#include <cmath>
#include <new>
#include <stdexcept>

#include "edgeguard/cache/room.hpp"

namespace edgeguard::cache {

namespace {
constexpr uint64_t kMaxEntrySize = UINT32_MAX;
constexpr uint8_t kExpiring = 1;
constexpr uint8_t kTagged = 2;
}  // namespace

Check EntryTable::check(const Config& c) {
  const auto refuse = [](const char* message) { return Check{Status::invalid_config, message}; };
  if (uint32_t(c.policy) > uint32_t(PolicyKind::fifo)) return refuse("policy must be one of tinylfu, lru, lfu, fifo");
  const Bounds& b = c.bounds;
  if (b.max_entries == kUnbounded && b.max_bytes == kUnbounded) {
    return refuse("maxEntries or maxBytes (or both) must be given: nothing may grow without a bound");
  }
  if (b.max_entries == 0 || (b.max_entries != kUnbounded && b.max_entries > kMaxEntries)) {
    return refuse("maxEntries must be an integer from 1 to 2147483647 (or Infinity)");
  }
  if (b.max_bytes == 0 || (b.max_bytes != kUnbounded && b.max_bytes > kMaxBytes)) {
    return refuse("maxBytes must be an integer from 1 to 9007199254740991 (or Infinity)");
  }
  return {};
}

EntryTable::EntryTable(const Config& c)
    : bounds_{std::min(c.bounds.max_entries, kMaxEntries), c.bounds.max_bytes},
      policy_(make_policy(c.policy, entries_, c.bounds, c.seed)),
      heap_(lives_),
      tags_(c.seed) {}

bool EntryTable::reserve(Slot s, bool inserting, const Lifetime& life, size_t tag_count) noexcept {
  try {
    if (s == entries_.size()) {
      const size_t slots = size_t(s) + 1;
      make_room(entries_, slots);
      make_room(lives_, slots);
      make_room(tag_heads_, slots);
      make_room(removals_, slots);
    }
    if (inserting) policy_->reserve(s);
    if (std::isfinite(life.deadline())) heap_.reserve(s);
    if (tag_count != 0) tags_.reserve(tag_count);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  } catch (const std::length_error&) {
    return false;
  }
}

bool EntryTable::retag(Slot s, const std::vector<std::string_view>& tags) noexcept {
  Entry& e = entries_[s];
  if (e.flags & kTagged) tags_.detach(tag_heads_[s]);
  e.flags &= uint8_t(~kTagged);
  if (tags.empty()) return true;
  try {
    tags_.attach(s, tag_heads_[s], tags);
  } catch (const std::bad_alloc&) {
    return false;
  }
  e.flags |= kTagged;
  return true;
}

void EntryTable::schedule(Slot s) noexcept {
  Entry& e = entries_[s];
  const bool expiring = std::isfinite(lives_[s].deadline());
  if (expiring || (e.flags & kExpiring)) heap_.update(s);
  e.flags = uint8_t(expiring ? e.flags | kExpiring : e.flags & ~kExpiring);
}

Status EntryTable::insert(uint32_t hash, uint64_t size, const Lifetime& life,
                          const std::vector<std::string_view>& tags, double now, Slot* out) {
  removals_.clear();
  if (!life.valid()) return Status::invalid_argument;
  if (const Status st = TagIndex::check(tags); st != Status::ok) return st;
  const uint64_t charge = std::max<uint64_t>(size, 1);
  if (charge > bounds_.max_bytes || charge > kMaxEntrySize) return Status::too_large;

  const Slot s = free_ != kNil ? free_ : Slot(entries_.size());
  if (!reserve(s, true, life, tags.size())) return Status::out_of_memory;
  if (s == free_) {
    free_ = entries_[s].next;
  } else {
    entries_.emplace_back();  // reserved
    lives_.emplace_back();
    tag_heads_.push_back(kNil);
  }
  Entry& e = entries_[s];
  e = Entry{};
  e.hash = hash;
  e.size = uint32_t(charge);
  lives_[s] = life;
  if (!retag(s, tags)) {
    e.next = free_;
    free_ = s;
    return Status::out_of_memory;
  }
  e.live = true;
  ++live_;
  bytes_ += charge;
  policy_->on_insert(s);
  schedule(s);
  expire_due(now);
  enforce_bounds();
  *out = s;
  return Status::ok;
}

Status EntryTable::replace(Slot s, uint64_t size, const Lifetime& life,
                           const std::vector<std::string_view>& tags, double now) {
  removals_.clear();
  if (!contains(s) || !life.valid()) return Status::invalid_argument;
  if (const Status st = TagIndex::check(tags); st != Status::ok) return st;
  const uint64_t charge = std::max<uint64_t>(size, 1);
  if (charge > bounds_.max_bytes || charge > kMaxEntrySize) {
    drop(s, Reason::deleted);
    return Status::too_large;
  }
  if (!reserve(s, false, life, tags.size()) || !retag(s, tags)) {
    drop(s, Reason::deleted);
    return Status::out_of_memory;
  }

  Entry& e = entries_[s];
  const uint32_t old_size = e.size;
  bytes_ = bytes_ - old_size + charge;
  e.size = uint32_t(charge);
  lives_[s] = life;
  policy_->on_update(s, old_size);
  schedule(s);
  expire_due(now);
  enforce_bounds();
  return Status::ok;
}

Lookup EntryTable::lookup(Slot s, double now) const {
  const Lifetime& l = lives_[s];
  return {l.classify(now), l.age(now), l.usable_on_error(now)};
}

Lookup EntryTable::get(Slot s, double now) noexcept {
  removals_.clear();
  const Lookup l = lookup(s, now);
  if (l.state == Freshness::expired) {
    drop(s, Reason::expired);
  } else if (l.state != Freshness::stale_if_error) {
    policy_->on_hit(s);
  }
  return l;
}

Lookup EntryTable::peek(Slot s, double now) const { return lookup(s, now); }

void EntryTable::record_hits(const Slot* slots, size_t n) noexcept { policy_->on_hits(slots, n); }

void EntryTable::drop(Slot s, Reason reason) noexcept {
  Entry& e = entries_[s];
  policy_->on_remove(s);
  if (e.flags & kExpiring) heap_.remove(s);
  if (e.flags & kTagged) tags_.detach(tag_heads_[s]);
  --live_;
  bytes_ -= e.size;
  e.live = false;
  e.next = free_;
  free_ = s;
  removals_.push_back({s, reason});  // reserved with the slots
}

void EntryTable::remove(Slot s, Reason reason) noexcept {
  removals_.clear();
  if (contains(s)) drop(s, reason);
}

// Each drop takes the tag from one entry (an entry has a tag once), the last one forgets it.
size_t EntryTable::remove_tagged(std::string_view tag) noexcept {
  removals_.clear();
  const uint32_t id = tags_.find(tag);
  if (id == kNil) return 0;
  const size_t n = tags_.members(id);
  for (size_t i = 0; i < n; ++i) drop(tags_.newest(id), Reason::invalidated);
  return n;
}

void EntryTable::expire_due(double now) noexcept {
  while (!heap_.empty()) {
    const Slot s = heap_.top();
    if (lives_[s].classify(now) != Freshness::expired) break;
    drop(s, Reason::expired);
  }
}

size_t EntryTable::expire(double now) noexcept {
  removals_.clear();
  expire_due(now);
  return removals_.size();
}

void EntryTable::enforce_bounds() noexcept {
  while (bounds_.exceeded_by(live_, bytes_)) drop(policy_->victim(), Reason::capacity);
}

void EntryTable::clear() noexcept {
  removals_.clear();
  policy_->clear();
  heap_.clear();
  tags_.clear();
  entries_.clear();
  lives_.clear();
  tag_heads_.clear();
  free_ = kNil;
  live_ = bytes_ = 0;
}

void EntryTable::tags_of(Slot s, std::vector<std::string_view>& out) const {
  tags_.tags_of(tag_heads_[s], out);
}

size_t EntryTable::memory_bytes() const {
  return entries_.capacity() * sizeof(Entry) + lives_.capacity() * sizeof(Lifetime) +
         tag_heads_.capacity() * sizeof(uint32_t) + removals_.capacity() * sizeof(Removal) +
         heap_.memory_bytes() + policy_->memory_bytes() + tags_.memory_bytes();
}

}  // namespace edgeguard::cache
