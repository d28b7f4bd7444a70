// The engines of the UpstashStore tests: a redis-server and the REST server in front of it, started
// before a file's tests and stopped after, when no rejection may have gone unhandled.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../js/entry.node.js';
import { startRedis } from '../../support/redis-engines.js';
import { startUpstashRest } from '../../support/upstash-rest-server.js';

/** Registers the hooks; the returned object has `engine` and `rest` once the tests run. */
export function upstashFixture() {
  const unhandled = [];
  process.on('unhandledRejection', (error) => unhandled.push(error));
  const fixture = { engine: undefined, rest: undefined };
  before(async () => {
    await init();
    fixture.engine = await startRedis();
    fixture.rest = await startUpstashRest(fixture.engine);
  });
  after(async () => {
    await fixture.rest?.stop();
    await fixture.engine?.stop();
    assert.deepEqual(unhandled, []);
  });
  return fixture;
}
