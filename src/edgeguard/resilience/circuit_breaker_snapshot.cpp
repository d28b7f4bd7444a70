// Snapshot and restore of a circuit breaker as JSON text: a cold path, written by hand and read
// with json::Document, so the resilience module links no nlohmann_json (63 KiB of wasm it would
// carry for this file alone). Members are written in sorted order, as before.
#include <string>
#include <vector>

#include "edgeguard/json/document.hpp"
#include "edgeguard/resilience/circuit_breaker.hpp"

namespace edgeguard::resilience {

using json::Document;

namespace {

constexpr int kVersion = 1;
constexpr State kStates[] = {State::closed,      State::open,     State::half_open,
                             State::forced_open, State::disabled, State::metrics_only};

constexpr int64_t kU32 = 0xffffffffLL;
constexpr int64_t kTime = int64_t{1} << 53;  // any time a JS number can hold exactly

// A longer text is no snapshot: js/breaker.js refuses it before copying it into linear memory.
// seam: breaker
constexpr size_t kMaxSnapshotBytes = 1u << 20;
// The snapshot nests four deep; a deeper text is not one.
constexpr json::Limits kLimits{kMaxSnapshotBytes, 8};

void append_int(std::string& out, int64_t v) {
  char digits[20];
  int n = 0;
  // Negated into an unsigned: INT64_MIN has no positive counterpart.
  uint64_t u = v < 0 ? 0 - uint64_t(v) : uint64_t(v);
  do {
    digits[n++] = char('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) out += '-';
  while (n) out += digits[--n];
}

// `"name":value,` and friends, so the writer reads as the document it writes.
struct Writer {
  std::string out;
  void name(const char* n) {
    out += '"';
    out += n;
    out += "\":";
  }
  void member(const char* n, int64_t v) {
    name(n);
    append_int(out, v);
    out += ',';
  }
  void member(const char* n, const char* s) {
    name(n);
    out += '"';
    out += s;  // state and window names: never anything to escape
    out += "\",";
  }
  void open(const char* n, char bracket) {
    name(n);
    out += bracket;
  }
  // Ends the open object or array, replacing its last member's comma.
  void close(char bracket) {
    if (out.back() == ',') out.back() = bracket;
    else out += bracket;
    out += ',';
  }
};

bool state_from(const Document& d, uint32_t i, State& out) {
  for (State s : kStates) {
    if (d.equals(i, state_name(s))) {
      out = s;
      return true;
    }
  }
  return false;
}

// An integer member within [lo, hi]; anything else (missing, fractional, a string) is refused.
bool int_in(const Document& d, uint32_t object, const char* name, int64_t lo, int64_t hi, int64_t& out) {
  const uint32_t i = d.find(object, name);
  return i != Document::kNone && d.integer(i, lo, hi, out);
}

}  // namespace

struct SnapshotCodec {
  static std::string write(CircuitBreaker& b, int64_t now_ms) {
    b.advance(now_ms);
    b.window_.totals(now_ms);  // slides a time window up to now, so old buckets are not shared
    Writer w;
    w.out += '{';
    w.member("consecutiveFailures", b.consecutive_);
    w.member("notPermitted", int64_t(b.not_permitted_));
    w.member("openUntilMs", b.open_until_);
    w.member("state", state_name(b.state_));
    w.member("stateSinceMs", b.state_since_);
    w.open("trials", '{');
    w.member("done", b.trials_done_);
    w.member("failures", b.trial_failures_);
    w.member("slow", b.trial_slow_);
    w.close('}');
    w.member("trips", b.trips_);
    w.member("version", kVersion);
    w.open("window", '{');
    const WindowConfig& wc = b.window_.config();
    if (wc.type == WindowType::count) {
      w.open("calls", '[');
      for (const uint8_t c : b.window_.calls()) {
        append_int(w.out, c);
        w.out += ',';
      }
      w.close(']');
      w.member("size", wc.size);
      w.member("type", "count");
    } else {
      const auto& ring = b.window_.ring();
      w.member("buckets", wc.buckets);
      w.open("counts", '[');
      for (uint32_t age = ring.size(); age-- > 0;) {
        const Totals& t = ring.head() == ring.kEmpty ? Totals{} : ring.bucket_back(age);
        w.out += '[';
        for (const uint32_t v : {t.calls, t.failures, t.slow, t.slow_failures}) {
          append_int(w.out, v);
          w.out += ',';
        }
        w.close(']');
      }
      w.close(']');
      if (ring.head() == ring.kEmpty) {
        w.name("head");
        w.out += "null,";
      } else {
        w.member("head", ring.head());
      }
      w.member("sizeMs", wc.window_ms);
      w.member("type", "time");
    }
    w.close('}');
    w.close('}');
    w.out.pop_back();  // the top level's comma
    return std::move(w.out);
  }

  static Check read(CircuitBreaker& b, const char* text, size_t len) {
    Document d;
    const Check bad = fail(Status::invalid_snapshot, "snapshot is not a circuit breaker snapshot");
    const uint32_t j = Document::root();
    // What this breaker's own snapshot can hold (its window's values, a few dozen others), so
    // that a snapshot from elsewhere cannot grow memory past it.
    const WindowConfig& wc = b.window_.config();
    const uint64_t values = wc.type == WindowType::count ? wc.size : wc.buckets;
    const auto max_nodes = static_cast<uint32_t>(std::min<uint64_t>(64 + 6 * values, Document::kNone - 1));
    if (!d.parse(text, len, kLimits, max_nodes) || d[j].kind != Document::Kind::object)
      return fail(Status::invalid_snapshot, "snapshot is not a JSON object");
    int64_t version = 0, trips = 0, consecutive = 0, since = 0, until = 0, not_permitted = 0;
    if (!int_in(d, j, "version", kVersion, kVersion, version))
      return fail(Status::invalid_snapshot, "snapshot version is not supported");
    State state = State::closed;
    const uint32_t state_at = d.find(j, "state");
    if (state_at == Document::kNone || !state_from(d, state_at, state))
      return fail(Status::invalid_snapshot, "snapshot state is unknown");
    if (!int_in(d, j, "trips", 0, kU32, trips) || !int_in(d, j, "consecutiveFailures", 0, kU32, consecutive) ||
        !int_in(d, j, "stateSinceMs", -kTime, kTime, since) || !int_in(d, j, "openUntilMs", -kTime, kTime, until) ||
        !int_in(d, j, "notPermitted", 0, kTime, not_permitted))
      return bad;
    // No breaker of this config is open for longer: a snapshot that says so would hold it open.
    if (state == State::open && (until < since || until - since > b.config_.open_max_ms)) return bad;
    const uint32_t trials = d.find(j, "trials");
    int64_t done = 0, failures = 0, slow = 0;
    // Half-open decides at the latest on its last trial, so a half-open snapshot always has one to go.
    const int64_t most_done = b.config_.half_open_calls - (state == State::half_open ? 1 : 0);
    if (trials == Document::kNone || !int_in(d, trials, "done", 0, most_done, done) ||
        !int_in(d, trials, "failures", 0, done, failures) || !int_in(d, trials, "slow", 0, done, slow))
      return bad;
    const uint32_t w = d.find(j, "window");
    if (w == Document::kNone || d[w].kind != Document::Kind::object) return bad;
    if (Check c = read_window(b.window_, d, w)) return c;

    b.previous_ = b.state_;
    b.state_ = state;
    b.reason_ = Reason::restored;
    b.epoch_ = (b.epoch_ + 1) & 0x3fffffff;
    b.trips_ = static_cast<uint32_t>(trips);
    b.consecutive_ = static_cast<uint32_t>(consecutive);
    b.state_since_ = since;
    b.open_until_ = until;
    b.not_permitted_ = static_cast<uint64_t>(not_permitted);
    b.exceeded_ = false;
    // Permits handed out by the other instance cannot report here: only finished trials carry over.
    b.trials_issued_ = b.trials_done_ = static_cast<uint32_t>(done);
    b.trial_failures_ = static_cast<uint32_t>(failures);
    b.trial_slow_ = static_cast<uint32_t>(slow);
    return {};
  }

  static Check read_window(Window& window, const Document& d, uint32_t w) {
    const Check mismatch = fail(Status::snapshot_mismatch, "snapshot window differs from this breaker's window");
    const Check bad = fail(Status::invalid_snapshot, "snapshot window is malformed");
    const WindowConfig& wc = window.config();
    const uint32_t type = d.find(w, "type");
    if (type == Document::kNone || d[type].kind != Document::Kind::string) return bad;
    if (!d.equals(type, wc.type == WindowType::count ? "count" : "time")) return mismatch;
    int64_t size = 0;
    if (wc.type == WindowType::count) {
      if (!int_in(d, w, "size", 1, kU32, size)) return bad;
      if (size != wc.size) return mismatch;
      const uint32_t calls = d.find(w, "calls");
      if (calls == Document::kNone || d[calls].kind != Document::Kind::array || d[calls].size > wc.size) return bad;
      std::vector<uint8_t> out;
      out.reserve(d[calls].size);
      for (uint32_t c = d[calls].first; c != Document::kNone; c = d[c].next) {
        int64_t v = 0;
        if (!d.integer(c, 0, 3, v)) return bad;
        out.push_back(static_cast<uint8_t>(v));
      }
      window.restore_calls(out);
      return {};
    }
    int64_t buckets = 0;
    if (!int_in(d, w, "sizeMs", 1, kU32, size) || !int_in(d, w, "buckets", 1, kU32, buckets)) return bad;
    if (size != wc.window_ms || buckets != wc.buckets) return mismatch;
    const uint32_t counts = d.find(w, "counts");
    const uint32_t head = d.find(w, "head");
    if (counts == Document::kNone || d[counts].kind != Document::Kind::array || d[counts].size != wc.buckets ||
        head == Document::kNone)
      return bad;
    // A bucket index beyond any time a JS number holds would overflow the ring's arithmetic.
    const bool empty = d[head].kind == Document::Kind::null;
    int64_t head_index = 0;
    if (!empty && !d.integer(head, -kTime, kTime, head_index)) return bad;
    std::vector<Totals> out;
    out.reserve(wc.buckets);
    for (uint32_t c = d[counts].first; c != Document::kNone; c = d[c].next) {
      if (d[c].kind != Document::Kind::array || d[c].size != 4) return bad;
      int64_t v[4];
      int k = 0;
      for (uint32_t e = d[c].first; e != Document::kNone; e = d[e].next) {
        if (!d.integer(e, INT64_MIN, INT64_MAX, v[k++])) return bad;
      }
      // Each bucket must be self-consistent, and the window total must not overflow.
      if (v[0] < 0 || v[0] > kU32 / wc.buckets || v[1] < 0 || v[1] > v[0] || v[2] < 0 || v[2] > v[0] || v[3] < 0 ||
          v[3] > v[1] || v[3] > v[2])
        return bad;
      out.push_back(Totals{static_cast<uint32_t>(v[0]), static_cast<uint32_t>(v[1]), static_cast<uint32_t>(v[2]),
                           static_cast<uint32_t>(v[3])});
    }
    window.ring().restore(empty ? BucketRing<Totals>::kEmpty : head_index, out);
    return {};
  }
};

std::string CircuitBreaker::snapshot(int64_t now_ms) { return SnapshotCodec::write(*this, now_ms); }

Check CircuitBreaker::restore(const char* json_text, size_t len) {
  return SnapshotCodec::read(*this, json_text, len);
}

}  // namespace edgeguard::resilience
