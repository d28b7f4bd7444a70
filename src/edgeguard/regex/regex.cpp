#include "edgeguard/regex/regex.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "edgeguard/regex/regex_compiler.hpp"
#include "edgeguard/regex/regex_dfa.hpp"
#include "edgeguard/regex/regex_lookaround.hpp"
#include "edgeguard/regex/regex_parser.hpp"
#include "edgeguard/regex/regex_pike.hpp"

namespace edgeguard::validate {

// The compiled program and its matchers. A literal pattern is a substring or equality test; the
// rest runs on the lazy DFA, or on the NFA simulation when it needs word boundaries. Matchers
// own mutable scratch allocated at compile time (see regex_pike.hpp on threads). Fixed-position
// lookarounds are conditions: programs of their own that must match (or, negated, must not).
struct Regex::Program {
  static constexpr size_t kRequiredScanMin = 64;  // bytes; below that the scan costs more
  struct Condition {
    std::unique_ptr<const Program> program;
    bool negated;
  };
  regex_nfa::Program code;
  std::optional<regex_nfa::DfaMatcher> dfa;
  std::optional<regex_nfa::PikeMatcher> nfa;
  std::vector<Condition> conditions;

  explicit Program(regex_nfa::Program c) : code(std::move(c)) {
    if (code.literal_only) return;
    if (regex_nfa::DfaMatcher::supports(code)) {
      dfa.emplace(code);
    } else {
      nfa.emplace(code);
    }
  }

  bool search(std::string_view text) const {
    // On long texts one memmem for a literal every match needs can save the whole search.
    if (text.size() >= kRequiredScanMin && !code.required.empty() &&
        text.find(code.required) == std::string_view::npos) {
      return false;
    }
    for (const Condition& c : conditions) {
      if (c.program->search(text) == c.negated) return false;
    }
    if (dfa) return dfa->search(text);
    if (nfa) return nfa->search(text);
    const std::string& lit = code.literal;
    if (code.anchored && code.literal_at_end) return text == lit;
    if (code.anchored) return text.substr(0, lit.size()) == lit;
    if (code.literal_at_end) return text.size() >= lit.size() && text.substr(text.size() - lit.size()) == lit;
    return text.find(lit) != std::string_view::npos;
  }
};

namespace {

// Compiles `ast` and, recursively, its lookaround conditions; `states` counts the instructions
// of all of them against the one limit.
std::string build(regex_ast::Ast ast, size_t* states, std::unique_ptr<Regex::Program>* out) {
  std::vector<regex_ast::Condition> conditions;
  if (ast.has_lookaround) regex_ast::split_lookarounds(&ast, &conditions);
  regex_nfa::Program code;
  std::string error = regex_nfa::compile(ast, &code);
  if (!error.empty()) return error;
  *states += code.insts.size();
  if (*states > regex_nfa::kMaxInstructions) {
    return "pattern too large: it expands to more than " + std::to_string(regex_nfa::kMaxInstructions) + " states";
  }
  auto program = std::make_unique<Regex::Program>(std::move(code));
  for (regex_ast::Condition& c : conditions) {
    std::unique_ptr<Regex::Program> sub;
    error = build(std::move(c.pattern), states, &sub);
    if (!error.empty()) return error;
    program->conditions.push_back({std::move(sub), c.negated});
  }
  *out = std::move(program);
  return {};
}

}  // namespace

Regex Regex::compile(std::string_view pattern) {
  Regex re;
  regex_ast::ParseResult parsed = regex_ast::parse(pattern);
  if (!parsed.ok()) {
    re.error_ = std::move(parsed.error);
    return re;
  }
  size_t states = 0;
  std::unique_ptr<Program> program;
  std::string error = build(std::move(parsed.ast), &states, &program);
  if (!error.empty()) {
    re.error_ = std::move(error);
    return re;
  }
  re.program_ = std::move(program);
  return re;
}

bool Regex::search(std::string_view utf8) const { return program_ != nullptr && program_->search(utf8); }

}  // namespace edgeguard::validate
