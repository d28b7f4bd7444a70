// The shared tier's entry text: plain JSON data goes with its lifetime and comes back equal;
// anything JSON would change on the way is refused; text that is not an entry reads as none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEntry, encodeEntry } from '../../../js/cache/shared-entry.js';

const LIFE = { at: 1000, ttl: 60000, swr: 5000, sie: 30000, size: 12, age: 250, storeTtl: 94750 };

test('plain JSON data round-trips with its lifetime and tags; ttl Infinity too', () => {
  const values = ['text', 0, -1.5, true, false, null, [], {}, { a: [1, { b: 'c' }], d: null }, Object.assign(Object.create(null), { x: 1 })];
  for (const value of values) {
    const e = decodeEntry(encodeEntry(value, { ...LIFE, tags: ['t1', 't2'], generation: 'era:3' }));
    assert.deepEqual({ ...e, value: JSON.stringify(e.value) },
      { ...LIFE, tags: ['t1', 't2'], generation: 'era:3', value: JSON.stringify(value) });
  }
  const forever = decodeEntry(encodeEntry('v', { ...LIFE, ttl: Infinity }));
  assert.equal(forever.ttl, Infinity);
  // An earlier writer's entry, without its age and store TTL: its writer's clock alone dates it.
  const { age: _, storeTtl: __, ...older } = LIFE;
  assert.deepEqual(decodeEntry(encodeEntry('v', older)), { ...older, value: 'v', tags: undefined, generation: undefined, age: undefined, storeTtl: undefined });
  assert.equal(forever.tags, undefined);
  assert.equal(forever.generation, undefined);
});

test('a value JSON would change is not encoded: undefined, functions, symbols, BigInt, NaN, Infinity, -0, Dates, Maps, class instances, cycles', () => {
  const cycle = {};
  cycle.self = cycle;
  class Point { constructor() { this.x = 1; } }
  const refused = [undefined, () => 1, Symbol('s'), 1n, NaN, Infinity, new Date(0), new Map([[1, 2]]), new Set(), new Point(),
    new Uint8Array(2), cycle, { a: undefined }, [1, undefined], { nested: { when: new Date(0) } }, { toJSON: () => 'x' },
    -0, { balance: -0 }];  // JSON writes -0 as 0
  for (const value of refused) assert.equal(encodeEntry(value, LIFE), undefined, String(typeof value));
});

test('text that is not an entry of this format reads as none', () => {
  const good = JSON.parse(encodeEntry('v', LIFE));
  const bad = ['', 'not json', 'null', '[]', '"v"', JSON.stringify({ ...good, f: 2 }), JSON.stringify({ ...good, at: 'x' }),
    JSON.stringify({ ...good, t: -1 }), JSON.stringify({ ...good, w: null }), JSON.stringify({ ...good, s: 1.5 }),
    JSON.stringify({ ...good, g: [1] }), JSON.stringify({ ...good, n: 3 }), JSON.stringify({ ...good, a: -1 }),
    JSON.stringify({ ...good, l: 'x' }), JSON.stringify((({ v, ...rest }) => rest)(good))];
  for (const text of bad) assert.equal(decodeEntry(text), undefined, text);
});

test('a value whose serialization throws (a getter, a proxy) is not encoded, and the error does not escape', () => {
  const getter = { get x() { throw new Error('boom'); } };
  const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  for (const value of [getter, { nested: getter }, proxy]) assert.equal(encodeEntry(value, LIFE), undefined);
});
