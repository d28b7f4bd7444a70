// js/limit-algorithms.js: the core's Algorithm numbers (js/seam/limit.js, pinned by
// tests/js/seam.test.js) under the names options use, which the store scripts send too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALGORITHMS } from '../../js/limit-algorithms.js';
import { STORE_ALGORITHMS } from '../../js/shared/limit-scripts.js';
import { Algorithm } from '../../js/seam/limit.js';

test('ALGORITHMS are the options\' names, by the core\'s numbering', () => {
  assert.deepEqual(ALGORITHMS, ['gcra', 'token-bucket', 'sliding-window', 'fixed-window', 'sliding-log']);
  assert.equal(ALGORITHMS.indexOf('token-bucket'), Algorithm.TOKEN_BUCKET);
  assert.deepEqual(STORE_ALGORITHMS, { gcra: Algorithm.GCRA, 'token-bucket': Algorithm.TOKEN_BUCKET });
});
