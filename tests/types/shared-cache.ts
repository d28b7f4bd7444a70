// Cache's shared tier as a consumer uses it (compiled with the rest by `tsc -p tests/types`).
import { init, Cache, Retry, type SharedCacheStats, type FetchResult } from 'edgeguard';
import { RedisStore } from 'edgeguard/store';

export async function sharedProduct(client: object, id: string): Promise<number> {
  await init();
  const store = new RedisStore(client, { deadlineMs: 30 });
  const cache = new Cache<{ id: string; price: number }>({
    maxEntries: 10000, ttlMs: 60000, staleWhileRevalidateMs: 10000, staleIfErrorMs: 600000,
    shared: store, sharedOptions: { name: 'products', deadlineMs: 20, maxValueBytes: 65536, maxTtlMs: 3600000, generationCheckMs: 500, leaseMs: 2000, leaseWaitMs: 300, leasePollMs: 25, pubsub: true },
  });
  const warmed: number = await cache.warmFromShared(new Set([`product:${id}`]));
  // A fetcher that bounds itself (attempts of 2 s at most) holds its lease as long as it may run.
  const retry = new Retry({ maxAttempts: 3, timeoutMs: 2000 });
  const leaseMs: number = retry.longestMs(2000);
  const r: FetchResult<{ id: string; price: number }> = await cache.getOrFetch(`product:${id}`,
    async () => retry.execute(async () => ({ id, price: 1 })), { leaseMs });
  const fromShared: boolean = r.shared === true;
  const s: SharedCacheStats | undefined = cache.stats().shared;
  const resets: number = (s?.resets ?? 0) + (s?.checks ?? 0) + (s?.invalidations ?? 0) + (s?.leases ?? 0) + (s?.leaseWaits ?? 0) + (s?.leaseTimeouts ?? 0);
  const bus: number = (s?.published ?? 0) + (s?.heard ?? 0) + (s?.subscriptions ?? 0) + (s?.subscribeErrors ?? 0) + (s?.warmed ?? 0);
  const skipped: number = warmed + bus + (s?.skips ?? 0) + (s?.timeouts ?? 0) + (s?.errors ?? 0) + (s?.store.calls ?? 0);
  return fromShared ? r.value.price : skipped + resets;
}
