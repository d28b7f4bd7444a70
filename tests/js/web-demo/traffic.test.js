import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Traffic, MAX_RATE } from '../../../web-demo/traffic.js';
import { PRODUCT_COUNT } from '../../../web-demo/products.js';

test('the mix follows its shares, from a seed that replays', () => {
  const a = new Traffic(() => Promise.resolve(), { seed: 3 });
  const b = new Traffic(() => Promise.resolve(), { seed: 3 });
  const requests = Array.from({ length: 4000 }, () => a.next());
  assert.deepEqual(requests.slice(0, 50), Array.from({ length: 50 }, () => b.next()));
  const posts = requests.filter((r) => r.method === 'POST');
  assert.ok(Math.abs(posts.length / 4000 - 0.3) < 0.03, `${posts.length} posts`);
  const invalid = posts.filter((r) => { const o = JSON.parse(r.body); return !(o.qty >= 1 && /^[a-z]+-\d+$/.test(o.sku) && /@/.test(o.email)); });
  assert.ok(Math.abs(invalid.length / posts.length - 0.25) < 0.05, `${invalid.length} invalid`);
  for (const r of requests.filter((x) => x.method === 'GET')) {
    const id = Number(r.path.split('/').at(-1));
    assert.ok(id >= 1 && id <= PRODUCT_COUNT);
  }
  assert.equal(a.next('post').method, 'POST');
  assert.equal(a.next('get').method, 'GET');
  for (let i = 0; i < 20; i++) {
    assert.match(a.next('valid').body, /"sku":"mug-\d","qty":[1-5],"email":"ana@example.com"/);
    assert.ok(!/"sku":"mug-\d","qty":[1-5],"email":"ana@example.com"/.test(a.next('invalid').body));
  }
});

test('the loop sends at the set rate, caps requests in flight and stops when asked', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const pending = [];
    const t = new Traffic(() => new Promise((resolve) => pending.push(resolve)));
    t.setRate(20);
    t.start();
    mock.timers.tick(1000);
    assert.equal(pending.length, 20);
    t.setRate(1e9);
    assert.equal(t.rate, MAX_RATE);
    mock.timers.tick(1000);
    assert.equal(t.inFlight, 64);
    assert.ok(t.skipped > 0);
    t.stop();
    assert.equal(t.running, false);
    const sent = pending.length;
    mock.timers.tick(5000);
    assert.equal(pending.length, sent);
  } finally {
    mock.timers.reset();
  }
});

test('run and warm send one request after another', async () => {
  let inFlight = 0;
  let most = 0;
  const paths = [];
  const t = new Traffic(async (r) => {
    most = Math.max(most, ++inFlight);
    paths.push(r.path);
    await null;
    inFlight--;
  });
  await t.run(10, 'get');
  await t.warm();
  assert.equal(most, 1);
  assert.equal(paths.length, 10 + PRODUCT_COUNT);
  assert.deepEqual(new Set(paths.slice(10)).size, PRODUCT_COUNT);
});
