// Differential fuzzing of the payload reader against nlohmann_json's strict parser: both must
// agree on well-formedness. Known, deliberate differences are left out: nlohmann skips a BOM
// and stops at a NUL byte (we refuse both) and refuses numbers beyond double's range (RFC 8259
// allows them); depth and size are given room.
// Sanitizers catch any out-of-bounds read on the way.
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "edgeguard/json/reader.hpp"

namespace {

// Accepts everything; remembers why nlohmann stopped, if it did.
struct Oracle : nlohmann::json_sax<nlohmann::json> {
  std::string error;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    error = ex.what();
    return false;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeguard::json;
  static Reader roomy(Limits{size_t{1} << 30, 1u << 16});
  static Reader tight(Limits{64, 4});
  const Error e = roomy.check(data, size);
  if (e.offset > size) std::abort();
  const Error t = tight.check(data, size);
  if (!t && e) std::abort();  // tighter limits can only refuse more
  locate(data, size, e.offset);

  const bool bom = size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF;
  const bool nul = std::memchr(data, 0, size) != nullptr;
  if (!bom && !nul && e.status != Status::too_deep) {
    Oracle oracle;
    const bool theirs = nlohmann::json::sax_parse(data, data + size, &oracle);
    const bool overflow = oracle.error.find("number overflow") != std::string::npos;
    if (!overflow && theirs != !e) std::abort();
  }
  return 0;
}
