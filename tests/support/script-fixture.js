// What the store-script test files share: a ScriptState in a Map (what an engine without Lua
// keeps), a script run as a Durable Object runs it, and a standalone redis-server with a
// RedisStore on it (what runs the Lua).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { RedisStore } from '../../js/store/redis-store.js';
import { ShardState } from '../../js/store/shard-state.js';
import { startRedis } from './redis-engines.js';
import { connect } from './redis-clients.js';

/** ScriptState over a Map (values cloned as a Durable Object's storage would); remembers TTLs. */
export class MapState {
  values = new Map();
  ttls = new Map();
  get(key) {
    return this.values.has(key) ? structuredClone(this.values.get(key)) : undefined;
  }
  set(key, value, ttlMs) {
    assert.ok(Number.isInteger(ttlMs) && ttlMs > 0, `every value expires (${key}: ${ttlMs})`);
    this.values.set(key, structuredClone(value));
    this.ttls.set(key, ttlMs);
  }
  delete(key) {
    this.ttls.delete(key);
    return this.values.delete(key);
  }
  ttl(key) {
    return this.ttls.get(key) ?? -2;
  }
}

/**
 * Scripts run as an EdgeguardDurableObject runs them (its ShardState, without the runtime): args
 * as strings, replies as Redis gives a Lua script's, TTLs on the clock each call is given; each
 * change applied as storage took it.
 */
export class ObjectState {
  #shard = new ShardState(1000, 1 << 20);

  /** `{ reply, puts, deletes }` of `script` on keys and args at `now`; a script's error throws. */
  run(script, keys, args, now) {
    const change = this.#shard.run(script.name, script.run, keys, args, now);
    assert.equal(change.error, undefined);
    this.#shard.apply(change);
    return change;
  }

  /** The live value of `key` at `now`, or undefined. */
  read(key, now) {
    return this.#shard.read(key, now);
  }
}

/** `{ engine, conn, store }`: a redis-server, an ioredis connection and a RedisStore with `prefix`, filled before the file's first test. */
export function scriptStore(prefix) {
  const fixture = {};
  before(async () => {
    await init();
    fixture.engine = await startRedis();
    fixture.conn = await connect('ioredis', fixture.engine);
    fixture.store = new RedisStore(fixture.conn.client, { deadlineMs: 5000, prefix });
  });
  after(async () => {
    await fixture.conn?.close();
    await fixture.engine?.stop();
  });
  return fixture;
}
