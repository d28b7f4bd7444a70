// The official JSON-Schema-Test-Suite (tests/conformance) through the JS API: every required
// test passes unless listed in tests/conformance/skip-<draft>.json (shared with the C++ test);
// a listed test that passes fails too. Optional tests are run with formats asserted and counted.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, Validator, SchemaError } from '../../js/entry.node.js';

const root = fileURLToPath(new URL('../conformance/', import.meta.url));
const suite = join(root, 'JSON-Schema-Test-Suite');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

function files(dir, deep) {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return deep ? files(p, deep) : [];
    return name.endsWith('.json') ? [p] : [];
  });
}

const allRemotes = Object.fromEntries(files(join(suite, 'remotes'), true).map((p) =>
  [`http://localhost:1234/${relative(join(suite, 'remotes'), p).split('\\').join('/')}`, readJson(p)]));

// The remote schemas that compile under `draft`, with one another. Every known schema is
// compiled at construction, and some remotes cannot be: another draft's (draft-07 ignores the
// siblings of $ref a 2020-12 remote resolves through), or ones referencing meta-schemas that
// are not built in. A test needing one of those fails to compile, as it would have anyway.
const remotesByDraft = new Map();
function remotes(draft) {
  if (remotesByDraft.has(draft)) return remotesByDraft.get(draft);
  const ok = {};
  let pending = Object.entries(allRemotes);
  for (let before = -1; before !== Object.keys(ok).length;) {  // until a round adds none
    before = Object.keys(ok).length;
    pending = pending.filter(([id, schema]) => {
      try {
        new Validator(true, { draft, schemas: { ...ok, [id]: schema } }).dispose();
      } catch (err) {
        if (!(err instanceof SchemaError)) throw err;
        return true;
      }
      ok[id] = schema;
      return false;
    });
  }
  remotesByDraft.set(draft, ok);
  return ok;
}

function run(dir, draft, { deep = false, formats = 'annotate' } = {}) {
  let passed = 0;
  let total = 0;
  const failed = new Set();
  for (const file of files(dir, deep)) {
    const name = relative(dir, file).split('\\').join('/');
    for (const group of readJson(file)) {
      let v = null;
      try {
        v = new Validator(group.schema, { draft, formats, allErrors: true, schemas: remotes(draft) });
      } catch {
        // A schema we cannot compile fails each of its tests.
      }
      for (const t of group.tests) {
        total++;
        let ok = false;
        if (v) {
          const r = v.validate(JSON.stringify(t.data));
          ok = r.valid === t.valid && (r.errors.length === 0) === r.valid;
        }
        if (ok) passed++;
        else failed.add(`${name}|${group.description}|${t.description}`);
      }
      v?.dispose();
    }
  }
  return { passed, total, failed };
}

function required(dir, draft, skipFile, expectedTotal) {
  return (t) => {
    const { passed, total, failed } = run(join(suite, 'tests', dir), draft);
    const skipped = new Map(readJson(join(root, skipFile)).map((s) => [`${s.file}|${s.group}|${s.test}`, s.reason]));
    assert.deepEqual([...failed].filter((f) => !skipped.has(f)), [], 'unexpected failures');
    assert.deepEqual([...skipped.keys()].filter((s) => !failed.has(s)), [], 'listed as skipped but pass');
    assert.equal(total, expectedTotal);
    t.diagnostic(`${dir} required: ${passed}/${total} passed`);
  };
}

before(() => init());

test('draft-07 required tests', required('draft7', 'draft-07', 'skip-draft7.json', 927));

test('draft 2020-12 required tests', required('draft2020-12', '2020-12', 'skip-draft2020-12.json', 1299));

test('optional tests with formats asserted (counted)', (t) => {
  for (const [dir, draft] of [['draft7', 'draft-07'], ['draft2020-12', '2020-12']]) {
    const all = run(join(suite, 'tests', dir, 'optional'), draft, { deep: true, formats: 'assert' });
    const fmt = run(join(suite, 'tests', dir, 'optional', 'format'), draft, { deep: true, formats: 'assert' });
    t.diagnostic(`${dir} optional: ${all.passed}/${all.total}; optional/format: ${fmt.passed}/${fmt.total}`);
    assert.equal(fmt.passed, fmt.total, `${dir} optional/format`);
  }
});
