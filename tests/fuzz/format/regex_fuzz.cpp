// Fuzzes the regex engine and the format checkers on arbitrary bytes. The input is a pattern,
// a NUL byte, then a text. Differential: the lazy DFA (with a normal and a tiny cache budget)
// must agree with the NFA simulation; whatever compiles must also be valid "regex" format
// syntax. Sanitizers catch any out-of-bounds access on the way; libFuzzer's timeout catches a
// search that is not linear.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "edgeguard/format/format.hpp"
#include "edgeguard/regex/regex.hpp"
#include "edgeguard/regex/regex_compiler.hpp"
#include "edgeguard/regex/regex_dfa.hpp"
#include "edgeguard/regex/regex_parser.hpp"
#include "edgeguard/regex/regex_pike.hpp"

using namespace edgeguard::validate;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const std::string_view pattern = input.substr(0, split);
  const std::string_view text = split == std::string_view::npos ? input : input.substr(split + 1);

  const Regex re = Regex::compile(pattern);
  if (re.ok() && check_format("regex", pattern) != FormatResult::valid) std::abort();
  const bool found = re.search(text);

  const regex_ast::ParseResult parsed = regex_ast::parse(pattern);
  regex_nfa::Program program;
  if (parsed.ok() && regex_nfa::compile(parsed.ast, &program).empty()) {
    const regex_nfa::PikeMatcher nfa(program);
    const bool expected = nfa.search(text);
    if (!program.literal_only && found != expected) std::abort();
    if (regex_nfa::DfaMatcher::supports(program)) {
      if (regex_nfa::DfaMatcher(program, 1).search(text) != expected) std::abort();
    }
  }

  for (const char* format : {"date-time", "date", "time", "duration", "email", "idn-email", "hostname",
                             "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri",
                             "iri-reference", "uri-template", "uuid", "json-pointer",
                             "relative-json-pointer"}) {
    check_format(format, text);
  }
  return 0;
}
