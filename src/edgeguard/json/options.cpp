#include "edgeguard/json/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#include "edgeguard/json/number.hpp"

namespace edgeguard::json {

using Kind = Document::Kind;

namespace {

// Options nest three deep at most (a limiter's policies: objects in an array); a larger or deeper
// text is no options object.
constexpr Limits kLimits{kMaxOptionsBytes, 4};

// Appends to a fixed buffer, cutting what does not fit (option names and refusals are ASCII).
struct Text {
  char* out;
  size_t cap;
  size_t n = 0;
  Text& operator<<(std::string_view s) {
    const size_t k = std::min(s.size(), cap - 1 - n);
    std::memcpy(out + n, s.data(), k);
    n += k;
    out[n] = '\0';
    return *this;
  }
};

}  // namespace

bool OptionReader::parse(const char* text, size_t len) noexcept {
  error_ = {};
  try {
    if (!doc_.parse(text, len, kLimits) || doc_[root()].kind != Kind::object) {
      fail(invalid_, "options", "options must be a well-formed JSON object");
      return false;
    }
  } catch (const std::bad_alloc&) {
    fail(out_of_memory_, "", "out of memory reading the options");
    return false;
  }
  return true;
}

uint32_t OptionReader::member(uint32_t object, const char* name) const noexcept {
  return object == kNone ? kNone : doc_.find(object, name);
}

bool OptionReader::is_false(uint32_t i) const noexcept {
  return doc_[i].kind == Kind::boolean && doc_[i].text == "false";
}

uint32_t OptionReader::object(uint32_t parent, const char* name, const char* path) noexcept {
  const uint32_t i = member(parent, name);
  if (i != kNone && doc_[i].kind != Kind::object) {
    refuse(path, "an object");
    return kNone;
  }
  return i;
}

void OptionReader::integer(uint32_t object, const char* name, uint32_t& out) const noexcept {
  const uint32_t i = member(object, name);
  if (i == kNone) return;
  int64_t v;
  out = doc_.integer(i, 0, UINT32_MAX, v) ? uint32_t(v) : kNotAnInteger;
}

bool OptionReader::integer(uint32_t object, const char* name, uint64_t max, uint64_t& out) const noexcept {
  const uint32_t i = member(object, name);
  if (i == kNone) return true;
  int64_t v;
  if (!doc_.integer(i, 0, int64_t(max), v)) return false;
  out = uint64_t(v);
  return true;
}

void OptionReader::number(uint32_t object, const char* name, double& out) const noexcept {
  const uint32_t i = member(object, name);
  if (i == kNone) return;
  if (doc_[i].kind != Kind::number) {
    out = NAN;
    return;
  }
  out = number_value(doc_[i].text);
}

bool OptionReader::choice(uint32_t object, const char* name, const char* const* names, size_t count,
                          uint32_t& out) const noexcept {
  const uint32_t i = member(object, name);
  if (i == kNone) return true;
  for (size_t k = 0; k < count; ++k) {
    if (doc_.equals(i, names[k])) {
      out = uint32_t(k);
      return true;
    }
  }
  return false;
}

void OptionReader::choice(uint32_t object, const char* name, const char* path, const char* const* names,
                          size_t count, const char* expected, uint32_t& out) noexcept {
  if (!choice(object, name, names, count, out)) refuse(path, expected);
}

void OptionReader::fail(uint32_t status, std::string_view option, std::string_view message) noexcept {
  error_.status = status;
  Text{error_.option_text, sizeof error_.option_text} << option;
  Text{error_.message_text, sizeof error_.message_text} << message;
}

void OptionReader::refuse(std::string_view path, std::string_view expected) noexcept {
  if (failed()) return;  // the first refusal is the one reported
  char buf[256];
  Text message{buf, sizeof buf};
  message << "option " << path << " must be " << expected;
  fail(invalid_, path, {buf, message.n});
}

void OptionReader::refuse(uint32_t status, std::string_view message) noexcept {
  if (failed()) return;
  // The check words it "<name> must be <what>", as refuse(path, what) does.
  size_t space = 0;  // a loop, not find(): memchr would be the module's only use of it
  while (space < message.size() && message[space] != ' ') ++space;
  char buf[256];
  Text text{buf, sizeof buf};
  text << "option " << message;
  fail(status, message.substr(0, space), {buf, text.n});
}

void OptionReader::refuse_option(uint32_t status, std::string_view option, std::string_view message) noexcept {
  if (!failed()) fail(status, option, message);
}

}  // namespace edgeguard::json
