// Arbitraries for what an attacker or a careless caller passes: wrong types, impossible numbers,
// clocks that lie or throw, keys that are not text, payloads that are not JSON.
import fc from 'fast-check';
import { UserFailure } from './verdict.js';

export const impossibleNumber = fc.constantFrom(NaN, Infinity, -Infinity);

/** Numbers at and around every boundary an option might have. */
export const edgeNumber = fc.oneof(
  impossibleNumber,
  fc.constantFrom(-0, 0, -1, 1, 0.5, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53 + 2,
    Number.MAX_VALUE, Number.MIN_VALUE, -(2 ** 31), 1e300, -1e300),
  fc.integer({ min: -10, max: 1e6 }),
  fc.double(),
);

/** An object whose every property read throws (fast-check can still print it). */
function throwingProxy() {
  return new Proxy({}, {
    get(target, name) {
      if (name === fc.toStringMethod) return () => '<throwing proxy>';
      if (typeof name === 'symbol') return undefined;
      throw new UserFailure(`proxy get ${name}`);
    },
  });
}

/** Anything but a sensible value: other types, including ones JSON cannot hold. */
export const wrongType = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, true, false, '', '10', [], {}, () => 5, Symbol('s'), 5n, new Date(0),
    throwingProxy()),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

/** Values that cannot even be turned into text for an error message. */
export const unprintable = fc.constantFrom(Object.create(null), { toString() { throw new UserFailure('toString'); } },
  { [Symbol.toPrimitive]() { return Symbol('p'); } });

/** An option: sometimes valid, sometimes absent, sometimes hostile. */
export function option(valid) {
  return fc.oneof({ weight: 3, arbitrary: valid }, fc.constant(undefined), edgeNumber, wrongType);
}

// A clock reading: THROW makes the clock throw.
export const THROW = Symbol('throw');

/** Readings no clock can honestly give. */
export const impossibleReading = fc.constantFrom(NaN, Infinity, -Infinity, '1000', null, undefined, {}, 10n, THROW);

export const isImpossible = (reading) => typeof reading !== 'number' || !Number.isFinite(reading);

/** Readings that are possible but extreme: far past, far future, beyond exact doubles. */
export const extremeReading = fc.constantFrom(-1e15, 0, 2 ** 53, 2 ** 60, 1e300, -1e300, Number.MAX_VALUE);

/** A clock whose reading the test sets (`clock.now`); THROW makes it throw. */
export class Clock {
  now = 0;
  reads = 0;
  read = () => {
    this.reads++;
    if (this.now === THROW) throw new UserFailure('the clock failed');
    return this.now;
  };
}

/** Keys: empty, long, lone surrogates, NUL, non-BMP, bytes, and not keys at all. */
export const loneSurrogateString = fc.string({
  unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '\udbff', 'a', '\0', '\u00e9', '\ud83d\ude00'),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))),
  maxLength: 12,
});
export const textKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  loneSurrogateString,
  fc.constantFrom('', '\0', 'a'.repeat(256), 'a'.repeat(257), '\u00e9'.repeat(200), 'k'.repeat(5000)),
);
export const byteKey = fc.uint8Array({ maxLength: 16 }).chain((bytes) => fc.constantFrom(
  bytes, bytes.buffer, new DataView(bytes.buffer), new Uint16Array(bytes.buffer, 0, bytes.length >> 1)));
export const anyKey = fc.oneof({ weight: 3, arbitrary: textKey }, byteKey, wrongType, edgeNumber);

/**
 * An ArrayBuffer that was transferred away (byteLength 0, unusable), or a view made of it while it
 * was usable (no view can be made of it after).
 */
export function detachedBuffer(view = false) {
  const buffer = new ArrayBuffer(8);
  const bytes = new Uint8Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view ? bytes : buffer;
}

/** `text` as UTF-8 in a SharedArrayBuffer, or a view of one. */
export function sharedBytes(text, view) {
  const bytes = new TextEncoder().encode(text);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return view ? new Uint8Array(shared) : shared;
}

/** JSON text, sometimes broken: cut, with a byte changed, or with a character inserted. */
export const jsonText = fc.oneof(
  { weight: 3, arbitrary: fc.json({ maxDepth: 4 }) },
  fc.json({ maxDepth: 2, stringUnit: 'binary' }),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', '\ud800', 'tru', '-', '0', '01', '1e', '\n', ' ', '\u2028', '\ufeff'))
    .map(([text, at, insert]) => { const i = at % (text.length + 1); return text.slice(0, i) + insert + text.slice(i); }),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat()).map(([text, at]) => text.slice(0, at % (text.length + 1))),
  fc.nat({ max: 3000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.nat({ max: 3000 }).map((d) => '['.repeat(d)),
);

/** What validate() may be given: text, bytes of it, JS values, and things that are not payloads
 * (detached buffers have their own properties: they would hide every other finding). */
export const payload = fc.oneof(
  { weight: 4, arbitrary: jsonText },
  jsonText.map((t) => new TextEncoder().encode(t)),
  jsonText.map((t) => new TextEncoder().encode(t).buffer),
  jsonText.map((t) => new DataView(new TextEncoder().encode(t).buffer)),
  jsonText.map((t) => sharedBytes(t, false)),
  jsonText.map((t) => sharedBytes(t, true)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(undefined, () => 1, Symbol('x'), 5n, new Float64Array([1.5, NaN]), new BigInt64Array(2)),
  fc.constant(null).map(() => { const a = {}; a.self = a; return a; }),
  fc.constant(null).map(() => ({ toJSON() { throw new UserFailure('toJSON'); } })),
  fc.nat({ max: 2 ** 21 }).map((n) => `"${'x'.repeat(n)}"`),
);
