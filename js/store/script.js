// A script a store runs atomically. Redis runs its Lua `source` by EVALSHA: the SHA-1 is computed
// here once, so the first call sends only the digest, and a store that answers NOSCRIPT
// (restarted, flushed, a new cluster node) gets the source. An engine without Lua (the Durable
// Object store) runs `run`, the same script written against ScriptState (store.d.ts), found by
// `name`: both implementations of one script are tested against each other.
import { EdgeguardError } from '../errors.js';

const NAME = /^[a-z][a-z0-9.-]{0,63}$/;

const MAX_SOURCE_BYTES = 1 << 20;

// WebCrypto is global from Node 19 and in every other runtime; Node 18 has it in node:crypto,
// named through a variable so that bundlers for workers (wrangler's esbuild) leave the import
// alone instead of failing on a Node built-in that a worker never reaches; webpackIgnore keeps
// webpack from warning "Critical dependency" in every browser app that imports edgeguard.
const NODE_CRYPTO = 'node:crypto';

async function subtle() {
  return globalThis.crypto?.subtle ?? (await import(/* webpackIgnore: true */ NODE_CRYPTO)).webcrypto.subtle;
}

async function sha1Hex(text) {
  const digest = await (await subtle()).digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class StoreScript {
  #sha;
  #digest;

  constructor(source, options) {
    if (typeof source !== 'string' || source.length === 0 || source.length > MAX_SOURCE_BYTES) {
      throw new EdgeguardError('INVALID_INPUT', `a script is a non-empty string of at most ${MAX_SOURCE_BYTES} characters`);
    }
    const { name, run, spansTags = false } = options ?? {};
    if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) {
      throw new EdgeguardError('INVALID_INPUT', 'a script name is 1 to 64 of a-z, 0-9, "." and "-", starting with a letter');
    }
    if (run !== undefined && typeof run !== 'function') {
      throw new EdgeguardError('INVALID_INPUT', 'run must be a function (state, keys, args) => reply');
    }
    if ((name === undefined) !== (run === undefined)) {
      throw new EdgeguardError('INVALID_INPUT', 'a script has both a name and run, or neither');
    }
    if (typeof spansTags !== 'boolean') throw new EdgeguardError('INVALID_INPUT', 'spansTags must be a boolean');
    this.source = source;
    this.name = name;
    this.run = run;
    this.spansTags = spansTags;
    Object.freeze(this);
  }

  /** The lowercase hex SHA-1 of the source, as Redis names a cached script. */
  sha1() {
    return this.#sha ??= sha1Hex(this.source).then((hex) => (this.#digest = hex));
  }

  /** sha1()'s answer once it is known (undefined before): calls after the first skip a wait. */
  get digest() {
    return this.#digest;
  }
}

/**
 * Defines a script once (module level). options: `{ name, run }`, the script for engines without
 * Lua: `run(state, keys, args)` returns what the Lua returns, synchronously (so it is atomic).
 */
export function defineScript(source, options) {
  return new StoreScript(source, options);
}

/**
 * A number a script replied: a number, or its text as a REST API sends it; NaN for anything else
 * (Number() would read null, true, [] and '' as numbers, a reply no script gives).
 */
export function replyNumber(word) {
  return typeof word === 'number' || (typeof word === 'string' && word !== '') ? Number(word) : NaN;
}
