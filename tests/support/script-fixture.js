// What the store-script test files share: a ScriptState in a Map (what an engine without Lua
// keeps), and a standalone redis-server with a RedisStore on it (what runs the Lua).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { RedisStore } from '../../js/store/redis-store.js';
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
