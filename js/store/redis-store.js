// RedisStore: the store interface (store.d.ts) over the user's own node-redis or ioredis client,
// standalone or Cluster. Scripts run by EVALSHA and are resent on NOSCRIPT; every call has a
// deadline and goes through the store's breaker (store-calls.js).
import { EdgeguardError } from '../errors.js';
import { checkOptions } from '../resilience.js';
import { StoreCalls } from './store-calls.js';
import { StoreBase } from './store-base.js';
import { checkKey, checkScriptCall, checkString, checkTtl } from './store-args.js';
import { evalCached } from './redis-eval.js';
import { isDownError, quietly, redisCommands } from './redis-clients.js';

export class RedisStore extends StoreBase {
  #commands;
  #calls;
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
    const commands = redisCommands(client);
    const calls = new StoreCalls(opts, (error) => isDownError(commands, error), commands.isConnected);
    super(opts, calls);
    this.#commands = commands;
    this.#calls = calls;
    // node-redis emits 'error' when the server goes away, and an EventEmitter with no listener
    // for it throws, ending the process: a store must not turn a Redis restart into a crash.
    if (typeof client.listenerCount === 'function' && client.listenerCount('error') === 0) {
      client.on('error', () => { this.#clientErrors++; });
    }
  }

  /** Whether one script call may name keys of any hash tags: on a standalone server, not on a Cluster. */
  get spansTags() {
    return !this.#commands.kind.endsWith('-cluster');
  }

  /** 'node-redis' | 'node-redis-cluster' | 'ioredis' | 'ioredis-cluster'. */
  get kind() {
    return this.#commands.kind;
  }

  evalScript(script, keys, args, options) {
    checkScriptCall(script, keys, args, this.spansTags);
    const deadlineMs = this.#calls.deadline(checkOptions(options));
    const commands = this.#commands;
    return this.#calls.run((live) => evalCached(script, (text, bySha) => (bySha
      ? commands.evalsha(text, keys, args)
      : commands.eval(text, keys, args)), this.#onReload, live), deadlineMs);
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
    // Each subscription is its own entry, and delivers only while it is the channel's: a
    // SUBSCRIBE given up at its deadline can still go through later, on a connection that then
    // holds two listeners for the channel (node-redis calls both), the old one delivering twice.
    const entry = { sub: null };
    const current = () => this.#channels.get(channel) === entry;
    const deliver = (message) => {
      if (!current()) return;
      try {
        listener(message);
      } catch { /* a listener's bug must not break the subscriber connection */ }
    };
    this.#channels.set(channel, entry);
    const send = () => {
      const subscribing = this.#connectSubscriber().then(async (sub) => {
        await sub.subscribe(channel, deliver);
        return sub;
      });
      // A subscription that went through after it was given up (or closed) is undone at once.
      subscribing.then((sub) => {
        if (current()) entry.sub = sub;
        else quietly(() => sub.unsubscribe(channel, deliver));
      }, () => {});
      return subscribing;
    };
    return this.#calls.run(send, deadlineMs).then(() => () => this.#unsubscribe(channel, entry, deliver), (error) => {
      if (current()) this.#channels.delete(channel);
      this.#closeIfIdle();
      throw error;
    });
  }

  // One connection for all subscriptions, made on the first; a failed connect is dropped, so the
  // next subscribe makes a new one. One that never connects (the server is down) is kept: its
  // client reconnects by itself, and the store's breaker bounds how many subscribes wait on it.
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

  // Only the subscription this function was made for: called again after a new subscribe to the
  // channel, it leaves the new one alone.
  async #unsubscribe(channel, entry, deliver) {
    if (this.#channels.get(channel) !== entry) return;
    this.#channels.delete(channel);
    if (this.#closeIfIdle()) return;
    const { sub } = entry;
    if (sub === this.#subscriber && sub !== null) {
      await this.#calls.run(() => sub.unsubscribe(channel, deliver), this.#calls.deadline());
    }
  }

  // With no subscription left the connection goes: the store opened it, not the user, whose
  // process it would hold open (reconnecting forever to a server gone) once their client is closed.
  #closeIfIdle() {
    if (this.#channels.size > 0 || !this.#subscriber) return false;
    const idle = this.#subscriber;
    this.#subscriber = null;
    idle.close();
    return true;
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
