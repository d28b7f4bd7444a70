// Ownership of objects that live in wasm memory: explicit dispose() (also `using` through
// Symbol.dispose), with a FinalizationRegistry as a safety net for objects users forget.
import { EdgeguardError } from './errors.js';

export const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

// Some runtimes (workerd before its weak-ref compatibility flag) have no FinalizationRegistry:
// there dispose() is the only way, and the safety net is simply absent.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ free, handle }) => free(handle))
  : null;

export class WasmObject {
  #handle;
  #free;

  /**
   * `free(handle)` releases the core object; it runs once, by dispose() or by the GC. A handle of
   * 0 is a constructor that failed (classes check their own reasons first): OUT_OF_MEMORY, never
   * an object that looks disposed or reads address 0.
   */
  constructor(handle, free) {
    if (!handle) throw new EdgeguardError('OUT_OF_MEMORY', `the wasm module could not allocate a ${new.target.name}`);
    this.#handle = handle;
    this.#free = free;
    registry?.register(this, { free, handle }, this);
  }

  /** The core object's handle; a typed error once disposed. */
  get handle() {
    if (this.#handle === 0) {
      throw new EdgeguardError('DISPOSED', `${this.constructor.name} was disposed`);
    }
    return this.#handle;
  }

  get disposed() {
    return this.#handle === 0;
  }

  dispose() {
    if (this.#handle === 0) return;
    registry?.unregister(this);
    this.#free(this.#handle);
    this.#handle = 0;
  }

  [disposeSymbol]() {
    this.dispose();
  }
}
