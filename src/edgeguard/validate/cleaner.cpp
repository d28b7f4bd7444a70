#include "edgeguard/validate/cleaner.hpp"

#include <algorithm>
#include <vector>

#include "edgeguard/json/escape.hpp"

namespace edgeguard::validate {

namespace {

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Leaves no `<` that could open a tag. `<` then a letter, `/`, `!` or `?` starts a tag, end tag,
// comment or declaration: removed through its `>`, or to the end when unclosed (the page's next
// `>` would close it). `<` then a space, a digit or `=` ("a < b", "x<=1", "<3") cannot start
// one in any parser and stays, with the character after it, so no removal can bring a letter
// next to it. Any other `<` is dropped alone.
void strip_tags(std::string_view in, std::string& out) {
  out.clear();
  for (size_t k = 0; k < in.size(); ++k) {
    if (in[k] != '<') {
      out += in[k];
      continue;
    }
    const unsigned char next = k + 1 < in.size() ? in[k + 1] : ' ';
    if (is_alpha(next) || next == '/' || next == '!' || next == '?') {
      k = std::min(in.find('>', k), in.size());
    } else if (is_space(next) || (next >= '0' && next <= '9') || next == '=') {
      out += '<';
    }
  }
}

void escape_html(std::string_view in, std::string& out) {
  out.clear();
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

class Writer {
 public:
  Writer(const Program& p, const Tape& t, const Evaluator& e) : p_(p), t_(t), e_(e) {
    for (uint32_t k = 0; k < e.edits().size(); ++k) index_.push_back({e.edits()[k].node, k});
    std::sort(index_.begin(), index_.end());
  }

  void value(uint32_t i) {
    const Node& n = t_[i];
    if (n.kind == Kind::object) return object(i);
    if (n.kind == Kind::array) {
      out_ += '[';
      for (uint32_t c = i + 1; c < n.next; c = t_[c].next) {
        if (c != i + 1) out_ += ',';
        value(c);
      }
      out_ += ']';
      return;
    }
    scalar(i);
  }

  std::string take() { return std::move(out_); }

 private:
  using Entry = std::pair<uint32_t, uint32_t>;
  using Iter = std::vector<Entry>::const_iterator;

  // A scalar or a key: sanitized when an edit says so (a key by propertyNames), as checked.
  void scalar(uint32_t i) {
    uint8_t ops = 0;
    for (auto [it, end] = edits(i); it != end; ++it) {
      const Edit& e = e_.edits()[it->second];
      if (e.kind == Edit::sanitize) ops |= p_.strings_parts[e.part].sanitize;
    }
    if (!ops) {
      out_ += t_.text(i);
      return;
    }
    sanitize(t_.str(i, a_), ops, b_);
    // Still UTF-8: the reader checked the payload, and sanitizing only edits around ASCII.
    json::append_quoted(out_, b_);
  }

  std::pair<Iter, Iter> edits(uint32_t node) const {
    return std::equal_range(index_.begin(), index_.end(), Entry{node, 0},
                            [](const Entry& x, const Entry& y) { return x.first < y.first; });
  }

  bool removed(uint32_t key) const {
    for (auto [it, end] = edits(key); it != end; ++it)
      if (e_.edits()[it->second].kind == Edit::remove_member) return true;
    return false;
  }

  void object(uint32_t i) {
    const Node& n = t_[i];
    out_ += '{';
    bool first = true;
    for (uint32_t c = i + 1; c < n.next; c = t_[c + 1].next) {
      if (removed(c)) continue;
      if (!first) out_ += ',';
      first = false;
      scalar(c);
      out_ += ':';
      value(c + 1);
    }
    std::vector<std::string> added;
    for (auto [it, end] = edits(i); it != end; ++it) {
      const Edit& e = e_.edits()[it->second];
      if (e.kind != Edit::add_defaults) continue;
      const ObjectPart& o = p_.objects[e.part];
      for (uint32_t k = 0; k < e.absent.count; ++k) {
        const uint32_t ordinal = e_.absent()[e.absent.first + k];
        const std::string& name = o.names.name(ordinal);
        if (std::find(added.begin(), added.end(), name) != added.end()) continue;
        added.push_back(name);
        if (!first) out_ += ',';
        first = false;
        json::append_quoted(out_, name);
        out_ += ':';
        out_ += p_.constants.text(p_.constant_node[o.defaults[ordinal]]);
      }
    }
    out_ += '}';
  }

  const Program& p_;
  const Tape& t_;
  const Evaluator& e_;
  std::vector<Entry> index_;
  std::string out_, a_, b_;
};

}  // namespace

void sanitize(std::string_view in, uint8_t ops, std::string& out) {
  std::string tmp;
  out.assign(in);
  if (ops & kStripTags) {
    strip_tags(out, tmp);
    out.swap(tmp);
  }
  if (ops & kTrim) {
    size_t b = 0, e = out.size();
    while (b < e && is_space(static_cast<unsigned char>(out[b]))) ++b;
    while (e > b && is_space(static_cast<unsigned char>(out[e - 1]))) --e;
    out = out.substr(b, e - b);
  }
  if (ops & kLowercase)
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = char(c + 32);
  if (ops & kEscapeHtml) {
    escape_html(out, tmp);
    out.swap(tmp);
  }
}

std::string clean(const Program& program, const Tape& tape, const Evaluator& evaluator) {
  Writer w(program, tape, evaluator);
  w.value(0);
  return w.take();
}

}  // namespace edgeguard::validate
