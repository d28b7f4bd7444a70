#pragma once
// The bounded table of tracked keys: open addressing (linear probing, backward-shift deletion,
// load <= 3/4) over a seeded hash of the key's bytes, with the full key stored and compared, and
// an intrusive least-recently-seen list for eviction. Each key owns `state_words` doubles.
// Storage grows geometrically up to max_keys and never beyond.
//
// A key is one record: LRU links, length, hash, 16 inline key bytes (longer keys live on the
// heap), then its state words, so a lookup touches one index slot and one record. An index slot
// is 4 bytes: the record's id and 6 bits of the hash, which rule out most probes without reading
// the record. One GCRA policy: 40 bytes of record + 5.3 of index = 45.3 bytes per key.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "edgeguard/hash/hash.hpp"

namespace edgeguard::limit {

class KeyTable {
 public:
  static constexpr uint32_t npos = UINT32_MAX;
  static constexpr uint32_t kInlineKey = 16;
  static constexpr uint32_t kIdBits = 26;
  static constexpr uint32_t kMaxKeys = (1u << kIdBits) - 1;  // the all-ones slot means empty

  KeyTable(uint32_t max_keys, uint32_t state_words, uint64_t seed);
  ~KeyTable();
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  uint32_t hash(const uint8_t* key, uint32_t len) const { return hash::hash_key(key, len, seed_); }
  // The key's id, or npos. Inline, with touch(): they run on every call.
  uint32_t find(const uint8_t* key, uint32_t len, uint32_t hash) const {
    for (uint32_t i = home(hash);; i = next(i)) {
      const uint32_t s = slots_[i];
      if (s == kEmpty) return npos;
      if (!tag_matches(s, hash)) continue;
      const Record& r = *record(s & kIdMask);
      if (r.hash == hash && r.len == len && hash::same_bytes(bytes_of(r), key, len)) return s & kIdMask;
    }
  }
  // Adds a key that is not in the table; the table must not be full (erase first).
  // Returns its id (most recently seen, state words zeroed), or npos when memory ran out.
  uint32_t insert(const uint8_t* key, uint32_t len, uint32_t hash);
  void erase(uint32_t id);

  // Marks the key most recently seen.
  void touch(uint32_t id) {
    if (id == newest_) return;
    unlink(id);
    link_newest(id);
  }
  uint32_t oldest() const { return oldest_; }
  uint32_t newer(uint32_t id) const { return record(id)->newer; }

  double* state(uint32_t id) { return reinterpret_cast<double*>(record(id) + 1); }
  const double* state(uint32_t id) const { return reinterpret_cast<const double*>(record(id) + 1); }
  std::string_view key(uint32_t id) const;

  uint32_t size() const { return size_; }
  uint32_t max_keys() const { return max_keys_; }
  bool full() const { return size_ == max_keys_; }
  size_t memory_bytes() const;

 private:
  struct Record {
    uint32_t older;
    uint32_t newer;  // also the free list's link
    uint32_t len;
    uint32_t hash;
    union {
      uint8_t bytes[kInlineKey];
      uint8_t* heap;
    } key;
  };
  static_assert(sizeof(Record) == 32, "a record header is four 8-byte words");
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr uint32_t kIdMask = (1u << kIdBits) - 1;

  Record* record(uint32_t id) { return reinterpret_cast<Record*>(&storage_[size_t(id) * stride_]); }
  const Record* record(uint32_t id) const {
    return reinterpret_cast<const Record*>(&storage_[size_t(id) * stride_]);
  }
  static const uint8_t* bytes_of(const Record& r) { return r.len <= kInlineKey ? r.key.bytes : r.key.heap; }
  static uint32_t slot_of(uint32_t hash, uint32_t id) { return (hash << kIdBits) | id; }
  static bool tag_matches(uint32_t slot, uint32_t hash) { return (slot >> kIdBits) == (hash & 63); }
  uint32_t home(uint32_t hash) const { return uint32_t((uint64_t(hash) * slots_.size()) >> 32); }
  uint32_t next(uint32_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
  bool grow();
  void rebuild_index(size_t slot_count);
  void place(uint32_t hash, uint32_t id);
  void unlink(uint32_t id) {
    Record& r = *record(id);
    (r.older == npos ? oldest_ : record(r.older)->newer) = r.newer;
    (r.newer == npos ? newest_ : record(r.newer)->older) = r.older;
  }
  void link_newest(uint32_t id) {
    Record& r = *record(id);
    r.older = newest_;
    r.newer = npos;
    (newest_ == npos ? oldest_ : record(newest_)->newer) = id;
    newest_ = id;
  }

  const uint32_t max_keys_;
  const uint32_t stride_;  // 8-byte words per record: 4 of header, then the state
  const uint64_t seed_;
  std::unique_ptr<uint64_t[]> storage_;
  uint32_t capacity_ = 0;
  std::vector<uint32_t> slots_;
  uint32_t used_ = 0;  // records ever handed out; below it, erased ones are on the free list
  uint32_t free_ = npos;
  uint32_t size_ = 0;
  uint32_t newest_ = npos;
  uint32_t oldest_ = npos;
  size_t heap_key_bytes_ = 0;
};

}  // namespace edgeguard::limit
