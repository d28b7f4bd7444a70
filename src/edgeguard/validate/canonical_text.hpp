#pragma once
// The JSON text the compiler keeps of a schema value (a const, an enum, a type, a default): what
// the errors' params and cleaned documents show, and what the registry compares schemas by. One
// text per value, however it was written: members in name order, no spaces, integers digit for
// digit, other numbers as JavaScript writes them (number_text.hpp: a schema given as a JS object
// reads back as it was written).
#include <string>

#include "edgeguard/json/value.hpp"

namespace edgeguard::validate {

void append_canonical_text(std::string& out, const json::Value& v);

inline std::string canonical_text(const json::Value& v) {
  std::string out;
  append_canonical_text(out, v);
  return out;
}

}  // namespace edgeguard::validate
