export interface InitOptions {
  /** A compiled module, e.g. `import wasm from 'edgeguard/edgeguard.wasm'` in workerd. */
  module?: WebAssembly.Module;
  /** The wasm bytes, where to fetch them, or a fetch Response. */
  wasm?: ArrayBuffer | ArrayBufferView | URL | string | Response | Promise<Response>;
}

/** Loads the wasm module once; idempotent. Everything else needs it to have resolved. */
export function init(options?: InitOptions): Promise<void>;
