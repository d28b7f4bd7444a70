// A Lua script run by EVALSHA: its SHA-1 is computed here once, so the first call sends only the
// digest; a store that answers NOSCRIPT (restarted, flushed, a new cluster node) gets the source.
import { EdgeguardError } from '../errors.js';

const MAX_SOURCE_BYTES = 1 << 20;

// WebCrypto is global from Node 19 and in every other runtime; Node 18 has it in node:crypto.
async function subtle() {
  return globalThis.crypto?.subtle ?? (await import('node:crypto')).webcrypto.subtle;
}

async function sha1Hex(text) {
  const digest = await (await subtle()).digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class StoreScript {
  #sha;
  #digest;

  constructor(source) {
    if (typeof source !== 'string' || source.length === 0 || source.length > MAX_SOURCE_BYTES) {
      throw new EdgeguardError('INVALID_INPUT', `a script is a non-empty string of at most ${MAX_SOURCE_BYTES} characters`);
    }
    this.source = source;
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

/** Defines a script once (module level); stores run it by digest. */
export function defineScript(source) {
  return new StoreScript(source);
}
