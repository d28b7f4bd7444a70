#pragma once
// ECMA-262 regular expressions with `u`-flag semantics, matched in linear time (no
// backtracking), for JSON Schema `pattern` and `patternProperties`. A construct that cannot be
// matched in linear time (backreferences; lookaround anywhere but right after a leading ^ or
// right before a trailing $) is a compile error, never a silent pass.
#include <memory>
#include <string>
#include <string_view>

namespace edgeguard::validate {

class Regex {
 public:
  // Compiles `pattern`. On failure returns an empty Regex (ok() == false) and `error()` says why.
  static Regex compile(std::string_view pattern);

  bool ok() const { return program_ != nullptr; }
  const std::string& error() const { return error_; }

  // Unanchored search over UTF-8 text (JSON Schema patterns are not implicitly anchored).
  // Time is O(pattern size x text length).
  bool search(std::string_view utf8) const;

  struct Program;  // defined in regex.cpp

 private:
  std::shared_ptr<const Program> program_;
  std::string error_;
};

}  // namespace edgeguard::validate
