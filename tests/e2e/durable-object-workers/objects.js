// The service that defines the Durable Object classes, and is a gateway too. Its objects' clock
// stands still from its first reading on and moves only when the test says (`/clock?advance=ms`):
// every object of a namespace runs in this isolate, so TTLs pass without sleeping.
import { DurableObject } from 'cloudflare:workers';
import { EdgeguardDurableObject } from 'edgeguard/durable-object';
import { handle } from './handler.js';
import { registered } from './scripts.js';

let base;
let offset = 0;

export class TestStore extends EdgeguardDurableObject {
  static scripts = registered;
  static sweepMs = 1;  // sweeps as soon as the test's clock says keys expired
  now() {
    return (base ??= Date.now()) + offset;
  }
}

/** An object that answers long after any deadline. */
export class SlowObject extends DurableObject {
  async storeGet() {
    await scheduler.wait(30_000);
    return { reply: 'late' };
  }
}

/** A namespace bound to some other class, whose method of that name answers something else. */
export class OddObject extends DurableObject {
  storeGet() {
    return 'not an answer';
  }
}

/** A misconfigured subclass (no bound on its keys): its constructor throws, so every call fails. */
export class BrokenStore extends EdgeguardDurableObject {
  static maxKeys = 'lots';
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/clock') {
      offset += Number(url.searchParams.get('advance'));
      return Response.json({ offset });
    }
    if (url.pathname === '/object-stats') {
      const ns = env.STORE;
      return Response.json(await ns.get(ns.idFromName(url.searchParams.get('name'))).storeStats());
    }
    return handle(request, env, ctx);
  },
};
