// The four client setups a RedisStore accepts, connected to engines from redis-engines.js, each
// with an 'error' listener (both clients emit 'error' while a server is down) and a close().
import { createClient, createCluster } from 'redis';
import { Redis, Cluster } from 'ioredis';
import { waitFor } from './redis-engines.js';

export const KINDS = ['node-redis', 'ioredis'];

/**
 * `engine` is startRedis() or startRedisCluster(). Resolves with { client, errors, ready(),
 * close() }: ready() polls until the client is connected again (after a server restart).
 */
export async function connect(kind, engine) {
  const errors = [];
  const cluster = Array.isArray(engine.servers);
  let client;
  if (kind === 'node-redis') {
    // Reconnect soon after a restart, and do not queue commands while the server is away.
    const socket = { reconnectStrategy: () => 20, connectTimeout: 1000 };
    client = cluster
      ? createCluster({ rootNodes: engine.servers.map((s) => ({ url: s.url, socket })), defaults: { socket } })
      : createClient({ url: engine.url, socket });
    client.on('error', (error) => errors.push(error));
    await client.connect();
  } else {
    const options = { retryStrategy: () => 20, lazyConnect: true, connectTimeout: 1000 };
    client = cluster
      ? new Cluster(engine.rootNodes, { clusterRetryStrategy: () => 20, redisOptions: options, lazyConnect: true })
      : new Redis(engine.port, engine.host, options);
    client.on('error', (error) => errors.push(error));
    await client.connect();
  }
  const isReady = () => (kind === 'node-redis' ? client.isReady : client.status === 'ready');
  return {
    client,
    errors,
    connected: isReady,
    ready: () => waitFor(`${kind} client`, async () => isReady()),
    async close() {
      if (kind === 'node-redis') client.destroy();
      else client.disconnect();
    },
  };
}
