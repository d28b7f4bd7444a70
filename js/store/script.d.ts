import type { ScriptReply, ScriptState } from './store.js';

/**
 * The script for engines without Lua: what the Lua does, on `state`, synchronously. `args` are
 * strings, as Lua gets ARGV (numbers passed to evalScript arrive as String(n)). The reply comes
 * back as Redis gives a Lua script's: numbers truncated to integers, true as 1, false and
 * undefined as null, arrays cut at their first null; anything else (an object) is the script's
 * error.
 */
export type ScriptRun = (state: ScriptState, keys: string[], args: string[]) => ScriptReply;

export interface StoreScriptOptions {
  /** How an engine without Lua finds the script: 1-64 of a-z 0-9 . - */
  name: string;
  /**
   * A Durable Object refuses a caller whose script differs from its own by the SHA-1 of the Lua
   * source only: when `run` changes, change the source too (a version comment will do), or two
   * releases deployed side by side run different code under one name.
   */
  run: ScriptRun;
  /** Its keys may have any hash tags, on a store whose `spansTags` is true (elsewhere they share one). Default false. */
  spansTags?: boolean;
}

/** A script that stores run atomically (Redis: EVALSHA, reloaded on NOSCRIPT; others: `run`). */
export class StoreScript {
  constructor(source: string, options?: StoreScriptOptions);
  readonly source: string;
  readonly name: string | undefined;
  readonly run: ScriptRun | undefined;
  readonly spansTags: boolean;
  /** Lowercase hex SHA-1 of the source, computed once. */
  sha1(): Promise<string>;
  /** What sha1() resolved with, once it has; undefined before. */
  readonly digest: string | undefined;
}

/** Throws EdgeguardError INVALID_INPUT for an empty or over-1-MiB source, or bad options. */
export function defineScript(source: string, options?: StoreScriptOptions): StoreScript;
