// Compiled with `tsc --noEmit -p tests/types`: the hand-written .d.ts files must describe the
// API as a consumer uses it (a wrong type here fails the build).
import { init, version, Json, PayloadError, EdgeguardError, type JsonCheckResult } from 'edgeguard';

export async function main(body: Uint8Array): Promise<string> {
  await init();
  const result: JsonCheckResult = Json.check(body, { maxBytes: 65536, maxDepth: 32 });
  if (!result.valid) {
    const error: PayloadError = result.error;
    const where: number = error.offset + error.line + error.column;
    return `${error.code} ${where}`;
  }
  const reader = new Json({ maxDepth: 8 });
  try {
    reader.check('{"a":1}');
  } catch (e) {
    if (e instanceof EdgeguardError) return e.code;
  } finally {
    reader.dispose();
  }
  return version;
}
