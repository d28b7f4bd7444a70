// UpstashStore: the store interface (store.d.ts) over the user's @upstash/redis client, for
// runtimes without TCP and for Upstash users. The same scripts as RedisStore, by EVALSHA and
// resent on NOSCRIPT; every call has a deadline and goes through the store's breaker
// (store-calls.js). The calls made in one synchronous stretch go as one request (POST /pipeline,
// each command answered on its own), as the client's own auto-pipelining sends them: 64 checks
// in flight were 64 HTTP requests, at a twelfth of @upstash/ratelimit's rate. A request is
// aborted once every call in it has been given up at its deadline.
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

// A pipeline of this many commands at most: a request's size is bounded (Upstash refuses one
// over its max request size), and a few calls wait on one slow reply at most.
const MAX_PIPELINE = 64;

/** One command's answer, { result } or { error }, as a value or a thrown failure. */
function answer(reply) {
  if (reply === null || typeof reply !== 'object') throw new Error('the REST server answered a command without a result');
  const { result, error } = reply;
  if (error !== undefined && error !== null) throw failure(String(error));
  if (result === undefined) throw new Error('the REST server answered without a result');
  return result;
}

function describeReply(replies) {
  return Array.isArray(replies) ? `${replies.length} results` : 'no list of results';
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
  #batch = null;
  #requests = 0;

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

  /** One script call may name keys of any hash tags: an Upstash database is one engine, without slots. */
  get spansTags() {
    return true;
  }

  evalScript(script, keys, args, options) {
    checkScriptCall(script, keys, args, this.spansTags);
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

  // Joins the stretch's pipeline; the first call of a stretch schedules its sending.
  #request(body, signal) {
    if (this.#batch === null || this.#batch.length === MAX_PIPELINE) {
      const batch = [];
      this.#batch = batch;
      queueMicrotask(() => this.#send(batch));
    }
    return new Promise((resolve, reject) => this.#batch.push({ body, signal, resolve, reject }));
  }

  #send(batch) {
    if (this.#batch === batch) this.#batch = null;
    this.#requests++;
    const abort = new AbortController();
    let waiting = batch.length;
    const gaveUp = () => {
      if (--waiting === 0) abort.abort('every call of the request passed its deadline');
    };
    for (const call of batch) {
      if (call.signal.aborted) gaveUp();
      else call.signal.addEventListener('abort', gaveUp, { once: true });
    }
    const single = batch.length === 1;
    const body = single ? batch[0].body : batch.map((call) => call.body);
    let sent;
    try {
      sent = this.#requester.request(single ? { body, signal: abort.signal } : { path: ['pipeline'], body, signal: abort.signal });
    } catch (error) {  // a requester that throws instead of rejecting: this runs in a microtask, uncaught
      sent = Promise.reject(error);
    }
    Promise.resolve(sent).then((replies) => {
      if (single) replies = [replies];
      if (!Array.isArray(replies) || replies.length !== batch.length) {
        const error = new Error(`the REST server answered a pipeline of ${batch.length} commands with ${describeReply(replies)}`);
        for (const call of batch) call.reject(error);
        return;
      }
      batch.forEach((call, i) => {
        let result;
        try {
          result = answer(replies[i]);
        } catch (error) {
          call.reject(error);
          return;
        }
        call.resolve(result);
      });
    }, (error) => {
      const failed = thrown(error, body);
      for (const call of batch) call.reject(failed);
    });
  }

  /** StoreCalls' stats, scriptReloads, and requests: the HTTP requests sent (a pipeline is one). */
  stats() {
    return { ...this.#calls.stats(), scriptReloads: this.#reloads, requests: this.#requests };
  }
}
