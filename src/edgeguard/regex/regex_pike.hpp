#pragma once
// Thompson's NFA simulation (as in Pike's VM, without captures): one set of live states per
// text position, so a search is O(program size x text length) whatever the pattern. It handles
// every instruction, word boundaries included; the lazy DFA takes over where it can.
#include <string_view>
#include <vector>

#include "edgeguard/regex/regex_compiler.hpp"

namespace edgeguard::validate::regex_nfa {

// Sparse set of instruction indexes (Briggs & Torczon): O(1) insert, clear and membership.
class StateSet {
 public:
  void init(size_t n) {
    dense_.assign(n, 0);
    sparse_.assign(n, 0);
  }
  bool contains(uint32_t pc) const { return sparse_[pc] < size_ && dense_[sparse_[pc]] == pc; }
  void insert(uint32_t pc) {
    sparse_[pc] = size_;
    dense_[size_++] = pc;
  }
  void clear() { size_ = 0; }
  uint32_t size() const { return size_; }
  uint32_t operator[](uint32_t i) const { return dense_[i]; }

 private:
  std::vector<uint32_t> dense_;
  std::vector<uint32_t> sparse_;
  uint32_t size_ = 0;
};

// Owns its scratch (allocated once, sized by the program), so searching never allocates; it is
// therefore not safe to search with one matcher from two threads at once.
class PikeMatcher {
 public:
  explicit PikeMatcher(const Program& program);
  bool search(std::string_view text) const;

 private:
  // Adds `pc` and everything reachable from it without consuming input, at a position between
  // code points `prev` and `next` (text::kNone at the ends); true if that reaches a match.
  bool add(StateSet& set, uint32_t pc, uint32_t prev, uint32_t next) const;

  const Program& program_;
  mutable StateSet sets_[2];
  mutable std::vector<uint32_t> stack_;
};

}  // namespace edgeguard::validate::regex_nfa
