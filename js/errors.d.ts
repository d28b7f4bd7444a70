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

/** Invalid options or configuration (`code: 'CONFIG_INVALID'`). */
export class ConfigError extends EdgeguardError {
  /** The option or config path that was rejected. */
  readonly option?: string;
}
