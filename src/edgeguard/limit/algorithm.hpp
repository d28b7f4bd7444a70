#pragma once
// Dispatch from a policy to its algorithm: one switch per operation, so the limiter's loop over
// policies stays free of virtual calls and per-key state stays a flat array of doubles.
#include "edgeguard/limit/fixed_window.hpp"
#include "edgeguard/limit/gcra.hpp"
#include "edgeguard/limit/sliding_log.hpp"
#include "edgeguard/limit/sliding_window.hpp"
#include "edgeguard/limit/token_bucket.hpp"

namespace edgeguard::limit {

// Always inlined: it sits in the per-call loop over policies, where a call per policy costs more
// than the switch.
#if defined(__GNUC__) || defined(__clang__)
#define EG_LIMIT_INLINE inline __attribute__((always_inline))
#else
#define EG_LIMIT_INLINE inline
#endif

template <class Op>
EG_LIMIT_INLINE decltype(auto) dispatch(const Policy& p, Op&& op) {
  switch (p.config.algorithm) {
    case Algorithm::token_bucket: return op(TokenBucket{});
    case Algorithm::sliding_window: return op(SlidingWindow{});
    case Algorithm::fixed_window: return op(FixedWindow{});
    case Algorithm::sliding_log: return op(SlidingLog{});
    case Algorithm::gcra: break;
  }
  return op(Gcra{});
}

inline void init_state(const Policy& p, double* s) {
  dispatch(p, [&](auto a) { a.init(p, s); });
}
EG_LIMIT_INLINE Decision decide(const Policy& p, const double* s, double now_ms, double cost) {
  return dispatch(p, [&](auto a) { return a.decide(p, s, now_ms, cost); });
}
EG_LIMIT_INLINE void consume(const Policy& p, double* s, double now_ms, double cost) {
  dispatch(p, [&](auto a) { a.consume(p, s, now_ms, cost); });
}
inline void refund(const Policy& p, double* s, double now_ms, double cost) {
  dispatch(p, [&](auto a) { a.refund(p, s, now_ms, cost); });
}
inline bool at_full_allowance(const Policy& p, const double* s, double now_ms) {
  return dispatch(p, [&](auto a) { return a.full(p, s, now_ms); });
}

}  // namespace edgeguard::limit
