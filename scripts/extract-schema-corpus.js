// Re-extracts tests/fixtures/schema-corpus/schemastore/ from a SchemaStore/schemastore git
// snapshot: schemas that declare draft-07 or 2020-12 (the drafts edgeguard supports) and have
// no $ref leaving their own document (nothing is fetched), with their JSON example instances
// (src/test/<name>: valid, src/negative_test/<name>: invalid). 2020-12 before draft-07, those
// with invalid examples before those with valid ones only, up to the maximum; one version per
// family (abc-supply-plan-1.0.0 ... -14.0.0 are near copies that would only slow the test down).
// Usage: node scripts/extract-schema-corpus.js <path to schemastore .git> [max schemas]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [gitDir, maxArg] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: extract-schema-corpus.js <schemastore git dir> [max]');
const max = Number(maxArg ?? 150);
const maxBytes = 100 * 1024;  // per schema and per instance: keeps the corpus small, the test fast
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args],
  { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
const commit = git('rev-parse', 'HEAD').trim();
const ls = (dir) => git('ls-tree', '--name-only', `HEAD:${dir}`).split('\n').filter(Boolean);
const show = (path) => git('show', `HEAD:${path}`);
const drafts = {
  'http://json-schema.org/draft-07/schema#': 'draft-07',
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

function localRefsOnly(node) {
  if (Array.isArray(node)) return node.every(localRefsOnly);
  if (node === null || typeof node !== 'object') return true;
  return Object.entries(node).every(([k, v]) =>
    ((k !== '$ref' && k !== '$dynamicRef') || typeof v !== 'string' || v.startsWith('#'))
    && localRefsOnly(v));
}

function instances(dir) {
  let names;
  try { names = ls(dir); } catch { return {}; }
  const out = {};
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const text = show(`${dir}/${name}`);
    if (text.length > maxBytes) continue;
    try { out[name] = JSON.parse(text); } catch { /* JSONC or broken: not an instance */ }
  }
  return out;
}

const target = fileURLToPath(new URL('../tests/fixtures/schema-corpus/schemastore/', import.meta.url));
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const skip = new Set(JSON.parse(show('src/schema-validation.jsonc')
  .replace(/\s\/\/ .*$|^\s*\/\/.*$/gm, '')).skiptest ?? []);
const family = (name) => name.replace(/[-_.]?v?\d+(\.\d+)*(\.x)?(-[A-Za-z]+\d*)?$/, '');
const byVersion = (a, b) => b.localeCompare(a, 'en', { numeric: true });  // newest first
const negative = new Set(ls('src/negative_test'));
const candidates = [...ls('src/negative_test').sort(byVersion),
  ...ls('src/test').filter((n) => !negative.has(n)).sort(byVersion)];
const picked = [];
const families = new Set();
function pick(name, wanted) {
  if (skip.has(`${name}.json`) || families.has(family(name))) return;
  let schema;
  try {
    const text = show(`src/schemas/json/${name}.json`);
    if (text.length > maxBytes) return;
    schema = JSON.parse(text);
  } catch { return; }
  const draft = drafts[schema.$schema];
  if (draft !== wanted || !localRefsOnly(schema)) return;
  const valid = instances(`src/test/${name}`);
  const invalid = instances(`src/negative_test/${name}`);
  if (Object.keys(valid).length + Object.keys(invalid).length === 0) return;
  families.add(family(name));
  writeFileSync(`${target}${name}.json`, `${JSON.stringify({ draft, schema, valid, invalid })}\n`);
  picked.push(name);
}

for (const wanted of ['2020-12', 'draft-07']) {
  for (const name of candidates) {
    if (picked.length >= max) break;
    pick(name, wanted);
  }
}
for (const f of ['LICENSE', 'NOTICE']) writeFileSync(`${target}${f}`, show(f));
writeFileSync(`${target}SOURCE.json`, `${JSON.stringify({
  repository: 'https://github.com/SchemaStore/schemastore', commit, schemas: picked.sort(),
}, null, 2)}\n`);
console.log(`${picked.length} schemas from ${commit}`);
