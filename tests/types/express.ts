// edgeguard/express as an Express app uses it. Express's types (@types/express) are not a
// dependency here, so `Request` below has the shape of theirs that the middleware reads, and
// `use` takes handlers as Express's RequestHandler does.
import { rateLimit, validate, edgeguard, type ExpressMiddleware, type ExpressResponseLike } from 'edgeguard/express';
import type { RateLimitResult } from 'edgeguard';
import type { Store } from 'edgeguard/store';

interface Request {
  ip: string | undefined;
  method: string;
  url: string;
  originalUrl: string;
  path: string;
  protocol: string;
  rawHeaders: string[];
  headers: { host?: string; 'x-api-key'?: string; [name: string]: string | string[] | undefined };
  body: any;
  rateLimit?: RateLimitResult;
  user?: { id: string };
}
interface Response extends ExpressResponseLike { status(code: number): this; locals: Record<string, unknown> }
declare const app: { use(handler: (req: Request, res: Response, next: (error?: unknown) => void) => void | Promise<void>): void };
declare const store: Store;

app.use(rateLimit({ limit: 100, windowMs: 60_000 }));
app.use(rateLimit({ policies: [{ name: 'burst', limit: 10, windowMs: 1000 }, { limit: 1000, windowMs: 86_400_000 }], headers: 'draft-6' }));
const perUser = rateLimit<Request>({
  limit: 5, windowMs: 1000, store, mode: 'exact', name: 'api', onStoreError: 'closed',
  key: async (req) => `u:${req.user?.id ?? req.ip}`, skip: (req) => req.path === '/healthz',
  requestId: (req) => String(req.headers['x-request-id'] ?? 'none'), onError: (error, req) => console.error(error, req.url),
});
app.use(perUser);
export const remaining = async (key: string): Promise<number> => (await perUser.limiter.peek(key)).remaining;

app.use(validate({ body: { type: 'object', required: ['name'] }, query: { type: 'object' } }, { maxBytes: 65536, useDefaults: true }));
const gateway = edgeguard({ upstreams: { api: { origin: 'https://api.example' } }, routes: [{ path: '/v1/*' }], clientIp: { header: 'none' } },
  { store, requestId: () => 'id', onError: (error) => console.error(error) });
app.use(gateway);
export const metrics: Promise<string> = gateway.gateway.metrics();
export const plain: ExpressMiddleware = validate({ body: true });

// @ts-expect-error limit and policies exclude each other
rateLimit({ limit: 1, windowMs: 1, policies: [] });
// @ts-expect-error express-rate-limit's name is keyGenerator; ours is key
rateLimit({ limit: 1, windowMs: 1, keyGenerator: () => 'k' });
// @ts-expect-error the gateway's store is a Store here, not a function of env
edgeguard('{}', { store: () => store });
// @ts-expect-error malformed bodies are answered, never thrown
validate({ body: {} }, { throwOnMalformed: true });
