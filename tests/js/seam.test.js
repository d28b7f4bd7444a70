// js/seam/ against the C++ it is generated from (scripts/gen-seam.js): a value changed on either
// side alone fails here, so what crosses the wasm boundary has one source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, stale, OUT_DIR } from '../../scripts/gen-seam.js';
import { CORE_OPTIONS as BREAKER } from '../../js/breaker.js';
import { CORE_OPTIONS as BULKHEAD } from '../../js/bulkhead.js';
import { CORE_OPTIONS as CACHE } from '../../js/cache.js';
import { CORE_OPTIONS as JSON_READER } from '../../js/json.js';
import { CORE_OPTIONS as LIMIT } from '../../js/limit.js';
import { CORE_OPTIONS as RETRY } from '../../js/retry.js';
import { CORE_OPTIONS as VALIDATOR } from '../../js/validator.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('every file in js/seam/ is what scripts/gen-seam.js writes from the C++ now', () => {
  assert.deepEqual(stale(), [], 'run node scripts/gen-seam.js and commit js/seam/');
});

// A copy of the sources and js/seam/ to change one side of, in a directory removed afterwards.
function copy(t) {
  const root = mkdtempSync(join(tmpdir(), 'seam-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ['src/edgeguard', 'wasm', OUT_DIR]) cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
  return root;
}
const edit = (root, path, from, to) => {
  const text = readFileSync(join(root, path), 'utf8');
  assert.ok(text.includes(from), `${path} has ${from}`);
  writeFileSync(join(root, path), text.replace(from, to));
};

test('a renumbered C++ value, or a hand edit of a generated file, is drift', (t) => {
  const root = copy(t);
  edit(root, 'src/edgeguard/cache/status.hpp', 'too_many_tags = 4', 'too_many_tags = 6');
  edit(root, `${OUT_DIR}/limit.js`, 'REMAINING: 4', 'REMAINING: 5');
  assert.deepEqual(stale(root), [`${OUT_DIR}/cache.js`, `${OUT_DIR}/limit.js`]);
});

test('a value with no seam tag is not exported, and a tag on anything else than an enum or a constant throws', (t) => {
  const root = copy(t);
  edit(root, 'wasm/bridge_cache.cpp', '// seam: cache\nconstexpr uint32_t kUsableOnError', 'constexpr uint32_t kUsableOnError');
  assert.doesNotMatch(generate(root).get(`${OUT_DIR}/cache.js`), /USABLE_ON_ERROR/);
  edit(root, 'src/edgeguard/json/status.hpp', 'struct Limits {', '// seam: json\nstruct Limits {');
  assert.throws(() => generate(root), /json\/status\.hpp:\d+: a seam tag must sit above an enum or a constexpr kName/);
});

test('names: kCamelCase and snake_case enumerators become UPPER_SNAKE keys and lower_snake names', (t) => {
  const root = copy(t);
  writeFileSync(join(root, 'wasm/seam_names.cpp'), [
    '// seam: names',
    'enum Flags : uint32_t { kFirstBit = 1u << 0, kSecond = 1u << 3 };',
    '// seam: names',
    'enum class Slots : uint32_t {',
    '  status,  // a comment, with a comma and a }',
    '  private_,',
    '  retry_after_ms = 2,',
    '  count',
    '};',
    '// seam: names',
    'constexpr uint32_t kMaxThings = 0x10u;',
  ].join('\n'));
  const names = generate(root).get(`${OUT_DIR}/names.js`);
  assert.match(names, /export const Flags = Object\.freeze\(\{ FIRST_BIT: 1, SECOND: 8 \}\);/);
  assert.doesNotMatch(names, /FlagsNames/, 'flag bits are not 0..n-1: no names by index');
  assert.match(names, /export const Slots = Object\.freeze\(\{ STATUS: 0, PRIVATE: 1, RETRY_AFTER_MS: 2, COUNT: 3 \}\);/);
  assert.match(names, /export const SlotsNames = Object\.freeze\(\['status', 'private', 'retry_after_ms'\]\);/);
  assert.match(names, /export const MAX_THINGS = 16;/);
});

test('an enumerator that is not an integer literal is refused, not guessed', (t) => {
  const root = copy(t);
  edit(root, 'src/edgeguard/cache/freshness.hpp', 'expired = 3', 'expired = stale + 2');
  assert.throws(() => generate(root), /freshness\.hpp:\d+ expired: 'stale \+ 2' is not an integer literal/);
});

// Each core object's options go to the core as JSON text holding only the names js/ lists in its
// CORE_OPTIONS (a name missing there never reaches the core; one the core does not read is
// ignored by it): those lists against the names the C++ readers read.
const READERS = {
  'src/edgeguard/resilience/breaker_options.cpp': BREAKER,
  'src/edgeguard/resilience/bulkhead_options.cpp': BULKHEAD,
  'src/edgeguard/resilience/retry_options.cpp': RETRY,
  'src/edgeguard/cache/cache_options.cpp': CACHE,
  'src/edgeguard/limit/limit_options.cpp': LIMIT,
  'src/edgeguard/json/limits_options.cpp': JSON_READER,
  'src/edgeguard/validate/options.cpp': VALIDATOR,
};

// The names a reader reads: each literal its calls pass right after the object read from
// (`r.integer(o, "minimumCalls", ...)`, `r.member(OptionReader::root(), "budget")`,
// `bound(r, "maxEntries", ...)`, `present(o, "draft")`) or as their one argument (`o.find("x")`);
// refusals name options without reading them. By name, not by level: a name read from another
// object than js/ puts it in is left to the readers' own tests.
function namesRead(root, path) {
  const code = readFileSync(join(root, path), 'utf8').replace(/^\s*\/\/.*$/gm, '')
    .replace(/\brefuse(?:_option)?\([^;]*;/g, '');
  return new Set([...code.matchAll(/\(\s*(?:[\w:]+(?:\(\))?\s*,\s*)?"(\w+)"/g)].map((m) => m[1]));
}

// Every options reader in the core: a new one must be added to READERS.
function readerFiles(root, dir = 'src/edgeguard') {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return readerFiles(root, path);
    return /(^|_)options\.cpp$/.test(e.name) && path !== 'src/edgeguard/json/options.cpp' ? [path] : [];
  });
}

const namesSent = (shape) => new Set(Object.entries(shape).flatMap(([name, members]) => [name, ...(members ?? [])]));

// Per reader, the names only one side has.
function optionDrift(root) {
  return Object.entries(READERS).flatMap(([path, shape]) => {
    const read = namesRead(root, path);
    const sent = namesSent(shape);
    return [...[...read].filter((n) => !sent.has(n)).map((n) => `${path} reads ${n}, which js/ never sends`),
      ...[...sent].filter((n) => !read.has(n)).map((n) => `js/ sends ${n}, which ${path} never reads`)];
  });
}

test('the option names js/ sends each core object are the names its C++ reader reads', (t) => {
  assert.deepEqual(readerFiles(ROOT).sort(), Object.keys(READERS).sort(), 'every options reader is checked');
  assert.deepEqual(optionDrift(ROOT), []);
  assert.ok(namesRead(ROOT, 'src/edgeguard/resilience/breaker_options.cpp').has('sizeMs'), 'a nested member is read');
  const root = copy(t);
  edit(root, 'src/edgeguard/resilience/bulkhead_options.cpp', 'r.integer(OptionReader::root(), "maxQueue"',
    'r.integer(OptionReader::root(), "maxQueued"');
  assert.deepEqual(optionDrift(root), [
    'src/edgeguard/resilience/bulkhead_options.cpp reads maxQueued, which js/ never sends',
    'js/ sends maxQueue, which src/edgeguard/resilience/bulkhead_options.cpp never reads',
  ]);
});
