// The README's Cloudflare example as Cloudflare users build it: its "Cloudflare Workers" section's
// files (src/index.js, wrangler.toml, written as the README prints them) in a consumer folder with
// the packed tarball installed, built by wrangler (`deploy --dry-run --outdir`, tests/e2e/wrangler.js),
// and wrangler's output run in workerd as two services of the same bundle (two isolates, as one
// worker runs in many), one Durable Object namespace between them, in front of a real backend.
// `wrangler dev --local` serves it too, but reaches for the network (Request.cf), starts two
// workerd processes of its own besides node and esbuild, and took 5-6.5 s to answer here against
// the dry run's 3-4 s; the dry run is one offline build, and the workerd it runs in is the repo's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installedPackage, repoRoot } from './installed-package.js';
import { startBackend } from './backend.js';
import { namespaceConfig, serveConfig } from './workerd.js';
import { wranglerBuild } from './wrangler.js';

const SERVICES = ['gateway', 'second'];
const LIMIT = 3;
// Cloudflare's limit on a Worker's upload on the free plan, after gzip.
const FREE_PLAN_GZIP_KIB = 3 * 1024;

const gatewayConfig = (origin) => ({
  upstreams: { api: { origin, timeoutMs: 5000 } },
  routes: [{ name: 'live', method: 'GET', path: '/v1/live/:id', upstream: 'api',
    rateLimit: { key: 'ip', scope: 'global', policies: [{ name: 'minute', limit: LIMIT, windowMs: 60_000 }] } }],
  // A cold object compiles the wasm before it answers: a deadline it always meets, so that every
  // decision is the store's, never the local fallback's.
  store: { mode: 'exact', deadlineMs: 5000 },
});

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The files of the README's Cloudflare section: each code block, named by its first line's comment. */
function readmeExample() {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Cloudflare Workers\n');
  assert.ok(start >= 0, 'README.md has a "### Cloudflare Workers" section');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return Object.fromEntries([...section.matchAll(/```\w+\n((?:\/\/|#) (\S+)\n.*?)```/gs)].map(([, code, file]) => [file, code]));
}

async function build() {
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  const cwd = join(installedPackage(), 'wrangler-app');
  const files = { ...readmeExample(), 'src/gateway.json': JSON.stringify(gatewayConfig(backend.url)) };
  assert.deepEqual(Object.keys(files).sort(), ['src/gateway.json', 'src/index.js', 'wrangler.toml']);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), text);
  }
  const built = await wranglerBuild(cwd);
  cleanups.push(() => rmSync(built.outdir, { recursive: true, force: true }));
  // What workerd needs of wrangler.toml (the README's: one binding, one class).
  const toml = files['wrangler.toml'];
  const binding = /^name = "(\w+)"$/m.exec(toml.slice(toml.indexOf('[[durable_objects.bindings]]')))[1];
  const className = /^class_name = "(\w+)"$/m.exec(toml)[1];
  const compatibilityDate = /^compatibility_date = "([\d-]+)"$/m.exec(toml)[1];
  return { cwd, binding, className, compatibilityDate, ...built };
}

async function serve({ modules, outdir, binding, className, compatibilityDate }) {
  const config = namespaceConfig({ workers: { gateway: modules, second: modules }, className, binding,
    uniqueKey: 'edgeguard-e2e-wrangler', compatibilityDate });
  const w = await serveConfig({ outdir, config, sockets: SERVICES });
  cleanups.push(() => w.stop());
  const call = (service, path, ip) => fetch(`${w.urls[service]}${path}`, { headers: { 'cf-connecting-ip': ip } });
  return { ...w, call };
}

let built;
let served;
const wrangler = () => (built ??= build());
const workerd = () => (served ??= wrangler().then(serve));

test('wrangler bundles the README worker with the workerd entry and the wasm as a module of its own', async (t) => {
  const b = await wrangler();
  t.diagnostic(`wrangler ${JSON.parse(readFileSync(join(repoRoot, 'node_modules/wrangler/package.json'), 'utf8')).version}: ` +
    `Total Upload ${b.upload.kib} KiB / gzip ${b.upload.gzipKib} KiB (${b.files.join(', ')})`);
  assert.equal(b.main, 'index.js');
  assert.equal(b.wasm.length, 1, b.files.join(', '));
  assert.match(b.wasm[0], /edgeguard\.wasm$/);
  assert.deepEqual(readFileSync(join(b.outdir, b.wasm[0])),
    readFileSync(join(b.cwd, '..', 'node_modules/edgeguard/dist/edgeguard.wasm')), 'the package\'s own wasm, unchanged');
  const bundle = readFileSync(join(b.outdir, b.main), 'utf8');
  assert.match(bundle, new RegExp(`^import \\w+ from "\\./${b.wasm[0].replace('.', '\\.')}";$`, 'm'), 'imported as a module');
  assert.match(bundle, /^\/\/ (\.\.\/)*node_modules\/edgeguard\/js\/entry\.workerd\.js$/m, 'the workerd export condition');
  assert.doesNotMatch(bundle, /edgeguard\/js\/entry\.(node|browser)\.js/);
  assert.ok(b.output.includes(`env.${b.binding} (${b.className})`), b.output);
  assert.doesNotMatch(b.output, /\[(WARNING|ERROR)\]/, 'edgeguard gives wrangler nothing to warn about');
  assert.ok(b.upload.gzipKib < FREE_PLAN_GZIP_KIB, `${b.upload.gzipKib} KiB gzip`);
});

test('the built worker answers through the gateway from the backend, its store up', async () => {
  const w = await workerd();
  const res = await w.call('gateway', '/v1/live/1', '198.51.100.1');
  assert.equal(res.status, 200, w.logs.join(''));
  assert.deepEqual(await res.json(), { live: true, generation: 1 });
  assert.match(res.headers.get('ratelimit'), new RegExp(`^"minute";r=${LIMIT - 1};t=\\d+$`));
  const health = await (await w.call('second', '/healthz', '198.51.100.1')).json();
  assert.equal(health.status, 'pass', JSON.stringify(health));
  assert.deepEqual([health.checks.store[0].observedValue, health.checks.store[0].status], ['closed', 'pass']);
});

test('a global limit is shared by both isolates through the Durable Object store, then 429 problem+json', async () => {
  const w = await workerd();
  const answers = [];
  for (let i = 0; i < LIMIT + 2; i++) {
    const res = await w.call(SERVICES[i % 2], '/v1/live/2', '198.51.100.2');
    answers.push({ status: res.status, ratelimit: res.headers.get('ratelimit'), res, body: await res.text() });
  }
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429, 429], w.logs.join(''));
  // Each isolate sees the other's calls: the remaining count falls across both.
  assert.deepEqual(answers.slice(0, LIMIT).map((a) => /"minute";r=(\d+);/.exec(a.ratelimit)?.[1]), ['2', '1', '0']);
  for (const { res, body } of answers.slice(LIMIT)) {
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(JSON.parse(body).status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(res.headers.get('ratelimit-policy'), `"minute";q=${LIMIT};w=60`);
  }
  for (const service of SERVICES) {
    const metrics = await (await w.call(service, '/metrics', '198.51.100.2')).text();
    assert.match(metrics, /^edgeguard_rate_limit_fallback_total\{route="live"\} 0$/m, 'no decision fell back');
  }
});
