import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Cache, CircuitBreaker, Retry } from '../../js/entry.node.js';
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
