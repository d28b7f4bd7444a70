#pragma once
// A constructor's options as js/ sends them: JSON text of the user's options object. The text
// gives the shape and the config's validate() the ranges, so each range is written once: a
// value of the wrong type is read as one validate() refuses (UINT32_MAX, NaN), and its refusal
// is worded for the option the user wrote (js/errors.js adds the value given, as JS shows it).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeguard/json/document.hpp"
#include "edgeguard/resilience/status.hpp"

namespace edgeguard::resilience {

// The longest options text read: a few hundred bytes in practice (js/ sends only the options
// the core reads).
// seam: breaker
constexpr uint32_t kMaxOptionsBytes = 65536;

// A refused options text: `option` names the member ("window.size"; "options" when the text as
// a whole is refused) and `message` says what it must be and what it was.
// Fixed buffers, not strings: reading options must not grow the modules that do it.
struct OptionError {
  Status status = Status::ok;
  char option_text[64] = {};
  char message_text[256] = {};
  explicit operator bool() const { return status != Status::ok; }
  std::string_view option() const { return option_text; }
  std::string_view message() const { return message_text; }
};

// A refusal of validate(), worded "<path> must be <what>", as one of an option at that path:
// for configs whose options js/ passes as arguments rather than as text (Retry's).
OptionError option_error(const Check& check) noexcept;

class OptionReader {
 public:
  static constexpr uint32_t kNone = json::Document::kNone;
  static constexpr uint32_t kNotAnInteger = UINT32_MAX;  // above every limit validate() has

  // Reads the text; false (error() says why) unless it is a JSON object. Nothing here throws
  // (running out of memory is an error like the others), so callers need no unwinding code.
  bool parse(const char* text, size_t len) noexcept;
  static constexpr uint32_t root() { return json::Document::root(); }

  // Member `name` of `object`: kNone when absent (or when `object` is kNone).
  uint32_t member(uint32_t object, const char* name) const noexcept;

  // Whether value `i` is `false`.
  bool is_false(uint32_t i) const noexcept;
  // Nested options object `name`; kNone when absent; an error when it is no object.
  uint32_t object(uint32_t parent, const char* name, const char* path) noexcept;
  // Into `out` when present: an integer in [0, UINT32_MAX], else kNotAnInteger.
  void integer(uint32_t object, const char* name, uint32_t& out) const noexcept;
  // Into `out` when present and an integer in [0, max]; false when present and not one.
  bool integer(uint32_t object, const char* name, uint64_t max, uint64_t& out) const noexcept;
  // Into `out` when present: a number, else NaN.
  void number(uint32_t object, const char* name, double& out) const noexcept;
  // Into `out` when present: the index of the string in `names` (of `count`); else refused as
  // `expected` ("one of 'a', 'b'").
  void choice(uint32_t object, const char* name, const char* path, const char* const* names, size_t count,
              const char* expected, uint32_t& out) noexcept;

  // Refuses option `path` ("a.b") as `expected` ("an object").
  void refuse(std::string_view path, std::string_view expected) noexcept;
  // Refuses what validate() refused: its message starts with the option's path.
  void refuse(const Check& check) noexcept;

  bool failed() const { return bool(error_); }
  const OptionError& error() const { return error_; }

 private:
  void fail(Status status, std::string_view option, std::string_view message) noexcept;

  json::Document doc_;
  OptionError error_;
};

}  // namespace edgeguard::resilience
