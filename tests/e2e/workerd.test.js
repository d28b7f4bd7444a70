import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, probe, expected, resilienceProbe, resilienceExpected, validatorProbe, validatorExpected } from './installed-package.js';
import { startWorker, bundleWorker } from './workerd.js';

let worker;
after(() => worker?.stop());

test('workerd: a worker bundled from the installed tarball checks JSON', async () => {
  const dir = installedPackage();
  writeFileSync(join(dir, 'json-worker.js'), `import { init, version, Json, EdgeguardError } from 'edgeguard';
export default {
  async fetch(request) {
    if (request.method === 'POST') {
      await init();
      const r = Json.check(new Uint8Array(await request.arrayBuffer()));
      return Response.json(r.valid ? { valid: true } : { valid: false, code: r.error.code, offset: r.error.offset });
    }
    return Response.json(await (async () => { ${probe} })());
  },
};`);
  worker = await startWorker({ entry: 'json-worker.js', cwd: dir });
  const res = await fetch(worker.url);
  assert.equal(res.status, 200, worker.logs.join(''));
  assert.deepEqual(await res.json(), expected);
  const post = await fetch(worker.url, { method: 'POST', body: new Uint8Array([0x22, 0xc0, 0xaf, 0x22]) });
  assert.deepEqual(await post.json(), { valid: false, code: 'PAYLOAD_BAD_UTF8', offset: 1 });
});

test('workerd: a schema registry compiles what a validator reaches and shares it', async () => {
  const dir = installedPackage();
  writeFileSync(join(dir, 'registry-worker.js'), `import { init, SchemaRegistry, Validator } from 'edgeguard';
let registry;
export default {
  async fetch(request) {
    await init();
    registry ??= new SchemaRegistry().add([
      { $id: 'urn:money', type: 'number', multipleOf: 0.01 },
      { $id: 'urn:order', type: 'object', required: ['total'], properties: { total: { $ref: 'urn:money' } } },
    ]);
    const byId = registry.validator('urn:order');
    const over = new Validator({ type: 'array', items: { $ref: 'urn:order' } }, { registry });
    const body = await request.text();
    const answer = { order: byId.validate(body).valid, orders: over.validate('[' + body + ']').valid };
    byId.dispose();
    over.dispose();
    return Response.json(answer);
  },
};`);
  const registryWorker = await startWorker({ entry: 'registry-worker.js', cwd: dir });
  try {
    const ask = async (body) => (await fetch(registryWorker.url, { method: 'POST', body })).json();
    assert.deepEqual(await ask('{"total": 1.25}'), { order: true, orders: true });
    assert.deepEqual(await ask('{"total": 1.255}'), { order: false, orders: false });
  } finally {
    await registryWorker.stop();
  }
});

// Writes a worker whose every answer is `probeSource`'s result (importing `imports`), bundles and
// serves it, and returns that answer.
async function probeWorker(dir, file, imports, probeSource) {
  writeFileSync(join(dir, file), `${imports}
export default {
  async fetch() {
    return Response.json(await (async () => { ${probeSource} })());
  },
};`);
  const probed = await startWorker({ entry: file, cwd: dir });
  try {
    const res = await fetch(probed.url);
    assert.equal(res.status, 200, probed.logs.join(''));
    return await res.json();
  } finally {
    await probed.stop();
  }
}

// The wasm files a worker that imports only `feature` (resilience, validator) bundles: wrangler
// embeds what the entry reaches.
async function embeddedWasm(dir, feature) {
  writeFileSync(join(dir, `${feature}-bundle.js`), `import * as eg from 'edgeguard/${feature}';\nexport default eg;`);
  const modules = await bundleWorker({ entry: `${feature}-bundle.js`, cwd: dir, outdir: mkdtempSync(join(tmpdir(), 'edgeguard-bundle-')) });
  return [...modules.matchAll(/wasm = embed "([^"]+\.wasm)"/g)].map((m) => m[1]);
}

test('workerd: a worker bundled with edgeguard/resilience alone carries only the resilience wasm', async () => {
  const dir = installedPackage();
  assert.deepEqual(await embeddedWasm(dir, 'resilience'), ['edgeguard-resilience.wasm']);
  const imports = "import * as eg from 'edgeguard/resilience';";
  assert.deepEqual(await probeWorker(dir, 'resilience-worker.js', imports, resilienceProbe), resilienceExpected);
});

test('workerd: a worker bundled with edgeguard/validator alone carries only the validator wasm and validates', async () => {
  const dir = installedPackage();
  assert.deepEqual(await embeddedWasm(dir, 'validator'), ['edgeguard-validator.wasm']);
  const imports = "import * as eg from 'edgeguard/validator';";
  assert.deepEqual(await probeWorker(dir, 'validator-worker.js', imports, validatorProbe), validatorExpected);
  assert.deepEqual(await probeWorker(dir, 'validator-json-worker.js',
    "import { init, version, Json, EdgeguardError } from 'edgeguard/validator';", probe), expected);
});
