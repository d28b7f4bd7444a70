// A store call as a promise that settles within its deadline, whoever implemented the store:
// edgeguard's stores keep their deadlines themselves (store-calls.js); a user's store may keep
// none, and would otherwise hold its caller for as long as it hangs. One that throws rejects.
import { StoreBase } from './store-base.js';
import { storeTimeout } from './store-error.js';

/** `call()` (a store method's promise) as is for edgeguard's stores, else bounded by `deadlineMs` on `timers`. */
export function withinDeadline(store, call, deadlineMs, timers) {
  if (store instanceof StoreBase) {
    try {
      return call();
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise((resolve, reject) => {
    const timer = timers.setTimeout(() => reject(storeTimeout(deadlineMs)), deadlineMs);
    const settle = (fn) => (value) => {
      timers.clearTimeout(timer);
      fn(value);
    };
    try {
      Promise.resolve(call()).then(settle(resolve), settle(reject));  // a store may answer with a plain value
    } catch (error) {
      settle(reject)(error);
    }
  });
}
