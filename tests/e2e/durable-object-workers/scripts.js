// The test's own scripts, registered with the test's Durable Object class (objects.js) and run
// from both gateway services: each has the Lua a Redis store would run and the same `run`.
import { Json } from 'edgeguard';
import { defineScript } from 'edgeguard/store';

/** Counts calls on KEYS[1], which expires ARGV[1] ms after the last. */
export const count = defineScript(
  "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return n",
  {
    name: 'test.count',
    run(state, keys, args) {
      const n = (state.get(keys[0]) ?? 0) + 1;
      state.set(keys[0], n, Number(args[0]));
      return n;
    },
  });

/** Writes KEYS[1], then fails: the write must not stay. */
export const fail = defineScript("redis.call('SET', KEYS[1], 'x') return redis.error_reply('test failure')", {
  name: 'test.fail',
  run(state, keys) {
    state.set(keys[0], 'x', 60_000);
    throw new Error('test failure');
  },
});

/** 1 if ARGV[1] is well-formed JSON, by the wasm core inside the object. */
export const json = defineScript("return pcall(cjson.decode, ARGV[1]) and 1 or 0", {
  name: 'test.json',
  run: (state, keys, args) => (Json.check(String(args[0])).valid ? 1 : 0),
});

/** Known to callers, not registered with the object class. */
export const unregistered = defineScript('return 0', { name: 'test.unregistered', run: () => 0 });

export const registered = [count, fail, json];
