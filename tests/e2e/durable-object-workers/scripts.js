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

/** Writes a value past storage's 128 KiB limit on KEYS[1] (after reading it): storage refuses it. */
export const big = defineScript("return redis.call('SET', KEYS[1], string.rep('x', 200000))", {
  name: 'test.big',
  run(state, keys) {
    state.set(keys[0], `${state.get(keys[0])}`.padEnd(200_000, 'x'), 60_000);
    return 1;
  },
});

/** Stores ARGV[1] on KEYS[1] and returns ARGV: Lua sees every arg as a string. */
export const echo = defineScript("redis.call('SET', KEYS[1], ARGV[1], 'PX', 60000) return ARGV", {
  name: 'test.echo',
  run(state, keys, args) {
    state.set(keys[0], args[0], 60_000);
    return args;
  },
});

/** Known to callers, not registered with the object class. */
export const unregistered = defineScript('return 0', { name: 'test.unregistered', run: () => 0 });

export const registered = [count, fail, json, big, echo];
