import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Bulkhead, Cache, CircuitBreaker, Retry } from '../../js/entry.node.js';
import { Listeners, signalOption } from '../../js/resilience.js';

before(() => init());

test('a listener added twice is called once; listeners are bounded, not a leak', () => {
  const events = new Listeners(['x']);
  const seen = [];
  const listener = (e) => seen.push(e);
  events.on('x', listener);
  events.on('x', listener);
  events.emit('x', 1);
  assert.deepEqual(seen, [1]);
  for (const subject of [new Cache({ maxEntries: 1 }), new CircuitBreaker(), new Retry()]) {
    const name = subject instanceof Cache ? 'evict' : subject instanceof Retry ? 'retry' : 'stateChange';
    for (let i = 0; i < 999; i++) subject.on(name, () => {});
    assert.throws(() => { for (let i = 0; i < 2; i++) subject.on(name, () => {}); }, { code: 'TOO_MANY_LISTENERS' });
  }
});

test('signalOption takes AbortSignals and signal-likes, and refuses the rest', () => {
  const { signal } = new AbortController();
  assert.equal(signalOption({ signal }), signal);
  assert.equal(signalOption({}), undefined);
  const like = { aborted: false, addEventListener() {}, removeEventListener() {} };
  assert.equal(signalOption({ signal: like }), like);
  for (const bad of [null, {}, 'x', { aborted: false, addEventListener() {} }]) {
    assert.throws(() => signalOption({ signal: bad }), { code: 'CONFIG_INVALID', option: 'signal' });
  }
});

test('the core reads only the options it owns, and a value JSON cannot carry is refused, never the default', () => {
  const cyclic = {};
  cyclic.self = cyclic;
  // Anything else in the options (stores, cycles, functions) is never serialised.
  const b = new CircuitBreaker({ openMs: 5, other: cyclic, window: { size: 3, extra: cyclic } });
  assert.equal(b.metrics().bufferedCalls, 0);
  b.dispose();
  for (const [options, option] of [[{ openMs: () => 5 }, 'openMs'], [{ openMs: 5n }, 'openMs'],
    [{ window: { size: Symbol('s') } }, 'window.size'], [{ maxConcurrent: NaN }, 'maxConcurrent']]) {
    const make = () => ('maxConcurrent' in options ? new Bulkhead(options) : new CircuitBreaker(options));
    assert.throws(make, { name: 'ConfigError', code: 'CONFIG_INVALID', option }, String(Object.keys(options)));
  }
  assert.throws(() => new CircuitBreaker({ window: { type: 'x'.repeat(70000) } }), { code: 'CONFIG_INVALID', option: 'options' });
  // JSON.stringify escapes a lone surrogate, and the core's reader refuses the escape.
  assert.throws(() => new CircuitBreaker({ window: { type: '\uD800' } }),
    { code: 'CONFIG_INVALID', option: 'options', message: 'options must be a well-formed JSON object' });
});

test('a refusal from the core is worded for the option the user wrote, with the value given', () => {
  assert.throws(() => new CircuitBreaker({ window: { type: 'time', sizeMs: 1000, buckets: 3 } }), {
    name: 'ConfigError', code: 'CONFIG_INVALID', option: 'window.sizeMs',
    message: 'option window.sizeMs must be a multiple of window.buckets (got 1000)',
  });
  assert.throws(() => new Bulkhead({ maxQueue: '2' }), {
    option: 'maxQueue', message: 'option maxQueue must be an integer from 0 to 1000000 (got "2")',
  });
});
