#include "edgeguard/cache/entry_table.hpp"

#include <algorithm>
#include <cmath>

namespace edgeguard::cache {

namespace {
constexpr uint64_t kMaxEntrySize = UINT32_MAX;
constexpr uint8_t kExpiring = 1;
constexpr uint8_t kTagged = 2;
}  // namespace

Status EntryTable::check(const Config& c) {
  if (uint32_t(c.policy) > uint32_t(PolicyKind::fifo)) return Status::invalid_config;
  const Bounds& b = c.bounds;
  if (b.max_entries == kUnbounded && b.max_bytes == kUnbounded) return Status::invalid_config;
  if (b.max_entries == 0 || b.max_bytes == 0) return Status::invalid_config;
  if (b.max_entries != kUnbounded && b.max_entries > kMaxEntries) return Status::invalid_config;
  return Status::ok;
}

EntryTable::EntryTable(const Config& c)
    : bounds_{std::min(c.bounds.max_entries, kMaxEntries), c.bounds.max_bytes},
      policy_(make_policy(c.policy, entries_, c.bounds, c.seed)),
      heap_(lives_) {}

Slot EntryTable::allocate() {
  if (!free_.empty()) {
    const Slot s = free_.back();
    free_.pop_back();
    return s;
  }
  entries_.emplace_back();
  lives_.emplace_back();
  tag_heads_.push_back(kNil);
  return Slot(entries_.size() - 1);
}

Status EntryTable::insert(uint32_t hash, uint64_t size, const Lifetime& life,
                          const std::vector<std::string_view>& tags, double now, Slot* out) {
  removals_.clear();
  if (!life.valid()) return Status::invalid_argument;
  if (const Status st = TagIndex::check(tags); st != Status::ok) return st;
  const uint64_t charge = std::max<uint64_t>(size, 1);
  if (charge > bounds_.max_bytes || charge > kMaxEntrySize) return Status::too_large;

  const Slot s = allocate();
  Entry& e = entries_[s];
  e = Entry{};
  e.hash = hash;
  e.size = uint32_t(charge);
  e.live = true;
  lives_[s] = life;
  ++live_;
  bytes_ += charge;
  policy_->on_insert(s);
  track(s, tags);
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

  Entry& e = entries_[s];
  const uint32_t old_size = e.size;
  bytes_ = bytes_ - old_size + charge;
  e.size = uint32_t(charge);
  lives_[s] = life;
  policy_->on_update(s, old_size);
  track(s, tags);
  expire_due(now);
  enforce_bounds();
  return Status::ok;
}

Lookup EntryTable::lookup(Slot s, double now) const {
  const Lifetime& l = lives_[s];
  return {l.classify(now), l.age(now), l.usable_on_error(now)};
}

Lookup EntryTable::get(Slot s, double now) {
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

void EntryTable::record_hits(const Slot* slots, size_t n) { policy_->on_hits(slots, n); }

void EntryTable::track(Slot s, const std::vector<std::string_view>& tags) {
  Entry& e = entries_[s];
  if (e.flags & kTagged) tags_.detach(tag_heads_[s]);
  if (!tags.empty()) tags_.attach(s, tag_heads_[s], tags);
  const bool expiring = std::isfinite(lives_[s].deadline());
  if (expiring || (e.flags & kExpiring)) heap_.update(s);
  e.flags = uint8_t((expiring ? kExpiring : 0) | (tags.empty() ? 0 : kTagged));
}

void EntryTable::drop(Slot s, Reason reason) {
  Entry& e = entries_[s];
  policy_->on_remove(s);
  if (e.flags & kExpiring) heap_.remove(s);
  if (e.flags & kTagged) tags_.detach(tag_heads_[s]);
  --live_;
  bytes_ -= e.size;
  e.live = false;
  free_.push_back(s);
  removals_.push_back({s, reason});
}

void EntryTable::remove(Slot s, Reason reason) {
  removals_.clear();
  if (contains(s)) drop(s, reason);
}

size_t EntryTable::remove_tagged(std::string_view tag) {
  removals_.clear();
  scratch_.clear();
  tags_.slots_of(tag, scratch_);
  for (Slot s : scratch_) drop(s, Reason::invalidated);
  return scratch_.size();
}

void EntryTable::expire_due(double now) {
  while (!heap_.empty()) {
    const Slot s = heap_.top();
    if (lives_[s].classify(now) != Freshness::expired) break;
    drop(s, Reason::expired);
  }
}

size_t EntryTable::expire(double now) {
  removals_.clear();
  expire_due(now);
  return removals_.size();
}

void EntryTable::enforce_bounds() {
  while (bounds_.exceeded_by(live_, bytes_)) drop(policy_->victim(), Reason::capacity);
}

void EntryTable::clear() {
  removals_.clear();
  policy_->clear();
  heap_.clear();
  tags_.clear();
  entries_.clear();
  lives_.clear();
  tag_heads_.clear();
  free_.clear();
  live_ = bytes_ = 0;
}

void EntryTable::tags_of(Slot s, std::vector<std::string_view>& out) const {
  tags_.tags_of(tag_heads_[s], out);
}

size_t EntryTable::memory_bytes() const {
  return entries_.capacity() * sizeof(Entry) + lives_.capacity() * sizeof(Lifetime) +
         (tag_heads_.capacity() + free_.capacity()) * sizeof(uint32_t) +
         heap_.memory_bytes() + policy_->memory_bytes() + tags_.memory_bytes();
}

}  // namespace edgeguard::cache
