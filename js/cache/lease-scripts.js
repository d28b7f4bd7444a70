// Single-flight across instances: before fetching a key that no instance holds fresh, an instance
// takes a short lease on it in the store; the others wait for the leader's value (or serve their
// stale copy) instead of calling the backend too. A lease expires by itself (a leader that died
// holds nobody up for longer than its TTL) and is released by its owner alone.
import { defineScript } from '../store/script.js';

// KEYS: the lease. ARGV: owner, TTL. 1: taken (or held by this owner already: renewed, so a
// release of its that was lost does not hold up its own next fetch), 0: held by another.
export const TAKE_LEASE = defineScript(`
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`, {
  name: 'edgeguard.cache.lease',
  run(state, [key], [owner, ttlMs]) {
    const held = state.get(key);
    if (held !== undefined && held !== String(owner)) return 0;
    state.set(key, String(owner), Number(ttlMs));
    return 1;
  },
});

// KEYS: the lease. ARGV: owner. 1: released, 0: not this owner's (it expired, another took it).
export const RELEASE_LEASE = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`, {
  name: 'edgeguard.cache.release',
  run(state, [key], [owner]) {
    if (state.get(key) !== String(owner)) return 0;
    state.delete(key);
    return 1;
  },
});
