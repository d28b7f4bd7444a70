// Differential test of Validator against Ajv on real-world schemas (tests/fixtures/schema-corpus:
// SchemaStore schemas and the OpenAPI 3.1 schema, with their own valid and invalid examples),
// formats asserted and not. The whole corpus also goes into one SchemaRegistry, whose validators
// must give every verdict the standalone ones give.
// Each example is judged three ways: the source's folder (valid/invalid), Ajv and edgeguard; each
// example's mutants (a node replaced by another type or an edge value, a key dropped or added) by
// Ajv and edgeguard.
// Every disagreement is listed in schema-corpus/disagreements.json under a class of CLASSES below
// (who is right, per which spec section), and each listing is confirmed by its class's check. A
// new disagreement fails, and so does a listed one that went away (a fix to notice). After a
// change, EDGEGUARD_CORPUS_WRITE=1 rewrites the list, classifying what its checks confirm and
// leaving the rest "unclassified" (which fails): review its diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { init, SchemaRegistry, Validator } from '../../js/entry.node.js';

const fixtures = fileURLToPath(new URL('../fixtures/schema-corpus/', import.meta.url));
const corpus = `${fixtures}schemastore/`;
const listFile = `${fixtures}disagreements.json`;
const NOT_SCHEMAS = new Set(['SOURCE.json']);
// Examples not mutated: Ajv is no reference for the OpenAPI schema (ajv#1745: it honours a
// $dynamicAnchor only at a schema's root), and only the examples have the source's verdict.
const NOT_MUTATED = new Set(['openapi/oas-3.1.json']);

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const schemas = [
  ...readdirSync(corpus).filter((f) => f.endsWith('.json') && !NOT_SCHEMAS.has(f)).sort()
    .map((file) => ({ file, ...readJson(corpus + file) })),
  { file: 'openapi/oas-3.1.json', ...readJson(`${fixtures}openapi/oas-3.1.json`) },
];

// Values to put in place of `v`: one of another JSON type (so a `type` has to notice) and ones
// of the same type that bounds, patterns, enums, `required` and `uniqueItems` may refuse.
function variants(v) {
  if (v === null) return [['type', 0]];
  if (Array.isArray(v)) return [['type', {}], ['empty', []], ...(v.length ? [['repeat', [...v, v[0]]]] : [])];
  switch (typeof v) {
    case 'string': return [['type', 1], ['empty', ''], ['suffix', `${v}\u00e9 !`]];
    case 'number': return [['type', 'x'], ['negative', -Math.abs(v) - 0.5]];
    case 'boolean': return [['type', 'true'], ['not', !v]];
    default: return [['type', []], ['empty', {}]];
  }
}

// Deterministic mutants of `value`: the first nodes (depth first) each replaced by its variants,
// and the first objects each without their first key and with an extra key.
function mutants(value, maxNodes = 16, maxObjects = 4) {
  const out = [];
  let nodes = 0;
  let objects = 0;
  const walk = (node, path, replace) => {
    if (nodes++ >= maxNodes) return;
    if (path) for (const [how, v] of variants(node)) out.push([`${path}:${how}`, replace(v)]);
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (!Array.isArray(node) && objects++ < maxObjects) {
      if (keys.length > 0) {
        const { [keys[0]]: _, ...rest } = node;
        out.push([`${path}/${keys[0]}:drop`, replace(rest)]);
      }
      out.push([`${path}:extra`, replace({ ...node, 'x-corpus-extra': 1 })]);
    }
    for (const k of keys) {
      walk(node[k], `${path}/${k}`, (v) => replace(Array.isArray(node)
        ? node.map((x, i) => (String(i) === k ? v : x)) : { ...node, [k]: v }));
    }
  };
  walk(value, '', (v) => v);
  return out;
}

// The formats the specs define (draft-07 Validation §7.3, 2020-12 Validation §7.3) that
// ajv-formats implements; it adds others of its own ("url", "int32", "byte", ...).
const SPEC_FORMATS = ['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6',
  'uri', 'uri-reference', 'uri-template', 'uuid', 'json-pointer', 'relative-json-pointer', 'regex'];

// formats: 'annotate', 'assert' (every ajv-formats format) or 'spec' (SPEC_FORMATS only).
function ajvFor(draft, formats) {
  const AjvClass = draft === '2020-12' ? Ajv2020 : Ajv;
  // strict: false as the corpus uses vendor keywords; code.optimize, validateSchema and
  // inlineRefs off keep compiling 150 schemas twice within seconds (verdicts are unchanged).
  const ajv = new AjvClass({ strict: false, logger: false, validateFormats: formats !== 'annotate',
    code: { optimize: false }, validateSchema: false, inlineRefs: false });
  if (formats === 'annotate') return ajv;
  return formats === 'spec' ? addFormats(ajv, SPEC_FORMATS) : addFormats(ajv);
}

// The schema as draft-07 reads it: the siblings of "$ref" are ignored (but stay reachable by
// JSON pointer, so `definitions` is kept).
function refSiblingsDropped(node) {
  if (Array.isArray(node)) return node.map(refSiblingsDropped);
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const { $ref, definitions } = node;
    return definitions ? { $ref, definitions: refSiblingsDropped(definitions) } : { $ref };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refSiblingsDropped(v)]));
}

function differences(formats) {
  const found = {};
  let examples = 0;
  let mutated = 0;
  const registry = new SchemaRegistry();
  for (const { schema, schemas: others = {} } of schemas) registry.add([schema, ...Object.values(others)]);
  for (const { file, draft, schema, schemas: others = {}, valid, invalid } of schemas) {
    const ajvCompile = (flavour, root) => {
      const ajv = ajvFor(draft, flavour);
      for (const other of Object.values(others)) ajv.addSchema(other);
      return ajv.compile(root);
    };
    const ajv = ajvCompile(formats, schema);
    // Ajv reading the schema as the spec says, compiled on the first disagreement only (compiling
    // is what costs): "$ref" siblings ignored (draft-07), or only the spec's formats asserted.
    let ajvRef = null;
    let ajvSpecFormats = null;
    const eg = new Validator(schema, { draft, formats, schemas: others });
    const egAll = new Validator(schema, { draft, formats, schemas: others, allErrors: true });
    const egShared = registry.validator(schema.$id, { draft, formats });
    try {
      const judge = (name, data, source) => {
        const verdict = { source, ajv: ajv(data), edgeguard: eg.validate(data).valid };
        assert.equal(egShared.validate(data).valid, verdict.edgeguard, `${file} ${name} over the registry`);
        // Reporting every error must not change the verdict (checked on the examples: the
        // mutants would double the test's time).
        if (source !== null) {
          assert.equal(egAll.validate(data).valid, verdict.edgeguard, `${file} ${name} allErrors`);
        }
        if (verdict.ajv === verdict.edgeguard && (source === null || source === verdict.ajv)) return;
        if (draft === 'draft-07') {
          ajvRef ??= ajvCompile(formats, refSiblingsDropped(schema));
          verdict.ajvRefSiblingsDropped = ajvRef(data);
        }
        if (formats === 'assert') {
          ajvSpecFormats ??= ajvCompile('spec', schema);
          verdict.ajvSpecFormats = ajvSpecFormats(data);
        }
        found[`${file}|${formats}|${name}`] = verdict;
      };
      for (const [kind, set] of [['valid', valid], ['invalid', invalid]]) {
        for (const [name, data] of Object.entries(set)) {
          examples++;
          judge(`${kind}/${name}`, data, kind === 'valid');
          for (const [how, mutant] of NOT_MUTATED.has(file) ? [] : mutants(data)) {
            mutated++;
            judge(`${kind}/${name}#${how}`, mutant, null);
          }
        }
      }
    } finally {
      eg.dispose();
      egAll.dispose();
      egShared.dispose();
    }
  }
  registry.dispose();
  return { found, examples, mutated };
}

// Who is right, per class of disagreement, and the check that confirms the class for an entry.
const CLASSES = {
  'format-not-asserted': {
    right: 'edgeguard and Ajv',
    spec: 'draft-07 Validation §7.2 / 2020-12 Validation §7.2.1: "format" is an annotation unless '
      + 'assertion is asked for (edgeguard formats "annotate", Ajv validateFormats false); the '
      + 'source\'s negative example breaks only a format, its own CI asserts formats (ajv-formats)',
    confirm: (key, v, runs) => key.split('|')[1] === 'annotate' && v.source === false && v.ajv && v.edgeguard
      && !(key.replace('|annotate|', '|assert|') in runs.assert.found),
  },
  'draft-07-ref-siblings': {
    right: 'edgeguard',
    spec: 'draft-07 Core §8.3: "All other properties in a "$ref" object MUST be ignored"; Ajv 8 '
      + 'applies them in every draft (as 2019-09 and later require); Ajv given the schema with '
      + 'those siblings removed agrees',
    confirm: (key, v) => v.ajvRefSiblingsDropped === v.edgeguard && v.ajv !== v.edgeguard,
  },
  'ajv-dynamic-anchor-not-at-root': {
    right: 'edgeguard (and the source)',
    spec: '2020-12 Core §8.2.3.2: "$dynamicRef" resolves to the outermost "$dynamicAnchor" of the '
      + 'dynamic scope, here the OpenAPI schema\'s $defs/schema (so Schema Objects are judged by the '
      + 'OAS dialect); Ajv honours a $dynamicAnchor only at a schema\'s root (ajv#1573, ajv#1745) '
      + 'and judges them by the bare 2020-12 meta-schema',
    confirm: (key, v) => key.startsWith('openapi/') && v.source === v.edgeguard && v.ajv !== v.edgeguard,
  },
  'format-not-in-spec': {
    right: 'edgeguard',
    spec: 'draft-07 Validation §7.2 / 2020-12 Validation §7.2.3: formats beyond the spec\'s are '
      + 'custom, by agreement only, and an unknown one is not asserted; ajv-formats adds its own '
      + '("url"); Ajv asserting only the spec\'s formats agrees',
    confirm: (key, v) => v.ajvSpecFormats === v.edgeguard && v.ajv !== v.edgeguard,
  },
};

let runs = null;
async function run() {
  if (!runs) {
    await init();
    runs = { annotate: differences('annotate'), assert: differences('assert') };
  }
  return runs;
}

const classOf = (key, verdict, all) =>
  Object.keys(CLASSES).find((name) => CLASSES[name].confirm(key, verdict, all)) ?? 'unclassified';

test('the corpus is what SOURCE.json lists', () => {
  const source = readJson(`${corpus}SOURCE.json`);
  assert.deepEqual(schemas.map((s) => s.file).filter((f) => !f.includes('/')),
    source.schemas.map((n) => `${n}.json`).sort());
  assert.ok(schemas.every((s) => ['draft-07', '2020-12'].includes(s.draft)));
  const oas = readJson(`${fixtures}openapi/oas-3.1.json`);
  assert.equal(Object.keys(oas.schemas).length, readJson(`${fixtures}openapi/SOURCE.json`).schemas.length);
});

test('every disagreement of edgeguard, Ajv and the source is listed, and only those', async (t) => {
  const all = await run();
  const found = Object.fromEntries(['annotate', 'assert'].flatMap((f) => Object.entries(all[f].found)));
  if (process.env.EDGEGUARD_CORPUS_WRITE === '1') {
    const list = Object.fromEntries(Object.entries(found).sort()
      .map(([key, verdict]) => [key, { ...verdict, class: classOf(key, verdict, all) }]));
    writeFileSync(listFile, `${JSON.stringify(list, null, 1)}\n`);
  }
  const listed = readJson(listFile);
  for (const formats of ['annotate', 'assert']) {
    const { examples, mutated } = all[formats];
    const counts = {};
    for (const [key, { class: c }] of Object.entries(listed)) {
      if (key.split('|')[1] === formats) counts[c] = (counts[c] ?? 0) + 1;
    }
    t.diagnostic(`formats ${formats}: ${schemas.length} schemas, ${examples} examples, ${mutated} mutants; `
      + `disagreements ${JSON.stringify(counts)}`);
  }
  const strip = (list) => Object.fromEntries(Object.entries(list).map(([k, { class: _, ...v }]) => [k, v]));
  const unlisted = Object.keys(found).filter((k) => !(k in listed));
  assert.deepEqual(unlisted, [], 'new disagreements: classify them in disagreements.json');
  const gone = Object.keys(listed).filter((k) => !(k in found));
  assert.deepEqual(gone, [], 'listed disagreements that went away: take them off the list');
  assert.deepEqual(found, strip(listed), 'listed disagreements with other verdicts now');
});

test('every listed disagreement is confirmed by its class', async () => {
  const all = await run();
  const wrong = Object.entries(readJson(listFile))
    .filter(([key, v]) => !CLASSES[v.class]?.confirm(key, v, all)).map(([key, v]) => `${key}: ${v.class}`);
  assert.deepEqual(wrong, []);
});
