// The whole module loaded first (each test file is its own process): a feature entry's init()
// then loads nothing, and every feature shares the one instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init as initWhole } from '../../js/entry.node.js';
import { init, Cache } from '../../js/entry.resilience.node.js';
import { init as initValidator, Validator } from '../../js/entry.validator.node.js';
import { module, setDefaultSource } from '../../js/core.js';
import { RESILIENCE, VALIDATOR } from '../../js/modules.js';

test('after edgeguard\'s init(), the feature entries\' init() load nothing and share its instance', async () => {
  await initWhole();
  const refuse = () => assert.fail('a feature module was loaded next to the whole one');
  setDefaultSource(refuse, RESILIENCE.name);
  setDefaultSource(refuse, VALIDATOR.name);
  await init();
  await initValidator();
  assert.equal(module('resilience'), module('gateway'));
  assert.equal(module('validator'), module('gateway'));
  const cache = new Cache({ maxEntries: 4 });
  cache.set('a', 1);
  assert.equal(cache.get('a').value, 1);
  assert.equal(new Validator({ type: 'integer' }).validate('1').valid, true);
});

test('module() refuses a feature no module has', () => {
  assert.throws(() => module('payments'), TypeError);
});
