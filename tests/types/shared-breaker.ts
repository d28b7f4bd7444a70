// A breaker shared across instances, as a consumer writes it (compiled by `tsc -p tests/types`).
import { init, CircuitBreaker, type BreakerShareOptions, type SharedBreakerView } from 'edgeguard';
import { RedisStore } from 'edgeguard/store';

export async function sharedBreaker(client: object, waitUntil: (p: Promise<unknown>) => void): Promise<number> {
  await init();
  const store = new RedisStore(client, { deadlineMs: 30 });
  const share: BreakerShareOptions = { name: 'payments', quorum: 2, instanceId: 'pod-1', publishIntervalMs: 500, windowMs: 30000, leaseMs: 10000, deadlineMs: 20, waitUntil };
  const breaker = new CircuitBreaker({ openMs: 30000, halfOpenCalls: 3, store, share });
  breaker.on('sharedView', (view: SharedBreakerView) => view.reachable === false && view.lastError);
  breaker.on('stateChange', ({ reason }) => reason === 'quorum' || reason === 'sharedTrials');
  const shared = breaker.metrics().shared;
  breaker.dispose();
  return shared ? shared.openReports + shared.fallbackTrials : -1;
}
