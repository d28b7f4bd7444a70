#pragma once
// A lazily built DFA over the Thompson NFA (the subset construction, one state at a time, as
// the text asks for it). Each text position then costs one table lookup instead of a walk over
// every live NFA state. Code points are first mapped to classes that no character set of the
// program tells apart, so one table column serves a whole class. The cache has a memory budget:
// when it is spent the cache is emptied and rebuilt, so memory stays bounded and time linear.
// Word boundaries (\b, \B) depend on the next code point as well; such programs use the NFA.
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edgeguard/regex/regex_compiler.hpp"
#include "edgeguard/regex/regex_pike.hpp"

namespace edgeguard::validate::regex_nfa {

class DfaMatcher {
 public:
  static constexpr size_t kDefaultBudget = 128 * 1024;  // bytes of cached states per regex

  static bool supports(const Program& program) { return !program.word_asserts; }
  DfaMatcher(const Program& program, size_t budget = kDefaultBudget);
  bool search(std::string_view text) const;

  // Cache flushes so far and states cached now: the work done, for tests.
  size_t flushes() const { return flushes_; }
  size_t states() const { return states_.size(); }

 private:
  struct StateKeyHash {
    size_t operator()(const std::vector<uint32_t>& pcs) const;
  };
  static constexpr int32_t kUnknown = -1;

  // The closure of `seeds` as a sorted list of the instructions a DFA state needs: character
  // sets, pending $ checks and match.
  // With `at_end`, pending $ checks are resolved as at the end of the text instead.
  void closure(const std::vector<uint32_t>& seeds, bool at_start, bool at_end,
               std::vector<uint32_t>* out) const;
  int32_t intern(const std::vector<uint32_t>& pcs) const;
  int32_t step(int32_t state, uint32_t cp, uint32_t cls) const;
  // Whether the text may end in `state`; `at_start` when the text is empty.
  bool accepts_at_end(int32_t state, bool at_start) const;
  void flush() const;
  uint32_t class_of(uint32_t cp) const;

  const Program& program_;
  size_t budget_;
  std::vector<uint32_t> class_starts_;  // class k is [class_starts_[k], class_starts_[k+1])
  uint16_t ascii_class_[128] = {};
  uint32_t columns_ = 0;  // classes with a cached column (all, or the ASCII ones if too many)
  std::vector<uint32_t> restart_;  // closure of the start away from the text start

  mutable std::vector<std::vector<uint32_t>> states_;
  mutable std::vector<int32_t> next_;           // states_ x columns_ transitions
  struct Slot {
    int32_t state = kUnknown;
    uint32_t cls = 0;
    int32_t target = kUnknown;
  };
  mutable std::vector<Slot> slots_;  // transitions on classes without a column
  mutable std::vector<int8_t> end_accept_;      // -1 unknown, 0, 1
  // Per state: kMatch (a match is complete), kDead (nothing alive; anchored patterns only),
  // kSkip (nothing alive but a fresh start, and matches begin with a known prefix).
  static constexpr uint8_t kMatch = 1, kDead = 2, kSkip = 4;
  mutable std::vector<uint8_t> flags_;
  mutable int32_t initial_ = kUnknown;  // state at the start of the text
  mutable std::unordered_map<std::vector<uint32_t>, int32_t, StateKeyHash> index_;
  mutable size_t used_ = 0;
  mutable size_t flushes_ = 0;

  // Scratch for closures and steps.
  mutable StateSet seen_;
  mutable std::vector<uint32_t> stack_;
  mutable std::vector<uint32_t> seeds_;
  mutable std::vector<uint32_t> pcs_;
};

}  // namespace edgeguard::validate::regex_nfa
