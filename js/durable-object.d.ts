import type { StoreScript } from './store/script.js';

/** How full one object is. */
export interface EdgeguardObjectStats {
  keys: number;
  maxKeys: number;
  /** Bytes of keys and values held, as maxBytes counts them. */
  bytes: number;
  maxBytes: number;
}

/** What an object answers over RPC: a reply, or the error it refused the call with. */
export type EdgeguardObjectAnswer = { reply: unknown } | { error: string };

/**
 * The Durable Object class behind DurableObjectStore: export it (or a subclass) from your worker
 * and bind a namespace to it. Each object runs scripts on the keys it owns, one call at a time,
 * with its state in memory and in ctx.storage (an evicted or restarted object reloads it). Keys
 * expire by the object's clock: read as absent once expired, swept by an alarm. A script's values
 * are any structured-cloneable data, read and written as copies (as storage keeps them: a change
 * to a value read counts only once written back with set()); writes are applied (and persisted)
 * only when the script returns and storage has taken them, all of them or none; a value that
 * cannot be cloned, or that storage refuses (over 128 KiB), is the script's error (STORE_ERROR).
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
  /**
   * The most keys one object holds (default 10,000; up to 1,000,000): a call that would pass it
   * is refused (STORE_ERROR). Lowered below what an object holds, the keys past it are dropped
   * (from storage too) when the object next loads.
   */
  static maxKeys: number;
  /**
   * The most bytes of keys and values one object holds (default 16 MiB; 1 KiB to 1 GiB; strings
   * count 2 bytes a UTF-16 unit, any other value, property or element 16 besides its contents): a
   * call that would pass it is refused (STORE_ERROR). Objects share their isolate's 128 MB.
   * Lowered below what an object holds, the keys past it are dropped when it next loads.
   */
  static maxBytes: number;
  /** An alarm sweeps expired keys out of memory and storage at most this often (default 60,000 ms). */
  static sweepMs: number;
  /** The object's clock in ms (Date.now): TTLs run on it. */
  now(): number;
  storeEval(name: string, digest: string, keys: string[], args: string[]): Promise<EdgeguardObjectAnswer> | EdgeguardObjectAnswer;
  storeGet(key: string): EdgeguardObjectAnswer;
  storeSet(key: string, value: string, ttlMs: number): Promise<EdgeguardObjectAnswer>;
  storeDelete(key: string): Promise<EdgeguardObjectAnswer>;
  storeStats(): EdgeguardObjectStats;
  alarm(): Promise<void>;
}
