// Real Redis engines for tests: a standalone redis-server and a 3-node Redis Cluster, each on
// free loopback ports in a temp dir, nothing persisted. Every server started here is killed when
// its test calls stop(), and in any case when the process ends (exit, signal, uncaught error),
// so a failing test leaves no server behind; a process killed outright (SIGKILL runs no hook)
// has its servers ended by the next run. Waits poll with a bounded deadline.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOST = '127.0.0.1';
const READY_MS = 10000;
const CLUSTER_BUS_OFFSET = 10000;  // Redis Cluster's node-to-node port is the client port + 10000
const live = new Set();
const dirs = new Set();

function killAll() {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
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

const DIR_PREFIX = 'edgeguard-redis-';

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

function bindable(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A loopback port the OS says is free, with its cluster bus port (+10000) free too. */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, HOST, () => {
        const { port: p } = server.address();
        server.close(() => resolve(p));
      });
    });
    if (port + CLUSTER_BUS_OFFSET <= 65535 && await bindable(port + CLUSTER_BUS_OFFSET)) return port;
  }
  throw new Error('no free loopback port pair found');
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

function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: READY_MS }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout));
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

  async start() {
    if (this.#child) throw new Error(`redis-server on ${this.port} is already running`);
    // Unreferenced, logging to a file: a test that forgets stop() still lets its process end,
    // and the exit hook kills the server.
    const child = spawn('redis-server', this.#args, { cwd: this.#dir, stdio: 'ignore' });
    child.unref();
    writeFileSync(join(this.#dir, `redis-${this.port}.pid`), String(child.pid));
    this.#child = child;
    live.add(child);
    let gone = false;
    child.once('exit', () => {
      gone = true;
      live.delete(child);
      if (this.#child === child) this.#child = null;
    });
    await waitFor(`redis-server on ${this.port}`, async () => {
      if (gone) throw new Error(`exited; see ${this.#logFile}`);
      return (await rawCommand(this.port, ['PING'])).startsWith('+PONG');
    }).catch((error) => { this.#stopChild(child); throw error; });
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

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  dirs.add(dir);
  return dir;
}

function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** A standalone redis-server, started. stop() kills it and removes its directory. */
export async function startRedis() {
  const dir = tempDir();
  const server = new RedisServer(dir, await freePort());
  try {
    await server.start();
  } catch (error) {
    removeDir(dir);
    throw error;
  }
  return {
    server,
    url: server.url,
    host: HOST,
    port: server.port,
    async stop() {
      await server.kill();
      removeDir(dir);
    },
  };
}

async function clusterOk(server) {
  const info = await server.command('CLUSTER', 'INFO');
  return /cluster_state:ok/.test(info) && /cluster_slots_assigned:16384/.test(info);
}

/**
 * A 3-node Redis Cluster (masters only), created with `redis-cli --cluster create` and polled
 * until every node says cluster_state:ok. stop() kills every node and removes the directory.
 */
export async function startRedisCluster(size = 3) {
  const dir = tempDir();
  const servers = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    removeDir(dir);
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      const server = new RedisServer(dir, port, ['--cluster-enabled', 'yes',
        '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-node-timeout', '2000']);
      servers.push(server);
      await server.start();
    }
    await run('redis-cli', ['--cluster', 'create', ...servers.map((s) => `${HOST}:${s.port}`),
      '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor('redis cluster', async () => (await Promise.all(servers.map(clusterOk))).every(Boolean));
  } catch (error) {
    await stop();
    throw error;
  }
  const cli = (server, ...args) => run('redis-cli', ['-h', HOST, '-p', String(server.port), ...args]);
  return {
    servers,
    rootNodes: servers.map((s) => ({ host: HOST, port: s.port })),
    /**
     * Migrates the slot of `key` (and its keys) to another node, as a resharding does: clients
     * with the old slot map then meet MOVED (and the new node may not know their scripts).
     */
    async moveSlotOf(key) {
      const slot = Number((await cli(servers[0], 'CLUSTER', 'KEYSLOT', key)).trim());
      const ids = await Promise.all(servers.map(async (s) => (await cli(s, 'CLUSTER', 'MYID')).trim()));
      const nodes = await cli(servers[0], 'CLUSTER', 'NODES');
      const ownerId = nodes.split('\n').find((line) => line.split(' ').slice(8).some((range) => {
        const [lo, hi = lo] = range.split('-').map(Number);
        return slot >= lo && slot <= hi;
      })).split(' ')[0];
      const from = ids.indexOf(ownerId);
      const to = (from + 1) % servers.length;
      await cli(servers[to], 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', ids[from]);
      await cli(servers[from], 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', ids[to]);
      const keys = (await cli(servers[from], 'CLUSTER', 'GETKEYSINSLOT', String(slot), '1000')).split('\n').filter(Boolean);
      if (keys.length) await cli(servers[from], 'MIGRATE', HOST, String(servers[to].port), '', '0', '5000', 'KEYS', ...keys);
      for (const server of [servers[to], servers[from], ...servers.filter((_, i) => i !== to && i !== from)]) {
        await cli(server, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', ids[to]);
      }
      return { slot, from, to };
    },
    async waitHealthy() {
      await waitFor('redis cluster', async () => (await Promise.all(servers.map(clusterOk))).every(Boolean));
    },
    stop,
  };
}
