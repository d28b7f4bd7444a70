// An Upstash-REST-compatible server on a free loopback port, in front of a real redis-server, for
// the UpstashStore tests and for benchmarking @upstash/ratelimit. It speaks what @upstash/redis
// sends: POST / with one command as a JSON array, POST /pipeline (commands one by one) and
// /multi-exec (one transaction) with an array of them; `Authorization: Bearer <token>`; bodies
// `{ result }` and `{ error }` (per command in a pipeline); and, when asked with
// `Upstash-Encoding: base64` (the client's default), every string in a result in base64, as
// Upstash and its own emulator (serverless-redis-http) send them. Status codes as Upstash's: 200,
// 400 for an error Redis answered, 401 for a wrong token; and 502 here when the redis-server
// behind cannot be reached. Commands go through node-redis, which does not queue them while the
// redis-server is away (each fails at once, as a 502).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createClient, ErrorReply, MultiErrorReply, RESP_TYPES } from 'redis';

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 16 << 20;
const ROUTES = new Set(['/', '/pipeline', '/multi-exec']);
const MAX_SCRIPTS = 1024;
const SHEBANG_FLAGS = /^#!lua flags=([^\n]*)/;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Bulk strings arrive as Buffers (binary-safe); status replies ('OK') as strings.
function encode(value, base64) {
  if (Buffer.isBuffer(value)) return value.toString(base64 ? 'base64' : 'utf8');
  if (typeof value === 'string') return base64 ? Buffer.from(value).toString('base64') : value;
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  return value;
}

// A command as the client sends it: a non-empty array of strings and numbers (booleans too).
function command(value) {
  if (!Array.isArray(value) || value.length === 0
    || !value.every((a) => ['string', 'number', 'boolean'].includes(typeof a))) {
    throw new HttpError(400, 'ERR a command is a non-empty JSON array of strings and numbers');
  }
  return value.map(String);
}

const sha1 = (text) => createHash('sha1').update(text).digest('hex');

// Upstash takes a script flag of its own, `#!lua flags=allow-key-locking` (lock only the KEYS, not
// the whole database), which redis-server refuses ("Unexpected flag"); @upstash/ratelimit's
// scripts carry it. It is dropped here (the lines stay, so error line numbers match), and the
// script's digest as sent is mapped to the digest redis-server knows it by, so EVALSHA and
// SCRIPT LOAD answer as Upstash does.
class KeyLockingScripts {
  #digests = new Map();

  #strip(source) {
    const flags = SHEBANG_FLAGS.exec(source);
    if (!flags) return source;
    const kept = flags[1].split(',').map((f) => f.trim()).filter((f) => f !== 'allow-key-locking');
    const stripped = `#!lua${kept.length ? ` flags=${kept.join(',')}` : ''}${source.slice(flags[0].length)}`;
    if (stripped !== source) {
      if (this.#digests.size >= MAX_SCRIPTS) this.#digests.delete(this.#digests.keys().next().value);
      this.#digests.set(sha1(source), sha1(stripped));
    }
    return stripped;
  }

  /** The command as redis-server takes it, and a function giving the reply as Upstash would. */
  rewrite(args) {
    const name = args[0].toUpperCase();
    if ((name === 'EVAL' || name === 'EVAL_RO') && args.length > 1) return [[name, this.#strip(args[1]), ...args.slice(2)], (r) => r];
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && args.length > 1) {
      return [[name, this.#digests.get(args[1].toLowerCase()) ?? args[1], ...args.slice(2)], (r) => r];
    }
    if (name === 'SCRIPT' && args.length === 3 && args[1].toUpperCase() === 'LOAD') {
      const stripped = this.#strip(args[2]);
      return [['SCRIPT', 'LOAD', stripped], (r) => (stripped === args[2] ? r : sha1(args[2]))];
    }
    return [args, (r) => r];
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `ERR a request body is at most ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function outcome(reply, base64) {
  return reply instanceof ErrorReply ? { error: reply.message } : { result: encode(reply, base64) };
}

/**
 * Starts the server in front of `redis` (startRedis(), or anything with a `url`). options: token
 * (default 'edgeguard-test-token'). Resolves with { url, token, host, port, stats(), kill(),
 * start(), stop() }: stats() counts { requests, commands } (Upstash bills per command); kill()
 * closes the port and drops every connection (the REST server is down), start() listens on the
 * same port again, stop() ends it all.
 */
export async function startUpstashRest(redis, options = {}) {
  const token = options.token ?? 'edgeguard-test-token';
  const counts = { requests: 0, commands: 0, redisErrors: 0 };
  const client = createClient({
    url: redis.url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 20, connectTimeout: 1000 },
  }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on('error', () => { counts.redisErrors++; });
  await client.connect();

  const scripts = new KeyLockingScripts();
  const send = ([args, reply]) => client.sendCommand(args).then(reply);

  async function run(path, body, base64) {
    if (path === '/') {
      const sent = scripts.rewrite(command(body));
      counts.commands++;
      try {
        return { result: encode(await send(sent), base64) };
      } catch (error) {
        if (error instanceof ErrorReply) throw new HttpError(400, error.message);
        throw error;
      }
    }
    if (!Array.isArray(body) || body.length === 0) throw new HttpError(400, 'ERR a body is a non-empty array of commands');
    const commands = body.map((c) => scripts.rewrite(command(c)));
    counts.commands += commands.length;
    if (path === '/pipeline') {
      // Sent together, each answered on its own, as a pipeline.
      const replies = await Promise.all(commands.map((sent) => send(sent).catch((error) => {
        if (error instanceof ErrorReply) return error;
        throw error;
      })));
      return replies.map((reply) => outcome(reply, base64));
    }
    const multi = client.multi();
    for (const [args] of commands) multi.addCommand(args);
    const answer = (replies) => replies.map((reply, i) => outcome(reply instanceof ErrorReply ? reply : commands[i][1](reply), base64));
    try {
      return answer(await multi.exec());
    } catch (error) {
      if (error instanceof MultiErrorReply) return answer(error.replies);
      if (error instanceof ErrorReply) throw new HttpError(400, error.message);
      throw error;
    }
  }

  async function handle(req, res) {
    let status = 200;
    let answer;
    try {
      // A request target that is no URL ('http://[') is a 404 like any unknown path (new URL throws).
      const path = URL.canParse(req.url, 'http://x') ? new URL(req.url, 'http://x').pathname : undefined;
      if (req.method !== 'POST' || !ROUTES.has(path)) throw new HttpError(404, 'Not found');
      if (req.headers.authorization !== `Bearer ${token}`) throw new HttpError(401, 'Unauthorized');
      counts.requests++;
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch (error) {
        throw error instanceof HttpError ? error : new HttpError(400, 'ERR failed to parse the body as JSON');
      }
      answer = await run(path, body, req.headers['upstash-encoding'] === 'base64');
    } catch (error) {
      status = error instanceof HttpError ? error.status : 502;
      answer = { error: error instanceof HttpError ? error.message : `redis-server unreachable: ${error.message}` };
    }
    if (res.destroyed) return;  // the client gave up (aborted at its deadline)
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  const server = createServer((req, res) => { handle(req, res); });
  const listen = (port) => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
  const port = await listen(0);
  const close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return {
    url: `http://${HOST}:${port}`,
    token,
    host: HOST,
    port,
    stats: () => ({ ...counts }),
    kill: close,
    start: () => listen(port),
    async stop() {
      if (server.listening) await close();
      client.destroy();
    },
  };
}
