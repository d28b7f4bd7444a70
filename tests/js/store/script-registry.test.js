import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../js/entry.node.js';
import { ScriptRegistry } from '../../../js/store/script-registry.js';
import { defineScript } from '../../../js/store/script.js';
import { builtinScripts } from '../../../js/store/builtin-scripts.js';

const one = defineScript('return 1', { name: 'app.one', run: () => 1 });
const two = defineScript('return 2', { name: 'app.two', run: () => 2 });

test('a script is found by its name and its source\'s digest', async () => {
  const registry = new ScriptRegistry([one], [two]);
  await registry.ready();
  assert.equal(registry.resolve('app.one', await one.sha1()).script, one);
  assert.equal(registry.resolve('app.two', await two.sha1()).script, two);
});

test('an unknown name, or another version of a script, is an error answer', async () => {
  const registry = new ScriptRegistry([one]);
  await registry.ready();
  assert.deepEqual(registry.resolve('app.two', await two.sha1()),
    { error: 'no script named "app.two" is registered with the Durable Object class' });
  const changed = defineScript('return 10', { name: 'app.one', run: () => 10 });
  assert.match(registry.resolve('app.one', await changed.sha1()).error, /app\.one" differs between the caller and the Durable Object/);
  assert.match(registry.resolve('x'.repeat(10_000), 'digest').error.slice(0, 200), /\.\.\./, 'a long name is cut in the message');
});

test('scripts are an array of named defineScript() scripts, each name once', () => {
  const same = defineScript('return 3', { name: 'app.one', run: () => 3 });
  for (const [scripts, more] of [['not an array', []], [[defineScript('return 1')], []], [[{ name: 'x', run: () => 1 }], []], [[one], [same]]]) {
    assert.throws(() => new ScriptRegistry(scripts, more), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
  assert.doesNotThrow(() => new ScriptRegistry([one, one]), 'the same script twice is one script');
});

test('edgeguard\'s built-in scripts all have names and runs, each name once', () => {
  assert.doesNotThrow(() => new ScriptRegistry(builtinScripts));
});

test('every Durable Object knows the shared breaker\'s scripts', () => {
  const names = builtinScripts.map((s) => s.name);
  for (const name of ['edgeguard.breaker.report', 'edgeguard.breaker.trial']) assert.ok(names.includes(name), name);
});

test('every Durable Object knows the shared rate limit\'s scripts', () => {
  const names = builtinScripts.map((s) => s.name);
  for (const name of ['edgeguard.limit.take', 'edgeguard.limit.reset']) assert.ok(names.includes(name), name);
});

test('every Durable Object knows the shared cache tier\'s scripts', () => {
  const names = builtinScripts.map((s) => s.name);
  for (const name of ['edgeguard.cache.invalidate', 'edgeguard.cache.lease', 'edgeguard.cache.release']) assert.ok(names.includes(name), name);
});
