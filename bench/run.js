// `npm run bench [-- name ...]`: runs bench/<name>.bench.js (all of them by default), each in
// its own process so one bench's heap and JIT state cannot colour another's figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).map((f) => f.replace('.bench.js', ''));
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) throw new Error(`no bench/${name}.bench.js (have: ${all.join(', ')})`);
  console.log(`\n### ${name}`);
  const { status } = spawnSync(process.execPath, ['--expose-gc', `${dir}${name}.bench.js`], { stdio: 'inherit' });
  if (status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
