// The Cache's shared tier over Durable Objects, from the packed tarball, in workerd: three
// services (three isolates, three memory tiers), each a Cache with `shared: DurableObjectStore`
// over one namespace of EdgeguardDurableObject (in-memory storage), in front of a backend process
// that counts its calls (tests/e2e/durable-object-cache-workers/). Time is the test's: every
// isolate's clock (the caches' and the objects') stands still until the test moves it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, repoRoot } from './installed-package.js';
import { startBackend } from './backend.js';
import { bundleWorker, namespaceConfig, serveConfig } from './workerd.js';

const INSTANCES = ['objects', 'two', 'three'];
const GENERATION_CHECK_MS = 1000;  // durable-object-cache-workers/handler.js

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  assert.deepEqual(unhandled, []);
});

async function start() {
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  const cwd = join(installedPackage(), 'durable-object-cache-workers');
  cpSync(join(repoRoot, 'tests/e2e/durable-object-cache-workers'), cwd, { recursive: true });
  writeFileSync(join(cwd, 'origin.js'), `export const backend = ${JSON.stringify(backend.url)};\n`);
  const outdir = mkdtempSync(join(tmpdir(), 'edgeguard-do-cache-'));
  const objects = await bundleWorker({ entry: 'objects.js', cwd, outdir, outfile: 'objects.js' });
  const instance = await bundleWorker({ entry: 'instance.js', cwd, outdir, outfile: 'instance.js' });
  const config = namespaceConfig({ workers: { objects, two: instance, three: instance }, className: 'CacheStore', binding: 'CACHE',
    uniqueKey: 'edgeguard-e2e-durable-object-cache' });
  const w = await serveConfig({ outdir, config, sockets: INSTANCES });
  cleanups.push(() => w.stop());
  const call = async (service, path) => {
    const res = await fetch(`${w.urls[service]}${path}`);
    const body = await res.json();
    assert.equal(res.status, 200, `${JSON.stringify(body)}\n${w.logs.join('')}`);
    return body.value;
  };
  let at = 1_800_000_000_000;  // durable-object-cache-workers/clock.js
  const clock = {
    get now() { return at; },
    /** Moves every isolate's clock (the caches' and the objects') `ms` forward. */
    advance: async (ms) => {
      at += ms;
      for (const service of INSTANCES) await call(service, `/clock?at=${at}`);
    },
  };
  const calls = async (id) => (await (await fetch(`${backend.url}/__calls`)).json()).items[id] ?? 0;
  return { ...w, call, clock, backend, calls };
}

let started;
const workerd = () => (started ??= start());

const get = (w, service, key, query = '') => w.call(service, `/get?key=${key}${query}`);
const stats = async (w) => Promise.all(INSTANCES.map(async (s) => (await w.call(s, '/stats')).shared));
const sum = (list, field) => list.reduce((n, s) => n + s[field], 0);

test('a key fetched by one instance is a shared-tier hit for the two others: no backend call more', async () => {
  const w = await workerd();
  assert.deepEqual(await get(w, 'objects', 'k1'), { value: { id: 'k1', call: 1 }, status: 'miss', shared: false });
  for (const service of ['two', 'three']) {
    assert.deepEqual(await get(w, service, 'k1'), { value: { id: 'k1', call: 1 }, status: 'hit', shared: true }, service);
  }
  // Copied into each memory: the next answer does not ask the store.
  assert.deepEqual(await get(w, 'three', 'k1'), { value: { id: 'k1', call: 1 }, status: 'hit', shared: false });
  assert.equal(await w.calls('k1'), 1);
  const [one, two, three] = await stats(w);
  assert.deepEqual([one.writes, two.hits, three.hits], [1, 1, 1]);
  for (const s of [one, two, three]) assert.equal(s.errors + s.timeouts + s.skips, 0, JSON.stringify(s));
});

test('an expired hot key asked for by all three at once (4 callers each): one backend call, under the leader\'s lease; 12 answers with its value', async () => {
  const w = await workerd();
  const options = '&ttlMs=1000&staleIfErrorMs=60000';
  assert.equal((await get(w, 'objects', 'hot', options)).value.call, 1);
  for (const service of ['two', 'three']) assert.equal((await get(w, service, 'hot', options)).status, 'hit');
  await w.clock.advance(1000);  // expired in every memory and in the store (kept for stale-if-error only)
  const before = await stats(w);
  const answers = await Promise.all(INSTANCES.flatMap((service) =>
    Array.from({ length: 4 }, () => get(w, service, 'hot', `${options}&delayMs=500`))));
  assert.equal(await w.calls('hot'), 2, JSON.stringify(answers));
  assert.deepEqual(answers.map((a) => a.value), Array(12).fill({ id: 'hot', call: 2 }));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 'miss').length, 1, statuses.join());
  const after = await stats(w);
  const delta = (field) => sum(after, field) - sum(before, field);
  assert.equal(delta('hits'), 2, 'the two others read its value from the store');
  // The backend's 500 ms are the window in which the others ask: they find the lease held. (A
  // waiter may take it too, once released, and find the value on its look again: no fetch.)
  assert.ok(delta('leaseWaits') >= 1, 'another instance waited for the leader');
  assert.ok(delta('leases') >= 1);
  for (const s of after) assert.equal(s.errors + s.timeouts + s.skips + s.leaseTimeouts, 0, JSON.stringify(s));
});

test('invalidating a tag on one instance: the others serve it from memory until their next log check is due, at most generationCheckMs later, then never', async () => {
  const w = await workerd();
  const options = '&tag=brand&ttlMs=600000';
  await w.clock.advance(GENERATION_CHECK_MS);  // every instance's next call checks the log
  assert.equal((await get(w, 'objects', 'tagged', options)).status, 'miss');
  for (const service of ['two', 'three']) assert.equal((await get(w, service, 'tagged', options)).status, 'hit');
  const invalidatedAt = w.clock.now;  // each instance's last check began here
  assert.equal(await w.call('objects', '/invalidate?tag=brand'), 1);
  assert.deepEqual(await get(w, 'objects', 'tagged', options), { value: { id: 'tagged', call: 2 }, status: 'miss', shared: false },
    'the instance that invalidated stops at once');
  await w.clock.advance(GENERATION_CHECK_MS - 1);
  for (const service of ['two', 'three']) {
    assert.deepEqual(await get(w, service, 'tagged', options), { value: { id: 'tagged', call: 1 }, status: 'hit', shared: false },
      `${service}: within the bound, memory still answers`);
  }
  await w.clock.advance(1);
  assert.equal(w.clock.now, invalidatedAt + GENERATION_CHECK_MS);
  const answers = [];
  for (const service of ['two', 'three']) answers.push(await get(w, service, 'tagged', options));
  // Neither serves the invalidated value, from memory or the store. (The copy the invalidating
  // instance wrote back carries the log generation it had read before its own invalidation, so
  // the others cannot tell it from an older one, refuse it and fetch: one backend call more.)
  assert.deepEqual(answers.map((a) => a.value.call > 1), [true, true], JSON.stringify(answers));
  assert.deepEqual(answers[1], { ...answers[0], status: 'hit', shared: true }, 'the third reads the second\'s copy');
  assert.ok(await w.calls('tagged') <= 3);
});

// Once failing: a check begun by get() in a request that ended before the store answered never
// settled, and every later getOrFetch of the isolate awaited it and was refused by the runtime.
test('a log check begun by get() in a request that ended before it settled (no waitUntil for it) holds up no later request', async () => {
  const w = await workerd();
  assert.equal((await get(w, 'two', 'bare-1', '&cache=bare')).status, 'miss');
  await w.clock.advance(GENERATION_CHECK_MS);
  assert.equal((await w.call('two', '/memory?key=bare-1&cache=bare')).state, 'fresh');  // began a check, answered at once
  assert.deepEqual(await get(w, 'two', 'bare-1', '&cache=bare'), { value: { id: 'bare-1', call: 1 }, status: 'hit', shared: false });
  assert.deepEqual(await get(w, 'three', 'bare-1', '&cache=bare'), { value: { id: 'bare-1', call: 1 }, status: 'hit', shared: true });
  const { shared } = await w.call('two', '/stats?cache=bare');
  assert.equal(shared.errors + shared.timeouts + shared.skips, 0, JSON.stringify(shared));
  assert.ok(shared.checks >= 2, JSON.stringify(shared));
});

// Once failing: the store's calls shared one timer per deadline length, armed by the first
// request, and workerd ended it with that request: no later call had a deadline.
test('a stalled object costs a read in a later request its store deadline, then the fetcher answers', async () => {
  const w = await workerd();
  assert.equal((await get(w, 'two', 'fresh-1', '&cache=tight')).status, 'miss');  // calls answered at once
  assert.deepEqual(await get(w, 'two', 'stall-1', '&cache=tight'), { value: { id: 'stall-1', call: 1 }, status: 'miss', shared: false });
  const { shared } = await w.call('two', '/stats?cache=tight');
  assert.equal(shared.timeouts, 1, 'the read of the stalled object timed out');
  assert.equal(shared.errors + shared.skips, 0, JSON.stringify(shared));
});

test('an entry over the object\'s 64 KiB, or a key over its 2048 bytes, stays in each memory, counted as kept out, not as failures', async () => {
  const w = await workerd();
  const long = 'l'.repeat(2040);  // 'e2e:{main:' + key + '}:lease' is past 2048 bytes
  for (const [key, query] of [['big', '&padBytes=70000'], [long, '']]) {
    for (const service of ['objects', 'two']) assert.equal((await get(w, service, key, query)).status, 'miss', service);
    assert.equal(await w.calls(key), 2, 'neither could share it');
  }
  const [one, two] = await stats(w);
  for (const s of [one, two]) {
    assert.deepEqual([s.tooLarge, s.unshareable], [1, 1], JSON.stringify(s));
    assert.equal(s.errors + s.timeouts + s.skips, 0, JSON.stringify(s));
  }
});

test('long invalidations fill no object past its storage\'s 128 KiB a value: the log keeps its newest within 32 KiB, and an instance that missed older ones clears its memory', async () => {
  const w = await workerd();
  assert.equal((await get(w, 'two', 'cleared')).status, 'miss');
  const before = (await w.call('objects', '/stats')).shared;
  // 40 prefixes of 4000 bytes: 160 KB of log, were it all kept.
  for (let i = 0; i < 40; i++) assert.equal(await w.call('objects', `/invalidate?prefix=${String(i).padStart(4000, 'p')}`), 0);
  const after = (await w.call('objects', '/stats')).shared;
  assert.equal(after.invalidations - before.invalidations, 40);
  assert.equal(after.errors, before.errors, 'every invalidation was logged');
  await w.clock.advance(GENERATION_CHECK_MS);
  const resets = (await w.call('two', '/stats')).shared.resets;
  // Memory cleared; the store's copy is refused too: the log no longer shows what came after it.
  assert.deepEqual(await get(w, 'two', 'cleared'), { value: { id: 'cleared', call: 2 }, status: 'miss', shared: false });
  assert.equal((await w.call('two', '/stats')).shared.resets, resets + 1);
});

// Last: the backend stays down.
test('backend down: a key only the shared tier holds is served stale-if-error by instances that never fetched it', async () => {
  const w = await workerd();
  const options = '&ttlMs=1000&staleIfErrorMs=60000';
  assert.equal((await get(w, 'objects', 'kept', options)).status, 'miss');
  await w.clock.advance(5000);  // past its freshness, within stale-if-error
  await w.backend.kill();
  for (const service of ['two', 'three']) {
    assert.deepEqual(await get(w, service, 'kept', options), { value: { id: 'kept', call: 1 }, status: 'stale-if-error', shared: true }, service);
  }
  // A key no tier holds has nothing to serve: the error reaches the caller.
  const res = await fetch(`${w.urls.two}/get?key=never`);
  assert.equal(res.status, 500);
  assert.match((await res.json()).message, /fetch failed|connect|network|refused|internal error/i);
  const all = await stats(w);
  assert.equal(sum(all, 'staleIfErrorHits'), 2);
  for (const s of all) assert.equal(s.errors + s.timeouts + s.skips, 0, JSON.stringify(s));
  for (const service of INSTANCES) assert.deepEqual((await w.call(service, '/stats')).unhandled, [], service);
});
