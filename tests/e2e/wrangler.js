// Builds a worker as Cloudflare users deploy one: `wrangler deploy --dry-run --outdir` (the
// repo's wrangler), which bundles exactly as a deploy does and stops before uploading. No
// network, no login, nothing written outside temp folders: a fresh HOME and XDG dirs, no
// Cloudflare credentials, no metrics, no error reports, no banner (its update check calls npm).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { repoRoot } from './installed-package.js';
import { moduleConfig } from './workerd.js';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 120_000;

function isolatedEnv(home) {
  return {
    PATH: process.env.PATH, ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }),
    HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'),
    XDG_DATA_HOME: join(home, 'data'), WRANGLER_LOG_PATH: join(home, 'logs'),
    WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true',
    NO_COLOR: '1', FORCE_COLOR: '0',
  };
}

/**
 * Builds the wrangler project in `cwd` into a temp folder. Returns { outdir, files, main, wasm,
 * modules, output, upload }: `modules` as workerd config lines (the entry, then each .wasm, which
 * wrangler's default module rules upload as CompiledWasm), `upload` the size wrangler reports
 * ({ kib, gzipKib }). The caller removes `outdir`; wrangler's HOME is removed here.
 */
export async function wranglerBuild(cwd) {
  const outdir = mkdtempSync(join(tmpdir(), 'edgeguard-wrangler-out-'));
  const home = mkdtempSync(join(tmpdir(), 'edgeguard-wrangler-home-'));
  const bin = join(repoRoot, 'node_modules', '.bin', 'wrangler');
  const { stdout, stderr } = await run(process.execPath, [bin, 'deploy', '--dry-run', '--outdir', outdir],
    { cwd, env: isolatedEnv(home), timeout: BUILD_TIMEOUT_MS, killSignal: 'SIGKILL' })
    .finally(() => rmSync(home, { recursive: true, force: true }));
  const output = stripVTControlCharacters(stdout + stderr);  // its warnings are colored whatever NO_COLOR says
  const files = readdirSync(outdir).sort();
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  // Besides its modules, wrangler writes source maps and a README.md about the folder.
  const scripts = files.filter((f) => !f.endsWith('.wasm') && !f.endsWith('.map') && f !== 'README.md');
  if (scripts.length !== 1 || !scripts[0].endsWith('.js')) {
    throw new Error(`expected one bundled .js besides the wasm modules, wrangler wrote: ${files.join(', ')}`);
  }
  const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
  if (!size) throw new Error(`wrangler reported no upload size:\n${output}`);
  return {
    outdir, files, main: scripts[0], wasm, modules: moduleConfig(scripts[0], wasm), output,
    upload: { kib: Number(size[1]), gzipKib: Number(size[2]) },
  };
}
