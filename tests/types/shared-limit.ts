// A limit shared through a store, as a consumer types it: with `store`, check() and the other
// calls return promises; without, they answer synchronously (compiled by `tsc -p tests/types`).
import { init, RateLimiter, type RateLimitResult, type SharedRateLimiterStats } from 'edgeguard';
import { RedisStore } from 'edgeguard/store';

export async function shared(client: object, ip: string, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Record<string, string>> {
  await init();
  const store = new RedisStore(client);
  const limiter = new RateLimiter({
    policies: [{ name: 'ip', limit: 100, windowMs: 60000 }], store, name: 'api', mode: 'local-first',
    onStoreError: 'local', expectedInstances: 8, deadlineMs: 30, lease: { units: 5 },
  });
  const r: RateLimitResult = await limiter.check(ip, { cost: 1, waitUntil: ctx.waitUntil.bind(ctx) });
  const source: 'store' | 'lease' | 'fallback' | undefined = r.source;
  const peeked: RateLimitResult = await limiter.peek(ip);
  const cleared: boolean = await limiter.reset(ip);
  await limiter.penalize(ip, 2);
  await limiter.reward(ip, 1);
  const stats: SharedRateLimiterStats = limiter.stats();
  const latency: number = stats.store.latencyMs.p99 + stats.fallbackDecisions + stats.storeCalls + limiter.maxKeyBytes;
  // @ts-expect-error a shared check is a promise, not a result
  const wrong: RateLimitResult = limiter.check(ip);
  void [source, peeked, cleared, latency, wrong];
  return r.headers;
}

export function local(ip: string): boolean {
  const limiter = new RateLimiter({ policies: [{ limit: 10, windowMs: 1000 }] });
  const r: RateLimitResult = limiter.check(ip);
  const reset: boolean = limiter.reset(ip);
  return r.allowed && reset && limiter.stats().evictions === 0;
}
