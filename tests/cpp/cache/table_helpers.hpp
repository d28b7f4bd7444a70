#pragma once
// Shared by the cache tests: a table with a fake clock and keys named by their hash.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edgeguard/cache/entry_table.hpp"

namespace edgeguard::cache::testing {

inline constexpr double kForever = std::numeric_limits<double>::infinity();

class TableHarness {
 public:
  explicit TableHarness(PolicyKind kind, uint64_t max_entries, uint64_t max_bytes = kUnbounded,
                        uint32_t seed = 1)
      : table(Config{kind, Bounds{max_entries, max_bytes}, seed}) {}

  // Inserts key `k` (its hash) or replaces it when present, like the JS side does.
  Status set(uint32_t k, uint64_t size = 1, double ttl = kForever, double swr = 0, double sie = 0,
             std::vector<std::string_view> tags = {}) {
    const Lifetime life{now, ttl, swr, sie};
    Status st;
    if (auto it = slots.find(k); it != slots.end()) {
      st = table.replace(it->second, size, life, tags, now);
    } else {
      Slot s = kNil;
      st = table.insert(k, size, life, tags, now, &s);
      if (st == Status::ok) {
        slots[k] = s;
        key_of[s] = k;
      }
    }
    forget_removed();
    return st;
  }

  // A read; returns false when the key is not resident or not servable.
  bool get(uint32_t k) {
    auto it = slots.find(k);
    if (it == slots.end()) return false;
    const Lookup l = table.get(it->second, now);
    forget_removed();
    return l.state == Freshness::fresh || l.state == Freshness::stale;
  }

  void del(uint32_t k) {
    table.remove(slots.at(k), Reason::deleted);
    forget_removed();
  }

  bool has(uint32_t k) const { return slots.count(k) != 0; }

  void forget_removed() {
    // Every call that can remove entries lists them; mirror that in the key map.
    for (const Removal& r : table.removals()) {
      auto it = key_of.find(r.slot);
      if (it == key_of.end()) continue;
      removed.push_back({it->second, r.reason});
      slots.erase(it->second);
      key_of.erase(it);
    }
  }

  // The table and the key map agree: each key's slot holds its entry, no other entry is resident
  // (counted but unreachable), and the byte count is the sum of the entries'. Slots are checked
  // up to kSlotsChecked: the tests using this keep their tables smaller.
  void expect_consistent() const {
    constexpr Slot kSlotsChecked = 1024;
    uint64_t resident = 0, bytes = 0;
    for (Slot s = 0; s < kSlotsChecked; ++s) {
      if (!table.contains(s)) continue;
      ++resident;
      bytes += table.entry(s).size;
      EXPECT_EQ(key_of.count(s), 1u) << "slot " << s << " is resident but no key reaches it";
    }
    EXPECT_EQ(resident, table.entries());
    EXPECT_EQ(bytes, table.bytes());
    for (const auto& [k, s] : slots) {
      EXPECT_TRUE(table.contains(s) && table.entry(s).hash == k) << "key " << k << " lost its entry";
    }
  }

  // How many resident entries carry `tag`.
  size_t tagged(std::string_view tag) const {
    size_t n = 0;
    std::vector<std::string_view> tags;
    for (const auto& kv : slots) {
      tags.clear();
      table.tags_of(kv.second, tags);
      n += std::count(tags.begin(), tags.end(), tag);
    }
    return n;
  }

  // Resident keys, sorted.
  std::vector<uint32_t> keys() const {
    std::vector<uint32_t> out;
    for (const auto& kv : slots) out.push_back(kv.first);
    return out;
  }

  EntryTable table;
  double now = 0;
  std::map<uint32_t, Slot> slots;
  std::unordered_map<Slot, uint32_t> key_of;
  std::vector<std::pair<uint32_t, Reason>> removed;
};

}  // namespace edgeguard::cache::testing
