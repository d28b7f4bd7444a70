// `edgeguard/resilience` and `edgeguard/validator` as a consumer imports them, next to `edgeguard`.
import * as whole from 'edgeguard';
import { init, Cache, RateLimiter, CircuitBreaker, Retry, Bulkhead, timeout, EdgeguardError, type RateLimitResult, type InitOptions } from 'edgeguard/resilience';
import { init as initValidator, Validator, Json, SchemaRegistry, PayloadError, type ValidationResult } from 'edgeguard/validator';

export async function resilience(module?: WebAssembly.Module): Promise<string> {
  const options: InitOptions = module ? { module } : {};
  await init(options);
  const cache = new Cache<string>({ maxEntries: 10 });
  cache.set('k', 'v', { ttlMs: 1000 });
  const limiter = new RateLimiter({ policies: [{ limit: 10, windowMs: 1000 }] });
  const r: RateLimitResult = limiter.check('ip');
  const breaker = new CircuitBreaker({ openMs: 1000 });
  const value: number = await breaker.execute(async () => 1);
  const retry = new Retry({ maxAttempts: 2 });
  const bulkhead = new Bulkhead({ maxConcurrent: 1 });
  const t: number = await timeout(async () => 2, 10);
  // The same classes as edgeguard's: a value of one is assignable to the other.
  const same: whole.CircuitBreaker = breaker;
  try {
    return `${r.allowed} ${value} ${t} ${cache.get('k')?.value} ${same.state} ${retry} ${bulkhead}`;
  } catch (e) {
    return e instanceof EdgeguardError ? e.code : 'other';
  }
}

export async function validator(): Promise<boolean> {
  await initValidator();
  const v = new Validator({ type: 'object' });
  const result: ValidationResult = v.validate('{}');
  const checked = Json.check('{"a":1}');
  const registry = new SchemaRegistry();
  const error: PayloadError | undefined = checked.valid ? undefined : checked.error;
  return result.valid && registry !== undefined && error === undefined;
}
