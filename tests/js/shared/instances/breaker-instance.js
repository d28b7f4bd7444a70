// An instance for breaker-share-instances.test.js: its own process, client (node-redis on even
// indexes, ioredis on odd ones), store and breaker on its own fake clock. Once the others have
// read the view, the first `failing` instances see the backend fail and trip; the others wait
// until those reports are in the store, then let one publish interval pass on their clocks.
import { init, CircuitBreaker } from '../../../../js/entry.node.js';
import { RedisStore } from '../../../../js/store/index.js';
import { connect } from '../../../support/redis-clients.js';
import { rawCommand, waitFor } from '../../../support/redis-engines.js';
import { FakeTime } from '../../resilience_fakes.js';

export async function setup({ engine, name, interval }, index) {
  await init();
  const conn = await connect(index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
  const time = new FakeTime();
  const pending = [];
  const store = new RedisStore(conn.client, { deadlineMs: 5000, clock: time.clock, timers: time.timers });
  const breaker = new CircuitBreaker({
    consecutiveFailures: 3, openMs: 60000, clock: time.clock, timers: time.timers, store,
    share: { name, quorum: 2, publishIntervalMs: interval, waitUntil: (p) => pending.push(p) },
  });
  const drain = async () => {
    while (pending.length) await pending.shift();
  };
  return { conn, time, breaker, drain };
}

export default async function run({ engine, name, failing, interval }, index, { time, breaker, drain }) {
  const events = [];
  breaker.on('stateChange', ({ from, to, reason }) => events.push(`${from}->${to}:${reason}`));
  await breaker.execute(() => 'ok');
  await drain();
  const command = async (...args) => Number((await rawCommand(engine.port, args)).slice(1));
  // The others have read the view first, so that what they see next is the failing ones' reports.
  const viewed = `test:${name}:viewed`;
  if (index >= failing) await command('INCR', viewed);
  if (index < failing) {
    await waitFor('the others\' first view', async () => await command('INCRBY', viewed, 0) >= 4 - failing);
    for (let i = 0; i < 3; i++) await breaker.execute(() => { throw new Error('backend down'); }).catch(() => {});
    await drain();
  } else {
    const key = `eg:{breaker:${name}}:opens`;
    await waitFor('the failing instances\' reports', async () => await command('HLEN', key) >= failing);
    events.push(`before:${breaker.state}`);
    await time.advance(interval);
    await drain();
  }
  return { state: breaker.state, events, shared: breaker.metrics().shared };
}

export async function teardown({ conn, breaker }) {
  breaker.dispose();
  await conn.close();
}
