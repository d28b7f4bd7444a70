// edgeguard/express: the gateway's pieces as Express middleware, answering as the gateway does
// (the same RateLimit headers, the same application/problem+json refusals, built by the same
// code): rateLimit() and validate() in front of the app's own handlers, edgeguard() for routes
// the gateway proxies to an upstream (cache, breaker, retry).
// The wasm is loaded when this module is imported (top-level await), so every middleware is
// built, and its options checked, synchronously where the app is set up.
import { init } from 'edgeguard';
import { ConfigError, describe, reportError } from './errors.js';
import { RateLimiter } from './limit.js';
import { Validator } from './validator.js';
import { createGateway, requestIdOption } from './gateway.js';
import { readBody } from './reverse-proxy.js';
import { PROBLEMS, problemAnswer } from './problem.js';
import { queryObject, rateLimited, tooLarge, invalidQuery, invalidBody } from './refusals.js';
import { functionOption } from './resilience.js';
import { nodeBodyStream, toRequest, writeResponse, writeAnswer } from './node-messages.js';

await init();

const LIMIT_OPTIONS = ['limit', 'windowMs', 'policies', 'headers', 'key', 'skip', 'requestId', 'onError',
  'maxKeys', 'maxKeyBytes', 'clock', 'store', 'name', 'mode', 'onStoreError', 'expectedInstances', 'deadlineMs',
  'lease', 'timers'];
// express-rate-limit's names, each pointed to ours: ignoring one would leave its default in force.
const RENAMED = { max: 'limit', keyGenerator: 'key', standardHeaders: 'headers', legacyHeaders: 'headers' };

function objectOption(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('CONFIG_INVALID', `${name} must be an object (got ${describe(value)})`, { option: name });
  }
  return value;
}

function knownOptions(options, known, what) {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const hint = RENAMED[name] && what === 'rateLimit' ? `: edgeguard calls it ${RENAMED[name]}` : '';
    throw new ConfigError('CONFIG_INVALID', `unknown option ${name} of ${what}()${hint}`, { option: name });
  }
}

// The request id of a refusal (in its body and X-Request-Id), checked and generated as the gateway's.
function requestIdOf(options) {
  return requestIdOption(functionOption(options, 'requestId', undefined));
}

function errorReporter(options) {
  return functionOption(options, 'onError', reportError);
}

// A failure of the reporter itself must not take the answer away.
function report(onError, error, req) {
  try {
    onError(error, req);
  } catch (failure) {
    reportError(failure);
  }
}

// A refusal's parts (refusals.js), written with its request id in X-Request-Id as the gateway's.
function refuse(res, parts) {
  const answer = problemAnswer(...parts);
  answer.headers.set('x-request-id', parts[2].requestId);
  writeAnswer(res, answer);
}

// Express 4 does not catch a middleware's rejection: whatever escapes the answers above (a header
// Node refuses to write) is reported and answered 500 as the gateway answers its own failures.
function neverRejects(middleware, reporter, newRequestId) {
  return async (req, res, next) => {
    try {
      await middleware(req, res, next);
    } catch (error) {
      report(reporter, error, req);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      for (const name of res.getHeaderNames()) res.removeHeader(name);  // half an answer's
      refuse(res, [PROBLEMS.internal, 'the middleware failed to answer', { requestId: newRequestId(req) }]);
    }
  };
}

// An engine or option-function failure is answered 503 (the check did not happen: never "allowed").
function unavailable(res, what, requestId) {
  refuse(res, [PROBLEMS.unavailable, `the ${what} could not be checked`, { requestId }]);
}

/**
 * Rate limits as express-rate-limit does (`app.use(rateLimit({ limit, windowMs }))`), with the
 * gateway's engine, headers and 429 problem. Options: `limit` + `windowMs`, or `policies` (as
 * RateLimiter's); `key(req)` (default the client address `req.ip`, which honours Express's
 * `trust proxy`), `skip(req)`, `headers`, `store` and the shared limiter's options, `clock`,
 * `requestId(req)`, `onError(error, req)`. The middleware's `limiter` is the RateLimiter.
 */
export function rateLimit(options = {}) {
  objectOption(options, 'options');
  knownOptions(options, LIMIT_OPTIONS, 'rateLimit');
  const { limit, windowMs, policies, key, skip, requestId, onError, ...limiterOptions } = options;
  if ((policies === undefined) === (limit === undefined && windowMs === undefined)) {
    throw new ConfigError('CONFIG_INVALID', 'rateLimit() takes limit and windowMs, or policies (not both)', { option: 'policies' });
  }
  const keyOf = functionOption(options, 'key', (req) => {
    if (!req.ip) throw new Error('the request has no client address (req.ip) to key its rate limit by');
    return `ip:${req.ip}`;
  });
  const skipped = functionOption(options, 'skip', undefined);
  const newRequestId = requestIdOf(options);
  const reporter = errorReporter(options);
  const limiter = new RateLimiter({ ...limiterOptions, policies: policies ?? [{ limit, windowMs }] });

  const middleware = neverRejects(async (req, res, next) => {
    let decision;
    try {
      if (skipped && await skipped(req)) return next();
      decision = await limiter.check(await keyOf(req));
    } catch (error) {
      report(reporter, error, req);
      return unavailable(res, 'rate limit', newRequestId(req));
    }
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (!decision.allowed) {
      return refuse(res, rateLimited(decision, newRequestId(req)));
    }
    req.rateLimit = decision;
    return next();
  }, reporter, newRequestId);
  middleware.limiter = limiter;
  return middleware;
}

/**
 * Validates the request's JSON body and/or query string against JSON Schemas, refusing as the
 * gateway does (400 invalid-request / malformed-request with the errors, 413 past maxBytes).
 * `schemas`: `{ body?, query? }`. The body is read here when no parser has read it (then
 * `req.body` is the parsed value), else `req.body` as a parser left it is checked. `options`:
 * Validator options (maxBytes also bounds the read), `requestId(req)`, `onError(error, req)`.
 */
export function validate(schemas, options = {}) {
  objectOption(schemas, 'schemas');
  objectOption(options, 'options');
  knownOptions(schemas, ['body', 'query'], 'validate');
  if (schemas.body === undefined && schemas.query === undefined) {
    throw new ConfigError('CONFIG_INVALID', 'validate() needs a body or a query schema', { option: 'schemas' });
  }
  const { requestId, onError, ...validatorOptions } = options;
  if (validatorOptions.throwOnMalformed !== undefined) {
    throw new ConfigError('CONFIG_INVALID', 'option throwOnMalformed does not apply: malformed bodies are answered 400', { option: 'throwOnMalformed' });
  }
  const newRequestId = requestIdOf(options);
  const reporter = errorReporter(options);
  const compiled = (schema) => schema === undefined ? null : new Validator(schema, { allErrors: true, ...validatorOptions });
  const body = compiled(schemas.body);
  const query = compiled(schemas.query);

  return neverRejects(async (req, res, next) => {
    let refusal = null;
    let id = '';
    const idOnce = () => (id ||= newRequestId(req));
    try {
      if (query) {
        // What the app reads: req.query as Express's query parser made it (nested objects under
        // 'extended'), so a schema never passes one shape while the handler gets another.
        const parsedQuery = req.query !== null && typeof req.query === 'object' ? req.query
          : queryObject(new URL(req.originalUrl ?? req.url, 'http://localhost').searchParams);
        const result = query.validate(parsedQuery);
        if (!result.valid) refusal = invalidQuery(result, idOnce());
      }
      if (!refusal && body && req.method !== 'GET' && req.method !== 'HEAD') refusal = await checkBody(req, body, idOnce);
    } catch (error) {
      report(reporter, error, req);
      return unavailable(res, 'request', idOnce());
    }
    if (refusal) return refuse(res, refusal);
    return next();
  }, reporter, newRequestId);
}

// The body as a parser left it (an object from express.json(), bytes or text from express.raw()
// or express.text()), or read here, bounded, when none did. Text or bytes are JSON text, and
// req.body becomes what the schema checked: a JSON string value from express.json({ strict:
// false }) holding an object's text is that object for the handler too, never the string.
async function checkBody(req, validator, requestId) {
  const { maxBytes } = validator;
  const parsed = req.body !== undefined;
  let input = req.body;
  if (!parsed) {
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge(maxBytes, requestId());
    try {
      input = await readBody({ body: nodeBodyStream(req) }, maxBytes);
    } catch (error) {
      // A body that fails half-way (a client gone), or was read before, is answered, as at the gateway.
      return [PROBLEMS.malformedRequest, `the request body could not be read: ${error.message}`, { requestId: requestId() }];
    }
    if (input === null) return tooLarge(maxBytes, requestId());
  }
  const result = validator.validate(input);
  if (!result.valid) return invalidBody(result, requestId());
  if (result.data !== undefined) req.body = result.data;
  else if (typeof input === 'string') req.body = JSON.parse(input);
  else if (input instanceof Uint8Array) req.body = JSON.parse(new TextDecoder().decode(input));
  return null;
}

/**
 * The gateway as Express middleware (as edgeguard/hono): requests matching a configured route
 * are answered by the gateway (validated, rate-limited, cached, proxied through the breaker and
 * retries), as are its health and metrics paths and CORS preflights; everything else goes on to
 * the app, its body unread. Mount it before body parsers. The client address the gateway sees
 * is `req.ip` (Express's `trust proxy` decides it), and `clientIp` defaults to `{ header: 'none' }`
 * here so that limits are keyed by it: the gateway's own default header (cf-connecting-ip) is
 * any client's to set off Cloudflare. `options` as createGateway's,
 * with `store` a Store (Express has no per-request env) and `onError(error, req)`.
 */
export function edgeguard(config, options = {}) {
  objectOption(options, 'options');
  if (typeof options.store === 'function') {
    throw new ConfigError('CONFIG_INVALID', 'option store must be a Store here: Express has no per-request env', { option: 'store' });
  }
  const { onError, ...gatewayOptions } = options;
  const reporter = errorReporter(options);
  const newRequestId = requestIdOf(options);
  const keyedByReqIp = config !== null && typeof config === 'object' && config.clientIp === undefined;
  const gateway = createGateway(keyedByReqIp ? { ...config, clientIp: { header: 'none' } } : config, gatewayOptions);
  const middleware = neverRejects(async (req, res, next) => {
    let request;
    try {
      request = toRequest(req);
    } catch (error) {
      // Node took the request, but fetch does not (a Host that makes no URL): it cannot be routed.
      // Not its message, which would echo the client's Host back; the app's request id reads `req`.
      return refuse(res, [PROBLEMS.malformedRequest, 'the request could not be read: its Host and path make no URL',
        { requestId: newRequestId(req) }]);
    }
    let passed = false;
    // The gateway reads the peer address from a Deno-style env ({ remoteAddr }).
    const response = await gateway.handle(request, { remoteAddr: { hostname: req.ip ?? '' } }, undefined, () => {
      passed = true;
      next();
    });
    if (!passed) writeResponse(req, res, response, (error) => report(reporter, error, req));
  }, reporter, newRequestId);
  middleware.gateway = gateway;
  return middleware;
}
