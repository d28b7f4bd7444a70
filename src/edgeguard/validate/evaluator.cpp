#include "edgeguard/validate/evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "edgeguard/json/utf8.hpp"
#include "edgeguard/validate/cleaner.hpp"

namespace edgeguard::validate {

namespace {

// Schemas recursing through $ref without consuming the instance end here, not in a stack
// overflow. The wasm engine's stack is the limit (Node's default, 984 KB, is the tightest of the
// runtimes). depth_ counts levels of about equal cost: an eval() with the step it recurses
// through (all_of, any_of, array, ...) is one, a frame of about the same size again (object(),
// annotated(), tested_annotated(), eval_tracked()) adds one. Measured with V8's optimized code,
// a level costs at most ~265 bytes: 2048 levels stay under ~600 KB of Node's stack, and a
// schema spending two levels per document level (anyOf or if/then around items, properties)
// follows documents 1000 deep, the JSON reader's maximum. validator.test.js runs the costliest
// chains to the bound under Node's default stack.
constexpr uint32_t kMaxEvalDepth = 2048;

// The recursion (eval, keywords, any_of / object / array..., eval) bounds how deep a document
// can be validated before the (wasm engine's) stack runs out: what does not recurse is kept
// out of its frames.
#define EG_LEAF __attribute__((noinline))
#define EG_RECURSIVE inline __attribute__((always_inline))
// A step of the recursion through one kind of keyword: its own frame, paid only by the
// documents that go through it, not by every level of eval().
#define EG_STEP __attribute__((noinline))

// Continue past a failure only when every error is wanted.
#define EG_CHECK(expr)          \
  do {                          \
    if (!(expr)) {              \
      if (stop()) return false; \
      valid = false;            \
    }                           \
  } while (0)

// A decimal as mantissa x 10^exponent, when the mantissa fits 19 digits. Trailing zeros go to
// the exponent, so that 100000000000000000000 reads as 1e20 does (JSON.stringify writes
// integers up to 1e21 positionally); past 1000 of them the caller divides, as for 20 digits.
bool decimal(std::string_view s, uint64_t& mantissa, int& exponent) {
  mantissa = 0;
  exponent = 0;
  size_t k = s[0] == '-';
  int digits = 0;
  int zeros = 0;  // after the last non-zero digit, not in the mantissa
  auto digit = [&](char c) {
    if (c == '0') return mantissa == 0 || ++zeros <= 1000;
    if ((digits += zeros + 1) > 19) return false;
    for (; zeros; --zeros) mantissa *= 10;
    mantissa = mantissa * 10 + uint64_t(c - '0');
    return true;
  };
  for (; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k)
    if (!digit(s[k])) return false;
  if (k < s.size() && s[k] == '.') {
    for (++k; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k) {
      if (!digit(s[k])) return false;
      --exponent;
    }
  }
  exponent += zeros;
  if (k < s.size() && (s[k] | 0x20) == 'e') {
    ++k;
    bool neg = false;
    if (s[k] == '+' || s[k] == '-') neg = s[k++] == '-';
    int e = 0;
    for (; k < s.size(); ++k) {
      e = e * 10 + (s[k] - '0');
      if (e > 400) return false;
    }
    exponent += neg ? -e : e;
  }
  return true;
}

__extension__ typedef unsigned __int128 u128;

bool scale(u128& v, int by) {
  for (; by > 0; --by) {
    if (v > ~u128(0) / 10) return false;
    v *= 10;
  }
  return true;
}

// Exact on the decimal texts when they fit 128-bit arithmetic; otherwise by division.
bool is_multiple(std::string_view value, double v, std::string_view divisor, double d) {
  uint64_t a, b;
  int ea, eb;
  if (decimal(value, a, ea) && decimal(divisor, b, eb) && b != 0) {
    if (a == 0) return true;
    const int e = std::min(ea, eb);
    u128 y = b;
    if (scale(y, eb - e) && y < (u128(1) << 120)) {
      // x = a * 10^(ea - e) may not fit: reduce modulo y digit by digit.
      u128 r = a % y;
      for (int k = ea - e; k > 0 && r; --k) r = r * 10 % y;
      return r == 0;
    }
  }
  const double q = v / d;
  if (!std::isfinite(q)) return false;
  // Relative to q itself: a tolerance of at least 1 would take any tiny non-zero quotient
  // (1e-300 / 1) for the multiple 0.
  return std::fabs(q - std::round(q)) <= 1e-9 * std::fabs(q);
}

}  // namespace

bool Evaluator::run(uint32_t root, const Tape& tape, const EvalOptions& options) {
  t_ = &tape;
  options_ = options;
  depth_ = mute_ = testing_ = 0;
  aborted_ = false;
  limit_ = kMaxEvalDepth;
  pool_top_ = 0;
  errors_.clear();
  warnings_.clear();
  scope_.clear();
  edits_.clear();
  absent_.clear();
  const bool valid = eval(root, 0, nullptr);
  if (!aborted_) return valid;
  // Whatever was muted or discarded on the way, the reason is reported.
  if (!errors_.empty() && errors_.size() >= options_.max_errors) errors_.pop_back();
  errors_.push_back(abort_);
  return false;
}

uint32_t Evaluator::alloc(uint32_t bits) {
  const uint32_t words = (bits + 63) / 64, first = pool_top_;
  pool_top_ += words;
  if (pool_.size() < pool_top_) pool_.resize(std::max<size_t>(pool_top_, pool_.size() * 2));
  std::fill(pool_.begin() + first, pool_.begin() + pool_top_, 0);
  return first;
}

void Evaluator::merge(Ann* into, const Ann& from) {
  if (!into || into->all) return;
  if (from.all) {
    into->all = true;
    return;
  }
  for (uint32_t w = 0; w < (from.count + 63) / 64; ++w) pool_[into->first + w] |= pool_[from.first + w];
}

bool Evaluator::fail(uint32_t n, Keyword k, uint32_t i, uint32_t a, uint32_t b) {
  if (mute_ || errors_.size() >= options_.max_errors) return false;
  errors_.push_back({n, k, i, a, b});
  return false;
}

bool Evaluator::eval(uint32_t n, uint32_t i, Ann* ann) {
  if (depth_ >= limit_) return exhausted(n, i);
  uint32_t flags = p_.nodes[n].flags;
  // A schema that is only a $ref hands over to its target in this frame, so that a recursive
  // schema ({"items": {"$ref": "#"}}) spends one level of stack per document level, not two.
  // With a dynamic scope the $ref's own resource may have to be entered: no shortcut there.
  // The hops are bounded like levels (a cycle of $refs ends in the recursion error, in time
  // linear in the bound, and at once after it is hit).
  for (uint32_t hops = 0; flags == SchemaNode::kRef && !p_.dynamic && forwards(p_.nodes[n]);) {
    if (++hops > limit_) return exhausted(n, i);
    n = p_.nodes[n].ref;
    flags = p_.nodes[n].flags;
  }
  if (flags & SchemaNode::kFalse) return fail(n, Keyword::false_schema, i);
  if (((flags & SchemaNode::kWarning) && !testing_) || p_.dynamic) return (this->*tracked_)(n, i, ann);
  ++depth_;
  const uint32_t pool_mark = pool_top_;
  const bool ok = body(n, i, ann);
  pool_top_ = pool_mark;
  --depth_;
  return ok;
}

EG_LEAF bool Evaluator::exhausted(uint32_t n, uint32_t i) {
  // Once hit, the limit drops to 0 so every evaluation left ends at once: retrying other
  // branches from each level up would take exponential time.
  if (!aborted_) abort_ = {n, Keyword::ref_depth, i};
  aborted_ = true;
  limit_ = 0;
  return false;
}

// eval() for a warning schema or when the dynamic scope is tracked: kept out of eval()'s
// frame, which every level of recursion pays for.
EG_LEAF bool Evaluator::eval_tracked(uint32_t n, uint32_t i, Ann* ann) {
  const SchemaNode& s = p_.nodes[n];
  depth_ += 2;  // under eval()'s frame: two levels of the bound
  const bool enter = p_.dynamic && (scope_.empty() || scope_.back() != s.resource);
  if (enter) scope_.push_back(s.resource);
  const uint32_t pool_mark = pool_top_;
  const bool warning = (s.flags & SchemaNode::kWarning) && !testing_;
  const size_t error_mark = errors_.size(), edit_mark = edits_.size();
  bool ok = body(n, i, ann);
  pool_top_ = pool_mark;
  if (enter) scope_.pop_back();
  depth_ -= 2;
  if (!ok && warning && !aborted_) {
    // A soft check: its failures are reported as warnings and the value stays valid.
    for (size_t e = error_mark; e < errors_.size() && warnings_.size() < options_.max_errors; ++e)
      warnings_.push_back(errors_[e]);
    errors_.resize(error_mark);
    edits_.resize(edit_mark);
    ok = true;
  }
  return ok;
}

uint32_t Evaluator::dynamic_target(const SchemaNode& s) const {
  if (s.dynamic_name == kNone) return s.ref;
  for (uint32_t r : scope_)
    for (auto& [name, node] : p_.resources[r].dynamic_anchors)
      if (name == s.dynamic_name) return node;
  return s.ref;
}

EG_LEAF bool Evaluator::in_enum(const SchemaNode& s, uint32_t i) {
  const Tape& c = p_.constants;
  const Node& v = (*t_)[i];
  if ((v.kind == Kind::string || v.kind == Kind::key) && !v.flag) {
    // The usual enum of strings: a length and the bytes decide, no hash needed.
    const std::string_view raw = t_->raw(i);
    for (uint32_t k = s.value; k < s.value + s.values; ++k) {
      const uint32_t node = p_.constant_node[k];
      const Node& cn = c[node];
      if (cn.kind != Kind::string) continue;
      if (cn.flag ? eq_.equal(*t_, i, c, node) : cn.len == raw.size() && c.raw(node) == raw) return true;
    }
    return false;
  }
  // Scalars of different kinds cannot be equal: skip hashing for the common string enum.
  const bool simple = v.kind != Kind::object && v.kind != Kind::array;
  uint64_t h = 0;
  bool hashed = false;
  for (uint32_t k = s.value; k < s.value + s.values; ++k) {
    const uint32_t node = p_.constant_node[k];
    const Kind ck = c[node].kind;
    if (simple && ck != v.kind && !(v.kind == Kind::key && ck == Kind::string)) continue;
    if (!hashed) {
      h = eq_.hash(*t_, i);
      hashed = true;
    }
    if (p_.constant_hash[k] == h && eq_.equal(*t_, i, c, node)) return true;
  }
  return false;
}

EG_RECURSIVE bool Evaluator::body(uint32_t n, uint32_t i, Ann* ann) {
  const uint32_t unevaluated = SchemaNode::kUnevaluatedProperties | SchemaNode::kUnevaluatedItems;
  return p_.nodes[n].flags & unevaluated ? annotated(n, i, ann) : keywords(n, i, ann);
}

// unevaluated*: the node collects its own annotations. Out of eval()'s frame, which then has no
// address-taken local.
EG_STEP bool Evaluator::annotated(uint32_t n, uint32_t i, Ann* ann) {
  const SchemaNode& s = p_.nodes[n];
  const Node& v = (*t_)[i];
  if (!((s.flags & SchemaNode::kUnevaluatedProperties) && v.kind == Kind::object) &&
      !((s.flags & SchemaNode::kUnevaluatedItems) && v.kind == Kind::array))
    return keywords(n, i, ann);
  Ann local = new_ann(v.len);
  ++depth_;  // this frame is a level of the bound too
  bool valid = keywords(n, i, &local);
  if (valid || !stop()) valid = unevaluated(n, i, local) && valid;
  --depth_;
  if (valid) merge(ann, local);
  return valid;
}

EG_RECURSIVE bool Evaluator::keywords(uint32_t n, uint32_t i, Ann* a) {
  const SchemaNode& s = p_.nodes[n];
  bool valid = true;
  const Node& v = (*t_)[i];

  if (s.flags & SchemaNode::kRef) EG_CHECK(eval(s.ref, i, a));
  if (s.flags & SchemaNode::kDynamicRef) EG_CHECK(eval(dynamic_target(s), i, a));
  if (s.flags & SchemaNode::kType) {
    uint8_t bit;
    switch (v.kind) {
      case Kind::null: bit = kNull; break;
      case Kind::boolean: bit = kBoolean; break;
      case Kind::object: bit = kObject; break;
      case Kind::array: bit = kArray; break;
      case Kind::number: bit = kNumber; break;
      default: bit = kString; break;
    }
    bool ok = (s.types & bit) != 0;
    if (!ok && bit == kNumber && (s.types & kInteger)) ok = t_->is_integer(i);
    EG_CHECK(ok || fail(n, Keyword::type, i));
  }
  if (s.flags & (SchemaNode::kConst | SchemaNode::kEnum))
    EG_CHECK(in_enum(s, i) ||
             fail(n, s.flags & SchemaNode::kConst ? Keyword::const_ : Keyword::enum_, i));
  switch (v.kind) {
    case Kind::number:
      if (s.number != kNone) EG_CHECK(number(n, i));
      break;
    case Kind::string:
    case Kind::key:
      if (s.string != kNone) EG_CHECK(string(n, i));
      break;
    case Kind::object:
      if (s.object != kNone) {
        ++depth_;  // object()'s frame is about two levels' worth
        const bool ok = object(n, i, a);
        --depth_;
        EG_CHECK(ok);
      }
      break;
    case Kind::array:
      if (s.array != kNone) EG_CHECK(array(n, i, a));
      break;
    default:
      break;
  }
  if (s.flags & SchemaNode::kApplicators) {
    if (s.all_of.count) EG_CHECK(all_of(n, i, a));
    if (s.any_of.count) EG_CHECK(any_of(n, i, a));
    if (s.one_of.count) EG_CHECK(one_of(n, i, a));
    if (s.not_ != kNone) EG_CHECK(not_(n, i));
    if (s.flags & SchemaNode::kIf) EG_CHECK(if_(n, i, a));
  }
  return valid;
}

EG_STEP bool Evaluator::all_of(uint32_t n, uint32_t i, Ann* ann) {
  const SchemaNode& s = p_.nodes[n];
  bool valid = true;
  for (uint32_t k = 0; k < s.all_of.count; ++k) EG_CHECK(eval(p_.lists[s.all_of.first + k], i, ann));
  return valid;
}

EG_STEP bool Evaluator::any_of(uint32_t n, uint32_t i, Ann* ann) {
  const SchemaNode& s = p_.nodes[n];
  const size_t error_mark = errors_.size();
  bool any = false;
  for (uint32_t k = 0; k < s.any_of.count; ++k) {
    const bool ok = tested(p_.lists[s.any_of.first + k], i, ann, true);
    any |= ok;
    if (ok && !ann) break;  // annotations need every passing branch; validity needs one
  }
  if (any) errors_.resize(error_mark);
  return any || fail(n, Keyword::anyOf, i);
}

EG_STEP bool Evaluator::one_of(uint32_t n, uint32_t i, Ann* ann) {
  const SchemaNode& s = p_.nodes[n];
  const size_t error_mark = errors_.size();
  uint32_t passing = 0, first = 0, second = 0;
  for (uint32_t k = 0; k < s.one_of.count && passing < 2; ++k) {
    if (tested(p_.lists[s.one_of.first + k], i, ann, passing == 0)) (passing++ ? second : first) = k;
  }
  if (passing == 1) errors_.resize(error_mark);
  return passing == 1 || fail(n, Keyword::oneOf, i, passing > 1 ? first + 1 : 0, second);
}

// A branch of anyOf/oneOf: the parent tests it, a failing branch leaves no edits, a passing one
// adds its annotations to `ann` when `keep`.
EG_RECURSIVE bool Evaluator::tested(uint32_t node, uint32_t i, Ann* ann, bool keep) {
  if (ann) return tested_annotated(node, i, ann, keep);
  const size_t edit_mark = edits_.size();
  ++testing_;
  const bool ok = eval(node, i, nullptr);
  --testing_;
  if (!ok) edits_.resize(edit_mark);
  return ok;
}

// tested() collecting the branch's annotations: its own frame, as they are an address-taken local.
EG_STEP bool Evaluator::tested_annotated(uint32_t node, uint32_t i, Ann* ann, bool keep) {
  const size_t edit_mark = edits_.size();
  const uint32_t mark = pool_top_;
  Ann tmp = new_ann((*t_)[i].len);
  ++testing_, ++depth_;  // this frame is a level of the bound too
  const bool ok = eval(node, i, &tmp);
  --testing_, --depth_;
  if (!ok) edits_.resize(edit_mark);
  else if (keep) merge(ann, tmp);
  pool_top_ = mark;
  return ok;
}

EG_STEP bool Evaluator::not_(uint32_t n, uint32_t i) {
  const size_t edit_mark = edits_.size();
  ++mute_, ++testing_;
  const bool ok = eval(p_.nodes[n].not_, i, nullptr);
  --mute_, --testing_;
  edits_.resize(edit_mark);
  return !ok || fail(n, Keyword::not_, i);
}

EG_STEP bool Evaluator::if_(uint32_t n, uint32_t i, Ann* ann) {
  const SchemaNode& s = p_.nodes[n];
  const uint32_t mark = pool_top_;
  Ann tmp = ann ? new_ann((*t_)[i].len) : Ann{0, 0, false};
  const size_t edit_mark = edits_.size();
  ++mute_, ++testing_;
  const bool ok = eval(s.if_, i, ann ? &tmp : nullptr);
  --mute_, --testing_;
  if (ok) merge(ann, tmp);
  else edits_.resize(edit_mark);
  pool_top_ = mark;
  const uint32_t branch = ok ? s.then_ : s.else_;
  return branch == kNone || eval(branch, i, ann) || fail(n, Keyword::if_, i, ok);
}

EG_LEAF bool Evaluator::number(uint32_t n, uint32_t i) {
  const NumberPart& np = p_.numbers[p_.nodes[n].number];
  bool valid = true;
  bool exact;
  double d = t_->approx_number(i, exact);
  // An approximate value decides every bound it is not within a few ulps of.
  auto near = [&](double limit) {
    return !exact && std::fabs(d - limit) <= 1e-15 * std::max(std::fabs(d), std::fabs(limit));
  };
  if ((np.has_minimum && near(np.minimum)) || (np.has_maximum && near(np.maximum)) ||
      (np.has_xmin && near(np.exclusive_minimum)) || (np.has_xmax && near(np.exclusive_maximum))) {
    d = t_->number(i);
    exact = true;
  }
  if (np.has_minimum) EG_CHECK(d >= np.minimum || fail(n, Keyword::minimum, i));
  if (np.has_maximum) EG_CHECK(d <= np.maximum || fail(n, Keyword::maximum, i));
  if (np.has_xmin) EG_CHECK(d > np.exclusive_minimum || fail(n, Keyword::exclusiveMinimum, i));
  if (np.has_xmax) EG_CHECK(d < np.exclusive_maximum || fail(n, Keyword::exclusiveMaximum, i));
  if (np.has_multiple)
    EG_CHECK(is_multiple(t_->number_text(i, scratch_), exact ? d : t_->number(i), p_.strings[np.mult_text],
                         np.multiple_of) ||
             fail(n, Keyword::multipleOf, i));
  return valid;
}

EG_LEAF bool Evaluator::string(uint32_t n, uint32_t i) {
  const StringPart& sp = p_.strings_parts[p_.nodes[n].string];
  bool valid = true;
  std::string_view value = t_->str(i, scratch_);
  if (sp.sanitize && options_.sanitize) {  // checks apply to the cleaned text
    sanitize(value, sp.sanitize, sanitized_);
    value = sanitized_;
  }
  if (sp.min_length || sp.max_length != UINT32_MAX) {
    // Code points are at most the bytes and at least a quarter of them (valid UTF-8): count only
    // when those bounds do not decide.
    size_t length = value.size();
    if (length > sp.max_length || (length >= sp.min_length && length / 4 < sp.min_length))
      length = json::utf8_length(reinterpret_cast<const uint8_t*>(value.data()), value.size());
    EG_CHECK(length >= sp.min_length || fail(n, Keyword::minLength, i));
    EG_CHECK(length <= sp.max_length || fail(n, Keyword::maxLength, i));
  }
  if (sp.pattern != kNone) EG_CHECK(p_.regexes[sp.pattern].search(value) || fail(n, Keyword::pattern, i));
  if (sp.checker) EG_CHECK(sp.checker(value) || fail(n, Keyword::format, i));
  if (sp.sanitize && options_.sanitize && !mute_)
    edits_.push_back({Edit::sanitize, i, p_.nodes[n].string, {}});
  return valid;
}

EG_STEP bool Evaluator::object(uint32_t n, uint32_t i, Ann* ann) {
  const ObjectPart& o = p_.objects[p_.nodes[n].object];
  const Node& v = (*t_)[i];
  bool valid = true;
  EG_CHECK(v.len >= o.min_properties || fail(n, Keyword::minProperties, i));
  EG_CHECK(v.len <= o.max_properties || fail(n, Keyword::maxProperties, i));
  const uint32_t names = o.names.size();
  const uint32_t seen = alloc(names);
  auto is_seen = [&](uint32_t ordinal) { return pool_[seen + ordinal / 64] >> (ordinal % 64) & 1; };
  using Remove = EvalOptions::Remove;
  Remove remove = mute_ ? Remove::none : options_.remove_additional;
  if (remove == Remove::all && !o.declares) remove = Remove::none;
  const bool scan = names || !o.patterns.empty() || o.additional != kNone ||
                    o.property_names != kNone || ann || remove == Remove::all;
  uint32_t m = 0;
  for (uint32_t c = i + 1; scan && c < v.next; c = (*t_)[c + 1].next, ++m) {
    std::string_view key;
    uint64_t prefix;
    if ((*t_)[c].flag) {  // escaped: decoded into a buffer of this depth, safe from recursion
      if (keys_.size() <= depth_) keys_.resize(depth_ + 1);
      key = t_->str(c, keys_[depth_]);
      prefix = name_prefix(key);
    } else {
      key = t_->raw(c);
      prefix = t_->prefix(c);
    }
    bool evaluated = false;
    if (names) {
      const uint32_t ordinal = o.names.find(key, prefix);
      if (ordinal != kNone) {
        pool_[seen + ordinal / 64] |= uint64_t{1} << (ordinal % 64);
        if (o.property[ordinal] != kNone) {
          evaluated = true;
          EG_CHECK(eval(o.property[ordinal], c + 1, nullptr));
        }
      }
    }
    for (const ObjectPart::Pattern& pat : o.patterns) {
      if (p_.regexes[pat.regex].search(key)) {
        evaluated = true;
        EG_CHECK(eval(pat.schema, c + 1, nullptr));
      }
    }
    if (!evaluated && remove == Remove::all) {
      evaluated = true;
      edits_.push_back({Edit::remove_member, c, 0, {}});
    } else if (!evaluated && o.additional != kNone) {
      evaluated = true;
      const bool rejected = p_.nodes[o.additional].flags & SchemaNode::kFalse;
      if (rejected && remove != Remove::none) {
        edits_.push_back({Edit::remove_member, c, 0, {}});
      } else if (rejected) {
        EG_CHECK(fail(n, Keyword::additionalProperties, i, c));
      } else if (remove == Remove::failing) {
        const size_t error_mark = errors_.size();
        ++mute_;
        if (!eval(o.additional, c + 1, nullptr)) edits_.push_back({Edit::remove_member, c, 0, {}});
        --mute_;
        errors_.resize(error_mark);
      } else {
        EG_CHECK(eval(o.additional, c + 1, nullptr));
      }
    }
    if (o.property_names != kNone)
      EG_CHECK(eval(o.property_names, c, nullptr) || fail(n, Keyword::propertyNames, i, c));
    if (evaluated) mark(ann, m);
  }
  // With useDefaults, an absent property that has a default is filled before `required` is
  // tested (as Ajv does), and the default must pass the property's schema like any value would.
  const bool fill = options_.use_defaults && !mute_;
  for (uint32_t r : o.required)
    EG_CHECK(is_seen(r) || (fill && o.defaults[r] != kNone) || fail(n, Keyword::required, i, r));
  for (uint32_t d = 0; d < o.dependencies.size(); ++d) {
    const ObjectPart::Dependency& dep = o.dependencies[d];
    if (!is_seen(dep.name)) continue;
    for (uint32_t k = 0; k < dep.required.count; ++k) {
      const uint32_t need = o.dep_required[dep.required.first + k];
      EG_CHECK(is_seen(need) ||
               fail(n, dep.legacy ? Keyword::dependencies : Keyword::dependentRequired, i, d, need));
    }
    if (dep.schema != kNone) EG_CHECK(eval(dep.schema, i, ann));
  }
  if (fill && names) {
    const uint32_t first = uint32_t(absent_.size());
    for (uint32_t k = 0; k < names; ++k) {
      if (o.defaults[k] == kNone || is_seen(k)) continue;
      absent_.push_back(k);
      if (o.property[k] != kNone) EG_CHECK(default_fits(o.property[k], o.defaults[k], i) || fail(o.property[k], Keyword::default_, i));
    }
    if (absent_.size() > first)
      edits_.push_back({Edit::add_defaults, i, p_.nodes[n].object,
                        {first, uint32_t(absent_.size()) - first}});
  }
  return valid;
}

// The default is a constant of the program, not a value of the document: it is evaluated on the
// constants' tape, muted (its own errors have no place in the document) and without edits.
EG_STEP bool Evaluator::default_fits(uint32_t schema, uint32_t constant, uint32_t at) {
  const Tape* document = t_;
  const bool was_aborted = aborted_;
  t_ = &p_.constants;
  ++mute_;
  const bool fits = eval(schema, p_.constant_node[constant], nullptr);
  --mute_;
  t_ = document;
  if (aborted_ && !was_aborted) abort_.instance = at;  // a place in the document, not in the constants
  return fits;
}

EG_STEP bool Evaluator::array(uint32_t n, uint32_t i, Ann* ann) {
  const ArrayPart& ap = p_.arrays[p_.nodes[n].array];
  const Node& v = (*t_)[i];
  bool valid = true;
  EG_CHECK(v.len >= ap.min_items || fail(n, Keyword::minItems, i));
  EG_CHECK(v.len <= ap.max_items || fail(n, Keyword::maxItems, i));
  if (ap.prefix.count || ap.items != kNone) {
    uint32_t k = 0;
    for (uint32_t c = i + 1; c < v.next; c = (*t_)[c].next, ++k) {
      uint32_t schema;
      if (k < ap.prefix.count) {
        schema = p_.lists[ap.prefix.first + k];
      } else if (ap.items != kNone) {
        schema = ap.items;
        if (p_.nodes[schema].flags & SchemaNode::kFalse) {
          EG_CHECK(fail(n, ap.legacy_items ? Keyword::additionalItems : Keyword::items, i,
                        ap.prefix.count));
          break;
        }
      } else {
        break;
      }
      EG_CHECK(eval(schema, c, nullptr));
      mark(ann, k);
    }
  }
  if (ap.contains != kNone) {
    uint32_t matches = 0, k = 0;
    const bool all = ann || ap.max_contains != UINT32_MAX;
    ++mute_, ++testing_;
    for (uint32_t c = i + 1; c < v.next; c = (*t_)[c].next, ++k) {
      if (eval(ap.contains, c, nullptr)) {
        ++matches;
        mark(ann, k);
        if (!all && matches >= ap.min_contains) break;
      }
    }
    --mute_, --testing_;
    EG_CHECK(matches >= ap.min_contains || fail(n, Keyword::contains, i));
    EG_CHECK(matches <= ap.max_contains || fail(n, Keyword::maxContains, i));
  }
  if (ap.unique && v.len > 1) EG_CHECK(unique(n, i));
  return valid;
}

EG_LEAF bool Evaluator::unique(uint32_t n, uint32_t i) {
  const Node& v = (*t_)[i];
  if (v.len <= 8) {  // few items: comparing pairs beats hashing and sorting
    uint32_t items[8], k = 0;
    for (uint32_t c = i + 1; c < v.next; c = (*t_)[c].next) items[k++] = c;
    for (uint32_t a = 0; a < k; ++a)
      for (uint32_t b = a + 1; b < k; ++b)
        if (eq_.equal(*t_, items[a], *t_, items[b])) return fail(n, Keyword::uniqueItems, i, a, b);
    return true;
  }
  hashes_.clear();
  uint32_t k = 0;
  for (uint32_t c = i + 1; c < v.next; c = (*t_)[c].next, ++k) hashes_.push_back({eq_.hash(*t_, c), c});
  std::sort(hashes_.begin(), hashes_.end());
  for (size_t a = 0; a + 1 < hashes_.size(); ++a) {
    for (size_t b = a + 1; b < hashes_.size() && hashes_[b].first == hashes_[a].first; ++b) {
      if (eq_.equal(*t_, hashes_[a].second, *t_, hashes_[b].second)) {
        // Report item indexes, as Ajv does: count positions of both tape nodes.
        uint32_t x = 0, y = 0, idx = 0;
        for (uint32_t c = i + 1; c < v.next; c = (*t_)[c].next, ++idx) {
          if (c == hashes_[a].second) x = idx;
          if (c == hashes_[b].second) y = idx;
        }
        return fail(n, Keyword::uniqueItems, i, std::min(x, y), std::max(x, y));
      }
    }
  }
  return true;
}

EG_STEP bool Evaluator::unevaluated(uint32_t n, uint32_t i, Ann& local) {
  const SchemaNode& s = p_.nodes[n];
  const Node& v = (*t_)[i];
  bool valid = true;
  if (v.kind == Kind::object) {
    const uint32_t schema = p_.objects[s.object].unevaluated;
    const bool rejected = p_.nodes[schema].flags & SchemaNode::kFalse;
    uint32_t m = 0;
    for (uint32_t c = i + 1; c < v.next; c = (*t_)[c + 1].next, ++m) {
      if (marked(local, m)) continue;
      if (rejected) {
        EG_CHECK(fail(n, Keyword::unevaluatedProperties, i, c));
        continue;
      }
      EG_CHECK(eval(schema, c + 1, nullptr));
    }
  } else {
    const uint32_t schema = p_.arrays[s.array].unevaluated;
    const bool rejected = p_.nodes[schema].flags & SchemaNode::kFalse;
    uint32_t k = 0;
    for (uint32_t c = i + 1; c < v.next; c = (*t_)[c].next, ++k) {
      if (marked(local, k)) continue;
      if (rejected) {
        EG_CHECK(fail(n, Keyword::unevaluatedItems, i, k));
        break;
      }
      EG_CHECK(eval(schema, c, nullptr));
    }
  }
  local.all = true;
  return valid;
}

}  // namespace edgeguard::validate
