// Snapshot and restore of a circuit breaker as JSON text: a cold path, so nlohmann_json.
#include <nlohmann/json.hpp>

#include "edgeguard/resilience/circuit_breaker.hpp"

namespace edgeguard::resilience {

using nlohmann::json;

namespace {

constexpr int kVersion = 1;
constexpr State kStates[] = {State::closed,      State::open,     State::half_open,
                             State::forced_open, State::disabled, State::metrics_only};

bool state_from(const json& j, State& out) {
  if (!j.is_string()) return false;
  for (State s : kStates) {
    if (j.get_ref<const std::string&>() == state_name(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

// An integer field within [lo, hi]; anything else (missing, fractional, a string) is refused.
bool int_in(const json& obj, const char* key, int64_t lo, int64_t hi, int64_t& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return false;
  out = it->get<int64_t>();
  return out >= lo && out <= hi;
}

constexpr int64_t kU32 = 0xffffffffLL;
constexpr int64_t kTime = int64_t{1} << 53;  // any time a JS number can hold exactly

}  // namespace

struct SnapshotCodec {
  static std::string write(CircuitBreaker& b, int64_t now_ms) {
    b.advance(now_ms);
    b.window_.totals(now_ms);  // slides a time window up to now, so old buckets are not shared
    json w;
    const WindowConfig& wc = b.window_.config();
    if (wc.type == WindowType::count) {
      w = {{"type", "count"}, {"size", wc.size}, {"calls", b.window_.calls()}};
    } else {
      const auto& ring = b.window_.ring();
      json counts = json::array();
      for (uint32_t age = ring.size(); age-- > 0;) {
        const Totals& t = ring.head() == ring.kEmpty ? Totals{} : ring.bucket_back(age);
        counts.push_back({t.calls, t.failures, t.slow, t.slow_failures});
      }
      w = {{"type", "time"}, {"sizeMs", wc.window_ms}, {"buckets", wc.buckets}, {"counts", counts}};
      w["head"] = ring.head() == ring.kEmpty ? json(nullptr) : json(ring.head());
    }
    json j = {{"version", kVersion},
              {"state", state_name(b.state_)},
              {"trips", b.trips_},
              {"consecutiveFailures", b.consecutive_},
              {"stateSinceMs", b.state_since_},
              {"openUntilMs", b.open_until_},
              {"notPermitted", b.not_permitted_},
              {"trials", {{"done", b.trials_done_}, {"failures", b.trial_failures_}, {"slow", b.trial_slow_}}},
              {"window", w}};
    return j.dump();
  }

  static Check read(CircuitBreaker& b, const char* text, size_t len) {
    const json j = json::parse(text, text + len, nullptr, false);
    const Check bad = fail(Status::invalid_snapshot, "snapshot is not a circuit breaker snapshot");
    if (!j.is_object()) return fail(Status::invalid_snapshot, "snapshot is not a JSON object");
    int64_t version = 0, trips = 0, consecutive = 0, since = 0, until = 0, not_permitted = 0;
    if (!int_in(j, "version", kVersion, kVersion, version))
      return fail(Status::invalid_snapshot, "snapshot version is not supported");
    State state = State::closed;
    if (!j.contains("state") || !state_from(j["state"], state))
      return fail(Status::invalid_snapshot, "snapshot state is unknown");
    if (!int_in(j, "trips", 0, kU32, trips) || !int_in(j, "consecutiveFailures", 0, kU32, consecutive) ||
        !int_in(j, "stateSinceMs", -kTime, kTime, since) || !int_in(j, "openUntilMs", -kTime, kTime, until) ||
        !int_in(j, "notPermitted", 0, kTime, not_permitted))
      return bad;
    // No breaker of this config is open for longer: a snapshot that says so would hold it open.
    if (state == State::open && (until < since || until - since > b.config_.open_max_ms)) return bad;
    const auto trials = j.find("trials");
    int64_t done = 0, failures = 0, slow = 0;
    // Half-open decides at the latest on its last trial, so a half-open snapshot always has one to go.
    const int64_t most_done = b.config_.half_open_calls - (state == State::half_open ? 1 : 0);
    if (trials == j.end() || !trials->is_object() || !int_in(*trials, "done", 0, most_done, done) ||
        !int_in(*trials, "failures", 0, done, failures) || !int_in(*trials, "slow", 0, done, slow))
      return bad;
    const auto w = j.find("window");
    if (w == j.end() || !w->is_object()) return bad;
    if (Check c = read_window(b.window_, *w)) return c;

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

  static Check read_window(Window& window, const json& w) {
    const Check mismatch = fail(Status::snapshot_mismatch, "snapshot window differs from this breaker's window");
    const Check bad = fail(Status::invalid_snapshot, "snapshot window is malformed");
    const WindowConfig& wc = window.config();
    const auto type = w.find("type");
    if (type == w.end() || !type->is_string()) return bad;
    if (*type != (wc.type == WindowType::count ? "count" : "time")) return mismatch;
    int64_t size = 0;
    if (wc.type == WindowType::count) {
      if (!int_in(w, "size", 1, kU32, size)) return bad;
      if (size != wc.size) return mismatch;
      const auto calls = w.find("calls");
      if (calls == w.end() || !calls->is_array() || calls->size() > wc.size) return bad;
      std::vector<uint8_t> out;
      out.reserve(calls->size());
      for (const json& c : *calls) {
        if (!c.is_number_integer() || c.get<int64_t>() < 0 || c.get<int64_t>() > 3) return bad;
        out.push_back(static_cast<uint8_t>(c.get<int64_t>()));
      }
      window.restore_calls(out);
      return {};
    }
    int64_t buckets = 0;
    if (!int_in(w, "sizeMs", 1, kU32, size) || !int_in(w, "buckets", 1, kU32, buckets)) return bad;
    if (size != wc.window_ms || buckets != wc.buckets) return mismatch;
    const auto counts = w.find("counts");
    const auto head = w.find("head");
    if (counts == w.end() || !counts->is_array() || counts->size() != wc.buckets || head == w.end()) return bad;
    // A bucket index beyond any time a JS number holds would overflow the ring's arithmetic.
    if (!head->is_null() && (!head->is_number_integer() || head->get<int64_t>() < -kTime ||
                             head->get<int64_t>() > kTime))
      return bad;
    std::vector<Totals> out;
    out.reserve(wc.buckets);
    for (const json& c : *counts) {
      if (!c.is_array() || c.size() != 4) return bad;
      int64_t v[4];
      for (int i = 0; i < 4; ++i) {
        if (!c[i].is_number_integer()) return bad;
        v[i] = c[i].get<int64_t>();
      }
      // Each bucket must be self-consistent, and the window total must not overflow.
      if (v[0] < 0 || v[0] > kU32 / wc.buckets || v[1] < 0 || v[1] > v[0] || v[2] < 0 || v[2] > v[0] || v[3] < 0 ||
          v[3] > v[1] || v[3] > v[2])
        return bad;
      out.push_back(Totals{static_cast<uint32_t>(v[0]), static_cast<uint32_t>(v[1]), static_cast<uint32_t>(v[2]),
                           static_cast<uint32_t>(v[3])});
    }
    window.ring().restore(head->is_null() ? BucketRing<Totals>::kEmpty : head->get<int64_t>(), out);
    return {};
  }
};

std::string CircuitBreaker::snapshot(int64_t now_ms) { return SnapshotCodec::write(*this, now_ms); }

Check CircuitBreaker::restore(const char* json_text, size_t len) {
  return SnapshotCodec::read(*this, json_text, len);
}

}  // namespace edgeguard::resilience
