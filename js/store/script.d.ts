/** A Lua script that stores run atomically (Redis: EVALSHA, reloaded on NOSCRIPT). */
export class StoreScript {
  constructor(source: string);
  readonly source: string;
  /** Lowercase hex SHA-1 of the source, computed once. */
  sha1(): Promise<string>;
  /** What sha1() resolved with, once it has; undefined before. */
  readonly digest: string | undefined;
}

/** Throws EdgeguardError INVALID_INPUT for an empty or over-1-MiB source. */
export function defineScript(source: string): StoreScript;
