import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, EdgeguardError, Json } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { WasmObject } from '../../js/dispose.js';

before(() => init());

test('a core constructor that returns 0 throws a typed error, never an object that reads address 0', (t) => {
  class Probe extends WasmObject {}
  assert.throws(() => new Probe(0, () => assert.fail('nothing to free')), { code: 'OUT_OF_MEMORY', message: /a Probe$/ });
  const mod = module();
  const real = mod._eg_json_reader_new;
  mod._eg_json_reader_new = () => 0;
  t.after(() => { mod._eg_json_reader_new = real; });
  assert.throws(() => new Json(), (e) => e instanceof EdgeguardError);
  mod._eg_json_reader_new = real;
  assert.equal(new Json().check('[1]').valid, true);
});
