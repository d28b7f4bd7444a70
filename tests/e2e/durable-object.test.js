// edgeguard/durable-object and DurableObjectStore from the packed tarball, in workerd: one
// service defines the Durable Object classes, a second service binds the same namespace, so two
// isolates share one set of objects (tests/e2e/durable-object-workers/). In-memory storage is
// lost when an object resets (ctx.abort() showed it), so surviving a restart is shown on
// local-disk storage with a new workerd process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, repoRoot } from './installed-package.js';
import { bundleWorker, serveConfig } from './workerd.js';

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const running = new Set();
after(async () => {
  for (const w of running) await w.stop();
  assert.deepEqual(unhandled, []);
});

const CLASSES = ['TestStore', 'SlowObject', 'BrokenStore', 'OddObject'];
const BINDINGS = { STORE: 'TestStore', SLOW: 'SlowObject', BROKEN: 'BrokenStore', ODD: 'OddObject' };

async function bundleServices() {
  const dir = installedPackage();
  cpSync(join(repoRoot, 'tests/e2e/durable-object-workers'), dir, { recursive: true });
  const outdir = mkdtempSync(join(tmpdir(), 'edgeguard-do-'));
  const objects = await bundleWorker({ entry: 'objects.js', cwd: dir, outdir, outfile: 'objects.js' });
  const gateway = await bundleWorker({ entry: 'gateway.js', cwd: dir, outdir, outfile: 'gateway.js' });
  return { outdir, objects, gateway };
}

function config({ objects, gateway }, disk) {
  const bind = (own) => Object.entries(BINDINGS).map(([name, className]) =>
    `(name = "${name}", durableObjectNamespace = ${own ? `"${className}"` : `(className = "${className}", serviceName = "objects")`})`).join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "objects", worker = .objects), (name = "gateway", worker = .gateway)${disk ? `,
    (name = "do-disk", disk = (path = "${disk}", writable = true))` : ''} ],
  sockets = [ (name = "objects", address = "127.0.0.1:0", http = (), service = "objects"),
              (name = "gateway", address = "127.0.0.1:0", http = (), service = "gateway") ],
);
const objects :Workerd.Worker = (
  modules = [ ${objects} ],
  compatibilityDate = "2025-01-01",
  durableObjectNamespaces = [ ${CLASSES.map((c) => `(className = "${c}", uniqueKey = "edgeguard-test-${c}")`).join(', ')} ],
  durableObjectStorage = ${disk ? '(localDisk = "do-disk")' : '(inMemory = void)'},
  bindings = [ ${bind(true)} ],
);
const gateway :Workerd.Worker = (
  modules = [ ${gateway} ],
  compatibilityDate = "2025-01-01",
  bindings = [ ${bind(false)} ],
);
`;
}

async function start(services, disk = undefined) {
  const w = await serveConfig({ outdir: services.outdir, config: config(services, disk), sockets: ['objects', 'gateway'] });
  running.add(w);
  const call = async (service, path) => {
    const res = await fetch(`${w.urls[service]}${path}`);
    assert.equal(res.status, 200, w.logs.join(''));
    return res.json();
  };
  return { ...w, call, stop: async (signal) => { running.delete(w); await w.stop(signal); } };
}

let bundled;
let shared;
const services = () => (bundled ??= bundleServices());
const workerd = () => (shared ??= services().then((s) => start(s)));

test('two services bound to one namespace share one count, each call atomic', async () => {
  const w = await workerd();
  const calls = [];
  for (let i = 0; i < 40; i++) calls.push(w.call(i % 2 ? 'gateway' : 'objects', '/count?tag=shared'));
  const replies = (await Promise.all(calls)).map((r) => r.value);
  assert.deepEqual(replies.toSorted((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1),
    'every count once: no two calls interleaved');
  assert.deepEqual(await w.call('gateway', '/count?tag=shared'), { value: 41 });
  assert.deepEqual(await w.call('objects', '/count?tag=shared'), { value: 42 });
});

test('keys spread over many objects by their hash tag; the keys of one tag stay in one', async () => {
  const w = await workerd();
  const tags = Array.from({ length: 32 }, (_, i) => `spread-${i}`);
  for (const tag of tags) assert.deepEqual(await w.call('gateway', `/count?tag=${tag}`), { value: 1 });
  const names = await Promise.all(tags.map(async (tag) => (await w.call('gateway', `/object?tag=${tag}`)).value));
  const other = await w.call('objects', '/object?tag=spread-0&name=other');
  assert.equal(other.value, names[0], 'another name with the same tag');
  const distinct = [...new Set(names)];
  assert.ok(distinct.length >= 8, `32 tags over 16 objects land in ${distinct.length}`);
  for (const name of distinct) {
    const { keys } = await w.call('objects', `/object-stats?name=${encodeURIComponent(name)}`);
    const owned = names.filter((n) => n === name).length;
    assert.ok(keys >= owned, `${name} holds its ${owned} keys (has ${keys})`);
  }
});

test('a RateLimiter on the store: the two services share one limit, decided in the object by the wasm core', async () => {
  const w = await workerd();
  const check = (i, mode, key) => w.call(i % 2 ? 'gateway' : 'objects', `/limit?mode=${mode}&key=${key}`);
  const exact = [];
  for (let i = 0; i < 12; i++) exact.push((await check(i, 'exact', 'user-1')).value);
  assert.equal(exact.filter((r) => r.allowed).length, 5, JSON.stringify(exact));
  assert.ok(exact.every((r) => r.source === 'store'));
  const leased = [];
  for (let i = 0; i < 12; i++) leased.push((await check(i, 'local-first', 'user-1')).value);
  const allowed = leased.filter((r) => r.allowed).length;
  // Never more than exact; less by at most the unit each isolate may still hold (5 / (2 x 2)).
  assert.ok(allowed <= 5 && allowed >= 3, JSON.stringify(leased));
  assert.ok(leased.some((r) => r.source === 'lease'), 'some answered from a lease');
  assert.ok(leased.every((r) => r.source !== 'fallback'));
});

test('get, set with a TTL, delete; a TTL passes on the object\'s clock', async () => {
  const w = await workerd();
  assert.deepEqual(await w.call('gateway', '/get?tag=kv'), { value: null });
  assert.deepEqual(await w.call('gateway', '/set?tag=kv&value=hello&ttl=1000'), { value: null });
  assert.deepEqual(await w.call('objects', '/get?tag=kv'), { value: 'hello' });
  assert.deepEqual(await w.call('gateway', '/count?tag=ttl&ttl=1000'), { value: 1 });
  assert.deepEqual(await w.call('gateway', '/count?tag=ttl&ttl=1000'), { value: 2 });
  await w.call('objects', '/clock?advance=999');
  assert.deepEqual(await w.call('gateway', '/get?tag=kv'), { value: 'hello' }, 'alive until its TTL');
  assert.deepEqual(await w.call('gateway', '/count?tag=ttl&ttl=1000'), { value: 3 }, 'renewed for 1000 ms');
  await w.call('objects', '/clock?advance=2');
  assert.deepEqual(await w.call('gateway', '/get?tag=kv'), { value: null }, 'expired');
  assert.deepEqual(await w.call('gateway', '/count?tag=ttl&ttl=1000'), { value: 4 }, 'not yet expired');
  await w.call('objects', '/clock?advance=1000');
  assert.deepEqual(await w.call('gateway', '/count?tag=ttl&ttl=1000'), { value: 1 }, 'expired: counts again from 1');
  assert.deepEqual(await w.call('gateway', '/set?tag=del&value=x&ttl=60000'), { value: null });
  assert.deepEqual(await w.call('objects', '/delete?tag=del'), { value: true });
  assert.deepEqual(await w.call('gateway', '/delete?tag=del'), { value: false });
  assert.deepEqual(await w.call('gateway', '/get?tag=del'), { value: null });
});

test('an alarm sweeps expired keys out of the object', async () => {
  const w = await workerd();
  const name = (await w.call('gateway', '/object?tag=swept')).value;
  const keys = async () => (await w.call('objects', `/object-stats?name=${encodeURIComponent(name)}`)).keys;
  assert.deepEqual(await w.call('gateway', '/count?tag=swept&ttl=1000'), { value: 1 });
  const before = await keys();
  await w.call('objects', '/clock?advance=1001');
  // The sweep is the runtime's alarm: wait for it as for an event, without timing it.
  for (let i = 0; (await keys()) >= before; i++) {
    assert.ok(i < 100, `no sweep: ${before} keys stay`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(await w.call('gateway', '/count?tag=swept&ttl=1000'), { value: 1 });
});

test('scripts run in the object with the wasm core loaded; script failures are STORE_ERROR', async () => {
  const w = await workerd();
  assert.deepEqual(await w.call('gateway', '/json?tag=j&text=' + encodeURIComponent('{"a":[1,2]}')), { value: 1 });
  assert.deepEqual(await w.call('gateway', '/json?tag=j&text=' + encodeURIComponent('{"a":01}')), { value: 0 });
  const failed = await w.call('gateway', '/fail?tag=f');
  assert.equal(failed.error, 'STORE_ERROR');
  assert.match(failed.message, /test\.fail failed: test failure/);
  assert.deepEqual(await w.call('gateway', '/get?tag=f'), { value: null }, 'a failed script writes nothing');
  const unknown = await w.call('gateway', '/unregistered?tag=u');
  assert.equal(unknown.error, 'STORE_ERROR');
  assert.match(unknown.message, /no script named "test\.unregistered"/);
  const wrongType = await w.call('gateway', '/get?tag=shared');
  assert.equal(wrongType.error, 'STORE_ERROR', 'a key holding a script\'s number is not a string');
});

test('a script\'s args reach its run as strings, as Lua sees ARGV: a number stored from one reads back as a string', async () => {
  const w = await workerd();
  assert.deepEqual(await w.call('gateway', '/echo?tag=echo&n=1.50'), { value: ['1.5', '1.50'] });
  assert.deepEqual(await w.call('objects', '/get?tag=echo'), { value: '1.5' });
});

test('a script\'s write that storage refuses (a value over 128 KiB) is STORE_ERROR and changes nothing, in memory either', async () => {
  const w = await workerd();
  assert.deepEqual(await w.call('gateway', '/count?tag=big'), { value: 1 });
  const refused = await w.call('gateway', '/big?tag=big');
  assert.equal(refused.error, 'STORE_ERROR', JSON.stringify(refused).slice(0, 500));
  assert.match(refused.message, /the change could not be stored: .*131072/);
  assert.deepEqual(await w.call('objects', '/count?tag=big'), { value: 2 }, 'the count was kept as stored');
  const { value } = await w.call('gateway', '/stats');
  assert.equal(value.store.breaker, 'closed');
});

test('an object past its deadline is abandoned (STORE_TIMEOUT), then the breaker stops calling it', async () => {
  const w = await workerd();
  for (let i = 0; i < 3; i++) {
    const slow = await w.call('gateway', `/slow?tag=s${i}`);
    assert.equal(slow.error, 'STORE_TIMEOUT', JSON.stringify(slow));
  }
  const refused = await w.call('gateway', '/slow?tag=s');
  assert.equal(refused.error, 'STORE_UNAVAILABLE');
  assert.ok(refused.retryAfterMs > 0);
  const { value } = await w.call('gateway', '/stats');
  assert.equal(value.slow.timeouts, 3);
  assert.equal(value.slow.refused, 1);
  assert.equal(value.slow.breaker, 'open');
  assert.deepEqual(value.unhandled, []);
});

test('an object that fails to construct, or of another class, is STORE_UNAVAILABLE; a missing binding is CONFIG_INVALID', async () => {
  const w = await workerd();
  const broken = await w.call('gateway', '/broken?tag=b');
  assert.equal(broken.error, 'STORE_UNAVAILABLE', JSON.stringify(broken));
  assert.match(broken.message, /option maxKeys must be an integer from 1 to 1000000/);
  const odd = await w.call('gateway', '/odd?tag=o');
  assert.equal(odd.error, 'STORE_UNAVAILABLE', `an answer that is not the object's is no value: ${JSON.stringify(odd)}`);
  assert.match(odd.message, /EdgeguardDurableObject/);
  const missing = await w.call('objects', '/missing');
  assert.equal(missing.error, 'CONFIG_INVALID');
  assert.match(missing.message, /Durable Object namespace binding/);
  for (const service of ['objects', 'gateway']) {
    assert.deepEqual((await w.call(service, '/stats')).value.unhandled, [], `${service}: no unhandled rejection`);
  }
});

test('a new workerd on the same local-disk storage keeps every object\'s state', async () => {
  const disk = join(mkdtempSync(join(tmpdir(), 'edgeguard-do-disk-')), 'storage');
  mkdirSync(disk);
  const s = await services();
  const first = await start(s, disk);
  for (let i = 1; i <= 3; i++) assert.deepEqual(await first.call('gateway', '/count?tag=kept'), { value: i });
  assert.deepEqual(await first.call('objects', '/set?tag=kept-kv&value=v&ttl=600000'), { value: null });
  await first.stop('SIGKILL');
  const second = await start(s, disk);
  assert.deepEqual(await second.call('gateway', '/count?tag=kept'), { value: 4 });
  assert.deepEqual(await second.call('objects', '/count?tag=kept'), { value: 5 });
  assert.deepEqual(await second.call('gateway', '/get?tag=kept-kv'), { value: 'v' });
  await second.stop();
});
