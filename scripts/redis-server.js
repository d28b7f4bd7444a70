// One redis-server on a loopback port, in a temp dir, nothing persisted: the demo's store, and
// the process under the tests' engines (tests/support/redis-engines.js). Every server started
// here is killed when its owner calls kill() or stop(), and in any case when the process ends
// (exit, signal, uncaught error); a process killed outright (SIGKILL runs no hook) has its
// servers ended by the next process that loads this file. Waits poll with a bounded deadline.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOST = '127.0.0.1';
const READY_MS = 10000;
const DIR_PREFIX = 'edgeguard-redis-';
const live = new Set();
const dirs = new Set();

function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    } catch { /* already gone */ }
  }
  live.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// The directories of runs whose process is gone: each names its owner's pid (owner.pid) and its
// servers' (redis-<port>.pid). A pid is only killed while it is still a redis-server on that port.
function endOrphans() {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    let owner;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue;  // not one of ours, or being made right now
    }
    if (alive(owner)) continue;
    for (const file of readdirSync(dir).filter((f) => /^redis-\d+\.pid$/.test(f))) {
      const pid = Number(readFileSync(join(dir, file), 'utf8'));
      const port = file.slice('redis-'.length, -'.pid'.length);
      let cmdline = '';
      try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { /* gone */ }
      if (cmdline.startsWith('redis-server') && cmdline.includes(`:${port}`)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
endOrphans();

/** A temp dir for servers, named after this process (so the next run can end them if it dies). */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  dirs.add(dir);
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` (resolving truthy when done) every few ms until `deadlineMs` passes. */
export async function waitFor(what, probe, deadlineMs = READY_MS) {
  const end = Date.now() + deadlineMs;
  let last;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`${what}: not ready within ${deadlineMs} ms${last ? ` (${last.message})` : ''}`);
    await delay(20);
  }
}

/** A loopback port the OS says is free. */
export function loopbackPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sends one command in RESP and resolves with the raw reply text (enough for PING and INFO). */
export function rawCommand(port, args, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    let reply = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no reply to ${args[0]} within ${timeoutMs} ms`)); }, timeoutMs);
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk;
      // A bulk string reply is complete once its announced length has arrived.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (bulk ? reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.endsWith('\r\n')) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

/** One redis-server process: start / kill (SIGKILL) / restart on the same port / pause / resume. */
export class RedisServer {
  #dir;
  #args;
  #child = null;
  #logFile;

  constructor(dir, port, extraArgs = []) {
    this.#dir = dir;
    this.port = port;
    this.host = HOST;
    this.url = `redis://${HOST}:${port}`;
    this.#logFile = join(dir, `redis-${port}.log`);
    this.#args = ['--port', String(port), '--bind', HOST, '--dir', dir, '--save', '', '--appendonly', 'no',
      '--protected-mode', 'no', '--logfile', this.#logFile, '--enable-debug-command', 'local', ...extraArgs];
  }

  get pid() {
    return this.#child?.pid;
  }

  /** Rejects if the server does not answer PING in time, or cannot start (no redis-server: ENOENT). */
  async start() {
    if (this.#child) throw new Error(`redis-server on ${this.port} is already running`);
    // Unreferenced, logging to a file: an owner that forgets to stop it still lets its process
    // end, and the exit hook kills the server.
    const child = spawn('redis-server', this.#args, { cwd: this.#dir, stdio: 'ignore' });
    let failed = null;
    child.once('error', (error) => { failed = error; });
    child.unref();
    this.#child = child;
    live.add(child);
    let gone = false;
    child.once('exit', () => {
      gone = true;
      live.delete(child);
      if (this.#child === child) this.#child = null;
    });
    if (child.pid) writeFileSync(join(this.#dir, `redis-${this.port}.pid`), String(child.pid));
    const ended = (error) => {
      live.delete(child);
      if (this.#child === child) this.#child = null;
      this.#stopChild(child);
      throw error;
    };
    // A spawn that failed ends the wait at once (its 'exit' may never come).
    await waitFor(`redis-server on ${this.port}`, async () => {
      if (failed) return true;
      if (gone) throw new Error(`exited; see ${this.#logFile}`);
      return (await rawCommand(this.port, ['PING'])).startsWith('+PONG');
    }).catch(ended);
    if (failed) ended(failed);
  }

  /** SIGKILL: the server vanishes mid-traffic, as a crash would. Resolves once it has exited. */
  async kill() {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.ref();  // waiting for its exit must keep the process alive
    this.#stopChild(child);
    await exited;
  }

  async restart() {
    await this.kill();
    await this.start();
  }

  /** SIGSTOP: connections stay open but nothing answers, as a stalled server. */
  pause() {
    this.#child?.kill('SIGSTOP');
  }

  resume() {
    this.#child?.kill('SIGCONT');
  }

  command(...args) {
    return rawCommand(this.port, args);
  }

  #stopChild(child) {
    try {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    } catch { /* already gone */ }
  }
}

/** A redis-server on `port` (default: a free one), started. stop() kills it and removes its directory. */
export async function startRedisServer({ port } = {}) {
  const dir = tempDir();
  try {
    const server = new RedisServer(dir, port ?? await loopbackPort());
    await server.start();
    return {
      server,
      async stop() {
        await server.kill();
        removeDir(dir);
      },
    };
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}
