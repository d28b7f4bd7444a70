#include "edgeguard/format/format_time.hpp"

namespace edgeguard::validate::formats {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// `n` ASCII digits at s[at..at+n) as a number, or -1.
int number(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// full-time = partial-time time-offset; a leap second (:60) must fall on 23:59 UTC.
bool full_time(std::string_view s) {
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  const int hour = number(s, 0, 2), minute = number(s, 3, 2), second = number(s, 6, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  size_t i = 8;
  if (s[i] == '.') {
    const size_t start = ++i;
    while (i < s.size() && digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    if (s.size() - i != 6 || s[i + 3] != ':') return false;
    const int oh = number(s, i + 1, 2), om = number(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  if (second == 60) {
    const int utc = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

// The digits-and-designator pieces of a duration, parsed left to right.
class DurationParser {
 public:
  explicit DurationParser(std::string_view s) : s_(s) {}

  // Consumes "<digits><unit>" if it is next; fails the parse on digits without that unit.
  bool element(char unit) {
    size_t i = pos_;
    while (i < s_.size() && digit(s_[i])) ++i;
    if (i == pos_ || i >= s_.size() || s_[i] != unit) return false;
    pos_ = i + 1;
    return true;
  }
  bool literal(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// dur-time = "T" (dur-hour / dur-minute / dur-second), each optionally followed by the next
// smaller unit: H [M [S]], M [S], S.
bool duration_time(DurationParser& p) {
  if (p.element('H')) {
    if (p.element('M')) p.element('S');
    return true;
  }
  if (p.element('M')) {
    p.element('S');
    return true;
  }
  return p.element('S');
}

}  // namespace

bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int year = number(s, 0, 4), month = number(s, 5, 2), day = number(s, 8, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

bool is_time(std::string_view s) { return full_time(s); }

bool is_date_time(std::string_view s) {
  return s.size() > 11 && (s[10] == 'T' || s[10] == 't') && is_date(s.substr(0, 10)) &&
         full_time(s.substr(11));
}

// duration = "P" (dur-date / dur-time / dur-week); dur-date = (day / month / year) [dur-time]
// with Y [M [D]], M [D], D.
bool is_duration(std::string_view s) {
  DurationParser p(s);
  if (!p.literal('P')) return false;
  if (p.element('W')) return p.done();
  bool any = false;
  if (p.element('Y')) {
    any = true;
    if (p.element('M')) p.element('D');
  } else if (p.element('M')) {
    any = true;
    p.element('D');
  } else if (p.element('D')) {
    any = true;
  }
  if (p.literal('T')) {
    if (!duration_time(p)) return false;
    any = true;
  }
  return any && p.done();
}

}  // namespace edgeguard::validate::formats
