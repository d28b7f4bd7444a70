// The shared rate limiter's store scripts. TAKE is one atomic decision over all of a limiter's
// policies for one key (one store key per policy, all under one hash tag): give back `give` units
// of an earlier lease, then grant as many units as fit, up to `want` and at least `min`, or refuse
// and consume nothing. The arithmetic is the C++ core's, step for step (src/edgeguard/limit/
// gcra.hpp, token_bucket.hpp, limiter.cpp's evaluate): time counted in 1/q ms so one emission
// interval is exactly p units, the same floors and ceilings, the same deciding policy, the same
// blocks. Time is the caller's `now` (the limiter's clock), never the engine's. The Lua runs in
// Redis; `run`, for engines without Lua (the Durable Object store), is the core itself: its take
// (src/edgeguard/limit/take.hpp) on the key's state words kept in the ScriptState, so the state
// outlives the object holding it. tests/js/shared/limit-scripts.test.js pins Lua == run == a
// local RateLimiter.
//
// The Lua's state per policy key: three numbers, "a b u": gcra: a = the theoretical arrival
// time; token bucket: a = the level, b = its time; u = the end of a block (ms); "a" alone when b
// and u are 0 (gcra without a block: a third of the formatting and parsing, which is much of
// what the script costs the server per check). `run` keeps the
// core's words for the policy instead. Either way a key back at full allowance is deleted, and
// every other key expires a little after it would be back at full allowance.
import { defineScript, replyNumber } from '../store/script.js';
import { ALGORITHMS } from '../limit-algorithms.js';
import { module } from '../core.js';
import { EdgeguardError, describe } from '../errors.js';
import { StoreError } from '../store/store-error.js';
import { SLOT, TakeArg, TakeOp, TakeSlot } from '../seam/limit.js';

export const { TAKE: OP_TAKE, PEEK: OP_PEEK, PENALIZE: OP_PENALIZE } = TakeOp;

/** Algorithms a store runs, by the core's numbering. */
export const STORE_ALGORITHMS = Object.freeze(Object.fromEntries(['gcra', 'token-bucket'].map((a) => [a, ALGORITHMS.indexOf(a)])));

/** Per policy args: algorithm, q, p, capacity, blockMs (TakeArg). */
export const POLICY_ARGS = TakeArg.COUNT;
const HEAD_ARGS = 5;  // now, give, want, min, op

// Past full allowance a key is kept this much longer: the engine's clock expiring it may run
// ahead of the callers' clocks (a key expired early would grant a fresh allowance).
export const TTL_MARGIN_MS = 1000;
// A key penalized for ages is kept at most ~35 years (the longest window): Lua prints larger
// numbers with an exponent, which Redis would refuse as a TTL.
export const MAX_TTL_MS = 2 ** 40;
const ttl = (untilFull) => Math.min(untilFull + TTL_MARGIN_MS, MAX_TTL_MS);
// A reply's times are capped at 2^53 ms (a key penalized for ages): Redis casts a Lua number to a
// 64-bit integer, so past 2^63 a wait came back negative, a malformed reply answered by the
// fallback; past 2^53 a JS number is no longer exact anyway.
export const MAX_REPLY_MS = 2 ** 53;

/**
 * One policy's script args, from its terms as the core derived them (RateLimiter#_coreTerms:
 * make_policy's q, p and capacity), so that the store runs the policy the local core would.
 */
export function policyArgs(terms) {
  const args = new Array(POLICY_ARGS);
  args[TakeArg.ALGORITHM] = terms.algorithm;
  args[TakeArg.Q] = terms.q;
  args[TakeArg.P] = terms.p;
  args[TakeArg.CAPACITY] = terms.capacity;
  args[TakeArg.BLOCK_MS] = terms.blockMs;
  return args;
}

const LUA = `
local GCRA = ${STORE_ALGORITHMS.gcra}
local now_ms = tonumber(ARGV[1])
local give = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local min = tonumber(ARGV[4])
local op = tonumber(ARGV[5])
local n = #KEYS
local P, S = {}, {}

local function ceil_ms(units, q)
  if units <= 0 then return 0 end
  return math.ceil(units / q)
end

local function capped(ms) return math.min(ms, ${MAX_REPLY_MS}) end

local function refilled(p, s, now)
  return math.min(p.cap * p.p, s[1] + math.max(0, now - s[2]))
end

local function decide(p, s, c)
  local now = now_ms * p.q
  local cap = p.cap * p.p
  if p.alg == GCRA then
    local base = math.max(s[1], now)
    local nxt = base + c * p.p
    local allowed = nxt - now <= cap
    local debt = base - now
    if allowed then debt = nxt - now end
    local retry = 0
    if not allowed then retry = ceil_ms(nxt - cap - now, p.q) end
    return allowed, math.max(0, math.floor((cap - debt) / p.p)), ceil_ms(debt, p.q), retry
  end
  local level = refilled(p, s, now)
  local need = c * p.p
  local allowed = level >= need
  local left = level
  if allowed then left = level - need end
  local retry = 0
  if not allowed then retry = ceil_ms(need - level, p.q) end
  return allowed, math.max(0, math.floor(left / p.p)), ceil_ms(cap - left, p.q), retry
end

-- The core's Limiter::evaluate: the deciding policy and, per policy, whether it refuses.
local function evaluate(c)
  local r = { allowed = true, policy = 0, remaining = 0, reset = 0, retry = 0 }
  local refused = {}
  for i = 1, n do
    local p, s = P[i], S[i]
    local allowed, remaining, reset, retry = decide(p, s, c)
    if p.block > 0 and (s[3] > now_ms or not allowed) then
      if allowed then
        local _a, _r, reset0 = decide(p, s, 0)
        reset = reset0
      end
      allowed = false
      remaining = 0
      local left = p.block
      if s[3] > now_ms then left = math.ceil(s[3] - now_ms) end
      retry = math.max(retry, left)
      reset = math.max(reset, retry)
    end
    refused[i] = not allowed
    local better
    if i == 1 then better = true
    elseif not allowed then better = r.allowed or retry > r.retry
    else better = r.allowed and (remaining < r.remaining or (remaining == r.remaining and reset > r.reset)) end
    if better then
      r.allowed, r.policy, r.remaining, r.reset, r.retry = allowed, i - 1, remaining, reset, retry
    end
  end
  return r, refused
end

local function consume(p, s, c)
  local now = now_ms * p.q
  if p.alg == GCRA then
    s[1] = math.max(s[1], now) + c * p.p
  else
    s[1] = refilled(p, s, now) - c * p.p
    s[2] = math.max(s[2], now)
  end
end

local function refund(p, s, c)
  local now = now_ms * p.q
  if p.alg == GCRA then
    s[1] = math.max(s[1] - c * p.p, now)
  else
    s[1] = math.min(p.cap * p.p, refilled(p, s, now) + c * p.p)
    s[2] = math.max(s[2], now)
  end
end

-- The most units every policy would grant now (0 while blocked).
local function fits()
  local most = want
  for i = 1, n do
    local p, s = P[i], S[i]
    local now = now_ms * p.q
    local units
    if p.block > 0 and s[3] > now_ms then units = 0
    elseif p.alg == GCRA then units = math.floor((p.cap * p.p - (math.max(s[1], now) - now)) / p.p)
    else units = math.floor(refilled(p, s, now) / p.p) end
    most = math.min(most, math.max(0, units))
  end
  return most
end

local function save(i)
  local p, s = P[i], S[i]
  local now = now_ms * p.q
  local until_full
  if p.alg == GCRA then until_full = ceil_ms(s[1] - now, p.q)
  else until_full = ceil_ms(p.cap * p.p - refilled(p, s, now), p.q) end
  until_full = math.max(until_full, math.ceil(s[3] - now_ms))
  if until_full <= 0 then
    redis.call('DEL', KEYS[i])
  else
    local text
    if s[2] == 0 and s[3] == 0 then text = string.format('%.17g', s[1])
    else text = string.format('%.17g %.17g %.17g', s[1], s[2], s[3]) end
    redis.call('SET', KEYS[i], text,
      'PX', string.format('%d', math.min(until_full + ${TTL_MARGIN_MS}, ${MAX_TTL_MS})))
  end
end

for i = 1, n do
  local b = ${HEAD_ARGS} + (i - 1) * ${POLICY_ARGS}
  local p = { alg = tonumber(ARGV[b + ${TakeArg.ALGORITHM + 1}]), q = tonumber(ARGV[b + ${TakeArg.Q + 1}]),
    p = tonumber(ARGV[b + ${TakeArg.P + 1}]), cap = tonumber(ARGV[b + ${TakeArg.CAPACITY + 1}]),
    block = tonumber(ARGV[b + ${TakeArg.BLOCK_MS + 1}]) }
  P[i] = p
  local raw = redis.call('GET', KEYS[i])
  local a = raw and tonumber(raw)
  if a then
    S[i] = { a, 0, 0 }
  elseif raw then
    local a, b2, u = string.match(raw, '^(%S+) (%S+) (%S+)$')
    S[i] = { tonumber(a), tonumber(b2), tonumber(u) }
  elseif p.alg == GCRA then
    S[i] = { 0, 0, 0 }
  else
    S[i] = { p.cap * p.p, 0, 0 }
  end
end

if op == ${OP_PEEK} then
  local r = evaluate(1)
  if r.allowed then r = evaluate(0) end
  return { 0, r.policy, r.remaining, capped(r.reset), capped(r.retry), 0 }
end
if op == ${OP_PENALIZE} then
  for i = 1, n do consume(P[i], S[i], want) save(i) end
  return { 0, 0, 0, 0, 0, 0 }
end

if give > 0 then for i = 1, n do refund(P[i], S[i], give) end end
local granted = fits()
local r, refused
if want == 0 then
  r = evaluate(0)
elseif granted >= min and granted > 0 then
  r = evaluate(granted)
  for i = 1, n do consume(P[i], S[i], granted) end
else
  granted = 0
  r, refused = evaluate(math.max(min, 1))
  for i = 1, n do
    local p, s = P[i], S[i]
    if refused[i] and p.block > 0 and s[3] <= now_ms then s[3] = now_ms + p.block end
  end
end
for i = 1, n do save(i) end
local wait = 0
if want > 0 then
  local w = evaluate(want)
  wait = w.retry
end
return { granted, r.policy, r.remaining, capped(r.reset), capped(r.retry), capped(wait) }
`;

// ---- the same script for engines without Lua: the C++ core's take (src/edgeguard/limit/take.hpp)

export { SLOT };  // state words per policy
export const RESULT_WORDS = TakeSlot.COUNT;  // and take_out's length past the policies

/**
 * The core's take on the keys' state in `state` (args as TAKE's): its reply, capped as the Lua's
 * is, and what keepTaken needs to store the state after it. Changes nothing in `state`.
 */
export function takeInCore(state, keys, args) {
  const mod = module('resilience');
  const n = keys.length;
  const [now, give, want, min, op] = args.slice(0, HEAD_ARGS).map(Number);
  const stateAt = POLICY_ARGS * n;
  const words = new Float64Array(stateAt + SLOT * n);
  words.set(args.slice(HEAD_ARGS, HEAD_ARGS + stateAt).map(Number));
  keys.forEach((key, i) => {
    const saved = state.get(key);
    words.set(Array.isArray(saved) && saved.length === SLOT ? saved : new Array(SLOT).fill(NaN), stateAt + SLOT * i);
  });
  const ptr = mod._malloc(words.byteLength);
  if (!ptr) throw new EdgeguardError('OUT_OF_MEMORY', 'out of memory for a take');
  let out;
  let after;
  try {
    new Float64Array(mod.HEAPU8.buffer, ptr, words.length).set(words);
    const status = mod._eg_limit_take(ptr, n, ptr + 8 * stateAt, now, give, want, min, op);
    if (status !== 0) throw new EdgeguardError('INVALID_INPUT', `the core refused a take's arguments (status ${status})`);
    // Copied out before the ScriptState runs: it may grow memory, detaching views.
    out = Array.from(new Float64Array(mod.HEAPU8.buffer, mod._eg_limit_take_result(), RESULT_WORDS + n));
    after = Array.from(new Float64Array(mod.HEAPU8.buffer, ptr + 8 * stateAt, SLOT * n));
  } finally {
    mod._free(ptr);
  }
  return { reply: out.slice(0, RESULT_WORDS).map((v) => Math.min(v, MAX_REPLY_MS)), untilFull: out.slice(RESULT_WORDS), after };
}

/** Stores takeInCore's state after the take: a key back at full allowance is deleted. */
export function keepTaken(state, keys, taken) {
  keys.forEach((key, i) => {
    const untilFull = taken.untilFull[i];
    if (untilFull <= 0) state.delete(key);
    else state.set(key, taken.after.slice(SLOT * i, SLOT * (i + 1)), ttl(untilFull));
  });
}

function run(state, keys, args) {
  const taken = takeInCore(state, keys, args);
  if (Number(args[4]) !== OP_PEEK) keepTaken(state, keys, taken);
  return taken.reply;
}

/**
 * KEYS: one per policy. ARGV: now, give, want, min, op (OP_TAKE | OP_PEEK | OP_PENALIZE), then
 * policyArgs() of each policy. Reply: [granted, deciding policy index, remaining, resetMs,
 * retryAfterMs, waitMs until `want` units would fit]; for a refusal granted is 0 and the rest is
 * the answer to a call of cost `min`; want 0 only gives back. PEEK answers a call of cost 1 and writes nothing; PENALIZE
 * consumes `want` whether or not it fits.
 */
export const TAKE = defineScript(LUA, { name: 'edgeguard.limit.take', run });

/** Deletes every policy key of one limiter key; replies how many existed. */
export const RESET = defineScript(`
local n = 0
for i = 1, #KEYS do n = n + redis.call('DEL', KEYS[i]) end
return n`, {
  name: 'edgeguard.limit.reset',
  run: (state, keys) => keys.reduce((n, key) => n + (state.delete(key) ? 1 : 0), 0),
});

// A reply the script cannot have given (a store that ran something else): a STORE_ERROR, so a
// check falls back rather than answering from garbage, and reset / penalize / reward reject with
// a StoreError as they do for any store failure.
export function malformed(expected, reply) {
  return new StoreError('STORE_ERROR', `${expected} (got ${describe(reply)})`);
}

/**
 * A script's reply of `length` non-negative integers (numbers, or the strings a REST API may
 * send), as numbers; null for anything else. A null, a boolean or '' is not read as 0.
 */
export function replyWords(reply, length) {
  if (!Array.isArray(reply) || reply.length !== length) return null;
  const words = new Array(length);
  for (let i = 0; i < length; i++) {
    const n = replyNumber(reply[i]);
    if (!Number.isInteger(n) || n < 0) return null;
    words[i] = n;
  }
  return words;
}

/**
 * A TAKE reply as an object; a reply of another shape, one granting other than nothing or from
 * `min` to the `want` asked (a lease of a million units; less than the call's cost, read as
 * allowed), or one leaving more than its policy holds (`capacities`, each policy's burst or
 * limit, by index: a remaining of 1e15 sent to clients), throws.
 */
export function decodeTake(reply, capacities, want, min = 0) {
  const w = replyWords(reply, TakeSlot.COUNT);
  const granted = w?.[TakeSlot.GRANTED], policy = w?.[TakeSlot.POLICY];
  if (w === null || policy >= capacities.length || w[TakeSlot.REMAINING] > capacities[policy] || granted > want ||
      (granted > 0 && granted < min)) {
    throw malformed(`a TAKE reply is ${TakeSlot.COUNT} non-negative integers granting 0 or ${min} to ${want}, within its policy`, reply);
  }
  return {
    granted, policy, remaining: w[TakeSlot.REMAINING], resetMs: w[TakeSlot.RESET_MS],
    retryAfterMs: w[TakeSlot.RETRY_AFTER_MS], waitMs: w[TakeSlot.WAIT_MS],
  };
}

/** A RESET reply: whether any key existed. */
export function decodeReset(reply) {
  const n = replyNumber(reply);
  if (!Number.isInteger(n) || n < 0) throw malformed('a RESET reply is a count', reply);
  return n > 0;
}
