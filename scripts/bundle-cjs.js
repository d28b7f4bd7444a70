// CommonJS build for `require('edgeguard')` on Node: one esbuild bundle of the Node entry.
// import.meta.url is rewritten to this file's URL so the .wasm is found next to it.
import { build } from 'esbuild';

await build({
  entryPoints: ['js/entry.node.js'],
  outfile: 'dist/edgeguard.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  logLevel: 'warning',
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
