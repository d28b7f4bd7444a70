#pragma once
// The bounded table of tracked keys: open addressing (linear probing, backward-shift deletion,
// load <= 3/4) over a seeded hash of the key's bytes, with the full key stored and compared, and
// an intrusive least-recently-seen list for eviction. Each key owns `state_words` doubles.
// Storage grows geometrically up to max_keys and never beyond.
//
// Per key: a 28-byte entry on wasm32 (LRU links, length, 16 inline key bytes; longer keys live
// on the heap), the state words, and 8 * 4/3 bytes of index: 46.7 bytes for one GCRA policy.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace edgeguard::limit {

class KeyTable {
 public:
  static constexpr uint32_t npos = UINT32_MAX;
  static constexpr uint32_t kInlineKey = 16;

  KeyTable(uint32_t max_keys, uint32_t state_words, uint64_t seed);
  ~KeyTable();
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  uint32_t hash(const uint8_t* key, uint32_t len) const;
  // The key's id, or npos.
  uint32_t find(const uint8_t* key, uint32_t len, uint32_t hash) const;
  // Adds a key that is not in the table; the table must not be full (erase first).
  // Returns its id (most recently seen, state words zeroed), or npos when memory ran out.
  uint32_t insert(const uint8_t* key, uint32_t len, uint32_t hash);
  void erase(uint32_t id);

  void touch(uint32_t id);  // marks the key most recently seen
  uint32_t oldest() const { return oldest_; }
  uint32_t newer(uint32_t id) const { return entries_[id].newer; }

  double* state(uint32_t id) { return &states_[size_t(id) * words_]; }
  const double* state(uint32_t id) const { return &states_[size_t(id) * words_]; }
  std::string_view key(uint32_t id) const;

  uint32_t size() const { return size_; }
  uint32_t max_keys() const { return max_keys_; }
  bool full() const { return size_ == max_keys_; }
  size_t memory_bytes() const;

 private:
  struct Entry {
    uint32_t older;
    uint32_t newer;  // also the free list's link
    uint32_t len;
    union {
      uint8_t bytes[kInlineKey];
      uint8_t* heap;
    } key;
  };
  struct Slot {
    uint32_t hash;
    uint32_t id;  // npos: empty
  };

  const uint8_t* bytes_of(const Entry& e) const { return e.len <= kInlineKey ? e.key.bytes : e.key.heap; }
  uint32_t home(uint32_t hash) const { return uint32_t((uint64_t(hash) * slots_.size()) >> 32); }
  uint32_t next(uint32_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
  bool grow();
  void rebuild_index(size_t slot_count);
  void place(uint32_t hash, uint32_t id);
  void unlink(uint32_t id);
  void link_newest(uint32_t id);

  const uint32_t max_keys_;
  const uint32_t words_;
  const uint64_t seed_;
  std::vector<Entry> entries_;
  std::vector<double> states_;
  std::vector<Slot> slots_;
  uint32_t used_ = 0;  // entries ever handed out; below it, erased ones are on the free list
  uint32_t free_ = npos;
  uint32_t size_ = 0;
  uint32_t newest_ = npos;
  uint32_t oldest_ = npos;
  size_t heap_key_bytes_ = 0;
};

}  // namespace edgeguard::limit
