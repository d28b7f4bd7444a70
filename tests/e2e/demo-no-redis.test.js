// `npm start` on a machine without redis-server: the demo still starts, the page works, and its
// "Two instances, one store" panel says the store is unavailable (and why) with its controls off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../../scripts/serve.js';
import { launchChromium, collectErrors } from './browser.js';

let demo;
let browser;
let page;
let errors;

before(async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';  // no redis-server to spawn
  try {
    demo = await startDemo({ port: 0, backendPort: 0 });
  } finally {
    process.env.PATH = path;
  }
  browser = await launchChromium();
  page = await browser.newPage();
  errors = collectErrors(page);
  await page.goto(demo.url);
  await page.waitForSelector('body[data-ready]', { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

test('without redis-server the page runs and the panel says the store is unavailable', async () => {
  await page.waitForSelector('#status.ok');
  assert.match(await page.textContent('#instances-status'), /^The store is unavailable: redis-server is not installed/);
  assert.equal(await page.textContent('#store-label'), 'store unavailable');
  for (const id of ['send-a', 'send-b', 'send-alternate', 'store-switch']) assert.ok(await page.isDisabled(`#${id}`), id);
  await page.evaluate(() => window.demo.run(3, 'get'));
  const { totals } = await page.evaluate(() => window.demo.snapshot());
  assert.deepEqual([totals.fresh + totals.hit, totals.error], [3, 0], 'the guard in the page works');
  assert.deepEqual(errors, []);
});
