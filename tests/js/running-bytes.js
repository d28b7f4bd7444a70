// Bytes whose `length` getter first runs `run`, once: a typed array's getters are user code that
// runs while the library copies the input, so a test can dispose the object mid-call.
export function bytesRunning(bytes, run) {
  let ran = false;
  class Running extends Uint8Array {
    get length() {
      if (!ran) {
        ran = true;
        run();
      }
      return super.length;
    }
  }
  return new Running(bytes);
}
