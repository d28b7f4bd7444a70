#include "edgeguard/validate/uri.hpp"

namespace edgeguard::validate {

namespace {

struct Parts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

Parts parse(std::string_view s) {
  Parts p;
  const size_t colon = s.find(':');
  const size_t stop = s.find_first_of("/?#");
  if (colon != std::string_view::npos && colon > 0 && (stop == std::string_view::npos || colon < stop)) {
    p.has_scheme = true;
    p.scheme = s.substr(0, colon);
    s.remove_prefix(colon + 1);
  }
  if (const size_t h = s.find('#'); h != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = s.substr(h + 1);
    s = s.substr(0, h);
  }
  if (const size_t q = s.find('?'); q != std::string_view::npos) {
    p.has_query = true;
    p.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  if (s.substr(0, 2) == "//") {
    p.has_authority = true;
    s.remove_prefix(2);
    const size_t slash = s.find('/');
    p.authority = s.substr(0, slash);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  p.path = s;
  return p;
}

std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const size_t cut = out.rfind('/');
      out.resize(cut == std::string::npos ? 0 : cut);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const size_t next = in.find('/', 1);
      const size_t n = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, n));
      in.remove_prefix(n);
    }
  }
  return out;
}

std::string compose(const Parts& p, std::string_view path) {
  std::string out;
  if (p.has_scheme) out.append(p.scheme).append(":");
  if (p.has_authority) out.append("//").append(p.authority);
  out.append(path);
  if (p.has_query) out.append("?").append(p.query);
  if (p.has_fragment) out.append("#").append(p.fragment);
  return out;
}

}  // namespace

std::string resolve_uri(std::string_view base, std::string_view ref) {
  const Parts r = parse(ref);
  if (r.has_scheme) return compose(r, remove_dot_segments(r.path));
  Parts b = parse(base);
  Parts t = b;
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  if (r.has_authority) {
    t.has_authority = true;
    t.authority = r.authority;
    t.has_query = r.has_query;
    t.query = r.query;
    return compose(t, remove_dot_segments(r.path));
  }
  if (r.path.empty()) {
    if (r.has_query) {
      t.has_query = true;
      t.query = r.query;
    }
    return compose(t, b.path);
  }
  t.has_query = r.has_query;
  t.query = r.query;
  if (r.path[0] == '/') return compose(t, remove_dot_segments(r.path));
  std::string merged;
  if (b.has_authority && b.path.empty()) {
    merged = "/";
  } else {
    const size_t slash = b.path.rfind('/');
    if (slash != std::string_view::npos) merged = std::string(b.path.substr(0, slash + 1));
  }
  merged.append(r.path);
  return compose(t, b.has_scheme || b.has_authority || merged[0] == '/' ? remove_dot_segments(merged)
                                                                       : merged);
}

std::string normalize_uri(std::string_view uri) { return resolve_uri({}, uri); }

std::string_view uri_without_fragment(std::string_view uri) {
  return uri.substr(0, uri.find('#'));
}

std::string_view uri_fragment(std::string_view uri) {
  const size_t h = uri.find('#');
  return h == std::string_view::npos ? std::string_view() : uri.substr(h + 1);
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace edgeguard::validate
