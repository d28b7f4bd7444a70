// The gateway and guard on a shared store, as a consumer configures them: the config's store
// section, a global route, a shared breaker, and the store as an object or a function of env.
import { init, createGateway, createGuard, type GatewayConfig, type StoreConfig, type HealthDocument } from 'edgeguard';
import { RedisStore, type Store } from 'edgeguard/store';

const store: StoreConfig = { prefix: 'shop:', deadlineMs: 30, mode: 'local-first', onStoreError: 'local', expectedInstances: 4, lease: { units: 5, ttlMs: 1000 } };

const config: GatewayConfig = {
  upstreams: { api: { origin: 'https://api.example', breaker: { minimumCalls: 5, share: { quorum: 2 } } } },
  routes: [
    { path: '/v1/orders', rateLimit: { key: 'user', scope: 'global', policies: [{ limit: 100, windowMs: 60000 }] } },
    { path: '/v1/search', rateLimit: { scope: 'local', policies: [{ limit: 10, windowMs: 1000 }] } },
  ],
  identity: { userHeader: 'x-user-id' },
  store,
};

export async function node(client: object): Promise<HealthDocument> {
  await init();
  const guard = createGuard(config, { store: new RedisStore(client, { deadlineMs: 20 }) });
  const text: string = guard.metrics();
  return text.length > 0 ? guard.health() : guard.health();
}

// A Worker: the binding exists only per request, so the store is a function of env.
interface Env { STORE: Store }
const gateway = createGateway(config, { store: (env: Env) => env.STORE });
export default { fetch: gateway.fetch };
export const early = (env: Env) => gateway.ready(env);
