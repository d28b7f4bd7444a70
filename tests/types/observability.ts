// The access log and trace options as a consumer writes them: the real @opentelemetry/api module
// and an SDK tracer must fit the structural types, and a RequestEvent reads as documented.
import * as api from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createGateway, createGuard, type RequestEvent, type TraceOptions, type AccessLogOptions } from 'edgeguard';

const config = { upstreams: { api: { origin: 'https://api.example' } }, routes: [{ name: 'a', path: '/a', upstream: 'api' }] };

export function gateways(): void {
  createGateway(config, { log: true, trace: true });
  createGateway(config, { log: (line: string) => console.log(line), trace: { api } });
  const log: AccessLogOptions = { write: async (line) => { await Promise.resolve(line); }, query: true };
  const trace: TraceOptions = { api, tracer: new BasicTracerProvider().getTracer('gw'), query: false };
  const gateway = createGateway(config, { log, trace });
  gateway.on('request', (e: RequestEvent) => {
    const bytes: number | null = e.bytesOut;
    const limited: boolean = e.rateLimit !== null && !e.rateLimit.allowed;
    const traceId: string | null = e.traceId;
    console.log(e.time, e.path, e.attempts, e.upstreamMs, e.breaker, e.validationErrors, e.bytesIn, bytes, limited, traceId);
  });
  const guard = createGuard(config, { trace: { api, tracer: api.trace.getTracer('app') }, log: false });
  // The app's own request id, so the guard's event and log line can be matched to its request.
  void guard.fetch('/v1/brands/1', undefined, { requestId: 'app-request-1' });
}
