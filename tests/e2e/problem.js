import assert from 'node:assert/strict';

/** Asserts `res` is a problem+json answer (RFC 9457) with `status`; resolves to its body. */
export async function problem(res, status) {
  assert.equal(res.status, status, `${res.status} ${await res.clone().text()}`);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  const body = await res.json();
  assert.equal(body.status, status);
  return body;
}
