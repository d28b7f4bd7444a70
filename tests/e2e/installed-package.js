// The e2e tests use edgeguard as users get it: `npm pack`, then installed into an empty folder.
// scripts/test.sh packs once and passes the folder in EDGEGUARD_E2E_DIR; run alone, a test
// packs for itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function installedPackage() {
  if (process.env.EDGEGUARD_E2E_DIR) return process.env.EDGEGUARD_E2E_DIR;
  const dir = mkdtempSync(join(tmpdir(), 'edgeguard-e2e-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' });
  const tarball = join(dir, out.trim().split('\n').pop());
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir, stdio: 'ignore' });
  process.env.EDGEGUARD_E2E_DIR = dir;
  return dir;
}

/**
 * Makes the repository's copies of `names` (what a consumer brings itself: express, a Redis
 * client) resolvable from the installed package's folder, as links: their own dependencies
 * resolve from the repository's node_modules, where the links point.
 */
export function linkPackages(dir, ...names) {
  for (const name of names) {
    const link = join(dir, 'node_modules', name);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), link);
  }
}

/** A document every runtime checks, and the answers it must give. */
export const probe = `
  await init();
  const good = Json.check(new TextEncoder().encode('{"items":[1,2,{"ok":true}]}'));
  const bad = Json.check('{"a": 01}');
  const deep = Json.check('['.repeat(10000));
  return { version, good: good.valid, bad: [bad.error.code, bad.error.offset, bad.error.line, bad.error.column],
           deep: deep.error.code, errorClass: bad.error instanceof EdgeguardError };
`;

/** What the probe must return: its `version` is the repository's package.json version. */
export const expected = {
  version: JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version,
  good: true, bad: ['PAYLOAD_MALFORMED', 7, 1, 8], deep: 'PAYLOAD_TOO_DEEP', errorClass: true,
};

/**
 * What `edgeguard/validator` (imported as `eg`) must do in every runtime: validate a JS object and
 * bytes, report an error, compile over a registry; and export nothing of the resilience classes.
 */
export const validatorProbe = `
  await eg.init();
  const v = new eg.Validator({ type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] });
  const registry = new eg.SchemaRegistry().add({ $id: 'urn:item', type: 'object', required: ['sku'] });
  const items = new eg.Validator({ type: 'array', items: { $ref: 'urn:item' } }, { registry });
  const bad = v.validate({ id: 0 });
  return { version: eg.version, object: v.validate({ id: 7 }).valid, bytes: v.validate(new TextEncoder().encode('{"id":1}')).valid,
           bad: [bad.valid, bad.errors[0].keyword, bad.errors[0].instancePath],
           registry: [items.validate([{ sku: 'a' }]).valid, items.validate([{}]).valid], resilience: 'Cache' in eg };
`;

export const validatorExpected = {
  version: expected.version, object: true, bytes: true, bad: [false, 'minimum', '/id'], registry: [true, false], resilience: false,
};

/**
 * What `edgeguard/resilience` (imported as `eg`) must do in every runtime: a cache, a limiter and
 * a breaker (its snapshot too) over its own module, and nothing of the validator exported.
 */
export const resilienceProbe = `
  await eg.init();
  const cache = new eg.Cache({ maxEntries: 4 });
  cache.set('k', 'v');
  const limiter = new eg.RateLimiter({ policies: [{ limit: 1, windowMs: 60000 }] });
  const breaker = new eg.CircuitBreaker({ minimumCalls: 1, failureRateThreshold: 50 });
  const failed = await breaker.execute(() => { throw new Error('down'); }).catch((e) => e.message);
  return { version: eg.version, cached: cache.get('k').value, allowed: [limiter.check('a').allowed, limiter.check('a').allowed],
           failed, state: breaker.state, snapshot: breaker.snapshot().state, validator: 'Validator' in eg };
`;

export const resilienceExpected = {
  version: expected.version, cached: 'v', allowed: [true, false], failed: 'down', state: 'open', snapshot: 'open', validator: false,
};
