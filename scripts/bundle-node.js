// The Node entries as ESM bundles in js-node/, which package.json's "node" conditions name. Node
// reads each module file of an import on its own (an async open and read, about 1 ms apiece on
// the build machine), so importing edgeguard/resilience from js/ (44 files) cost 32-60 ms; from
// here, an entry and four chunks. Code-split rather than one file per entry: each class is defined
// once, in a chunk every entry shares, so edgeguard's CircuitBreaker is edgeguard/resilience's and
// one wasm instance serves both. js-node/ sits beside js/ so that paths relative to a module
// ('../dist/edgeguard.wasm', the glue's dynamic import) read the same from either.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { sourcesHash } from './sources-hash.js';

// Chunk names are content hashes: a stale chunk would ship beside the new ones.
rmSync('js-node', { recursive: true, force: true });

const result = await build({
  entryPoints: ['js/entry.node.js', 'js/entry.resilience.node.js', 'js/entry.validator.node.js',
    'js/hono.js', 'js/express.js', 'js/store/index.js'],
  outdir: 'js-node',
  outbase: 'js',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies (and edgeguard itself, which hono.js and express.js import by name) stay imports.
  packages: 'external',
  external: ['../dist/*'],
  logLevel: 'warning',
  metafile: true,
  // Node parses every byte of an entry's files on import: minified, edgeguard/resilience's are
  // 107 KB instead of 213 (bench/cold-start.bench.js). keepNames: errors and messages read
  // constructor names (new.target.name, `${this.constructor.name} was disposed`).
  minify: true,
  keepNames: true,
});

// What it was built from, so that a test run on a stale bundle fails (tests/js/bundle-node.test.js).
const inputs = Object.keys(result.metafile.inputs).sort();
writeFileSync('js-node/inputs.json', `${JSON.stringify({ inputs, sha256: sourcesHash(inputs) })}\n`);

