#pragma once
// ECMAScript regular expression syntax (the `u` grammar of ECMA-262, no Annex B) parsed into
// a syntax tree. The parser accepts every valid pattern, including the ones the linear-time
// matcher must refuse (backreferences, lookaround), so that format "regex" can judge validity.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeguard/unicode/charset.hpp"

namespace edgeguard::validate::regex_ast {

constexpr uint32_t kInfinite = UINT32_MAX;
constexpr size_t kMaxNesting = 200;  // groups and classes; bounds the recursion everywhere

enum class Kind : uint8_t {
  empty,
  set,        // one code point from `sets[set]`
  concat,     // kids in order
  alt,        // one of the kids
  repeat,     // kids[0] between min and max times
  group,      // kids[0]; capturing groups keep their number in `index`
  line_start, // ^ (no multiline flag: start of input)
  line_end,   // $
  word_boundary,
  not_word_boundary,
  backref,    // \N or \k<name>; `index` is the group number
  lookaround, // kids[0]; `behind`, `negated`
};

struct Node {
  Kind kind = Kind::empty;
  bool greedy = true;
  bool behind = false;
  bool negated = false;
  uint32_t index = 0;  // set index, group number
  uint32_t min = 0;
  uint32_t max = 0;
  std::vector<uint32_t> kids;
};

struct Ast {
  std::vector<Node> nodes;
  std::vector<CharSet> sets;
  uint32_t root = 0;
  uint32_t groups = 0;  // capturing groups
  bool has_backref = false;
  bool has_lookaround = false;
};

struct ParseResult {
  Ast ast;
  std::string error;  // empty on success
  bool ok() const { return error.empty(); }
};

// `syntax_only` checks the pattern without building the tree (result.ast stays empty): memory
// stays flat however long the text, as the "regex" format needs for untrusted payload values.
enum class ParseMode { tree, syntax_only };
ParseResult parse(std::string_view pattern, ParseMode mode = ParseMode::tree);

// Appends node `id` as a flat sequence of node ids, looking through groups and nested
// sequences and leaving out empty nodes.
void flatten(const Ast& ast, uint32_t id, std::vector<uint32_t>* out);

}  // namespace edgeguard::validate::regex_ast
