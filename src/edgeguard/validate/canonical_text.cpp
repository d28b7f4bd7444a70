#include "edgeguard/validate/canonical_text.hpp"

#include "edgeguard/json/escape.hpp"
#include "edgeguard/validate/number_text.hpp"

namespace edgeguard::validate {

void append_canonical_text(std::string& out, const json::Value& v) {
  using Kind = json::Value::Kind;
  switch (v.kind()) {
    case Kind::null: out += "null"; break;
    case Kind::boolean: out += v.boolean() ? "true" : "false"; break;
    case Kind::number:
      if (v.is_integer()) {
        out += v.text() == "-0" ? "0" : v.text();
      } else {
        std::string js;
        js_number_text(v.number(), js);
        out += js;
      }
      break;
    case Kind::string: json::append_quoted(out, v.text()); break;
    case Kind::array:
    case Kind::object: {
      const bool object = v.is_object();
      out += object ? '{' : '[';
      for (size_t k = 0; k < v.size(); ++k) {
        if (k) out += ',';
        if (object) {
          json::append_quoted(out, v.name(k));
          out += ':';
        }
        append_canonical_text(out, v[k]);
      }
      out += object ? '}' : ']';
      break;
    }
  }
}

}  // namespace edgeguard::validate
