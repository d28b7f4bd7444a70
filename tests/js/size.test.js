// The size budgets of scripts/size.js: a module that grows past its budget fails here (raise the
// budget only with a reason in the commit); the target is printed next to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MODULES, moduleSizes } from '../../scripts/size.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('every module stays within its gzip budget (wasm + glue)', (t) => {
  for (const m of moduleSizes()) {
    const kib = m.gzip / 1024;
    t.diagnostic(`${m.name}: ${kib.toFixed(1)} KiB gz (budget ${m.budgetKiB}, issue 16 target ${m.targetKiB})`);
    assert.ok(kib <= m.budgetKiB, `${m.name} is ${kib.toFixed(1)} KiB gz, over its budget of ${m.budgetKiB} KiB`);
  }
});

test('the package ships every budgeted module, and budgets every wasm it ships', () => {
  const shipped = pkg.files.filter((f) => f.startsWith('dist/edgeguard') && !f.endsWith('.cjs'));
  assert.deepEqual(MODULES.flatMap((m) => m.files).sort(), shipped.sort());
});
