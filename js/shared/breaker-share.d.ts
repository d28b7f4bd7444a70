/** How a CircuitBreaker shares its state with the other instances of the same breaker. */
export interface BreakerShareOptions {
  /** The breaker's name, the same on every instance: its keys are `<prefix>{breaker:<name>}:…`. */
  name: string;
  /** Open when this many distinct instances report open within `windowMs` (default 2). */
  quorum?: number;
  /** The view is at most this old when a call comes (refreshed in the background; default 1000). */
  publishIntervalMs?: number;
  /** How long an instance's report of tripping counts (default: openMs). */
  windowMs?: number;
  /** How long one instance holds the half-open trial calls (default: halfOpenMaxMs, else openMs). */
  leaseMs?: number;
  /** Each store call's deadline (default: the store's). */
  deadlineMs?: number;
  /** Edge runtimes: receives every background store call (e.g. `ctx.waitUntil.bind(ctx)`). */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** The shared view: metrics().shared and the 'sharedView' event. */
export interface SharedBreakerView {
  /** This instance's random id (made on the first store call). */
  instanceId: string | undefined;
  quorum: number;
  /** Instances reporting open within the window, as of `viewAt`. */
  openReports: number;
  /** Whether the last store call was answered; undefined before the first. */
  reachable: boolean | undefined;
  /** When the view was read (the breaker's clock). */
  viewAt: number | undefined;
  /** While this instance holds the half-open trial lease: when it ends. */
  trialLeaseUntil: number | undefined;
  storeCalls: number;
  storeFailures: number;
  /** Trial calls let through unleased because the store failed (local halfOpenCalls). */
  fallbackTrials: number;
  /** The code of the last failure (StoreError code, or CLOCK_INVALID and such). */
  lastError: string | undefined;
}
