// The few commands a RedisStore sends, spelled for each client it accepts: node-redis (v4 and
// later: createClient, createCluster) and ioredis (Redis, Cluster). Both route a command by its
// first key and follow MOVED / ASK themselves on a cluster, so nothing here knows about slots.
import { invalidOption } from '../errors.js';

// Replies that mean the server is there but cannot serve now (a cluster without a quorum, a
// replica, a server loading its data or out of memory; Upstash's quotas, "ERR max daily request
// limit exceeded" and "ERR max requests limit exceeded", until they reset): for the breaker, a
// failure. Upstash's "ERR max request size exceeded" is one call's error.
const DOWN_REPLIES = /^(?:(?:CLUSTERDOWN|LOADING|MASTERDOWN|TRYAGAIN|BUSY|NOREPLICAS|READONLY|OOM)\b|ERR max [a-z ]*limit exceeded\b)/;

function isReplyClass(error, names) {
  for (let proto = Object.getPrototypeOf(error ?? {}); proto; proto = Object.getPrototypeOf(proto)) {
    if (names.includes(proto.constructor?.name)) return true;
  }
  return false;
}

/** Runs `act` (a close, an unsubscribe), which may throw or reject: nothing to report either way. */
export function quietly(act) {
  try {
    Promise.resolve(act()).catch(() => {});
  } catch { /* already closed */ }
}

function nodeRedis(client) {
  const strings = (args) => args.map(String);
  return {
    kind: typeof client.getSlotMaster === 'function' || 'masters' in client ? 'node-redis-cluster' : 'node-redis',
    // A cluster is ready once it knows its slots; a node of it that is down still queues.
    isConnected: () => client.isReady !== false,
    evalsha: (sha, keys, args) => client.evalSha(sha, { keys, arguments: strings(args) }),
    eval: (source, keys, args) => client.eval(source, { keys, arguments: strings(args) }),
    get: (key) => client.get(key),
    set: (key, value, ttlMs) => client.set(key, value, { PX: ttlMs }),
    del: (key) => client.del(key),
    publish: (channel, message) => client.publish(channel, message),
    subscriber(onError) {
      const sub = client.duplicate();
      sub.on('error', onError);
      return {
        ready: sub.connect(),
        // The listener itself, so that unsubscribe removes that one listener and no other.
        subscribe: (channel, listener) => sub.subscribe(channel, listener),
        unsubscribe: (channel, listener) => sub.unsubscribe(channel, listener),
        // Dropped at once: a polite QUIT would wait on a server that may be the one failing.
        close: () => quietly(() => (sub.destroy ?? sub.disconnect).call(sub)),
      };
    },
    // ErrorReply (v4+) and its subclasses SimpleError, BlobError (v5+): the server answered.
    isReply: (error) => isReplyClass(error, ['ErrorReply']),
  };
}

// ioredis resends the commands unanswered when a connection drops once it reconnects, unless the
// client has autoResendUnfulfilledCommands: false; there is no per-command way to refuse it, so
// the user's option decides (redis-store.d.ts says so).
function ioredis(client) {
  return {
    kind: client.isCluster ? 'ioredis-cluster' : 'ioredis',
    isConnected: () => client.status === 'ready',
    evalsha: (sha, keys, args) => client.evalsha(sha, keys.length, ...keys, ...args),
    eval: (source, keys, args) => client.eval(source, keys.length, ...keys, ...args),
    get: (key) => client.get(key),
    set: (key, value, ttlMs) => client.set(key, value, 'PX', ttlMs),
    del: (key) => client.del(key),
    publish: (channel, message) => client.publish(channel, message),
    subscriber(onError) {
      const sub = client.duplicate();
      sub.on('error', onError);
      const listeners = new Map();
      sub.on('message', (channel, message) => listeners.get(channel)?.(message));
      return {
        // A duplicate connects by itself (unless the client was made with lazyConnect).
        ready: sub.status === 'wait' ? sub.connect() : Promise.resolve(),
        async subscribe(channel, listener) {
          listeners.set(channel, listener);
          await sub.subscribe(channel);
        },
        // Only while `listener` is the channel's: a newer subscribe to it stays.
        async unsubscribe(channel, listener) {
          if (listeners.get(channel) !== listener) return;
          listeners.delete(channel);
          await sub.unsubscribe(channel);
        },
        close: () => quietly(() => sub.disconnect()),
      };
    },
    isReply: (error) => error?.name === 'ReplyError',
  };
}

/** The command set for `client`, or CONFIG_INVALID if it is neither node-redis nor ioredis. */
export function redisCommands(client) {
  if (client !== null && typeof client === 'object') {
    if (typeof client.isCluster === 'boolean' && typeof client.evalsha === 'function') return ioredis(client);
    if (typeof client.evalSha === 'function' && typeof client.duplicate === 'function') return nodeRedis(client);
  }
  throw invalidOption('client', 'a node-redis (createClient, createCluster) or ioredis (Redis, Cluster) client', client);
}

/** An error reply that means the server is there but cannot serve now: a failure, not an answer. */
export function isDownReply(message) {
  return DOWN_REPLIES.test(message);
}

/** An error that means the store did not answer (vs. an answer that is an error). */
export function isDownError(commands, error) {
  return !commands.isReply(error) || isDownReply(String(error?.message));
}
