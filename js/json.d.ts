import type { PayloadError } from './errors.js';

/** Any payload edgeguard reads: text, or its UTF-8 bytes. */
export type PayloadInput = string | Uint8Array | ArrayBuffer | ArrayBufferView;

export interface PayloadLimits {
  /** Largest accepted payload in bytes (default 1 MiB). */
  maxBytes?: number;
  /** Deepest accepted nesting of arrays and objects (default 128). */
  maxDepth?: number;
}

export type JsonCheckResult = { valid: true } | { valid: false; error: PayloadError };

/** Checks that payloads are well-formed JSON (RFC 8259, strict UTF-8) within limits. */
export class Json {
  constructor(options?: PayloadLimits);
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly disposed: boolean;
  check(input: PayloadInput): JsonCheckResult;
  /** Frees the reader's wasm memory; later calls throw `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
  static check(input: PayloadInput, options?: PayloadLimits): JsonCheckResult;
}
