import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createDemoServer } from '../../scripts/serve.js';
import { launchChromium, collectErrors } from './browser.js';

const artifacts = new URL('artifacts/', import.meta.url);
let server;
let browser;
after(async () => {
  await browser?.close();
  server?.close();
});

test('the demo page loads the wasm module and checks JSON as the user types', async () => {
  server = createDemoServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  browser = await launchChromium();
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('#status.ok');
  assert.match(await page.textContent('#json-result'), /Well-formed/);
  await page.fill('#json-input', '{\n  "user": "ana",\n  "qty": 01\n}');
  await page.waitForSelector('#json-result.bad');
  assert.match(await page.textContent('#json-result'), /PAYLOAD_MALFORMED.*line 3, column 11/);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: new URL('demo-json-check.png', artifacts).pathname });
  assert.deepEqual(errors, []);
});
