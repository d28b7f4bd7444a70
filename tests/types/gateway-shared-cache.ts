// A gateway route with the shared cache tier, as a consumer configures it: true or the tier's
// options on the route, defaults in the store section, and the route's own cache read back.
import { createGateway, type GatewayConfig, type SharedRouteCacheOptions, type SharedCacheStats } from 'edgeguard';
import { RedisStore } from 'edgeguard/store';

const defaults: SharedRouteCacheOptions = { leaseMs: 2000, generationCheckMs: 500, maxValueBytes: 256 * 1024 };

const config: GatewayConfig = {
  upstreams: { api: { origin: 'https://api.example' } },
  routes: [
    { name: 'brands', path: '/v1/brands/:id', cache: { ttlMs: 60000, staleIfErrorMs: 600000, shared: true } },
    { name: 'search', path: '/v1/search', cache: { ttlMs: 5000, shared: { leaseMs: 0, deadlineMs: 20 } } },
    { path: '/v1/me', cache: { ttlMs: 1000, perUser: true } },
  ],
  store: { prefix: 'shop:', cache: defaults },
};

export async function node(client: object): Promise<SharedCacheStats | undefined> {
  const gateway = createGateway(config, { store: new RedisStore(client) });
  await gateway.ready();
  gateway.cacheOf('brands').invalidate({ prefix: 'GET /v1/brands/' });
  return gateway.cacheOf('brands').stats().shared;
}
