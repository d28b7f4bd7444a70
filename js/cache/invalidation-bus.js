// Immediate eviction across instances where the store can publish and subscribe (RedisStore in
// Node): an invalidation written to the log (invalidation-log.js) is also published with its
// generation on the cache's channel, and every instance subscribed to it evicts at once instead
// of at its next read of the log. The log stays the source of truth: a message lost (a
// subscriber reconnecting, a subscribe that failed) only leaves the log's bound
// (generationCheckMs), and one whose generation the log already brought is not applied again.
// Stores without subscribe (Upstash over REST, Durable Objects) keep to the log.
import { KINDS } from './invalidation-log.js';

/** Whether `store` can carry messages both ways. */
export function carriesMessages(store) {
  return typeof store.publish === 'function' && typeof store.subscribe === 'function';
}

/** A message: the invalidation's generation ("era:n"), kind and value, as JSON. */
export function encodeMessage(stamp, kind, value) {
  return JSON.stringify([stamp, kind, value]);
}

/** `[stamp, kind, value]`, or undefined when `text` is not a message of encodeMessage's. */
export function decodeMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  const valid = Array.isArray(message) && message.length === 3 && typeof message[0] === 'string' &&
    KINDS.has(message[1]) && typeof message[2] === 'string';
  return valid ? message : undefined;
}

export class InvalidationBus {
  #store;
  #channel;
  #attempt;
  #hear;
  #counts;
  #failed;
  #state = 'idle';  // 'subscribing', 'subscribed', 'closed'
  #unsubscribe;

  /**
   * `attempt(send)` makes a store call within the tier's deadline (skipped while the store's
   * breaker is open); `hear(message)` gets each
   * message (this instance's own included); `counts` are the tier's (published, subscriptions,
   * subscribeErrors); `failed(error)` counts a failed publish or unsubscribe.
   */
  constructor(store, channel, attempt, hear, counts, failed) {
    this.#store = store;
    this.#channel = channel;
    this.#attempt = attempt;
    this.#hear = hear;
    this.#counts = counts;
    this.#failed = failed;
  }

  /**
   * Subscribes, unless subscribed or subscribing. Never rejects: a failure is counted, and the
   * next call tries again (the tier calls this at each read of the log, so at most once a
   * generationCheckMs). Once subscribed, the client keeps the subscription across reconnects.
   */
  listen() {
    if (this.#state !== 'idle') return;
    this.#state = 'subscribing';
    let subscribing;  // the store's own promise, which may still subscribe after the attempt gave up
    this.#attempt((o) => (subscribing = this.#store.subscribe(this.#channel, this.#hear, o))).then((unsubscribe) => {
      if (this.#state === 'closed') {
        this.#end(unsubscribe);
        return;
      }
      this.#state = 'subscribed';
      this.#unsubscribe = unsubscribe;
      this.#counts.subscriptions++;
    }, () => {
      if (this.#state === 'subscribing') this.#state = 'idle';
      this.#counts.subscribeErrors++;
      // Past the deadline, a store of the user's own may subscribe all the same: that one is
      // ended, or each log check would leave one more behind (the next listen() subscribes anew).
      Promise.resolve(subscribing).then((late) => {
        if (typeof late === 'function') this.#end(late);
      }, () => {});
    });
  }

  /** Publishes one invalidation the log has numbered; resolves (never rejects) once sent or failed. */
  publish(stamp, kind, value) {
    return this.#attempt((o) => this.#store.publish(this.#channel, encodeMessage(stamp, kind, value), o))
      .then(() => { this.#counts.published++; }, this.#failed);
  }

  /** Unsubscribes for good (now, or once a subscribe in flight is done); never rejects. */
  close() {
    const unsubscribe = this.#unsubscribe;
    this.#state = 'closed';
    this.#unsubscribe = undefined;
    return unsubscribe === undefined ? Promise.resolve() : this.#end(unsubscribe);
  }

  // Not through attempt(): the store's breaker may be open (it refuses calls), and the
  // subscription must end anyway; unsubscribe keeps to the store's own deadline.
  #end(unsubscribe) {
    return Promise.resolve().then(unsubscribe).then(() => undefined, this.#failed);
  }
}
