#pragma once
// Counters, gauges and histograms with fixed buckets, in families with fixed label names, as
// Prometheus models them. Series are created on first use up to a bound per family; beyond it,
// observations go to one overflow series whose labels are all "_other", so memory never grows
// with traffic.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgeguard::metrics {

enum class Kind : uint8_t { counter, gauge, histogram };

constexpr uint32_t kInvalid = UINT32_MAX;
constexpr size_t kMaxLabels = 8;
constexpr size_t kMaxBuckets = 64;

class Registry {
 public:
  explicit Registry(size_t max_series_per_family = 1000) : max_series_(max_series_per_family) {}

  // Registers a family; kInvalid (and `error` set to a static message) for a bad name, labels
  // or buckets (buckets: histograms only, strictly increasing and finite; +Inf is implied).
  uint32_t family(std::string_view name, std::string_view help, Kind kind,
                  const std::vector<std::string>& labels, const std::vector<double>& buckets,
                  const char*& error);

  // The series with these label values (one per label name); kInvalid for a bad family or count.
  uint32_t series(uint32_t family, const std::string_view* values, size_t count);

  void add(uint32_t series, double value);      // counters (value >= 0) and gauges
  void set(uint32_t series, double value);      // gauges
  void observe(uint32_t series, double value);  // histograms

  double value(uint32_t series) const;  // counter/gauge value, histogram count
  double histogram_sum(uint32_t series) const;
  // Observations <= buckets[i] (cumulative, as exposed).
  uint64_t bucket_count(uint32_t series, size_t i) const;

  // The text exposition format, version 0.0.4.
  void prometheus(std::string& out) const;

  static bool valid_name(std::string_view name);

 private:
  struct Family {
    std::string name, help;
    Kind kind;
    std::vector<std::string> labels;
    std::vector<double> buckets;
    std::vector<uint32_t> series;  // ids, in creation order (the exposition order)
    uint32_t overflow = kInvalid;
  };
  struct Series {
    uint32_t family;
    std::vector<std::string> values;
    double value = 0;  // counter/gauge value; histogram sum
    uint64_t count = 0;
    std::vector<uint64_t> buckets;  // per-bucket (not cumulative) counts
  };

  uint32_t create(uint32_t family, std::vector<std::string> values);

  size_t max_series_;
  std::vector<Family> families_;
  std::vector<Series> series_;
};

// Label values escaped for the exposition format (backslash, double quote, newline).
void append_escaped_label(std::string& out, std::string_view value);
// A sample value: integers without a fraction, +Inf/-Inf/NaN spelled as Prometheus expects.
void append_number(std::string& out, double v);

}  // namespace edgeguard::metrics
