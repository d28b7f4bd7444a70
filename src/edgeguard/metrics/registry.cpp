#include "edgeguard/metrics/registry.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "edgeguard/json/exact_number.hpp"

namespace edgeguard::metrics {

bool Registry::valid_name(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

uint32_t Registry::family(std::string_view name, std::string_view help, Kind kind,
                          const std::vector<std::string>& labels, const std::vector<double>& buckets,
                          const char*& error) {
  if (!valid_name(name)) {
    error = "metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*";
    return kInvalid;
  }
  for (const Family& f : families_) {
    if (f.name == name) {
      error = "metric name already registered";
      return kInvalid;
    }
  }
  if (labels.size() > kMaxLabels) {
    error = "too many labels (at most 8)";
    return kInvalid;
  }
  for (const std::string& l : labels) {
    if (!valid_name(l) || l.find(':') != std::string::npos || l.rfind("__", 0) == 0 || l == "le") {
      error = "label name must match [a-zA-Z_][a-zA-Z0-9_]*, not start with __ and not be 'le'";
      return kInvalid;
    }
  }
  if (kind != Kind::histogram ? !buckets.empty() : buckets.empty() || buckets.size() > kMaxBuckets) {
    error = "histograms need 1 to 64 buckets; other kinds none";
    return kInvalid;
  }
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
      error = "buckets must be finite and strictly increasing";
      return kInvalid;
    }
  }
  families_.push_back(Family{std::string(name), std::string(help), kind, labels, buckets, {}, kInvalid});
  return uint32_t(families_.size() - 1);
}

uint32_t Registry::create(uint32_t family, std::vector<std::string> values) {
  Series s{family, std::move(values), 0, 0, {}};
  s.buckets.assign(families_[family].buckets.size(), 0);
  series_.push_back(std::move(s));
  const auto id = uint32_t(series_.size() - 1);
  families_[family].series.push_back(id);
  return id;
}

uint32_t Registry::series(uint32_t family, const std::string_view* values, size_t count) {
  if (family >= families_.size()) return kInvalid;
  Family& f = families_[family];
  if (count != f.labels.size()) return kInvalid;
  for (uint32_t id : f.series) {
    const Series& s = series_[id];
    bool same = true;
    for (size_t i = 0; i < count && same; ++i) same = s.values[i] == values[i];
    if (same) return id;
  }
  if (f.series.size() >= max_series_) {
    if (f.overflow == kInvalid) f.overflow = create(family, std::vector<std::string>(count, "_other"));
    return f.overflow;
  }
  return create(family, std::vector<std::string>(values, values + count));
}

void Registry::add(uint32_t id, double v) {
  if (id >= series_.size() || !std::isfinite(v)) return;
  Series& s = series_[id];
  const Kind kind = families_[s.family].kind;
  if (kind == Kind::gauge || (kind == Kind::counter && v >= 0)) s.value += v;
}

void Registry::set(uint32_t id, double v) {
  if (id >= series_.size()) return;
  Series& s = series_[id];
  if (families_[s.family].kind == Kind::gauge) s.value = v;
}

void Registry::observe(uint32_t id, double v) {
  if (id >= series_.size() || std::isnan(v)) return;
  Series& s = series_[id];
  const Family& f = families_[s.family];
  if (f.kind != Kind::histogram) return;
  s.value += v;
  s.count++;
  // Fixed buckets are few and sorted: a forward scan beats a binary search at this size.
  for (size_t i = 0; i < f.buckets.size(); ++i) {
    if (v <= f.buckets[i]) {
      s.buckets[i]++;
      break;
    }
  }
}

double Registry::value(uint32_t id) const {
  if (id >= series_.size()) return 0;
  const Series& s = series_[id];
  return families_[s.family].kind == Kind::histogram ? double(s.count) : s.value;
}

double Registry::histogram_sum(uint32_t id) const { return id < series_.size() ? series_[id].value : 0; }

uint64_t Registry::bucket_count(uint32_t id, size_t i) const {
  if (id >= series_.size()) return 0;
  const Series& s = series_[id];
  uint64_t total = 0;
  for (size_t b = 0; b <= i && b < s.buckets.size(); ++b) total += s.buckets[b];
  return i >= s.buckets.size() ? s.count : total;
}

void append_escaped_label(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) out += "NaN";
  else if (std::isinf(v)) out += v > 0 ? "+Inf" : "-Inf";
  else if (v == std::floor(v) && std::fabs(v) < 1e16) out += std::to_string(int64_t(v));
  else {
    // fmt's shortest form: the fewest digits that read back as v, positional from 1e-4 to 1e16.
    if (v < 0) out += '-';
    const json::ShortestDigits s = json::shortest_digits(std::fabs(v));
    const int e = s.exponent;  // v = d.ddd x 10^e
    if (e >= -4 && e < 16) {
      if (e < 0) out.append("0.").append(size_t(-e - 1), '0').append(s.digits, size_t(s.count));
      else if (s.count <= e + 1) out.append(s.digits, size_t(s.count)).append(size_t(e + 1 - s.count), '0');
      else out.append(s.digits, size_t(e + 1)).append(1, '.').append(s.digits + e + 1, size_t(s.count - e - 1));
    } else {
      out.append(1, s.digits[0]);
      if (s.count > 1) out.append(1, '.').append(s.digits + 1, size_t(s.count - 1));
      out += e < 0 ? "e-" : "e+";
      if (std::abs(e) < 10) out += '0';
      out += std::to_string(std::abs(e));
    }
  }
}

namespace {

void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

// `{a="x",b="y"` plus an optional extra label, closed; nothing when there are no labels.
void append_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped_label(out, values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

}  // namespace

void Registry::prometheus(std::string& out) const {
  static constexpr const char* kKinds[] = {"counter", "gauge", "histogram"};
  std::string le;
  for (const Family& f : families_) {
    out += "# HELP ";
    out += f.name;
    out += ' ';
    append_help(out, f.help);
    out += "\n# TYPE ";
    out += f.name;
    out += ' ';
    out += kKinds[size_t(f.kind)];
    out += '\n';
    for (uint32_t id : f.series) {
      const Series& s = series_[id];
      if (f.kind != Kind::histogram) {
        out += f.name;
        append_labels(out, f.labels, s.values);
        out += ' ';
        append_number(out, s.value);
        out += '\n';
        continue;
      }
      uint64_t cumulative = 0;
      for (size_t i = 0; i <= f.buckets.size(); ++i) {
        cumulative += i < f.buckets.size() ? s.buckets[i] : 0;
        le.clear();
        append_number(le, i < f.buckets.size() ? f.buckets[i] : INFINITY);
        out += f.name;
        out += "_bucket";
        append_labels(out, f.labels, s.values, "le", le);
        out += ' ';
        out += std::to_string(i < f.buckets.size() ? cumulative : s.count);
        out += '\n';
      }
      out += f.name;
      out += "_sum";
      append_labels(out, f.labels, s.values);
      out += ' ';
      append_number(out, s.value);
      out += '\n';
      out += f.name;
      out += "_count";
      append_labels(out, f.labels, s.values);
      out += ' ';
      out += std::to_string(s.count);
      out += '\n';
    }
  }
}

}  // namespace edgeguard::metrics
