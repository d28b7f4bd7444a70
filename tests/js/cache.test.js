import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Cache, CacheError, ConfigError } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { FakeTime, armedClock, settle } from './resilience_fakes.js';
import { exhaustHeap } from './exhaust-heap.js';

before(() => init());

function cache(options = {}) {
  const time = options.time ?? new FakeTime();
  const c = new Cache({ maxEntries: 100, clock: time.clock, timers: time.timers, seed: 7, ...options, time: undefined });
  return { c, time };
}

const keysOf = (c) => [...c.keys()].sort();

test('options are checked: a bound is required, policies and durations are validated', () => {
  assert.throws(() => new Cache({}), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  assert.throws(() => new Cache({ maxEntries: 0 }), { code: 'CONFIG_INVALID', option: 'maxEntries' });
  assert.throws(() => new Cache({ maxEntries: 1.5 }), { code: 'CONFIG_INVALID' });
  assert.throws(() => new Cache({ maxEntries: 2 ** 31 }), { code: 'CONFIG_INVALID' });
  assert.throws(() => new Cache({ maxEntries: 10, policy: 'arc' }), { code: 'CONFIG_INVALID', option: 'policy' });
  assert.throws(() => new Cache({ maxEntries: 10, ttlMs: -1 }), { code: 'CONFIG_INVALID', option: 'ttlMs' });
  assert.throws(() => new Cache({ maxEntries: 10, staleIfErrorMs: NaN }), { code: 'CONFIG_INVALID' });
  // Stale is never served forever: the stale windows must be finite (a ttl may be Infinity).
  assert.throws(() => new Cache({ maxEntries: 10, staleWhileRevalidateMs: Infinity }), { code: 'CONFIG_INVALID' });
  assert.throws(() => new Cache({ maxEntries: 10 }).set('k', 1, { staleIfErrorMs: Infinity }), { code: 'CONFIG_INVALID' });
  assert.equal(new Cache({ maxEntries: 10, ttlMs: Infinity }).set('k', 1, { ttlMs: Infinity }), true);
  assert.throws(() => new Cache({ maxEntries: 10, clock: 5 }), { code: 'CONFIG_INVALID', option: 'clock' });
  for (const policy of ['tinylfu', 'lru', 'lfu', 'fifo']) assert.equal(new Cache({ maxBytes: 10, policy }).policy, policy);
});

test('get, peek, has, delete and stats', () => {
  const { c } = cache();
  assert.equal(c.get('a'), undefined);
  assert.equal(c.set('a', { n: 1 }), true);
  assert.deepEqual(c.get('a'), { value: { n: 1 }, state: 'fresh', ageMs: 0 });
  assert.deepEqual(c.peek('a'), { value: { n: 1 }, state: 'fresh', ageMs: 0 });
  assert.equal(c.has('a'), true);
  assert.equal(c.has('b'), false);
  assert.equal(c.size, 1);
  assert.equal(c.delete('a'), true);
  assert.equal(c.delete('a'), false);
  assert.equal(c.get('a'), undefined);
  const s = c.stats();
  assert.equal(s.hits, 1);
  assert.equal(s.misses, 2);
  assert.equal(s.entries, 0);
  assert.equal(s.evictions.delete, 1);
  assert.equal(s.hitRatio, 1 / 3);
});

test('keys must be strings of bounded length', () => {
  const { c } = cache({ maxKeyLength: 8 });
  assert.throws(() => c.set(1, 'x'), (e) => e instanceof CacheError && e.code === 'CACHE_INVALID_KEY');
  assert.throws(() => c.set('123456789', 'x'), { code: 'CACHE_KEY_TOO_LONG' });
  assert.equal(c.set('12345678', 'x'), true);
});

test('freshness boundaries are exact at ttl, ttl + swr and ttl + sie', () => {
  const { c, time } = cache();
  time.now = 1000;
  c.set('k', 'v', { ttlMs: 100, staleWhileRevalidateMs: 50, staleIfErrorMs: 200 });
  time.now = 1099;
  assert.deepEqual(c.get('k'), { value: 'v', state: 'fresh', ageMs: 99 });
  time.now = 1100;
  assert.deepEqual(c.get('k'), { value: 'v', state: 'stale', ageMs: 100 });
  time.now = 1149;
  assert.equal(c.get('k').state, 'stale');
  time.now = 1150;  // only usable when a refresh fails now: get() does not serve it
  assert.equal(c.get('k'), undefined);
  assert.equal(c.peek('k'), undefined);
  assert.equal(c.size, 1);
  time.now = 1299;
  assert.equal(c.get('k'), undefined);
  assert.equal(c.size, 1);
  const expired = [];
  c.on('expire', (e) => expired.push(e));
  time.now = 1300;  // past every window: gone for good
  assert.equal(c.get('k'), undefined);
  assert.equal(c.size, 0);
  assert.deepEqual(expired, [{ key: 'k', value: 'v', reason: 'expire' }]);
  assert.equal(c.stats().evictions.expire, 1);
});

test('cache-wide defaults apply and per-entry options override them', () => {
  const { c, time } = cache({ ttlMs: 10, staleWhileRevalidateMs: 5 });
  c.set('d', 1);
  c.set('o', 2, { ttlMs: 100 });
  time.now = 12;
  assert.equal(c.get('d').state, 'stale');
  assert.equal(c.get('o').state, 'fresh');
  time.now = 15;
  assert.equal(c.get('d'), undefined);
});

test('a clock that goes backwards gives age 0, not a negative age', () => {
  const { c, time } = cache();
  time.now = 500;
  c.set('k', 1, { ttlMs: 10 });
  time.now = 400;
  assert.deepEqual(c.get('k'), { value: 1, state: 'fresh', ageMs: 0 });
});

test('prune drops every expired entry at once', () => {
  const { c, time } = cache();
  for (let i = 0; i < 10; i++) c.set(`k${i}`, i, { ttlMs: i });
  assert.equal(c.has('k0'), false);  // born expired: never stored
  time.now = 5;
  assert.equal(c.prune(), 5);
  assert.deepEqual(keysOf(c), ['k6', 'k7', 'k8', 'k9']);
});

test('an entry larger than maxBytes is refused and drops the older value', () => {
  const { c } = cache({ maxEntries: undefined, maxBytes: 100 });
  assert.equal(c.set('a', 'x'.repeat(40)), true);
  assert.equal(c.set('big', 'x'.repeat(101)), false);
  assert.equal(c.has('big'), false);
  assert.equal(c.set('a', 'y'.repeat(101)), false);
  assert.equal(c.get('a'), undefined);
  assert.equal(c.stats().bytes, 0);
  assert.equal(c.set('exact', 'z'.repeat(100)), true);
});

test('sizes beyond 4 GiB are refused even without maxBytes; a broken clock is a typed error', () => {
  const { c, time } = cache();
  assert.equal(c.set('huge', 'x', { size: 2 ** 33 }), false);
  assert.equal(c.has('huge'), false);
  time.now = NaN;
  assert.throws(() => c.set('k', 1), { code: 'CLOCK_INVALID' });
});

test('byte accounting follows updates, explicit sizes and sizeOf', () => {
  const { c } = cache({ maxEntries: 10, maxBytes: 1000, sizeOf: (v) => v.bytes });
  c.set('a', { bytes: 100 });
  c.set('b', { bytes: 200 });
  assert.equal(c.stats().bytes, 300);
  c.set('a', { bytes: 50 });
  assert.equal(c.stats().bytes, 250);
  c.set('b', { bytes: 0 }, { size: 400 });
  assert.equal(c.stats().bytes, 450);
  c.delete('a');
  assert.equal(c.stats().bytes, 400);
  assert.throws(() => c.set('c', { bytes: -1 }), { code: 'CACHE_INVALID_SIZE' });
  const plain = cache({ maxEntries: undefined, maxBytes: 100 }).c;
  assert.throws(() => plain.set('o', { any: 1 }), { code: 'CACHE_SIZE_REQUIRED' });
  assert.equal(plain.set('u8', new Uint8Array(30)), true);
  assert.equal(plain.stats().bytes, 30);
});

test('both bounds hold at all times under random traffic, for every policy', () => {
  for (const policy of ['tinylfu', 'lru', 'lfu', 'fifo']) {
    const { c, time } = cache({ policy, maxEntries: 40, maxBytes: 3000 });
    let seed = 12345;
    const rand = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const sizes = new Map();
    for (let step = 0; step < 5000; step++) {
      time.now += rand(3);
      const key = `key-${rand(200)}`;
      const op = rand(4);
      if (op === 0) {
        const size = rand(150);
        c.set(key, size, { size, ttlMs: 1 + rand(500), staleIfErrorMs: rand(200) });
      } else if (op === 1) c.get(key);
      else if (op === 2) c.set(key, 1, { size: rand(150) });
      else c.delete(key);
      const s = c.stats();
      assert.ok(s.entries <= 40 && s.bytes <= 3000, `${policy}: ${s.entries} entries, ${s.bytes} bytes`);
      assert.equal(s.entries, c.size);
    }
    for (const k of c.keys()) sizes.set(k, true);
    assert.equal(sizes.size, c.size);
  }
});

test('eviction order per policy', () => {
  const order = (policy) => {
    const { c } = cache({ policy, maxEntries: 3 });
    c.set('a', 1); c.set('b', 2); c.set('c', 3);
    c.get('a'); c.get('a'); c.get('c');
    c.set('d', 4);
    return keysOf(c);
  };
  assert.deepEqual(order('lru'), ['a', 'c', 'd']);   // b least recently used
  assert.deepEqual(order('fifo'), ['b', 'c', 'd']);  // a inserted first
  assert.deepEqual(order('lfu'), ['a', 'c', 'd']);   // b used least
});

test('tinylfu turns away a one-off key in favour of frequently used ones', () => {
  const { c } = cache({ maxEntries: 100 });
  for (let i = 0; i < 100; i++) c.set(`hot${i}`, i);
  for (let r = 0; r < 3; r++) for (let i = 0; i < 100; i++) c.get(`hot${i}`);
  const evicted = [];
  c.on('evict', (e) => evicted.push(e));
  c.set('once', 1);
  assert.equal(c.set('twice', 2), true);  // pushes 'once' out of the admission window
  assert.equal(c.has('once'), false);
  assert.ok(evicted.some((e) => e.key === 'once' && e.reason === 'capacity'));
  // At most one hot key gave way, to the window's previous occupant (also hot).
  assert.ok([...c.keys()].filter((k) => k.startsWith('hot')).length >= 99);
  assert.equal(c.stats().entries, 100);
});

test('policy lru agrees with lru-cache on every step of a random trace', async () => {
  const { LRUCache } = await import('lru-cache');
  const { c } = cache({ policy: 'lru', maxEntries: 50 });
  const peer = new LRUCache({ max: 50 });
  let seed = 99;
  const rand = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  for (let step = 0; step < 20_000; step++) {
    const key = `k${rand(120)}`;
    const op = rand(10);
    if (op < 6) assert.equal(c.get(key)?.value, peer.get(key), `step ${step}`);
    else if (op < 9) {
      c.set(key, step);
      peer.set(key, step);
    } else assert.equal(c.delete(key), peer.delete(key));
    if (step % 500 === 0) assert.deepEqual(keysOf(c), [...peer.keys()].sort(), `step ${step}`);
  }
  assert.deepEqual(keysOf(c), [...peer.keys()].sort());
});

test('reads queued for the policy count before the next write (more than one buffer full)', () => {
  const { c } = cache({ policy: 'lru', maxEntries: 2 });
  c.set('a', 1);
  c.set('b', 2);
  for (let i = 0; i < 300; i++) c.get(i % 2 ? 'b' : 'a');
  c.get('a');  // 'a' is the most recent read
  c.set('c', 3);
  assert.deepEqual(keysOf(c), ['a', 'c']);
});

test('invalidate by key, prefix and tag returns how many entries it removed', () => {
  const { c } = cache();
  c.set('/users/1', 1, { tags: ['user:1', 'users'] });
  c.set('/users/2', 2, { tags: ['user:2', 'users'] });
  c.set('/posts/1', 3, { tags: ['posts'] });
  c.set('/posts/2', 4);
  const evicted = [];
  c.on('evict', (e) => evicted.push([e.key, e.reason]));
  assert.equal(c.invalidate({ tag: 'user:1' }), 1);
  assert.equal(c.invalidate({ tag: 'users' }), 1);
  assert.equal(c.invalidate({ tag: 'users' }), 0);
  assert.equal(c.invalidate({ prefix: '/posts/' }), 2);
  assert.equal(c.invalidate({ key: '/nope' }), 0);
  assert.equal(c.size, 0);
  assert.deepEqual(evicted, [['/users/1', 'invalidate'], ['/users/2', 'invalidate'],
    ['/posts/1', 'invalidate'], ['/posts/2', 'invalidate']]);
  assert.equal(c.stats().evictions.invalidate, 4);
  assert.throws(() => c.invalidate({}), { code: 'CACHE_INVALID_SELECTOR' });
  assert.throws(() => c.invalidate({ key: 'a', tag: 'b' }), { code: 'CACHE_INVALID_SELECTOR' });
  assert.throws(() => c.invalidate('a'), { code: 'CACHE_INVALID_SELECTOR' });
});

test('an update replaces tags; bad tags are refused before anything changes', () => {
  const { c } = cache();
  c.set('k', 1, { tags: ['a'] });
  c.set('k', 2, { tags: ['b'] });
  assert.equal(c.invalidate({ tag: 'a' }), 0);
  assert.equal(c.get('k').value, 2);
  assert.throws(() => c.set('x', 1, { tags: [''] }), { code: 'CACHE_INVALID_TAG' });
  assert.throws(() => c.set('x', 1, { tags: ['a\0b'] }), { code: 'CACHE_INVALID_TAG' });
  assert.throws(() => c.set('x', 1, { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }), { code: 'CACHE_INVALID_TAG' });
  assert.throws(() => c.set('x', 1, { tags: 'a' }), { code: 'CACHE_INVALID_TAG' });
  assert.throws(() => c.set('x', 1, { tags: ['\u00e9'.repeat(600)] }), { code: 'CACHE_INVALID_TAG' });  // 1200 UTF-8 bytes
  assert.equal(c.set('y', 1, { tags: ['\u00e9'.repeat(512)] }), true);
  assert.equal(c.has('x'), false);
  assert.equal(c.set('u', 1, { tags: ['caf\u00e9', '\u{1f600}'] }), true);
  assert.equal(c.invalidate({ tag: '\u{1f600}' }), 1);
});

test('clear empties the cache and tells evict listeners', () => {
  const { c } = cache();
  c.set('a', 1, { tags: ['t'] });
  c.set('b', 2);
  const seen = [];
  c.on('evict', (e) => seen.push([e.key, e.reason]));
  c.clear();
  assert.deepEqual(seen, [['a', 'clear'], ['b', 'clear']]);
  assert.equal(c.size, 0);
  assert.equal(c.stats().entries, 0);
  assert.equal(c.invalidate({ tag: 't' }), 0);
  c.set('a', 3);
  assert.equal(c.get('a').value, 3);
});

test('an evict listener that disposes the cache during clear() makes it DISPOSED, and nothing reads freed memory', () => {
  const { c } = cache();
  c.set('a', 1);
  c.on('evict', () => c.dispose());
  assert.throws(() => c.clear(), (e) => e.code === 'DISPOSED');
  assert.equal(c.disposed, true);
});

test('a clock that disposes the cache makes peek(), prune() and snapshot() DISPOSED', () => {
  for (const call of [(c) => c.peek('a'), (c) => c.prune(), (c) => c.snapshot()]) {
    let disposing = false;
    const c = new Cache({ maxEntries: 10, clock: () => {
      if (disposing) c.dispose();
      return 1000;
    } });
    c.set('a', 1);
    disposing = true;
    assert.throws(() => call(c), (e) => e.code === 'DISPOSED', String(call));
  }
});

test('an evict listener that sets another key mid-eviction: every key keeps its own value', () => {
  // The core gives an evicted slot to the next insert: a listener's set() must not find the
  // JS side still mapping that slot to the key evicted.
  const c = new Cache({ maxBytes: 10, policy: 'lru' });
  c.set('a', 'A', { size: 4 });
  c.set('b', 'B', { size: 4 });
  const heard = [];
  c.on('evict', ({ key }) => {
    heard.push(key);
    if (heard.length === 1) c.set('n', 'N', { size: 0 });
  });
  c.set('c', 'C', { size: 10 });
  assert.ok(heard.includes('a') && heard.includes('b'), `heard ${heard}`);
  const keys = [...c.keys()];
  assert.equal(c.stats().entries, keys.length);
  for (const key of keys) assert.equal(c.get(key).value, key.toUpperCase(), key);
  for (const key of heard) assert.equal(c.get(key), undefined, key);
});

test('a clock that disposes the cache while getOrFetch falls back to a stale entry: DISPOSED', async () => {
  const clock = armedClock(0);
  const c = new Cache({ maxEntries: 10, clock });
  c.set('k', 'V', { ttlMs: 10, staleIfErrorMs: 1000 });
  clock.at = 100;
  clock.onRead = () => c.dispose();
  await assert.rejects(c.getOrFetch('k', () => { clock.armed = true; throw new Error('down'); }),
    (e) => e.code === 'DISPOSED');
});

test('warm preloads arrays and objects', () => {
  const { c } = cache();
  assert.equal(c.warm([['a', 1], ['b', 2, { ttlMs: 5 }], { key: 'c', value: 3, tags: ['t'] }]), 3);
  assert.equal(c.get('c').value, 3);
  assert.equal(c.invalidate({ tag: 't' }), 1);
  assert.throws(() => c.warm(5), { code: 'CACHE_INVALID_ARGUMENT' });
  assert.throws(() => c.warm([7]), { code: 'CACHE_INVALID_ARGUMENT' });
});

test('snapshot and restore round-trip through JSON with ages, windows and tags', () => {
  const { c, time } = cache();
  time.now = 1000;
  c.set('forever', 'f', { tags: ['a', 'b'] });
  c.set('windows', { deep: [1, 2] }, { ttlMs: 100, staleWhileRevalidateMs: 20, staleIfErrorMs: 300 });
  c.set('gone', 'g', { ttlMs: 10 });
  time.now = 1050;
  const json = JSON.stringify(c.snapshot());
  const snap = JSON.parse(json);
  assert.equal(snap.version, 1);
  assert.deepEqual(snap.entries.map((e) => e.key), ['forever', 'windows']);
  assert.equal(snap.entries[0].ttlMs, null);

  const { c: d, time: t2 } = cache();
  t2.now = 90_000;  // another process, another clock
  assert.equal(d.restore(snap), 2);
  assert.deepEqual(d.get('windows'), { value: { deep: [1, 2] }, state: 'fresh', ageMs: 50 });
  assert.deepEqual(d.get('forever'), { value: 'f', state: 'fresh', ageMs: 50 });
  assert.deepEqual([...d.snapshot().entries[0].tags].sort(), ['a', 'b']);
  t2.now = 90_050;
  assert.equal(d.get('windows').state, 'stale');
  t2.now = 90_350;
  assert.equal(d.peek('windows'), undefined);
  assert.equal(d.prune(), 1);
  assert.equal(d.invalidate({ tag: 'b' }), 1);
  assert.throws(() => d.restore({ version: 2, entries: [] }), { code: 'CACHE_INVALID_SNAPSHOT' });
  assert.throws(() => d.restore({ version: 1, entries: [{ key: 5 }] }), { code: 'CACHE_INVALID_SNAPSHOT' });
  assert.throws(() => d.restore({ version: 1, entries: [{ key: 'k', ttlMs: -5 }] }), { code: 'CACHE_INVALID_SNAPSHOT' });
});

test('getOrFetch: miss, then hit', async () => {
  const { c } = cache({ ttlMs: 100 });
  let calls = 0;
  const fetcher = async ({ key }) => `v${++calls}:${key}`;
  assert.deepEqual(await c.getOrFetch('k', fetcher), { value: 'v1:k', status: 'miss', ageMs: 0 });
  assert.deepEqual(await c.getOrFetch('k', fetcher), { value: 'v1:k', status: 'hit', ageMs: 0 });
  assert.equal(calls, 1);
  assert.equal(c.stats().fetches, 1);
});

test('getOrFetch: concurrent callers for one key share one fetch, and its failure', async () => {
  const { c } = cache();
  let calls = 0;
  let release;
  const gate = new Promise((r) => { release = r; });
  const fetcher = async () => { calls++; await gate; return 'shared'; };
  const all = Array.from({ length: 50 }, () => c.getOrFetch('k', fetcher));
  release();
  const results = await Promise.all(all);
  assert.equal(calls, 1);
  assert.equal(results[0].status, 'miss');
  assert.ok(results.slice(1).every((r) => r.status === 'coalesced' && r.value === 'shared'));
  assert.equal(c.stats().coalesced, 49);

  let failures = 0;
  const boom = new Error('backend down');
  const failing = async () => { failures++; await settle(); throw boom; };
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => c.getOrFetch('f', failing)));
  assert.equal(failures, 1);
  assert.ok(outcomes.every((o) => o.status === 'rejected' && o.reason === boom));
  assert.equal(c.has('f'), false);
  // The failed flight is over: the next call fetches again.
  assert.equal((await c.getOrFetch('f', async () => 'ok')).status, 'miss');
});

test('getOrFetch: stale within SWR is served at once and revalidated once in the background', async () => {
  const { c, time } = cache({ ttlMs: 100, staleWhileRevalidateMs: 50 });
  await c.getOrFetch('k', async () => 'v1');
  time.now = 120;
  let calls = 0;
  let release;
  const gate = new Promise((r) => { release = r; });
  const background = [];
  const fetcher = async ({ stale }) => { calls++; assert.equal(stale, 'v1'); await gate; return 'v2'; };
  const waitUntil = (p) => background.push(p);
  const first = await c.getOrFetch('k', fetcher, { waitUntil });
  const second = await c.getOrFetch('k', fetcher, { waitUntil });
  assert.deepEqual(first, { value: 'v1', status: 'stale', ageMs: 120 });
  assert.equal(second.status, 'stale');
  assert.equal(calls, 1);
  assert.equal(background.length, 1);
  release();
  await Promise.all(background);
  assert.deepEqual(await c.getOrFetch('k', fetcher), { value: 'v2', status: 'hit', ageMs: 0 });
  assert.equal(c.stats().revalidations, 1);
});

test('getOrFetch: the constructor\'s waitUntil receives background revalidations', async () => {
  const background = [];
  const { c, time } = cache({ ttlMs: 10, staleWhileRevalidateMs: 10, waitUntil: (p) => background.push(p) });
  c.set('k', 1);
  time.now = 15;
  assert.equal((await c.getOrFetch('k', async () => 2)).status, 'stale');
  assert.equal(background.length, 1);
  await background[0];
  assert.deepEqual(c.get('k'), { value: 2, state: 'fresh', ageMs: 0 });
  const s = c.stats();
  assert.equal(s.staleHits, 1);
  assert.equal(s.hitRatio, 1);
});

test('getOrFetch: a failed background revalidation keeps the stale entry and is counted', async () => {
  // Within stale-if-error too: it is a revalidation error, not a stale-if-error hit.
  const { c, time } = cache({ ttlMs: 10, staleWhileRevalidateMs: 100, staleIfErrorMs: 1000 });
  c.set('k', 'old');
  time.now = 20;
  const background = [];
  const r = await c.getOrFetch('k', async () => { throw new Error('x'); }, { waitUntil: (p) => background.push(p) });
  assert.equal(r.status, 'stale');
  await Promise.all(background);
  assert.equal(c.get('k').value, 'old');
  const s = c.stats();
  assert.equal(s.revalidationErrors, 1);
  assert.equal(s.staleIfErrorHits, 0, 'nobody was served by the failed revalidation');
  // A caller served the stale value because its own fetch failed is the hit.
  time.now = 500;
  assert.equal((await c.getOrFetch('k', async () => { throw new Error('y'); })).status, 'stale-if-error');
  assert.equal(c.stats().staleIfErrorHits, 1);
});

test('getOrFetch: stale-if-error serves until ttl + sie exactly (max-age=600, stale-if-error=1200)', async () => {
  const { c, time } = cache({ ttlMs: 600_000, staleIfErrorMs: 1_200_000 });
  await c.getOrFetch('k', async () => 'cached');
  const down = async () => { throw new Error('down'); };
  time.now = 700_000;
  const r = await c.getOrFetch('k', down);
  assert.deepEqual(r, { value: 'cached', status: 'stale-if-error', ageMs: 700_000 });
  time.now = 1_799_999;
  assert.equal((await c.getOrFetch('k', down)).status, 'stale-if-error');
  time.now = 1_800_000;
  await assert.rejects(c.getOrFetch('k', down), /down/);
  assert.equal(c.has('k'), false);
  assert.equal(c.stats().staleIfErrorHits, 2);
});

test('getOrFetch: coalesced callers of a failing fetch all get the stale-if-error value', async () => {
  const { c, time } = cache({ ttlMs: 10, staleIfErrorMs: 100 });
  c.set('k', 'old');
  time.now = 50;
  let calls = 0;
  const failing = async () => { calls++; await settle(); throw new Error('down'); };
  const results = await Promise.all(Array.from({ length: 10 }, () => c.getOrFetch('k', failing)));
  assert.equal(calls, 1);
  assert.ok(results.every((r) => r.status === 'stale-if-error' && r.value === 'old' && r.ageMs === 50));
});

test('getOrFetch: a timeout or an aborted signal fails the fetch (stale-if-error applies)', async () => {
  const time = new FakeTime();
  const { c } = cache({ time, ttlMs: 10, staleIfErrorMs: 1000 });
  let sawAbort = false;
  const slow = ({ signal }) => new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => { sawAbort = true; reject(signal.reason); });
  });
  const missing = assert.rejects(c.getOrFetch('none', slow, { timeoutMs: 50 }), { code: 'TIMEOUT' });
  await time.advance(49);
  assert.equal(sawAbort, false);
  await time.advance(1);
  await missing;
  assert.equal(sawAbort, true);

  c.set('k', 'old');
  await time.advance(20);
  const late = c.getOrFetch('k', slow, { timeoutMs: 100 });
  await time.advance(100);
  assert.deepEqual(await late, { value: 'old', status: 'stale-if-error', ageMs: 120 });

  const controller = new AbortController();
  const aborted = c.getOrFetch('other', slow, { signal: controller.signal });
  controller.abort(new Error('caller gave up'));
  await assert.rejects(aborted, /caller gave up/);
});

test('getOrFetch: isError turns an error response into a failure', async () => {
  const { c, time } = cache({ ttlMs: 10, staleIfErrorMs: 100 });
  const isError = (res) => res.status >= 500;
  await c.getOrFetch('k', async () => ({ status: 200, body: 'ok' }), { isError });
  time.now = 20;
  const r = await c.getOrFetch('k', async () => ({ status: 503 }), { isError });
  assert.equal(r.status, 'stale-if-error');
  assert.deepEqual(r.value, { status: 200, body: 'ok' });
  await assert.rejects(c.getOrFetch('new', async () => ({ status: 502 }), { isError }), { code: 'CACHE_FETCH_FAILED' });
});

test('getOrFetch: the fetcher may set the entry options or decline storing', async () => {
  const { c, time } = cache();
  const fetcher = async ({ options }) => { options.ttlMs = 30; options.tags = ['x']; return 1; };
  await c.getOrFetch('k', fetcher);
  await c.getOrFetch('t', fetcher);
  time.now = 29;
  assert.equal(c.get('k').state, 'fresh');
  assert.equal(c.invalidate({ tag: 'x' }), 2);
  await c.getOrFetch('k', fetcher);
  time.now = 59;
  assert.equal(c.get('k'), undefined);
  const r = await c.getOrFetch('private', async ({ options }) => { options.store = false; return 2; });
  assert.equal(r.value, 2);
  assert.equal(c.has('private'), false);
  await assert.rejects(c.getOrFetch('k', 'nope'), { code: 'CACHE_INVALID_ARGUMENT' });
});

test('getOrFetch: a fetch in flight when its key is invalidated does not store its result', async () => {
  const { c } = cache();
  const gated = () => {
    let release;
    const gate = new Promise((r) => { release = r; });
    return { release, fetcher: async () => { await gate; return 'fetched before the purge'; } };
  };
  for (const purge of [(k) => c.delete(k), (k) => c.invalidate({ key: k }), () => c.invalidate({ prefix: '/p' }),
    () => c.invalidate({ tag: 'anything' }), () => c.clear()]) {
    const { release, fetcher } = gated();
    const pending = c.getOrFetch('/p/1', fetcher);
    purge('/p/1');
    release();
    assert.equal((await pending).value, 'fetched before the purge');  // the caller still gets it
    assert.equal(c.has('/p/1'), false, String(purge));
  }
  const { release, fetcher } = gated();  // an unrelated key's purge does not matter
  const pending = c.getOrFetch('/q/1', fetcher);
  c.delete('/p/2');
  c.invalidate({ prefix: '/p' });
  release();
  await pending;
  assert.equal(c.has('/q/1'), true);
});

test('on() validates events and returns an unsubscribe function', () => {
  const { c } = cache({ maxEntries: 1 });
  const seen = [];
  const off = c.on('evict', (e) => seen.push(e.key));
  c.set('a', 1);
  c.set('b', 2);
  off();
  c.set('c', 3);
  assert.deepEqual(seen.length, 1);
  assert.throws(() => c.on('nope', () => {}), { code: 'INVALID_INPUT' });
});

test('memory growth while the cache is in use keeps every view right', () => {
  const { c } = cache({ maxEntries: 200_000, policy: 'lru' });
  for (let i = 0; i < 200_000; i++) c.set(`key-${i}`, i);
  for (let i = 0; i < 200_000; i += 997) assert.equal(c.get(`key-${i}`).value, i);
  assert.equal(c.stats().entries, 200_000);
  assert.ok(c.stats().memoryBytes / 200_000 < 100);
});

test('a disposed cache refuses calls with a typed error', () => {
  const { c } = cache();
  c.set('a', 1);
  c.dispose();
  assert.throws(() => c.get('a'), { code: 'DISPOSED' });
  assert.throws(() => c.set('b', 1), { code: 'DISPOSED' });
  c.dispose();
});

test('getOrFetch: bad options reject before the fetcher runs or a timer is armed', async () => {
  const { c, time } = cache();
  let called = false;
  const fetcher = async () => { called = true; return 1; };
  for (const [options, code] of [[{ signal: {} }, 'CONFIG_INVALID'], [{ signal: null }, 'CONFIG_INVALID'],
    [{ timeoutMs: 0 }, 'CONFIG_INVALID'], [{ isError: 1 }, 'CONFIG_INVALID'], [{ waitUntil: 'x' }, 'CONFIG_INVALID'],
    [{ ttlMs: NaN }, 'CONFIG_INVALID'], [{ staleIfErrorMs: -1 }, 'CONFIG_INVALID'], [{ tags: [''] }, 'CACHE_INVALID_TAG'],
    [{ size: -1 }, 'CACHE_INVALID_SIZE']]) {
    await assert.rejects(c.getOrFetch('k', fetcher, options), { code }, JSON.stringify(options));
  }
  assert.equal(called, false);
  assert.equal(time.pending, 0);
  assert.equal(c.stats().fetches, 0);
});

test('restore is all or nothing: a bad entry anywhere loads none of the snapshot', () => {
  const { c } = cache({ ttlMs: 1000 });
  c.set('kept', 'before');
  const good = (key) => ({ key, value: key, ageMs: 0, ttlMs: 1000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
  for (const bad of [{ ...good('z'), ttlMs: NaN }, { ...good('z'), ageMs: -1 }, { ...good('z'), tags: ['\ud800'] },
    { ...good('z'), tags: ['é'.repeat(600)] }, { ...good('z'), size: 1.5 }, { ...good('x'.repeat(5000)) }, 7]) {
    const snapshot = { version: 1, entries: [good('a'), good('kept'), bad, good('b')] };
    assert.throws(() => c.restore(snapshot), { code: 'CACHE_INVALID_SNAPSHOT' });
    assert.deepEqual(keysOf(c), ['kept']);
    assert.equal(c.get('kept').value, 'before');
  }
  assert.equal(c.restore({ version: 1, entries: [good('a'), good('b'), good('a')] }), 2);
  assert.deepEqual(keysOf(c), ['a', 'b', 'kept']);
});

test('a clock that steps back does not keep an entry fresh for the size of the step', () => {
  const { c, time } = cache({ ttlMs: 1000 });
  time.now = 3_600_000;
  c.set('k', 'v');
  time.now = 500;  // an hour back, half a second after the set
  assert.equal(c.get('k').state, 'fresh');
  time.now = 999;
  assert.equal(c.get('k').ageMs, 499);
  time.now = 1500;  // 1000 ms have passed since the set on the clock that stepped back
  assert.equal(c.get('k'), undefined);
});

test('out of memory in the core: removals still work, a set that cannot be stored is CACHE_OUT_OF_MEMORY and stores nothing', (t) => {
  const { c, time } = cache();
  for (let i = 0; i < 8; i++) c.set(`k${i}`, i, { ttlMs: i < 4 ? 10 : Infinity, tags: [i % 2 ? 'odd' : 'even'] });
  assert.equal(c.invalidate({ tag: 'warm' }), 0);  // sizes the scratch buffer for short texts first
  const release = exhaustHeap(module());
  t.after(release);
  time.now = 10;
  assert.equal(c.get('k0'), undefined);  // expired, and removed
  assert.equal(c.invalidate({ tag: 'odd' }), 4);
  assert.equal(c.prune(), 1);  // k2
  assert.throws(() => c.set('new', 1, { tags: ['fresh'] }), (e) => e instanceof CacheError && e.code === 'CACHE_OUT_OF_MEMORY');
  assert.equal(c.peek('new'), undefined);
  // A refused update does not leave the old value to be served as if it had been stored.
  assert.throws(() => c.set('k4', 44, { tags: ['fresh'] }), { code: 'CACHE_OUT_OF_MEMORY' });
  assert.equal(c.get('k4'), undefined);
  assert.equal(c.get('k6').value, 6);
  release();
  assert.equal(c.set('new', 1, { tags: ['fresh'] }), true);
  assert.deepEqual(keysOf(c), ['k6', 'new']);
  assert.equal(c.stats().entries, 2);
  assert.equal(c.invalidate({ tag: 'fresh' }), 1);
  assert.equal(c.invalidate({ tag: 'even' }), 1);
  assert.equal(c.stats().entries, 0);
});


test('out of memory in the core: snapshot() is CACHE_OUT_OF_MEMORY, never another entry\'s tags', (t) => {
  const { c } = cache();
  c.set('a', 1, { tags: ['x'] });
  c.snapshot();
  c.set('b', 2, { tags: ['y'.repeat(100), 'z'.repeat(100), 'w'.repeat(100)] });
  const release = exhaustHeap(module());
  t.after(release);
  assert.throws(() => c.snapshot(), (e) => e instanceof CacheError && e.code === 'CACHE_OUT_OF_MEMORY');
  release();
  assert.deepEqual(c.snapshot().entries.map((e) => e.tags), [['x'], ['w'.repeat(100), 'z'.repeat(100), 'y'.repeat(100)]]);
});

// The core reads a policy by name (cache_options.cpp's table) and JS reads it back by number
// (PolicyKind's names, js/seam/): every name must come back as itself.
test('every policy name reaches the core as its own PolicyKind', async () => {
  const { POLICIES } = await import('../../js/cache/core-codes.js');
  for (const policy of POLICIES) {
    const c = new Cache({ policy, maxEntries: 1 });
    assert.equal(c.policy, policy);
    c.dispose();
  }
});
