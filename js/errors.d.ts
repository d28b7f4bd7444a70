/** Every error edgeguard throws or reports; `code` is stable across versions. */
export class EdgeguardError extends Error {
  constructor(code: string, message: string, details?: object);
  readonly code: string;
}

export type PayloadErrorCode =
  | 'PAYLOAD_MALFORMED'
  | 'PAYLOAD_BAD_UTF8'
  | 'PAYLOAD_TOO_DEEP'
  | 'PAYLOAD_TOO_LARGE';

/** A payload that is not acceptable JSON. Offsets are in bytes of the UTF-8 input. */
export class PayloadError extends EdgeguardError {
  readonly code: PayloadErrorCode;
  /** Byte offset of the offending byte (for PAYLOAD_TOO_LARGE: the limit). */
  readonly offset: number;
  /** 1-based line of the offset. */
  readonly line: number;
  /** 1-based column of the offset, in code points. */
  readonly column: number;
}

/**
 * Invalid options or configuration. `code` is `CONFIG_INVALID`, or a component's own stable code
 * (`LIMIT_*` from RateLimiter, `CACHE_*` from Cache).
 */
export class ConfigError extends EdgeguardError {
  /** The constructor option that was rejected. */
  readonly option?: string;
  /** JSON Pointer of the rejected value in a gateway/guard config, e.g. `/routes/0/cache/ttlMs`. */
  readonly path?: string;
  /** Index of the rejected RateLimiter policy. */
  readonly policy?: number;
}
