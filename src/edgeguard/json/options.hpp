#pragma once
// A constructor's options as js/ sends them: JSON text of the user's options object, read by each
// job's options reader (resilience/*_options, limit/limit_options, cache/cache_options). The text
// gives the shape and the job's own checks the ranges, so each range is written once: a value of
// the wrong type is read as one those checks refuse (UINT32_MAX, NaN), and its refusal is worded
// for the option the user wrote (js/errors.js adds the value given, as JS shows it).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeguard/json/document.hpp"

namespace edgeguard::json {

// The longest options text read: a few hundred bytes in practice (js/ sends only the options
// the core reads).
// seam: json
constexpr uint32_t kMaxOptionsBytes = 65536;

// A refused options text: `status` is the reading job's status code for it (never 0), `option`
// names the member ("window.size", "policies.1.limit"; "options" when the text as a whole is
// refused) and `message` says what it must be. Fixed buffers, not strings: reading options must
// not grow the modules that do it.
struct OptionError {
  uint32_t status = 0;
  char option_text[64] = {};
  char message_text[256] = {};
  explicit operator bool() const { return status != 0; }
  std::string_view option() const { return option_text; }
  std::string_view message() const { return message_text; }
};

class OptionReader {
 public:
  static constexpr uint32_t kNone = Document::kNone;
  static constexpr uint32_t kNotAnInteger = UINT32_MAX;  // above every limit a job has

  // `invalid` and `out_of_memory`: the reading job's status codes for a refused option (or text)
  // and for memory running out while reading.
  OptionReader(uint32_t invalid, uint32_t out_of_memory) : invalid_(invalid), out_of_memory_(out_of_memory) {}

  // Reads the text; false (error() says why) unless it is a JSON object. Nothing here throws
  // (running out of memory is an error like the others), so callers need no unwinding code.
  bool parse(const char* text, size_t len) noexcept;
  static constexpr uint32_t root() { return Document::root(); }

  // Member `name` of `object`: kNone when absent (or when `object` is kNone).
  uint32_t member(uint32_t object, const char* name) const noexcept;
  // The first element of array `i`, and the element after `element`: kNone past the last.
  uint32_t first(uint32_t i) const noexcept { return doc_[i].first; }
  uint32_t next(uint32_t element) const noexcept { return doc_[element].next; }
  // How many elements array `i` has.
  uint32_t size(uint32_t i) const noexcept { return doc_[i].size; }

  // Whether value `i` is `false`.
  bool is_false(uint32_t i) const noexcept;
  // Whether value `i` is an object (an array).
  bool is_object(uint32_t i) const noexcept { return doc_[i].kind == Document::Kind::object; }
  bool is_array(uint32_t i) const noexcept { return doc_[i].kind == Document::Kind::array; }
  // Nested options object `name`; kNone when absent; an error when it is no object.
  uint32_t object(uint32_t parent, const char* name, const char* path) noexcept;
  // Into `out` when present: an integer in [0, UINT32_MAX], else kNotAnInteger.
  void integer(uint32_t object, const char* name, uint32_t& out) const noexcept;
  // Into `out` when present and an integer in [0, max]; false when present and not one.
  bool integer(uint32_t object, const char* name, uint64_t max, uint64_t& out) const noexcept;
  // Into `out` when present: a number, else NaN.
  void number(uint32_t object, const char* name, double& out) const noexcept;
  // Into `out` when present: the index of the string in `names` (of `count`); else `false`.
  bool choice(uint32_t object, const char* name, const char* const* names, size_t count, uint32_t& out) const noexcept;
  // The same, refused as option `path` with `expected` ("one of 'a', 'b'") when no name matches.
  void choice(uint32_t object, const char* name, const char* path, const char* const* names, size_t count,
              const char* expected, uint32_t& out) noexcept;

  // Refuses option `path` ("a.b") as `expected` ("an object"): "option a.b must be an object".
  void refuse(std::string_view path, std::string_view expected) noexcept;
  // Refuses with a job's own check, worded "<name> must be <what>": its `status`, as option
  // <name>, with "option " before the message.
  void refuse(uint32_t status, std::string_view message) noexcept;
  // Refuses option `option` with `status` and `message` as they are.
  void refuse_option(uint32_t status, std::string_view option, std::string_view message) noexcept;

  bool failed() const { return bool(error_); }
  const OptionError& error() const { return error_; }

 private:
  void fail(uint32_t status, std::string_view option, std::string_view message) noexcept;

  Document doc_;
  OptionError error_;
  uint32_t invalid_;
  uint32_t out_of_memory_;
};

}  // namespace edgeguard::json
