// The service that defines the Durable Object class, and is an instance too. Its objects run in
// this isolate and keep time by the test's clock: store TTLs and leases pass when the test says.
import { EdgeguardDurableObject } from 'edgeguard/durable-object';
import { now } from './clock.js';
import { handle } from './handler.js';

export class CacheStore extends EdgeguardDurableObject {
  now() {
    return now();
  }

  /** A stalled object (the injected fault): reads of copies of keys naming 'stall' answer 10 s late. */
  async storeEval(name, digest, keys, args) {
    if (name === 'edgeguard.cache.read' && keys[0].includes('stall')) await scheduler.wait(10_000);
    return super.storeEval(name, digest, keys, args);
  }
}

export default { fetch: handle };
