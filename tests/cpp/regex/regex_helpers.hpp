#pragma once
// Shared by the regex compiler, Pike and DFA tests: a pattern parsed and compiled to a Program.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "edgeguard/regex/regex_compiler.hpp"
#include "edgeguard/regex/regex_parser.hpp"

namespace edgeguard::validate::regex_nfa {

// The pattern must parse. The compiler's error goes to *error when asked for (empty on success);
// otherwise it must compile.
inline Program compiled(std::string_view pattern, std::string* error = nullptr) {
  const regex_ast::ParseResult parsed = regex_ast::parse(pattern);
  EXPECT_TRUE(parsed.ok()) << pattern << ": " << parsed.error;
  Program p;
  const std::string e = compile(parsed.ast, &p);
  if (error != nullptr) {
    *error = e;
  } else {
    EXPECT_EQ(e, "") << pattern;
  }
  return p;
}

}  // namespace edgeguard::validate::regex_nfa
