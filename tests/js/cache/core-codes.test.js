// js/cache/core-codes.js against the C++ it mirrors: every number the cache bridge passes has
// one meaning on both sides, or this fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as codes from '../../../js/cache/core-codes.js';

const read = (path) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** The enumerators of `enum class <name>` in a header, as [name, value] in order. */
function enumerators(path, name) {
  const body = new RegExp(`enum class ${name} : uint32_t \\{([^}]*)\\}`).exec(read(path))?.[1];
  assert.ok(body, `${path} has no enum class ${name}`);
  return [...body.matchAll(/(\w+) = (\d+)/g)].map(([, n, v]) => [n, Number(v)]);
}

test('POLICIES is cache::PolicyKind, by index', () => {
  const core = enumerators('src/edgeguard/cache/policy.hpp', 'PolicyKind');
  assert.deepEqual(core, codes.POLICIES.map((p, i) => [p, i]));
});

test('REASONS and their constants are cache::Reason, by index', () => {
  // The core names what happened to the entry (expired); JS reports the cause (expire), as the
  // Cache's events and stats().evictions do.
  const cause = { capacity: 'capacity', expired: 'expire', deleted: 'delete', invalidated: 'invalidate', cleared: 'clear' };
  const core = enumerators('src/edgeguard/cache/status.hpp', 'Reason');
  assert.deepEqual(core.map(([n, v]) => [cause[n], v]), codes.REASONS.map((r, i) => [r, i]));
  for (const name of ['EXPIRE', 'DELETE', 'INVALIDATE', 'CLEAR']) assert.equal(codes.REASONS[codes[name]], name.toLowerCase());
});

test('CODES is cache::Status, each code named in the header\'s comment where JS reports it', () => {
  const core = enumerators('src/edgeguard/cache/status.hpp', 'Status');
  assert.equal(core.length, codes.CODES.length);
  core.forEach(([name, v], i) => {
    assert.equal(v, i);
    assert.equal(codes.CODES[i], i === 0 ? 'OK' : `CACHE_${name.toUpperCase()}`, name);
  });
  assert.equal(codes.CODES[codes.TOO_LARGE], 'CACHE_TOO_LARGE');
  assert.equal(codes.CODES[codes.INVALID_ARGUMENT], 'CACHE_INVALID_ARGUMENT');
});

test('freshness codes are cache::Freshness, with the bridge\'s usable-on-error bit above them', () => {
  const core = Object.fromEntries(enumerators('src/edgeguard/cache/freshness.hpp', 'Freshness'));
  assert.deepEqual(core, {
    fresh: codes.FRESH, stale: codes.STALE, stale_if_error: codes.STALE_IF_ERROR_ONLY, expired: codes.EXPIRED,
  });
  for (const v of Object.values(core)) assert.equal(v & ~codes.FRESHNESS_MASK, 0, 'a state fits the mask');
  const bit = Number(/constexpr uint32_t kUsableOnError = (\d+);/.exec(read('wasm/bridge_cache.cpp'))?.[1]);
  assert.equal(bit, codes.USABLE_ON_ERROR);
  assert.equal(bit & codes.FRESHNESS_MASK, 0, 'the bit is above every state');
});
