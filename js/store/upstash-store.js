// UpstashStore: the store interface (store.d.ts) over the user's @upstash/redis client, one HTTP
// request per call, for runtimes without TCP and for Upstash users. The same scripts as
// RedisStore, by EVALSHA and resent on NOSCRIPT; every call has a deadline and goes through the
// store's breaker (store-calls.js), and a call abandoned at its deadline has its request aborted.
import { invalidOption } from '../errors.js';
import { checkOptions } from '../resilience.js';
import { StoreCalls } from './store-calls.js';
import { StoreBase } from './store-base.js';
import { checkKey, checkScriptCall, checkString, checkTtl } from './store-args.js';
import { evalCached } from './redis-eval.js';
import { isDownReply } from './redis-clients.js';

// A Redis error reply starts with its code in capitals (ERR, WRONGTYPE, NOSCRIPT, BUSY...); any
// other failure text comes from the HTTP path (a proxy, a gateway, the REST server itself).
const REDIS_REPLY = /^[A-Z][A-Z_-]*(?: |$)/;

/** An error Redis answered with, as the REST API passed it on: the store is up. */
class UpstashReplyError extends Error {
  name = 'UpstashReplyError';
}

// @upstash/redis sends through its Requester (`redis.client`, an HttpClient), which UpstashStore
// uses directly: its replies come raw (the client's automaticDeserialization would turn a stored
// "123" into 123), a call takes its own AbortSignal, and the client's auto-pipelining is bypassed.
function requesterOf(client) {
  const requester = client?.client ?? client;
  if (typeof requester?.request !== 'function') {
    throw invalidOption('client', 'an @upstash/redis Redis client (or a Requester)', client);
  }
  return requester;
}

function failure(text, cause) {
  return REDIS_REPLY.test(text) ? new UpstashReplyError(text, { cause }) : new Error(text, { cause });
}

// The client throws an UpstashError "<error>, command was: <body>" on a status other than 2xx:
// the message keeps only the error text (the body can be a script's source, and names the keys).
function thrown(error, body) {
  if (error?.name !== 'UpstashError' || typeof error.message !== 'string') return error;
  const suffix = `, command was: ${JSON.stringify(body)}`;
  return failure(error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message, error);
}

// Unreachable (fetch failed), a non-JSON or non-Redis failure (a gateway's 502), or a reply that
// means the server cannot serve now (LOADING, BUSY, OOM...): the store is not answering.
function isDown(error) {
  return !(error instanceof UpstashReplyError) || isDownReply(error.message);
}

function abortLate(abort) {
  return (error) => {
    if (error.code === 'STORE_TIMEOUT') abort.abort('the store call passed its deadline');
  };
}

export class UpstashStore extends StoreBase {
  #requester;
  #calls;
  #reloads = 0;
  #onReload = () => { this.#reloads++; };

  /**
   * client: the user's @upstash/redis `Redis`. options: prefix = 'eg:', deadlineMs = 50, breaker
   * (CircuitBreaker options or instance), clock, timers.
   */
  constructor(client, options) {
    const opts = checkOptions(options);
    const requester = requesterOf(client);
    const calls = new StoreCalls(opts, isDown);
    super(opts, calls);
    this.#requester = requester;
    this.#calls = calls;
  }

  evalScript(script, keys, args, options) {
    checkScriptCall(script, keys, args);
    const tail = [keys.length, ...keys, ...args.map(String)];
    return this.#call((signal, live) => evalCached(script,
      (text, bySha) => this.#request([bySha ? 'EVALSHA' : 'EVAL', text, ...tail], signal), this.#onReload, live),
    checkOptions(options));
  }

  get(key, options) {
    checkKey(key);
    return this.#call((signal) => this.#request(['GET', key], signal), checkOptions(options));
  }

  set(key, value, options) {
    checkKey(key);
    checkString(value, 'value');
    const ttlMs = checkTtl(options);
    return this.#call((signal) => this.#request(['SET', key, value, 'PX', ttlMs], signal).then(() => undefined), options);
  }

  delete(key, options) {
    checkKey(key);
    return this.#call((signal) => this.#request(['DEL', key], signal).then((n) => Number(n) > 0), checkOptions(options));
  }

  /** PUBLISH over REST. There is no subscribe: a REST client holds no connection to listen on. */
  publish(channel, message, options) {
    checkKey(channel);
    checkString(message, 'message');
    return this.#call((signal) => this.#request(['PUBLISH', channel, message], signal).then(() => undefined),
      checkOptions(options));
  }

  // A call abandoned at its deadline has its request aborted, which also ends the client's own
  // retries; the late settling is dropped by StoreCalls either way.
  #call(send, options) {
    const abort = new AbortController();
    const call = this.#calls.run((live) => send(abort.signal, live), this.#calls.deadline(options));
    call.catch(abortLate(abort));
    return call;
  }

  #request(body, signal) {
    return this.#requester.request({ body, signal }).then(({ result, error }) => {
      if (error !== undefined && error !== null) throw failure(String(error));
      if (result === undefined) throw new Error('the REST server answered without a result');
      return result;
    }, (error) => {
      throw thrown(error, body);
    });
  }

  stats() {
    return { ...this.#calls.stats(), scriptReloads: this.#reloads };
  }
}
