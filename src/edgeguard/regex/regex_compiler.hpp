#pragma once
// Compiles a regex syntax tree to a Thompson NFA program whose size is bounded, so that
// matching stays O(program size x text length) and memory stays small.
#include <cstdint>
#include <string>
#include <vector>

#include "edgeguard/regex/regex_parser.hpp"
#include "edgeguard/unicode/charset.hpp"

namespace edgeguard::validate::regex_nfa {

// Counted repetition is expanded into copies; this caps the expansion (a{1000}{1000} is
// refused instead of allocating a million states).
constexpr size_t kMaxInstructions = 50000;

enum class Op : uint8_t {
  match,
  set,                // consume one code point in sets[x], go to the next instruction
  split,              // go to x and y
  jump,               // go to x
  text_start,         // ^
  text_end,           // $
  word_boundary,      // \b
  not_word_boundary,  // \B
};

struct Inst {
  Op op;
  uint32_t x;
  uint32_t y;
};

struct Program {
  std::vector<Inst> insts;
  std::vector<CharSet> sets;
  uint32_t start = 0;
  bool anchored = false;     // every match starts at offset 0 (the pattern begins with ^)
  bool word_asserts = false; // \b or \B occur: matching needs the code point before each step
  std::string prefix;        // UTF-8 literal that every match starts with; may be empty
  std::string required;      // UTF-8 literal that every match contains after the prefix; may be empty
  std::string literal;       // the whole pattern is this literal (with `literal_only`)
  bool literal_only = false;
  bool literal_at_end = false;  // literal_only and followed by $
};

// Returns an error message, or an empty string on success.
std::string compile(const regex_ast::Ast& ast, Program* out);

}  // namespace edgeguard::validate::regex_nfa
