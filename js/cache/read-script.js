// A shared copy read with the time it has left in the store, so that its age is measured on the
// store's clock (the time it has spent there) as well as on its writer's: a writer whose clock runs
// ahead would otherwise have its copies served as fresh for as long as its clock is ahead.
import { defineScript } from '../store/script.js';

// KEYS: the copy. Reply: nil when absent, else { the copy's text, its TTL left in ms } (-1 from
// an engine whose ScriptState has no ttl(): its copies are dated by their writers' clocks alone).
export const READ_ENTRY = defineScript(`
local text = redis.call('GET', KEYS[1])
if not text then return false end
return { text, redis.call('PTTL', KEYS[1]) }
`, {
  name: 'edgeguard.cache.read',
  run(state, [key]) {
    const text = state.get(key);
    return text === undefined ? null : [text, typeof state.ttl === 'function' ? state.ttl(key) : -1];
  },
});
