// Minifies a wasm module's JS glue in place, run by wasm/CMakeLists.txt after each link.
// Emscripten 3.1.6 only strips the glue's whitespace: renaming its names needs the Closure
// Compiler, which Debian's emscripten lacks (../shared/TOOLCHAIN.md). esbuild renames the glue's
// locals; what the glue reads by name (Module["HEAPU8"], the exports, the imports object) is
// quoted, so it keeps its spelling. About 0.9 KiB gzip less per module (npm run size).
import { readFileSync, writeFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

for (const file of process.argv.slice(2)) {
  const { code } = transformSync(readFileSync(file, 'utf8'), { minify: true, format: 'esm', target: 'es2020' });
  writeFileSync(file, code);
}
