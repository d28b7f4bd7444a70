#include "edgeguard/resilience/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#include "edgeguard/json/number.hpp"

namespace edgeguard::resilience {

using Kind = json::Document::Kind;

namespace {

// Options nest two deep; a larger or deeper text is no options object.
constexpr json::Limits kLimits{kMaxOptionsBytes, 4};

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
      fail(Status::invalid_config, "options", "options must be a well-formed JSON object");
      return false;
    }
  } catch (const std::bad_alloc&) {
    fail(Status::out_of_memory, "", "out of memory reading the options");
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
  out = json::number_value(doc_[i].text);
}

void OptionReader::choice(uint32_t object, const char* name, const char* path, const char* const* names,
                          size_t count, const char* expected, uint32_t& out) noexcept {
  const uint32_t i = member(object, name);
  if (i == kNone) return;
  for (size_t k = 0; k < count; ++k) {
    if (doc_.equals(i, names[k])) {
      out = uint32_t(k);
      return;
    }
  }
  refuse(path, expected);
}

void OptionReader::fail(Status status, std::string_view option, std::string_view message) noexcept {
  error_.status = status;
  Text{error_.option_text, sizeof error_.option_text} << option;
  Text{error_.message_text, sizeof error_.message_text} << message;
}

void OptionReader::refuse(std::string_view path, std::string_view expected) noexcept {
  if (failed()) return;  // the first refusal is the one reported
  char buf[256];
  Text message{buf, sizeof buf};
  message << "option " << path << " must be " << expected;
  fail(Status::invalid_config, path, {buf, message.n});
}

void OptionReader::refuse(const Check& check) noexcept {
  if (check && !failed()) error_ = option_error(check);
}

OptionError option_error(const Check& check) noexcept {
  OptionError e;
  if (!check) return e;
  // validate() words it "<path> must be <what>", as OptionReader::refuse(path, what) does.
  const std::string_view message = check.message;
  size_t space = 0;  // a loop, not find(): memchr would be the module's only use of it
  while (space < message.size() && message[space] != ' ') ++space;
  e.status = check.status;
  Text{e.option_text, sizeof e.option_text} << message.substr(0, space);
  Text{e.message_text, sizeof e.message_text} << "option " << message;
  return e;
}

}  // namespace edgeguard::resilience
