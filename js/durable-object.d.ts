import type { StoreScript } from './store/script.js';

/** How full one object is. */
export interface EdgeguardObjectStats {
  keys: number;
  maxKeys: number;
}

/** What an object answers over RPC: a reply, or the error it refused the call with. */
export type EdgeguardObjectAnswer = { reply: unknown } | { error: string };

/**
 * The Durable Object class behind DurableObjectStore: export it (or a subclass) from your worker
 * and bind a namespace to it. Each object runs scripts on the keys it owns, one call at a time,
 * with its state in memory and in ctx.storage (an evicted or restarted object reloads it). Keys
 * expire by the object's clock: read as absent once expired, swept by an alarm. A script's values
 * are any structured-cloneable data; treat a value read as read-only and write a new one with
 * set(): writes are applied (and persisted) only when the script returns, all of them or none.
 * Statics that are not integers in range make every call to the object fail (CONFIG_INVALID).
 *
 *     export class EdgeguardStore extends EdgeguardDurableObject {
 *       static scripts = [myScript];   // your own scripts, besides edgeguard's
 *     }
 */
export class EdgeguardDurableObject {
  constructor(ctx: unknown, env: unknown);
  /** The object's state (DurableObjectState), as the runtime's DurableObject base class keeps it. */
  protected readonly ctx: unknown;
  protected readonly env: unknown;
  /** Your own scripts (defineScript with name and run), besides edgeguard's built-in ones. */
  static scripts: StoreScript[];
  /** The most keys one object holds (default 10,000; up to 1,000,000): a call that would pass it is refused. */
  static maxKeys: number;
  /** An alarm sweeps expired keys out of memory and storage at most this often (default 60,000 ms). */
  static sweepMs: number;
  /** The object's clock in ms (Date.now): TTLs run on it. */
  now(): number;
  storeEval(name: string, digest: string, keys: string[], args: Array<string | number>): Promise<EdgeguardObjectAnswer> | EdgeguardObjectAnswer;
  storeGet(key: string): EdgeguardObjectAnswer;
  storeSet(key: string, value: string, ttlMs: number): Promise<EdgeguardObjectAnswer>;
  storeDelete(key: string): Promise<EdgeguardObjectAnswer>;
  storeStats(): EdgeguardObjectStats;
  alarm(): Promise<void>;
}
