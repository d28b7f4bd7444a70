import type { MiddlewareHandler } from 'hono';
import type { GatewayConfig } from './guard.js';
import type { Gateway, GatewayOptions } from './gateway.js';

/** `app.use('*', edgeguard(config))`: routed requests are answered by the gateway, the rest go on. */
export function edgeguard(config: GatewayConfig | string, options?: GatewayOptions): MiddlewareHandler & { gateway: Gateway };
