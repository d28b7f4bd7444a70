// RedisStore: the store interface (store.d.ts) over the user's own node-redis or ioredis client,
// standalone or Cluster. Scripts run by EVALSHA and are resent on NOSCRIPT; every call has a
// deadline and goes through the store's breaker (store-calls.js).
import { EdgeguardError } from '../errors.js';
import { checkOptions } from '../resilience.js';
import { StoreCalls } from './store-calls.js';
import { prefixOption, storeKey } from './store-key.js';
import { checkKey, checkScriptCall, checkString, checkTtl } from './store-args.js';
import { evalCached } from './redis-eval.js';
import { isDownError, redisCommands } from './redis-clients.js';

export class RedisStore {
  #commands;
  #calls;
  #prefix;
  #reloads = 0;
  #onReload = () => { this.#reloads++; };
  #subscriber = null;
  #channels = new Map();
  #subscriberErrors = 0;
  #clientErrors = 0;

  /**
   * client: the user's connected node-redis or ioredis client (standalone or Cluster). options:
   * prefix = 'eg:', deadlineMs = 50, breaker (CircuitBreaker options or instance), clock, timers.
   */
  constructor(client, options) {
    const opts = checkOptions(options);
    this.#commands = redisCommands(client);
    this.#prefix = prefixOption(opts, 'eg:');
    const commands = this.#commands;
    this.#calls = new StoreCalls(opts, (error) => isDownError(commands, error), commands.isConnected);
    // node-redis emits 'error' when the server goes away, and an EventEmitter with no listener
    // for it throws, ending the process: a store must not turn a Redis restart into a crash.
    if (typeof client.listenerCount === 'function' && client.listenerCount('error') === 0) {
      client.on('error', () => { this.#clientErrors++; });
    }
  }

  /** 'node-redis' | 'node-redis-cluster' | 'ioredis' | 'ioredis-cluster'. */
  get kind() {
    return this.#commands.kind;
  }

  /** The store's breaker (a CircuitBreaker): its state, events, forceOpen / reset. */
  get breaker() {
    return this.#calls.breaker;
  }

  key(tag, name) {
    return storeKey(this.#prefix, tag, name);
  }

  evalScript(script, keys, args, options) {
    checkScriptCall(script, keys, args);
    const deadlineMs = this.#calls.deadline(checkOptions(options));
    const commands = this.#commands;
    return this.#calls.run(() => evalCached(script, (text, bySha) => (bySha
      ? commands.evalsha(text, keys, args)
      : commands.eval(text, keys, args)), this.#onReload), deadlineMs);
  }

  get(key, options) {
    checkKey(key);
    return this.#calls.run(() => this.#commands.get(key), this.#calls.deadline(checkOptions(options)));
  }

  set(key, value, options) {
    checkKey(key);
    checkString(value, 'value');
    const ttlMs = checkTtl(options);
    return this.#calls.run(() => this.#commands.set(key, value, ttlMs).then(() => undefined),
      this.#calls.deadline(options));
  }

  delete(key, options) {
    checkKey(key);
    return this.#calls.run(() => this.#commands.del(key).then((n) => Number(n) > 0),
      this.#calls.deadline(checkOptions(options)));
  }

  publish(channel, message, options) {
    checkKey(channel);
    checkString(message, 'message');
    return this.#calls.run(() => this.#commands.publish(channel, message).then(() => undefined),
      this.#calls.deadline(checkOptions(options)));
  }

  /**
   * Calls `listener(message)` for each message on `channel`, over one connection of its own (a
   * duplicate of the client) shared by all of this store's subscriptions. Resolves, once
   * subscribed, with a function that unsubscribes.
   */
  subscribe(channel, listener, options) {
    checkKey(channel);
    if (typeof listener !== 'function') throw new EdgeguardError('INVALID_INPUT', 'a listener must be a function');
    if (this.#channels.has(channel)) throw new EdgeguardError('INVALID_INPUT', `already subscribed to ${channel}`);
    const deadlineMs = this.#calls.deadline(checkOptions(options));
    this.#channels.set(channel, listener);
    const deliver = (message) => {
      try {
        this.#channels.get(channel)?.(message);
      } catch { /* a listener's bug must not break the subscriber connection */ }
    };
    const subscribed = this.#calls.run(async () => (await this.#connectSubscriber()).subscribe(channel, deliver), deadlineMs);
    return subscribed.then(() => () => this.#unsubscribe(channel), (error) => {
      this.#channels.delete(channel);
      throw error;
    });
  }

  // One connection for all subscriptions, made on the first; a failed connect is dropped, so the
  // next subscribe makes a new one.
  async #connectSubscriber() {
    if (!this.#subscriber) {
      const sub = this.#commands.subscriber(() => { this.#subscriberErrors++; });
      this.#subscriber = sub;
      sub.ready.catch(() => {
        if (this.#subscriber !== sub) return;
        this.#subscriber = null;
        sub.close();
      });
    }
    const sub = this.#subscriber;
    await sub.ready;
    return sub;
  }

  async #unsubscribe(channel) {
    const sub = this.#subscriber;
    if (!this.#channels.delete(channel) || !sub) return;
    await this.#calls.run(() => sub.unsubscribe(channel), this.#calls.deadline());
  }

  /** Closes the subscriber connection, if one was opened; the client stays the user's. */
  close() {
    const sub = this.#subscriber;
    this.#subscriber = null;
    this.#channels.clear();
    sub?.close();
  }

  stats() {
    return {
      ...this.#calls.stats(), kind: this.kind, scriptReloads: this.#reloads,
      clientErrors: this.#clientErrors, subscriberErrors: this.#subscriberErrors,
    };
  }
}
