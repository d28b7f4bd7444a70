// cachePolicyFromHeaders (js/http-cache.d.ts) as an app uses it: plain JS, no init(), its answer
// fed to Cache#set.
import { init, Cache, cachePolicyFromHeaders, type HttpCachePolicy, type NotStorableReason } from 'edgeguard/resilience';

export async function store(request: Request, response: Response): Promise<NotStorableReason | 'stored'> {
  const policy: HttpCachePolicy = cachePolicyFromHeaders(request.headers, response.headers,
    { method: request.method, status: response.status, now: Date.now() });
  if (!policy.storable) return policy.reason ?? 'status';
  await init();
  const cache = new Cache<string>({ maxEntries: 100 });
  cache.set(request.url, await response.text(), { ttlMs: policy.ttlMs, staleWhileRevalidateMs: policy.staleWhileRevalidateMs,
    staleIfErrorMs: policy.staleIfErrorMs });
  // Plain objects and Maps are headers too.
  const fromObject: HttpCachePolicy = cachePolicyFromHeaders({ authorization: 'x' }, new Map([['cache-control', 'max-age=1']]));
  // @ts-expect-error a status is a number
  cachePolicyFromHeaders(undefined, {}, { status: '200' });
  cache.dispose();
  return fromObject.vary.length >= 0 ? 'stored' : 'status';
}
