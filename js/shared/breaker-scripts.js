// The two atomic scripts of a shared breaker (breaker-share.js), each in Lua for Redis and as
// `run` for engines without Lua (the Durable Object store): both are pinned to each other by
// tests/js/shared/breaker-scripts.test.js against a real redis-server. Times are the callers'
// (whole ms, in the args): scripts never read a clock.
import { defineScript } from '../store/script.js';

// report: KEYS opens (instance id -> when it tripped), trial; ARGV id, trippedAt ('': not open
// on its own), now, windowMs, keep. Writes this instance's report, drops reports older than the
// window and all but the newest `keep` (the quorum: reaching it needs no more, and a fleet of
// thousands of instances tripping keeps the hash, and each report's work, that small), and
// answers the view: { open reports within the window (at most keep), the last trial result and when }.
const REPORT_LUA = `
local id, tripped, now, window, keep = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if tripped and now - tripped < window then
  redis.call('HSET', KEYS[1], id, tripped)
else
  redis.call('HDEL', KEYS[1], id)
end
local live = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local at = tonumber(all[i + 1])
  if now - at < window then live[#live + 1] = { all[i], at } else redis.call('HDEL', KEYS[1], all[i]) end
end
if #live > keep then
  table.sort(live, function(x, y) return x[2] > y[2] or (x[2] == y[2] and x[1] < y[1]) end)
  for i = keep + 1, #live do redis.call('HDEL', KEYS[1], live[i][1]) end
end
local count = math.min(#live, keep)
if count > 0 then redis.call('PEXPIRE', KEYS[1], window) end
local trial = redis.call('HMGET', KEYS[2], 'result', 'at')
return {count, trial[1] or '', tonumber(trial[2] or '0')}`;

// The newest first; ids in code unit order break ties, as Lua's string comparison does for
// ASCII ids.
const newestFirst = ([idA, atA], [idB, atB]) => atB - atA || (idA < idB ? -1 : idA > idB ? 1 : 0);

function runReport(state, [opensKey, trialKey], args) {
  const [id, tripped, now, window, keep] = [String(args[0]), args[1] === '' ? NaN : Number(args[1]), Number(args[2]), Number(args[3]), Number(args[4])];
  const opens = new Map(state.get(opensKey) ?? []);
  if (now - tripped < window) opens.set(id, tripped);
  else opens.delete(id);
  const live = [...opens].filter(([, at]) => now - at < window).sort(newestFirst).slice(0, keep);
  if (live.length > 0) state.set(opensKey, live, window);
  else state.delete(opensKey);
  const trial = state.get(trialKey);
  return [live.length, trial?.result ?? '', Math.trunc(trial?.at ?? 0)];
}

export const reportScript = defineScript(REPORT_LUA, { name: 'edgeguard.breaker.report', run: runReport });

// trial: KEYS trial (owner, until, result, at); ARGV op, id, now, since | result, leaseMs, ttlMs.
// 'lease' asks for the half-open period's trial calls, all of them to one instance at a time:
// [2, result, at] a result decided after `since` (when the asker opened) is there to adopt;
// [0, result, at] another instance holds an unexpired lease; [1, '', until] granted (or renewed).
// 'end' (owner only) records the trials' result ('passed' | 'failed', '' to just release):
// [1, result, now] done, [0, result, at] not the owner (its lease had expired and moved on).
const TRIAL_LUA = `
local op, id, now, lease, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[5]), tonumber(ARGV[6])
local t = redis.call('HMGET', KEYS[1], 'owner', 'until', 'result', 'at')
local owner, ends, result, at = t[1] or '', tonumber(t[2] or '0'), t[3] or '', tonumber(t[4] or '0')
if op == 'end' then
  if owner ~= id then return {0, result, at} end
  redis.call('HSET', KEYS[1], 'owner', '', 'until', now, 'result', ARGV[4], 'at', now)
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {1, ARGV[4], now}
end
if result ~= '' and at > tonumber(ARGV[4]) then return {2, result, at} end
if owner ~= '' and owner ~= id and ends > now then return {0, result, at} end
redis.call('HSET', KEYS[1], 'owner', id, 'until', now + lease, 'result', '', 'at', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return {1, '', now + lease}`;

function runTrial(state, [key], args) {
  const [op, id, now, lease, ttl] = [String(args[0]), String(args[1]), Number(args[2]), Number(args[4]), Number(args[5])];
  const { owner = '', until = 0, result = '', at = 0 } = state.get(key) ?? {};
  if (op === 'end') {
    if (owner !== id) return [0, result, Math.trunc(at)];
    state.set(key, { owner: '', until: now, result: String(args[3]), at: now }, ttl);
    return [1, String(args[3]), Math.trunc(now)];
  }
  if (result !== '' && at > Number(args[3])) return [2, result, Math.trunc(at)];
  if (owner !== '' && owner !== id && until > now) return [0, result, Math.trunc(at)];
  state.set(key, { owner: id, until: now + lease, result: '', at: now }, ttl);
  return [1, '', Math.trunc(now + lease)];
}

export const trialScript = defineScript(TRIAL_LUA, { name: 'edgeguard.breaker.trial', run: runTrial });
