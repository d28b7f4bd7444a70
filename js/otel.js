// Traces: the `trace` option read, and OpenTelemetry spans through the API object the user gives
// (`trace: { api }`, `import * as api from '@opentelemetry/api'`). Nothing here imports the API:
// a static import would break bundles and edge runtimes without it installed, and a dynamic one
// might load a second copy beside the one the user's SDK registered with. The span names and
// attributes follow the HTTP semantic conventions (server and client spans).
import { invalidOption, reportError } from './errors.js';
import { W3cRequestTrace, incomingTrace, parseTraceparent, validTracestate, writeTrace } from './trace-context.js';
import { version } from './version.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const headerGetter = {
  keys: (headers) => [...headers.keys()],
  get: (headers, name) => headers.get(name) ?? undefined,
};
const headerSetter = { set: (headers, name, value) => headers.set(name, value) };

/** The method as semantic conventions name it: an unknown one is _OTHER (and kept in method_original). */
function methodAttributes(method, attributes) {
  if (KNOWN_METHODS.has(method)) attributes['http.request.method'] = method;
  else {
    attributes['http.request.method'] = '_OTHER';
    attributes['http.request.method_original'] = method;
  }
  return attributes;
}

function spanMethod(method) {
  return KNOWN_METHODS.has(method) ? method : 'HTTP';
}

function portOf(url) {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
}

/**
 * The `trace` option: undefined or false (off: no header is touched, nothing is allocated),
 * true (W3C traceparent to the upstream, no spans), or `{ api, tracer?, query? }`: spans through
 * the OpenTelemetry API `api`, from `tracer` (default api.trace.getTracer('edgeguard', version)),
 * with the query string in url.query / url.full only when `query` is true.
 * Returns null or `(request, url, kind, startMs) => request trace`.
 */
export function traceOption(value) {
  if (value === undefined || value === false) return null;
  if (value === true) return (request) => new W3cRequestTrace(request.headers);
  if (value === null || typeof value !== 'object') throw invalidOption('trace', 'true, false or { api, tracer?, query? }', value);
  const { api, query = false } = value;
  if (typeof api?.trace?.getTracer !== 'function' || typeof api.context?.with !== 'function' ||
      typeof api.propagation?.inject !== 'function' || typeof api.isSpanContextValid !== 'function') {
    throw invalidOption('trace.api', "the @opentelemetry/api module (import * as api from '@opentelemetry/api')", api);
  }
  const tracer = value.tracer ?? api.trace.getTracer('edgeguard', version);
  if (typeof tracer?.startSpan !== 'function') throw invalidOption('trace.tracer', 'an OpenTelemetry Tracer', tracer);
  if (typeof query !== 'boolean') throw invalidOption('trace.query', 'a boolean', query);
  const otel = { api, tracer, query };
  // A tracer, propagator or exporter that throws must not fail a request, turn an upstream's
  // answer into a failure (and open its breaker) or record a request twice: its errors are
  // counted in `failures` (edgeguard_trace_failures_total), the first reported, and the request
  // goes on under W3C trace context alone.
  const failed = (error) => {
    if (tracing.failures++ === 0) reportError(error);
  };
  const tracing = (request, url, kind, startMs) => {
    try {
      return new GuardedTrace(new OtelRequestTrace(otel, request, url, kind, startMs), request.headers, failed);
    } catch (error) {
      failed(error);
      return new W3cRequestTrace(request.headers);
    }
  };
  tracing.failures = 0;
  return tracing;
}

/** A request trace whose first failure hands the rest of the request to W3C trace context alone. */
class GuardedTrace {
  #trace;
  #headers;
  #failed;

  constructor(trace, headers, failed) {
    this.#trace = trace;
    this.#headers = headers;
    this.#failed = failed;
    this.traceId = trace.traceId;
  }

  #call(method, args, fallback) {
    try {
      return this.#trace[method](...args);
    } catch (error) {
      this.#failed(error);
      const w3c = new W3cRequestTrace(this.#headers);
      w3c.traceId = this.traceId;  // what the access log already has for this request
      this.#trace = w3c;
      return fallback?.(w3c);
    }
  }

  route(route) {
    this.#call('route', [route]);
  }

  span(name, attributes, startMs) {
    return this.#call('span', [name, attributes, startMs]) ?? null;
  }

  close(span, attributes, errorType, endMs) {
    this.#call('close', [span, attributes, errorType, endMs]);
  }

  attempt(headers, method, target, n, startMs) {
    return this.#call('attempt', [headers, method, target, n, startMs], (w3c) => w3c.attempt(headers)) ?? null;
  }

  /**
   * Runs `fn` in the attempt's context, once: a failure of the tracer's around it gives `fn`'s own
   * result (or runs it without a context); only `fn`'s own throw is the attempt's.
   */
  run(attempt, fn) {
    let ran = false;
    let result;
    let thrown;
    const once = () => {
      ran = true;
      try {
        result = fn();
      } catch (error) {
        thrown = { error };
        throw error;
      }
      return result;
    };
    try {
      return this.#trace.run(attempt, once);
    } catch (error) {
      if (thrown) throw thrown.error;
      this.#failed(error);
      return ran ? result : fn();
    }
  }

  endAttempt(attempt, status, errorType, endMs) {
    if (attempt) this.#call('endAttempt', [attempt, status, errorType, endMs]);
  }

  end(status, attributes, errorType, endMs) {
    this.#call('end', [status, attributes, errorType, endMs]);
  }
}

/** One request's spans: the request span (SERVER for the gateway, INTERNAL for createGuard) and its children. */
class OtelRequestTrace {
  #otel;
  #span;
  #context;
  #method;
  #own;
  #spanId;

  constructor(otel, request, url, kind, startMs) {
    const { api, tracer, query } = otel;
    this.#otel = otel;
    this.#method = request.method;
    const server = kind === 'server';
    // The gateway continues its client's trace; an app's outgoing call continues the active span.
    const parent = server ? this.#extract(request.headers) : this.#active(request.headers);
    const attributes = methodAttributes(request.method, {
      'url.path': url.pathname, 'url.scheme': url.protocol.slice(0, -1), 'server.address': url.hostname,
    });
    const port = portOf(url);
    if (port !== undefined) attributes['server.port'] = port;
    if (query && url.search) attributes['url.query'] = url.search.slice(1);
    this.#span = tracer.startSpan(spanMethod(request.method),
      { kind: server ? api.SpanKind.SERVER : api.SpanKind.INTERNAL, attributes, startTime: startMs }, parent);
    this.#context = api.trace.setSpan(parent, this.#span);
    const sc = this.#span.spanContext();
    this.#spanId = sc.spanId;
    // The API without an SDK gives spans no ids of their own: the trace goes on under ours.
    this.#own = api.isSpanContextValid(sc) ? null : incomingTrace(request.headers);
    this.traceId = this.#own?.traceId ?? sc.traceId;
  }

  #extract(headers) {
    const { api } = this.#otel;
    const extracted = api.propagation.extract(api.ROOT_CONTEXT, headers, headerGetter);
    if (api.trace.getSpanContext(extracted)) return extracted;
    // No propagator registered (the API's default is a no-op): read the W3C header ourselves.
    const parent = parseTraceparent(headers.get('traceparent'));
    if (!parent) return api.ROOT_CONTEXT;
    const state = validTracestate(headers.get('tracestate'));
    return api.trace.setSpanContext(api.ROOT_CONTEXT, {
      traceId: parent.traceId, spanId: parent.spanId, traceFlags: parent.flags, isRemote: true,
      traceState: state && api.createTraceState ? api.createTraceState(state) : undefined,
    });
  }

  #active(headers) {
    const { api } = this.#otel;
    const active = api.context.active();
    return api.trace.getSpanContext(active) ? active : this.#extract(headers);
  }

  /** The matched route: the span is named `METHOD /route/path` and gets http.route. */
  route(route) {
    this.#span.updateName(`${spanMethod(this.#method)} ${route.path}`);
    this.#span.setAttribute('http.route', route.path);
    this.#span.setAttribute('edgeguard.route', route.name);
  }

  /** An INTERNAL child of the request span (cache lookup, validation). */
  span(name, attributes, startMs) {
    return this.#otel.tracer.startSpan(name, { kind: this.#otel.api.SpanKind.INTERNAL, attributes, startTime: startMs },
      this.#context);
  }

  /** Ends a child span; `errorType` (a low-cardinality name) marks it failed. */
  close(span, attributes, errorType, endMs) {
    if (attributes) span.setAttributes(attributes);
    if (errorType) {
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: this.#otel.api.SpanStatusCode.ERROR, message: errorType });
    }
    span.end(endMs);
  }

  /**
   * A CLIENT span for one upstream attempt (`n` from 1), its context written into `headers`:
   * by the registered propagator, and as traceparent by us when it wrote none.
   */
  attempt(headers, method, target, n, startMs) {
    const { api, tracer, query } = this.#otel;
    const url = new URL(target);
    const attributes = methodAttributes(method, {
      'server.address': url.hostname, 'url.full': query ? url.href : `${url.origin}${url.pathname}`,
    });
    const port = portOf(url);
    if (port !== undefined) attributes['server.port'] = port;
    if (n > 1) attributes['http.request.resend_count'] = n - 1;
    const span = tracer.startSpan(spanMethod(method), { kind: api.SpanKind.CLIENT, attributes, startTime: startMs }, this.#context);
    const context = api.trace.setSpan(this.#context, span);
    const sc = span.spanContext();
    headers.delete('traceparent');
    headers.delete('tracestate');
    const carried = { traceId: sc.traceId, flags: sc.traceFlags, tracestate: sc.traceState?.serialize() || null };
    if (this.#own || sc.spanId === this.#spanId) {
      writeTrace(headers, this.#own ?? carried);  // no SDK: a new span id of our own
    } else {
      api.propagation.inject(context, headers, headerSetter);
      if (!headers.has('traceparent')) writeTrace(headers, carried, sc.spanId);
    }
    return { span, context };
  }

  /** Runs the attempt's fetch in its context, so an instrumented fetch nests under it. */
  run(attempt, fn) {
    return this.#otel.api.context.with(attempt.context, fn);
  }

  /** Ends an attempt's span with the upstream's status (4xx and 5xx are errors), or `errorType` when it threw. */
  endAttempt(attempt, status, errorType, endMs) {
    if (status) attempt.span.setAttribute('http.response.status_code', status);
    this.close(attempt.span, undefined, errorType ?? (status >= 400 ? String(status) : undefined), endMs);
  }

  /**
   * Ends the request span with the answer's status; a 5xx is an error (`errorType`: the outcome),
   * and so is status 0: no answer, the call threw.
   */
  end(status, attributes, errorType, endMs) {
    const span = this.#span;
    if (status) span.setAttribute('http.response.status_code', status);
    span.setAttributes(attributes);
    if (status >= 500 || !status) {
      span.setAttribute('error.type', errorType ?? String(status));
      span.setStatus({ code: this.#otel.api.SpanStatusCode.ERROR });
    }
    span.end(endMs);
  }
}

