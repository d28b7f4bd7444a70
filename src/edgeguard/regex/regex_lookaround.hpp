#pragma once
// Lookarounds at a fixed position need no backtracking: right after a leading ^, (?=A) holds
// iff the text has a prefix matching A, and right before a trailing $, (?<=A) holds iff it has
// a suffix matching A. Such a pattern is split into a main pattern and conditions (^(?:A) or
// (?:A)$, each searched on its own, negated for (?! and (?<!), so the common "password rule"
// patterns such as ^(?=.*\d)(?=.*[a-z]).{8,}$ run in linear time too.
#include <vector>

#include "edgeguard/regex/regex_parser.hpp"

namespace edgeguard::validate::regex_ast {

struct Condition {
  Ast pattern;
  bool negated = false;
};

// Moves the fixed-position lookarounds of `ast` into `conditions`; the rest stays in `ast`.
// Lookarounds elsewhere are left in place (the compiler then refuses them).
void split_lookarounds(Ast* ast, std::vector<Condition>* conditions);

}  // namespace edgeguard::validate::regex_ast
