import { EdgeguardError } from './errors.js';
import type { Timers } from './timeout.js';

/** No slot and no room to wait, or waited queueTimeoutMs in vain (`code: 'BULKHEAD_FULL'`). */
export class BulkheadFullError extends EdgeguardError {
  readonly code: 'BULKHEAD_FULL';
  readonly reason: 'full' | 'queueTimeout';
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly queueTimeoutMs: number;
}

export interface BulkheadOptions {
  /** Calls running at once (default 10). */
  maxConcurrent?: number;
  /** Calls waiting in FIFO order (default 0). */
  maxQueue?: number;
  /** Longest wait in the queue (default 0: as long as it takes). */
  queueTimeoutMs?: number;
  timers?: Timers;
}

export class Bulkhead {
  constructor(options?: BulkheadOptions);
  readonly disposed: boolean;
  /** The signal also withdraws the call from the queue. */
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: { signal?: AbortSignal }): Promise<T>;
  metrics(): { running: number; queued: number; available: number; rejected: number };
  /** Waiting calls reject with `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
}
