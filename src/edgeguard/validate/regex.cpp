#include "edgeguard/validate/regex.hpp"

#include <optional>
#include <utility>

#include "edgeguard/validate/regex_compiler.hpp"
#include "edgeguard/validate/regex_dfa.hpp"
#include "edgeguard/validate/regex_parser.hpp"
#include "edgeguard/validate/regex_pike.hpp"

namespace edgeguard::validate {

// The compiled program and its matchers. A literal pattern is a substring or equality test; the
// rest runs on the lazy DFA, or on the NFA simulation when it needs word boundaries. Matchers
// own mutable scratch allocated at compile time (see regex_pike.hpp on threads).
struct Regex::Program {
  regex_nfa::Program code;
  std::optional<regex_nfa::DfaMatcher> dfa;
  std::optional<regex_nfa::PikeMatcher> nfa;

  explicit Program(regex_nfa::Program c) : code(std::move(c)) {
    if (code.literal_only) return;
    if (regex_nfa::DfaMatcher::supports(code)) {
      dfa.emplace(code);
    } else {
      nfa.emplace(code);
    }
  }

  bool search(std::string_view text) const {
    if (dfa) return dfa->search(text);
    if (nfa) return nfa->search(text);
    const std::string& lit = code.literal;
    if (code.anchored && code.literal_at_end) return text == lit;
    if (code.anchored) return text.substr(0, lit.size()) == lit;
    if (code.literal_at_end) return text.size() >= lit.size() && text.substr(text.size() - lit.size()) == lit;
    return text.find(lit) != std::string_view::npos;
  }
};

Regex Regex::compile(std::string_view pattern) {
  Regex re;
  regex_ast::ParseResult parsed = regex_ast::parse(pattern);
  if (!parsed.ok()) {
    re.error_ = std::move(parsed.error);
    return re;
  }
  regex_nfa::Program code;
  std::string error = regex_nfa::compile(parsed.ast, &code);
  if (!error.empty()) {
    re.error_ = std::move(error);
    return re;
  }
  re.program_ = std::make_shared<const Program>(std::move(code));
  return re;
}

bool Regex::search(std::string_view utf8) const { return program_ != nullptr && program_->search(utf8); }

}  // namespace edgeguard::validate
