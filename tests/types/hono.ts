// edgeguard/hono as a Hono app uses it: hono's own types (a devDependency), so the middleware must
// be what Hono's app.use takes, and its gateway what createGateway returns.
import { Hono } from 'hono';
import { edgeguard } from 'edgeguard/hono';
import type { Gateway, HealthDocument } from 'edgeguard';
import type { Store } from 'edgeguard/store';

declare const store: Store;

const guard = edgeguard({ upstreams: { api: { origin: 'https://api.example' } }, routes: [{ path: '/v1/*' }] },
  { store, requestId: () => 'id' });
const app = new Hono();
app.use('*', guard);
app.use('/v2/*', edgeguard('{"upstreams":{"api":{"origin":"https://api.example"}},"routes":[{"path":"/v2/*"}]}'));
app.get('/hello', (c) => c.text('hello'));

export const gateway: Gateway = guard.gateway;
export const health: Promise<HealthDocument> = guard.gateway.health();
export default app;
