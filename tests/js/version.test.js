import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, version } from '../../js/entry.node.js';
import { module, readCString } from '../../js/core.js';

const root = new URL('../../', import.meta.url);

test('the JS, package.json, CMake and the wasm core agree on the version', async () => {
  await init();
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const cmake = readFileSync(new URL('CMakeLists.txt', root), 'utf8').match(/project\(edgeguard VERSION ([\d.]+)/)[1];
  assert.equal(version, pkg.version);
  assert.equal(cmake, pkg.version);
  assert.equal(readCString(module()._eg_version()), pkg.version);
});
