// CHECK: an exact-mode check of a limiter of one GCRA policy without a block, the shape most
// limits have, as a script of its own. TAKE answers it too, but pays for what a check never asks
// (give-backs, leases, blocks, token buckets, several policies, the wait for a lease): twice the
// server time, and twice the arguments and reply to encode and parse. CHECK is TAKE's arithmetic
// for that one case, step for step (limit-scripts.js), on the same key and the same state ("a",
// the theoretical arrival time in 1/q ms), so penalize and reward (TAKE) act on the keys CHECK
// keeps. A refusal writes nothing: the state is unchanged and the key's TTL already covers it.
// tests/js/shared/check-script.test.js pins Lua == run == TAKE.
import { defineScript } from '../store/script.js';
import { MAX_REPLY_MS, MAX_TTL_MS, OP_TAKE, POLICY_ARGS, STORE_ALGORITHMS, TTL_MARGIN_MS, keepTaken, malformed, policyArgs, replyWords,
  takeInCore } from './limit-scripts.js';
import { TakeArg, TakeSlot } from '../seam/limit.js';

// PSETEX and the ceilings written out: a third less server time than SET ... PX and a local
// function (measured with INFO commandstats). No library call where Lua's own operators do the
// same, exactly: an argument is read by arithmetic on it (a number the client sent), floor(x) is
// x - x % 1 (Lua's % is x - floor(x), exact for any finite x), and a ceiling is that floor plus
// one when short; each call (math.floor, tonumber, math.min: a global lookup and a C call) cost
// more than the arithmetic it did, 0.3 us of the script's 4.8 us per check in all. A whole state
// is written with '%d', which prints the digits '%.17g' would (below 2^53) in a quarter less time.
// One key's decision: KEYS[key], now ARGV[now], cost ARGV[cost], with q, p and cap set; leaves
// granted, remaining, reset and retry. Written once for CHECK and CHECK_MANY.
const decide = (key, now, cost) => `
local c = ARGV[${cost}] + 0
local now = ARGV[${now}] * q
local base = now
local raw = redis.call('GET', KEYS[${key}])
if raw then
  local a = tonumber(raw)
  if not a then return redis.error_reply('ERR edgeguard: not a limit state') end
  if a > now then base = a end
end
local nxt = base + c * p
local debt = base - now
local fit = (cap - debt) / p
granted = 0
if fit - fit % 1 >= c then granted = c end
retry = 0
if nxt - now <= cap then
  debt = nxt - now
else
  local x = (nxt - cap - now) / q
  retry = x - x % 1
  if retry < x then retry = retry + 1 end
  if retry > ${MAX_REPLY_MS} then retry = ${MAX_REPLY_MS} end
end
reset = 0
if debt > 0 then
  local x = debt / q
  reset = x - x % 1
  if reset < x then reset = reset + 1 end
  if reset > ${MAX_REPLY_MS} then reset = ${MAX_REPLY_MS} end
end
if granted > 0 then
  local x = (nxt - now) / q
  local ttl = x - x % 1
  if ttl < x then ttl = ttl + 1 end
  ttl = ttl + ${TTL_MARGIN_MS}
  if ttl > ${MAX_TTL_MS} then ttl = ${MAX_TTL_MS} end
  local text
  if nxt % 1 == 0 and nxt < ${2 ** 53} then text = string.format('%d', nxt) else text = string.format('%.17g', nxt) end
  redis.call('PSETEX', KEYS[${key}], ttl, text)
end
remaining = (cap - debt) / p
remaining = remaining - remaining % 1
if remaining < 0 then remaining = 0 end`;

const LUA = `
local q = ARGV[3] + 0
local p = ARGV[4] + 0
local cap = ARGV[5] * p
local granted, remaining, reset, retry
${decide(1, 1, 2)}
return { granted, remaining, reset, retry }
`;

// The checks of one synchronous stretch on a store without slots, in one call: a script call's
// fixed cost (about 1.7 us of server time, and a command billed on Upstash) paid once for all of
// them. Each key in turn, so a key named twice sees its first check's write.
const LUA_MANY = `
local q = ARGV[1] + 0
local p = ARGV[2] + 0
local cap = ARGV[3] * p
local out = {}
for i = 1, #KEYS do
  local granted, remaining, reset, retry
  ${decide('i', '2 * i + 2', '2 * i + 3')}
  out[4 * i - 3] = granted
  out[4 * i - 2] = remaining
  out[4 * i - 1] = reset
  out[4 * i] = retry
end
return out
`;

// CHECK's policy args are a TAKE policy's (policyArgs) without the algorithm (gcra) and blockMs (0):
// run() takes `cost` to `cost` units as TAKE does, and answers TAKE's reply without its policy
// and waitMs.
function run(state, keys, args) {
  const [now, cost, q, p, capacity] = args;
  const take = new Array(POLICY_ARGS);
  take[TakeArg.ALGORITHM] = STORE_ALGORITHMS.gcra;
  take[TakeArg.Q] = q;
  take[TakeArg.P] = p;
  take[TakeArg.CAPACITY] = capacity;
  take[TakeArg.BLOCK_MS] = 0;
  const taken = takeInCore(state, keys, [now, 0, cost, cost, OP_TAKE, ...take]);
  const r = taken.reply;
  if (r[TakeSlot.GRANTED] > 0) keepTaken(state, keys, taken);
  return [r[TakeSlot.GRANTED], r[TakeSlot.REMAINING], r[TakeSlot.RESET_MS], r[TakeSlot.RETRY_AFTER_MS]];
}

/**
 * KEYS: the policy's key. ARGV: now, cost, then the policy's q, p and capacity (policyArgs()
 * without the algorithm and blockMs). Reply: [granted (cost or 0), remaining, resetMs,
 * retryAfterMs], as TAKE answers a take of `cost` to `cost` units.
 */
export const CHECK = defineScript(LUA, { name: 'edgeguard.limit.check', run });

/** The most checks CHECK_MANY takes in one call (its reply is four words each). */
export const MAX_CHECKS = 64;

function runMany(state, keys, args) {
  const [q, p, capacity] = args;
  return keys.flatMap((key, i) => run(state, [key], [args[3 + 2 * i], args[4 + 2 * i], q, p, capacity]));
}

/**
 * KEYS: one key per check, of any hash tags (for a store whose spansTags is true). ARGV: the
 * policy's q, p and capacity (as CHECK's), then now and cost of each check in turn. Reply: CHECK's
 * four words for each check in turn.
 */
export const CHECK_MANY = defineScript(LUA_MANY, { name: 'edgeguard.limit.check-many', run: runMany, spansTags: true });

/** Whether CHECK can answer an exact check of policies of these terms (RateLimiter#_coreTerms). */
export function checkable(terms) {
  return terms.length === 1 && terms[0].algorithm === STORE_ALGORITHMS.gcra && terms[0].blockMs === 0;
}

/** CHECK's policy args for policies of these terms, or null when CHECK cannot answer. */
export function checkArgs(terms) {
  return checkable(terms) ? policyArgs(terms[0]).slice(TakeArg.Q, TakeArg.BLOCK_MS) : null;
}

/**
 * A CHECK reply as its four numbers [granted, remaining, resetMs, retryAfterMs]; a reply of
 * another shape, granting other than 0 or `cost`, or leaving more than the policy's `capacity`,
 * throws (a STORE_ERROR).
 */
export function checkWords(reply, cost, capacity) {
  const words = replyWords(reply, 4);
  if (words !== null && (words[0] === 0 || words[0] === cost) && words[1] <= capacity) return words;
  throw malformed(`a CHECK reply is four non-negative integers granting 0 or ${cost}, leaving at most ${capacity}`, reply);
}

/**
 * A CHECK_MANY reply as its numbers, four a check as checkWords reads CHECK's; null for a reply of
 * another shape, one granting a check other than 0 or `costOf(i)`, check i's cost, or one leaving
 * more than the policy's `capacity`.
 */
export function checkManyWords(reply, count, costOf, capacity) {
  const words = replyWords(reply, 4 * count);
  if (words === null) return null;
  for (let i = 0; i < count; i++) {
    if ((words[4 * i] !== 0 && words[4 * i] !== costOf(i)) || words[4 * i + 1] > capacity) return null;
  }
  return words;
}

/** A CHECK reply as TAKE's decoded reply (policy 0, no wait); a reply of another shape throws. */
export function decodeCheck(reply, cost, capacity) {
  const [granted, remaining, resetMs, retryAfterMs] = checkWords(reply, cost, capacity);
  return { granted, policy: 0, remaining, resetMs, retryAfterMs, waitMs: 0 };
}
