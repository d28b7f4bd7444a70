#include "edgeguard/regex/regex_parser.hpp"

#include <string>
#include <utility>

#include "edgeguard/json/utf8.hpp"
#include "edgeguard/regex/regex_unicode.hpp"

namespace edgeguard::validate::regex_ast {
namespace {

constexpr uint32_t kEnd = UINT32_MAX;  // "no more input" sentinel for peek()

bool is_syntax_char(uint32_t c) {
  switch (c) {
    case '^': case '$': case '\\': case '.': case '*': case '+': case '?':
    case '(': case ')': case '[': case ']': case '{': case '}': case '|':
      return true;
    default:
      return false;
  }
}

int hex_value(uint32_t c) {
  if (c >= '0' && c <= '9') return int(c - '0');
  if (c >= 'a' && c <= 'f') return int(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return int(c - 'A' + 10);
  return -1;
}

bool is_ascii_letter(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

struct ParseError {
  std::string message;
};

// A class atom is either one code point or a class escape standing for a set.
struct ClassAtom {
  bool is_set = false;
  uint32_t cp = 0;
  CharSet set;
};

class Parser {
 public:
  Parser(std::vector<uint32_t> cps, ParseMode mode) : cps_(std::move(cps)), tree_(mode == ParseMode::tree) {}

  Ast run() {
    ast_.root = disjunction();
    if (pos_ < cps_.size()) {
      fail(peek() == ')' ? "unmatched ')'" : "lone quantifier bracket");
    }
    // References may point forward, so they are resolved once all groups are known.
    for (const Ref& ref : refs_) {
      uint32_t number = ref.number;
      for (const auto& [group_name, group_number] : names_) {
        if (!ref.name.empty() && group_name == ref.name) number = group_number;
      }
      if (number == 0 || number > ast_.groups) {
        fail_at(ref.at, "backreference to a group that does not exist");
      }
      if (tree_) ast_.nodes[ref.node].index = number;
    }
    return std::move(ast_);
  }

 private:
  // --- input ---
  uint32_t peek(size_t ahead = 0) const {
    return pos_ + ahead < cps_.size() ? cps_[pos_ + ahead] : kEnd;
  }
  bool eat(uint32_t c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  [[noreturn]] void fail(const char* what) const { fail_at(pos_, what); }
  [[noreturn]] void fail_at(size_t at, const char* what) const {
    throw ParseError{std::string("invalid regular expression: ") + what + " at position " + std::to_string(at)};
  }

  // --- tree ---
  uint32_t add(Node n) {
    if (!tree_) return 0;
    ast_.nodes.push_back(std::move(n));
    return uint32_t(ast_.nodes.size() - 1);
  }
  uint32_t add_set(CharSet s) {
    if (!tree_) return 0;
    ast_.sets.push_back(std::move(s));
    Node n;
    n.kind = Kind::set;
    n.index = uint32_t(ast_.sets.size() - 1);
    return add(std::move(n));
  }
  uint32_t add_simple(Kind k) {
    Node n;
    n.kind = k;
    return add(std::move(n));
  }
  void enter() {
    if (++depth_ > kMaxNesting) fail("nesting too deep");
  }

  // --- grammar ---
  uint32_t disjunction() {
    Node alt;
    alt.kind = Kind::alt;
    alt.kids.push_back(alternative());
    while (eat('|')) alt.kids.push_back(alternative());
    if (alt.kids.size() == 1) return alt.kids[0];
    return add(std::move(alt));
  }

  uint32_t alternative() {
    Node seq;
    seq.kind = Kind::concat;
    while (pos_ < cps_.size() && peek() != '|' && peek() != ')') seq.kids.push_back(term());
    if (seq.kids.empty()) return add_simple(Kind::empty);
    if (seq.kids.size() == 1) return seq.kids[0];
    return add(std::move(seq));
  }

  uint32_t term() {
    const uint32_t c = peek();
    bool quantifiable = true;
    uint32_t atom_id = 0;
    switch (c) {
      case '^':
        ++pos_;
        atom_id = add_simple(Kind::line_start);
        quantifiable = false;
        break;
      case '$':
        ++pos_;
        atom_id = add_simple(Kind::line_end);
        quantifiable = false;
        break;
      case '\\':
        if (peek(1) == 'b' || peek(1) == 'B') {
          pos_ += 2;
          atom_id = add_simple(cps_[pos_ - 1] == 'b' ? Kind::word_boundary : Kind::not_word_boundary);
          quantifiable = false;
        } else {
          atom_id = atom_escape();
        }
        break;
      case '(':
        atom_id = group(&quantifiable);
        break;
      case '.':
        ++pos_;
        atom_id = add_set(CharSet::from_ranges({{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}}).negated());
        break;
      case '[':
        atom_id = add_set(character_class());
        break;
      case '*': case '+': case '?':
        fail("nothing to repeat");
      case '{':
        fail(quantifier_ahead() ? "nothing to repeat" : "lone quantifier bracket");
      case ']': case '}':
        fail("lone quantifier bracket");
      default:
        ++pos_;
        atom_id = add_set(CharSet::single(c));
        break;
    }
    return quantifier(atom_id, quantifiable);
  }

  // True if a well-formed {n}, {n,} or {n,m} starts here.
  bool quantifier_ahead() const {
    size_t i = pos_ + 1;
    auto digits = [&] {
      const size_t start = i;
      while (i < cps_.size() && is_digit(cps_[i])) ++i;
      return i > start;
    };
    if (!digits()) return false;
    if (i < cps_.size() && cps_[i] == ',') {
      ++i;
      digits();
    }
    return i < cps_.size() && cps_[i] == '}';
  }

  uint32_t number() {
    uint64_t v = 0;
    while (is_digit(peek())) {
      v = v * 10 + (cps_[pos_++] - '0');
      if (v > kInfinite - 1) v = kInfinite - 1;  // saturate; the compiler refuses huge counts
    }
    return uint32_t(v);
  }

  uint32_t quantifier(uint32_t atom_id, bool quantifiable) {
    uint32_t min = 0, max = 0;
    const size_t at = pos_;
    switch (peek()) {
      case '*': ++pos_; min = 0; max = kInfinite; break;
      case '+': ++pos_; min = 1; max = kInfinite; break;
      case '?': ++pos_; min = 0; max = 1; break;
      case '{':
        if (!quantifier_ahead()) fail("lone quantifier bracket");
        ++pos_;
        min = max = number();
        if (eat(',')) max = is_digit(peek()) ? number() : kInfinite;
        eat('}');
        if (max < min) fail_at(at, "numbers out of order in {} quantifier");
        break;
      default:
        return atom_id;
    }
    if (!quantifiable) fail_at(at, "nothing to repeat");
    Node rep;
    rep.kind = Kind::repeat;
    rep.min = min;
    rep.max = max;
    rep.greedy = !eat('?');
    rep.kids.push_back(atom_id);
    return add(std::move(rep));
  }

  uint32_t group(bool* quantifiable) {
    enter();
    const size_t open = pos_;
    ++pos_;  // '('
    Node n;
    n.kind = Kind::group;
    if (eat('?')) {
      if (eat(':')) {
        // non-capturing
      } else if (peek() == '=' || peek() == '!') {
        n.kind = Kind::lookaround;
        n.negated = cps_[pos_++] == '!';
        *quantifiable = false;
      } else if (peek() == '<' && (peek(1) == '=' || peek(1) == '!')) {
        n.kind = Kind::lookaround;
        n.behind = true;
        n.negated = cps_[pos_ + 1] == '!';
        pos_ += 2;
        *quantifiable = false;
      } else if (eat('<')) {
        std::u32string name = group_name();
        for (const auto& existing : names_) {
          if (existing.first == name) fail("duplicate group name");
        }
        n.index = ++ast_.groups;
        names_.emplace_back(std::move(name), n.index);
      } else {
        fail("invalid group");
      }
    } else {
      n.index = ++ast_.groups;
    }
    if (n.kind == Kind::lookaround) ast_.has_lookaround = true;
    n.kids.push_back(disjunction());
    if (!eat(')')) fail_at(open, "unterminated group");
    --depth_;
    return add(std::move(n));
  }

  // After "(?<" or "\k<": RegExpIdentifierName ">".
  std::u32string group_name() {
    std::u32string name;
    for (;;) {
      if (eat('>')) break;
      uint32_t c = peek();
      if (c == kEnd) fail("invalid capture group name");
      ++pos_;
      if (c == '\\') {
        if (!eat('u')) fail("invalid capture group name");
        c = unicode_escape_body();
      }
      if (name.empty() ? !is_identifier_start(c) : !is_identifier_part(c)) {
        fail("invalid capture group name");
      }
      name.push_back(char32_t(c));
    }
    if (name.empty()) fail("invalid capture group name");
    return name;
  }

  uint32_t atom_escape() {
    const size_t at = pos_;
    ++pos_;  // '\'
    const uint32_t c = peek();
    if ((c >= '1' && c <= '9') || c == 'k') {
      Ref ref;
      ref.at = at;
      if (c == 'k') {
        ++pos_;
        if (!eat('<')) fail("invalid named reference");
        ref.name = group_name();
      } else {
        ref.number = number();
      }
      ref.node = add_simple(Kind::backref);
      refs_.push_back(std::move(ref));
      ast_.has_backref = true;
      return refs_.back().node;
    }
    ClassAtom a = escape(false);
    return add_set(a.is_set ? std::move(a.set) : CharSet::single(a.cp));
  }

  // After '\' (consumed), inside or outside a class.
  ClassAtom escape(bool in_class) {
    ClassAtom a;
    const uint32_t c = peek();
    if (c == kEnd) fail("\\ at end of pattern");
    ++pos_;
    switch (c) {
      case 'd': a.is_set = true; a.set = digit_set(); return a;
      case 'D': a.is_set = true; a.set = digit_set().negated(); return a;
      case 's': a.is_set = true; a.set = whitespace_set(); return a;
      case 'S': a.is_set = true; a.set = whitespace_set().negated(); return a;
      case 'w': a.is_set = true; a.set = word_set(); return a;
      case 'W': a.is_set = true; a.set = word_set().negated(); return a;
      case 'p': case 'P': {
        a.is_set = true;
        a.set = property(c == 'P');
        return a;
      }
      case 't': a.cp = '\t'; return a;
      case 'n': a.cp = '\n'; return a;
      case 'v': a.cp = '\v'; return a;
      case 'f': a.cp = '\f'; return a;
      case 'r': a.cp = '\r'; return a;
      case 'c':
        if (!is_ascii_letter(peek())) fail("invalid unicode escape");
        a.cp = cps_[pos_++] % 32;
        return a;
      case '0':
        if (is_digit(peek())) fail("invalid decimal escape");
        a.cp = 0;
        return a;
      case 'x': {
        const int h = hex_value(peek()), l = hex_value(peek(1));
        if (h < 0 || l < 0) fail("invalid escape");
        pos_ += 2;
        a.cp = uint32_t(h * 16 + l);
        return a;
      }
      case 'u':
        a.cp = unicode_escape_body();
        return a;
      case 'b':
        if (!in_class) break;
        a.cp = 0x08;
        return a;
      case '-':
        if (!in_class) break;
        a.cp = '-';
        return a;
      default:
        if (is_syntax_char(c) || c == '/') {
          a.cp = c;
          return a;
        }
        break;
    }
    fail(is_digit(c) ? "invalid class escape" : "invalid escape");
  }

  // After "\u": XXXX (joining a surrogate pair written as two escapes) or {X...}.
  uint32_t unicode_escape_body() {
    if (eat('{')) {
      uint32_t v = 0;
      size_t digits = 0;
      while (hex_value(peek()) >= 0) {
        v = v * 16 + uint32_t(hex_value(cps_[pos_++]));
        if (v > kMaxCodePoint) fail("invalid unicode escape");
        ++digits;
      }
      if (digits == 0 || !eat('}')) fail("invalid unicode escape");
      return v;
    }
    const int64_t v = hex4(pos_);
    if (v < 0) fail("invalid unicode escape");
    pos_ += 4;
    if (v >= 0xD800 && v <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
      const int64_t lo = hex4(pos_ + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        pos_ += 6;
        return uint32_t(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00));
      }
    }
    return uint32_t(v);
  }

  int64_t hex4(size_t at) const {
    int64_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      const int h = at + i < cps_.size() ? hex_value(cps_[at + i]) : -1;
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  CharSet property(bool negated) {
    if (!eat('{')) fail("invalid property name");
    std::string body;
    while (peek() != '}') {
      const uint32_t c = peek();
      if (c == kEnd || !(is_ascii_letter(c) || is_digit(c) || c == '_' || c == '=')) {
        fail("invalid property name");
      }
      body.push_back(char(c));
      ++pos_;
    }
    ++pos_;
    CharSet set;
    if (!unicode_property(body, tree_ ? &set : nullptr)) fail("unknown or unsupported property name");
    return negated ? set.negated() : set;
  }

  CharSet character_class() {
    enter();
    const size_t open = pos_;
    ++pos_;  // '['
    const bool negated = eat('^');
    std::vector<CodeRange> ranges;
    for (;;) {
      if (peek() == kEnd) fail_at(open, "unterminated character class");
      if (eat(']')) break;
      ClassAtom lo = class_atom();
      if (peek() == '-' && peek(1) != ']' && peek(1) != kEnd) {
        const size_t dash = pos_++;
        ClassAtom hi = class_atom();
        if (lo.is_set || hi.is_set) fail_at(dash, "invalid character class");
        if (lo.cp > hi.cp) fail_at(dash, "range out of order in character class");
        ranges.push_back({lo.cp, hi.cp});
      } else if (lo.is_set) {
        ranges.insert(ranges.end(), lo.set.ranges().begin(), lo.set.ranges().end());
      } else {
        ranges.push_back({lo.cp, lo.cp});
      }
    }
    --depth_;
    CharSet set = CharSet::from_ranges(std::move(ranges));
    return negated ? set.negated() : set;
  }

  ClassAtom class_atom() {
    if (eat('\\')) return escape(true);
    ClassAtom a;
    a.cp = cps_[pos_++];
    return a;
  }

  std::vector<uint32_t> cps_;
  bool tree_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  Ast ast_;
  std::vector<std::pair<std::u32string, uint32_t>> names_;
  struct Ref {
    size_t at = 0;
    uint32_t node = 0;
    uint32_t number = 0;  // for \N
    std::u32string name;  // for \k<name>
  };
  std::vector<Ref> refs_;
};


}  // namespace

ParseResult parse(std::string_view pattern, ParseMode mode) {
  ParseResult result;
  // Patterns come from JSON text, so they are UTF-8; anything else is not a pattern.
  std::vector<uint32_t> cps;
  cps.reserve(pattern.size());
  if (!json::decode_utf8(pattern, &cps)) {
    result.error = "invalid regular expression: pattern is not valid UTF-8";
    return result;
  }
  try {
    result.ast = Parser(std::move(cps), mode).run();
  } catch (const ParseError& e) {
    result.error = e.message;
  }
  return result;
}

void flatten(const Ast& ast, uint32_t id, std::vector<uint32_t>* out) {
  const Node& n = ast.nodes[id];
  if (n.kind == Kind::group || n.kind == Kind::concat) {
    for (uint32_t kid : n.kids) flatten(ast, kid, out);
  } else if (n.kind != Kind::empty) {
    out->push_back(id);
  }
}

}  // namespace edgeguard::validate::regex_ast
