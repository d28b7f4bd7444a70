import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Json } from '../../js/entry.node.js';
import { module } from '../../js/core.js';

before(() => init());

test('a core constructor that returns 0 is OUT_OF_MEMORY, not an object that reads address 0', (t) => {
  const mod = module();
  const real = mod._eg_json_reader_new;
  mod._eg_json_reader_new = () => 0;
  t.after(() => { mod._eg_json_reader_new = real; });
  assert.throws(() => new Json(), { code: 'OUT_OF_MEMORY', message: /a Json$/ });
  mod._eg_json_reader_new = real;
  assert.equal(new Json().check('[1]').valid, true);
});
