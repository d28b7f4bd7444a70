// Real Redis engines for tests: a standalone redis-server and a 3-node Redis Cluster, each on
// free loopback ports in a temp dir, nothing persisted. The processes are scripts/redis-server.js's
// (the demo starts one too): killed by stop(), and in any case when the process ends, so a
// failing test leaves no server behind. Waits poll with a bounded deadline.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HOST, RedisServer, loopbackPort, rawCommand, removeDir, startRedisServer, tempDir, waitFor }
  from '../../scripts/redis-server.js';

export { RedisServer, rawCommand, waitFor };

const READY_MS = 10000;
const CLUSTER_BUS_OFFSET = 10000;  // Redis Cluster's node-to-node port is the client port + 10000

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
    const port = await loopbackPort();
    if (port + CLUSTER_BUS_OFFSET <= 65535 && await bindable(port + CLUSTER_BUS_OFFSET)) return port;
  }
  throw new Error('no free loopback port pair found');
}

function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: READY_MS }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout));
  });
}

/** A standalone redis-server, started. stop() kills it and removes its directory. */
export async function startRedis() {
  const { server, stop } = await startRedisServer({ port: await freePort() });
  return { server, url: server.url, host: HOST, port: server.port, stop };
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
