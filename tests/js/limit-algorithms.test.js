// The algorithms' numbers are written twice, as the core's enum (src/edgeguard/limit/policy.hpp)
// and as js/limit-algorithms.js's order: this pins one to the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALGORITHMS } from '../../js/limit-algorithms.js';
import { STORE_ALGORITHMS } from '../../js/shared/limit-scripts.js';

test('js/limit-algorithms.js numbers every Algorithm of policy.hpp as the core does', () => {
  const hpp = readFileSync(new URL('../../src/edgeguard/limit/policy.hpp', import.meta.url), 'utf8');
  const body = /enum class Algorithm : uint32_t \{([^}]*)\}/.exec(hpp)[1];
  const core = Object.fromEntries([...body.matchAll(/(\w+) = (\d+)/g)].map(([, name, n]) => [name.replace(/_/g, '-'), Number(n)]));
  assert.deepEqual(Object.fromEntries(ALGORITHMS.map((a, i) => [a, i])), core);
  assert.deepEqual(STORE_ALGORITHMS, { gcra: core.gcra, 'token-bucket': core['token-bucket'] });
});
