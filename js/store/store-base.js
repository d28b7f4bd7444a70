// What edgeguard's stores share beside their engines: the prefix their keys are built with, and
// the breaker in front of their calls (the StoreCalls each store makes, with its own isDown).
import { prefixOption, storeKey } from './store-key.js';

export class StoreBase {
  #calls;
  #prefix;

  /** options: the store's checked options (their prefix, default 'eg:'); calls: its StoreCalls. */
  constructor(options, calls) {
    this.#prefix = prefixOption(options, 'eg:');
    this.#calls = calls;
  }

  /** The store's breaker (a CircuitBreaker): its state, events, forceOpen / reset. */
  get breaker() {
    return this.#calls.breaker;
  }

  /** A call's deadline when it names none (the store's deadlineMs option). */
  get deadlineMs() {
    return this.#calls.deadline(undefined);
  }

  key(tag, name) {
    return storeKey(this.#prefix, tag, name);
  }
}
