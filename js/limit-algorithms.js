// The rate limiter's algorithms by the core's numbering (src/edgeguard/limit/policy.hpp
// Algorithm; tests/js/limit-algorithms.test.js pins the two): the local limiter and the store
// scripts both send these numbers.
export const ALGORITHMS = Object.freeze(['gcra', 'token-bucket', 'sliding-window', 'fixed-window', 'sliding-log']);
