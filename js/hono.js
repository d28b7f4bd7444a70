// edgeguard/hono: the gateway as Hono middleware. Requests matching a configured route are
// answered by the gateway (validated, rate-limited, cached, sent to their upstream through the
// breaker); health, metrics and CORS preflights too; everything else goes on to the app.
// The package's own entry for this runtime (export conditions pick it) tells init() where the
// wasm is; this subpath alone would not.
import 'edgeguard';
import { createGateway } from './gateway.js';

function executionContext(c) {
  try {
    return c.executionCtx;  // Hono throws where the runtime has none (Node, Bun)
  } catch {
    return undefined;
  }
}

/**
 * `app.use('*', edgeguard(config, options))`; `options` as for createGateway. The middleware's
 * `gateway` property gives health(), metrics() and on().
 */
export function edgeguard(config, options = {}) {
  const gateway = createGateway(config, options);
  const middleware = async (c, next) => {
    let passed = false;
    const response = await gateway.handle(c.req.raw, c.env, executionContext(c), async () => {
      passed = true;
      await next();
    });
    if (!passed) return response;
    return undefined;
  };
  middleware.gateway = gateway;
  return middleware;
}
